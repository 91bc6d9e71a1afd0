//! Users, passwords, sign-in (throttled by `throttle`) and API tokens.

pub mod backend;
pub mod guard;
pub mod store;
pub mod throttle;

pub use throttle::{ACCOUNT_FAILURE_LIMIT, ACCOUNT_TOTAL_FAILURE_LIMIT, THROTTLE_WINDOW_MINUTES};

use super::model::{Actor, FunctionalArea, Permission, Role, User, UserDraft, UserId, ValidUser};
use crate::db::Db;
use crate::entity::{api_token, user};
use crate::error::AppError;
use crate::event::model::EventActor;
use crate::event::service::{NewEvent, append};
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde_json::json;
use sha2::{Digest, Sha256};

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

pub fn to_user(m: &user::Model) -> User {
    User {
        id: UserId(m.id),
        email: m.email.clone(),
        name: m.name.clone(),
        role: Role::parse(&m.role).unwrap_or(Role::Viewer),
        functional_area: FunctionalArea::parse(&m.functional_area)
            .unwrap_or(FunctionalArea::Operations),
        active: m.active,
    }
}

pub fn to_actor(m: &user::Model) -> Actor {
    Actor {
        id: UserId(m.id),
        email: m.email.clone(),
        name: m.name.clone(),
        role: Role::parse(&m.role).unwrap_or(Role::Viewer),
    }
}

/// An active user by id, or `None`.
pub async fn active_user<C: ConnectionTrait>(
    db: &C,
    id: UserId,
) -> Result<Option<user::Model>, AppError> {
    Ok(user::Entity::find_by_id(id.0)
        .filter(user::Column::Active.eq(true))
        .one(db)
        .await?)
}

/// Creates a user; `by` is who did it (the CLI acts as Flare itself).
pub async fn insert_user(db: &Db, by: &EventActor, valid: ValidUser) -> Result<User, AppError> {
    let password_hash = hash_password(valid.password).await?;
    let txn = db.write().await?;
    let taken = user::Entity::find()
        .filter(user::Column::Email.eq(valid.email.clone()))
        .one(&*txn)
        .await?;
    if taken.is_some() {
        return Err(AppError::invalid_field(
            "email",
            "is already used by another account",
        ));
    }
    let now = Utc::now();
    let model = user::ActiveModel {
        email: Set(valid.email),
        name: Set(valid.name),
        role: Set(valid.role.as_str().into()),
        functional_area: Set(valid.functional_area.as_str().into()),
        active: Set(true),
        password_hash: Set(password_hash),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&*txn)
    .await?;
    append(
        &*txn,
        by,
        NewEvent::new("user", model.id, "user.created").payload(json!({
            "email": model.email, "name": model.name, "role": model.role,
            "functional_area": model.functional_area,
        })),
    )
    .await?;
    txn.commit().await?;
    Ok(to_user(&model))
}

/// Admins create users from the admin page.
pub async fn create_user(db: &Db, actor: &Actor, draft: &UserDraft) -> Result<User, AppError> {
    actor.require(Permission::Administer)?;
    let valid = draft.validate().map_err(AppError::invalid)?;
    insert_user(db, &actor.into(), valid).await
}

pub async fn list_users<C: ConnectionTrait>(db: &C, actor: &Actor) -> Result<Vec<User>, AppError> {
    actor.require(Permission::Read)?;
    Ok(user::Entity::find()
        .order_by_asc(user::Column::Name)
        .all(db)
        .await?
        .iter()
        .map(to_user)
        .collect())
}

pub async fn find_by_email<C: ConnectionTrait>(
    db: &C,
    email: &str,
) -> Result<user::Model, AppError> {
    user::Entity::find()
        .filter(user::Column::Email.eq(super::model::normalize_email(email)))
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found(format!("No user has the email {email}.")))
}

/// Changes a user's role (admins; the CLI as Flare).
pub async fn set_role(db: &Db, by: &EventActor, id: UserId, role: Role) -> Result<User, AppError> {
    let txn = db.write().await?;
    let model = user::Entity::find_by_id(id.0)
        .one(&*txn)
        .await?
        .ok_or_else(|| AppError::not_found(format!("User {id} does not exist.")))?;
    let mut active: user::ActiveModel = model.into();
    active.role = Set(role.as_str().into());
    active.updated_at = Set(Utc::now());
    let model = active.update(&*txn).await?;
    append(
        &*txn,
        by,
        NewEvent::new("user", model.id, "user.role_changed").payload(json!({ "role": model.role })),
    )
    .await?;
    txn.commit().await?;
    Ok(to_user(&model))
}

