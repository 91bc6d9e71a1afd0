//! API tokens: issuing, revoking and listing them, and resolving a bearer token to the
//! user it acts as.

use super::users::active_user;
use crate::auth::model::{Actor, Permission, UserId};
use crate::db::Db;
use crate::entity::api_token;
use crate::error::AppError;
use crate::event::change::{ApiTokenCreated, ApiTokenRevoked};
use crate::event::model::EventActor;
use crate::event::service::{NewEvent, append};
use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use sha2::{Digest, Sha256};

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
        NewEvent::new(
            "api_token",
            model.id,
            ApiTokenCreated {
                user_id: UserId(owner.id),
                label: model.label.clone(),
            },
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(IssuedToken {
        secret,
        token: ApiTokenInfo::from(&model),
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
        return Ok(ApiTokenInfo::from(&model));
    }
    let mut active: api_token::ActiveModel = model.into();
    active.revoked_at = Set(Some(Utc::now()));
    let model = active.update(&*txn).await?;
    append(
        &*txn,
        by,
        NewEvent::new(
            "api_token",
            model.id,
            ApiTokenRevoked {
                user_id: UserId(model.user_id),
            },
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(ApiTokenInfo::from(&model))
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
        .map(ApiTokenInfo::from)
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
    Actor::try_from(&owner)
}
