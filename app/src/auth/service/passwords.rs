//! Passwords: hashing and checking them, signing in with one (throttled), and changing
//! one's own.

use super::throttle;
use super::users::active_user;
use crate::auth::model::{Actor, check_password, normalize_email};
use crate::db::Db;
use crate::entity::user;
use crate::error::AppError;
use crate::event::change::UserPasswordChanged;
use crate::event::service::{NewEvent, append};
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

/// Hashes a password with Argon2id on the blocking pool (it takes tens of milliseconds).
pub async fn hash_password(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::encode_b64(&rand::random::<[u8; 16]>())
            .map_err(|e| AppError::internal(format!("salt: {e}")))?;
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| AppError::internal(format!("argon2: {e}")))
    })
    .await
    .map_err(AppError::internal)?
}

/// Checks a password against a stored hash on the blocking pool.
pub async fn verify_password(password: String, hash: String) -> bool {
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&hash)
            .map(|parsed| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false)
    })
    .await
    .unwrap_or(false)
}

/// A hash that no password matches, verified against unknown emails so that a wrong email
/// takes as long as a wrong password.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$1Q4n1pYkVQ0Xb0bA2QqX0kI8n9kLq1m0yGv3x0F1p5I";

/// A user changes their own password; every other session of theirs ends.
pub async fn change_password(
    db: &Db,
    actor: &Actor,
    current: String,
    new: String,
) -> Result<user::Model, AppError> {
    let mut check = crate::validate::Checker::default();
    let new = check_password(&mut check, "new_password", Some(&new));
    check.finish(()).map_err(AppError::invalid)?;
    let model = active_user(&db.conn, actor.id)
        .await?
        .ok_or_else(AppError::sign_in_required)?;
    if !verify_password(current, model.password_hash.clone()).await {
        return Err(AppError::invalid_field(
            "current_password",
            "is not your current password",
        ));
    }
    let password_hash = hash_password(new).await?;
    let txn = db.write().await?;
    let mut active: user::ActiveModel = model.into();
    active.password_hash = Set(password_hash);
    active.updated_at = Set(Utc::now());
    let model = active.update(&*txn).await?;
    append(
        &*txn,
        &actor.into(),
        NewEvent::new("user", model.id, UserPasswordChanged {}),
    )
    .await?;
    txn.commit().await?;
    Ok(model)
}

/// Why a sign-in was refused; the message never says which part was wrong.
pub fn bad_credentials() -> AppError {
    AppError::Unauthenticated {
        message: "That email and password do not match an active account.".into(),
    }
}

/// Checks email and password, honouring and updating the failure throttle: a failure is
/// reserved before the password is checked (so parallel attempts cannot exceed the limit)
/// and given back on success. Called by the sign-in form handler with the client's address
/// (`throttle::client_address`); returns the user, `bad_credentials()`, or the throttle's
/// "Too many failed sign-ins" refusal.
pub async fn authenticate(
    db: &Db,
    email: &str,
    password: String,
    address: &str,
) -> Result<user::Model, AppError> {
    // No account's email holds a control character (none can be created) and PostgreSQL
    // cannot even compare a NUL: refused like any other mismatch, touching nothing.
    if !crate::validate::is_clean_line(email) {
        return Err(bad_credentials());
    }
    let reservation = throttle::reserve(db, email, address).await?;
    let found = user::Entity::find()
        .filter(user::Column::Email.eq(normalize_email(email)))
        .one(&db.conn)
        .await?;
    let hash = found
        .as_ref()
        .map_or_else(|| DUMMY_HASH.to_string(), |u| u.password_hash.clone());
    let password_ok = verify_password(password, hash).await;
    match found {
        Some(user) if password_ok && user.active => {
            throttle::clear(db, reservation).await?;
            Ok(user)
        }
        _ => Err(bad_credentials()),
    }
}