/// Disables (or re-enables) a user. Disabling ends their sessions and revokes their tokens.
pub async fn set_active(
    db: &Db,
    by: &EventActor,
    id: UserId,
    active_flag: bool,
) -> Result<User, AppError> {
    let txn = db.write().await?;
    let model = user::Entity::find_by_id(id.0)
        .one(&*txn)
        .await?
        .ok_or_else(|| AppError::not_found(format!("User {id} does not exist.")))?;
    let mut active: user::ActiveModel = model.into();
    active.active = Set(active_flag);
    active.updated_at = Set(Utc::now());
    let model = active.update(&*txn).await?;
    if !active_flag {
        store::end_sessions_of(&*txn, id).await?;
        api_token::Entity::update_many()
            .col_expr(
                api_token::Column::RevokedAt,
                sea_orm::sea_query::Expr::value(Utc::now()),
            )
            .filter(api_token::Column::UserId.eq(id.0))
            .filter(api_token::Column::RevokedAt.is_null())
            .exec(&*txn)
            .await?;
    }
    let kind = if active_flag {
        "user.enabled"
    } else {
        "user.disabled"
    };
    append(&*txn, by, NewEvent::new("user", model.id, kind)).await?;
    txn.commit().await?;
    Ok(to_user(&model))
}

/// Admin page: change role or disable, as the acting admin.
pub async fn administer_user(
    db: &Db,
    actor: &Actor,
    id: UserId,
    role: Option<Role>,
    active: Option<bool>,
) -> Result<User, AppError> {
    actor.require(Permission::Administer)?;
    if id == actor.id && (active == Some(false) || role.is_some_and(|r| r != Role::Admin)) {
        return Err(AppError::forbidden(
            "You cannot demote or disable yourself; ask another admin.",
        ));
    }
    let mut user = None;
    if let Some(role) = role {
        user = Some(set_role(db, &actor.into(), id, role).await?);
    }
    if let Some(active) = active {
        user = Some(set_active(db, &actor.into(), id, active).await?);
    }
    user.ok_or_else(|| AppError::bad_request("Nothing to change."))
}

/// A user changes their own password; every other session of theirs ends.
pub async fn change_password(
    db: &Db,
    actor: &Actor,
    current: String,
    new: String,
) -> Result<user::Model, AppError> {
    let mut check = crate::validate::Checker::default();
    let new = super::model::check_password(&mut check, "new_password", Some(&new));
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
        NewEvent::new("user", model.id, "user.password_changed"),
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
        .filter(user::Column::Email.eq(super::model::normalize_email(email)))
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

/// A new API token: what to show once, and what was stored.
pub struct IssuedToken {
    pub secret: String,
    pub token: ApiTokenInfo,
}

/// A token as the admin page lists it (never the secret).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ApiTokenInfo {
    pub id: i64,
    pub user_id: UserId,
    pub label: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

fn token_info(m: &api_token::Model) -> ApiTokenInfo {
    ApiTokenInfo {
        id: m.id,
        user_id: UserId(m.user_id),
        label: m.label.clone(),
        created_at: m.created_at,
        last_used_at: m.last_used_at,
        revoked_at: m.revoked_at,
    }
}

/// Tokens are stored as SHA-256 hashes: they are long random secrets, so a fast hash is safe.
pub fn token_hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// Issues a token acting as `user_id` (admins, and the CLI as Flare).
pub async fn issue_token(
    db: &Db,
    by: &EventActor,
    user_id: UserId,
    label: &str,
) -> Result<IssuedToken, AppError> {
    let mut check = crate::validate::Checker::default();
    let label = check.name("label", Some(label));
    check.finish(()).map_err(AppError::invalid)?;
    let owner = active_user(&db.conn, user_id)
        .await?
        .ok_or_else(|| AppError::not_found(format!("No active user {user_id}.")))?;
    let secret = format!(
        "flr_{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>())
    );
    let txn = db.write().await?;
    let model = api_token::ActiveModel {
        user_id: Set(owner.id),
        label: Set(label),
        token_hash: Set(token_hash(&secret)),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&*txn)
    .await?;
    append(
        &*txn,
        by,
        NewEvent::new("api_token", model.id, "api_token.created")
            .payload(json!({ "user_id": owner.id, "label": model.label })),
    )
    .await?;
    txn.commit().await?;
    Ok(IssuedToken {
        secret,
        token: token_info(&model),
    })
}

pub async fn create_token(
    db: &Db,
    actor: &Actor,
    user_id: UserId,
    label: &str,
) -> Result<IssuedToken, AppError> {
    actor.require(Permission::Administer)?;
    issue_token(db, &actor.into(), user_id, label).await
}

pub async fn revoke_token(db: &Db, by: &EventActor, id: i64) -> Result<ApiTokenInfo, AppError> {
    let txn = db.write().await?;
    let model = api_token::Entity::find_by_id(id)
        .one(&*txn)
        .await?
        .ok_or_else(|| AppError::not_found(format!("Token {id} does not exist.")))?;
    if model.revoked_at.is_some() {
        return Ok(token_info(&model));
    }
    let mut active: api_token::ActiveModel = model.into();
    active.revoked_at = Set(Some(Utc::now()));
    let model = active.update(&*txn).await?;
    append(
        &*txn,
        by,
        NewEvent::new("api_token", model.id, "api_token.revoked")
            .payload(json!({ "user_id": model.user_id })),
    )
    .await?;
    txn.commit().await?;
    Ok(token_info(&model))
}

pub async fn list_tokens<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
) -> Result<Vec<ApiTokenInfo>, AppError> {
    actor.require(Permission::Administer)?;
    Ok(api_token::Entity::find()
        .order_by_desc(api_token::Column::Id)
        .all(db)
        .await?
        .iter()
        .map(token_info)
        .collect())
}

