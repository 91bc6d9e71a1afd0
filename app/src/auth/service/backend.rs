//! The axum-login backend: how a session's user is loaded on every request.

use super::store::SeaOrmStore;
use crate::auth::model::{Actor, UserId};
use crate::db::Db;
use crate::error::AppError;
use axum_login::{AuthUser, AuthnBackend};
use sha2::{Digest, Sha256};

/// The signed-in user as the session knows them.
#[derive(Clone, Debug)]
pub struct SessionUser {
    pub actor: Actor,
    /// Derived from the password hash: changing the password ends every other session.
    auth_hash: Vec<u8>,
}

impl SessionUser {
    /// The session's user from their stored row (an unreadable role is an internal error).
    pub fn new(model: &crate::entity::user::Model) -> Result<Self, AppError> {
        Ok(Self {
            actor: Actor::try_from(model)?,
            auth_hash: Sha256::digest(model.password_hash.as_bytes()).to_vec(),
        })
    }
}

impl AuthUser for SessionUser {
    type Id = i64;

    fn id(&self) -> i64 {
        self.actor.id.0
    }

    fn session_auth_hash(&self) -> &[u8] {
        &self.auth_hash
    }
}

/// Loads users for sessions; credentials are checked by `service::authenticate`, which also
/// throttles, so this backend's `authenticate` takes an already-checked user.
#[derive(Clone, Debug)]
pub struct Backend {
    db: Db,
}

impl Backend {
    pub fn new(db: Db) -> Self {
        Self { db }
    }
}

impl AuthnBackend for Backend {
    type User = SessionUser;
    type Credentials = SessionUser;
    type Error = AppError;

    async fn authenticate(&self, user: SessionUser) -> Result<Option<SessionUser>, AppError> {
        Ok(Some(user))
    }

    /// Disabled users load as nobody, which ends their sessions at the next request.
    async fn get_user(&self, id: &i64) -> Result<Option<SessionUser>, AppError> {
        super::active_user(&self.db.conn, UserId(*id))
            .await?
            .map(|m| SessionUser::new(&m))
            .transpose()
    }
}

pub type AuthSession = axum_login::AuthSession<Backend>;

/// The session and auth layers, configured from settings.
pub fn layer(
    db: Db,
    settings: &crate::state::AuthSettings,
) -> axum_login::AuthManagerLayer<Backend, SeaOrmStore> {
    use tower_sessions::cookie::SameSite;
    let sessions = tower_sessions::SessionManagerLayer::new(SeaOrmStore::new(db.clone()))
        .with_name("flare_session")
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(settings.secure_cookies)
        .with_path("/")
        .with_expiry(tower_sessions::Expiry::OnInactivity(
            time::Duration::seconds(settings.idle_timeout.as_secs() as i64),
        ));
    axum_login::AuthManagerLayerBuilder::new(Backend::new(db), sessions).build()
}
