//! Users, passwords, sign-in (throttled by `throttle`) and API tokens.
//!
//! Each part has its own file under `service/`; the items other features and the server
//! use are re-exported here, so `auth::service::people` and the like keep their paths.

pub mod backend;
pub mod guard;
mod passwords;
mod row;
pub mod store;
pub mod throttle;
mod tokens;
mod users;

pub use passwords::{
    authenticate, bad_credentials, change_password, hash_password, verify_password,
};
pub use throttle::{ACCOUNT_FAILURE_LIMIT, ACCOUNT_TOTAL_FAILURE_LIMIT, THROTTLE_WINDOW_MINUTES};
pub use tokens::{
    ApiTokenInfo, IssuedToken, actor_for_token, create_token, issue_token, list_tokens,
    revoke_token, token_hash,
};
pub use users::{
    active_user, administer_user, create_user, find_by_email, has_users, insert_user, list_users,
    people, require_person, set_active, set_role,
};