/// The actor a bearer token acts as, or 401. Records when it was last used (at most once a
/// minute, so busy integrations do not write on every call).
pub async fn actor_for_token(db: &Db, secret: &str) -> Result<Actor, AppError> {
    let refused = || AppError::Unauthenticated {
        message: "The API token is invalid or revoked.".into(),
    };
    let token = api_token::Entity::find()
        .filter(api_token::Column::TokenHash.eq(token_hash(secret)))
        .filter(api_token::Column::RevokedAt.is_null())
        .one(&db.conn)
        .await?
        .ok_or_else(refused)?;
    let owner = active_user(&db.conn, UserId(token.user_id))
        .await?
        .ok_or_else(refused)?;
    let now = Utc::now();
    if token
        .last_used_at
        .is_none_or(|at| now - at > Duration::minutes(1))
    {
        api_token::Entity::update_many()
            .col_expr(
                api_token::Column::LastUsedAt,
                sea_orm::sea_query::Expr::value(now),
            )
            .filter(api_token::Column::Id.eq(token.id))
            .exec(&db.conn)
            .await?;
    }
    Ok(to_actor(&owner))
}

/// Whether any user exists (`flare serve` explains how to create the first admin if not).
pub async fn has_users<C: ConnectionTrait>(db: &C) -> Result<bool, AppError> {
    Ok(user::Entity::find().one(db).await?.is_some())
}

/// Names for a set of user ids, in one query.
pub async fn people<C: ConnectionTrait>(
    db: &C,
    mut ids: Vec<i64>,
) -> Result<std::collections::HashMap<i64, super::model::Person>, AppError> {
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(Default::default());
    }
    Ok(user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| {
            (
                u.id,
                super::model::Person {
                    id: UserId(u.id),
                    name: u.name,
                },
            )
        })
        .collect())
}

/// An active user who must hold one of `roles`, for a named field; 422 otherwise.
pub async fn require_person<C: ConnectionTrait>(
    db: &C,
    field: &str,
    id: i64,
    roles: &[Role],
) -> Result<user::Model, AppError> {
    let user = active_user(db, UserId(id))
        .await?
        .ok_or_else(|| AppError::invalid_field(field, "must be an active user"))?;
    let role = Role::parse(&user.role).unwrap_or(Role::Viewer);
    if !roles.is_empty() && !roles.contains(&role) {
        let names: Vec<_> = roles.iter().map(|r| r.as_str()).collect();
        return Err(AppError::invalid_field(
            field,
            format!("must be a user whose role is {}", names.join(" or ")),
        ));
    }
    Ok(user)
}
