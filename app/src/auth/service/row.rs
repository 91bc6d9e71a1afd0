//! A stored user or API token as the client sees it; a role or functional area that does
//! not parse is an internal error naming the user, never a guessed default.

use super::tokens::ApiTokenInfo;
use crate::auth::model::{Actor, FunctionalArea, Person, Role, User, UserId};
use crate::entity::{api_token, user};
use crate::error::AppError;

/// The user's stored role.
pub(super) fn role_of(m: &user::Model) -> Result<Role, AppError> {
    Role::parse(&m.role).ok_or_else(|| AppError::corrupt("user", m.id, "role", &m.role))
}

impl TryFrom<&user::Model> for User {
    type Error = AppError;

    fn try_from(m: &user::Model) -> Result<Self, AppError> {
        Ok(User {
            id: UserId(m.id),
            email: m.email.clone(),
            name: m.name.clone(),
            role: role_of(m)?,
            functional_area: FunctionalArea::parse(&m.functional_area).ok_or_else(|| {
                AppError::corrupt("user", m.id, "functional_area", &m.functional_area)
            })?,
            active: m.active,
        })
    }
}

/// The user as the one acting on a request.
impl TryFrom<&user::Model> for Actor {
    type Error = AppError;

    fn try_from(m: &user::Model) -> Result<Self, AppError> {
        Ok(Actor {
            id: UserId(m.id),
            email: m.email.clone(),
            name: m.name.clone(),
            role: role_of(m)?,
        })
    }
}

/// The user as others see them named.
impl From<user::Model> for Person {
    fn from(m: user::Model) -> Self {
        Person {
            id: UserId(m.id),
            name: m.name,
        }
    }
}

impl From<&api_token::Model> for ApiTokenInfo {
    fn from(m: &api_token::Model) -> Self {
        ApiTokenInfo {
            id: m.id,
            user_id: UserId(m.user_id),
            label: m.label.clone(),
            created_at: m.created_at,
            last_used_at: m.last_used_at,
            revoked_at: m.revoked_at,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    fn user(role: &str, area: &str) -> user::Model {
        user::Model {
            id: 4,
            email: "a@example.com".into(),
            name: "A".into(),
            role: role.into(),
            functional_area: area.into(),
            active: true,
            password_hash: String::new(),
            created_at: Utc::now(),
            updated_at: Utc::now(),
        }
    }

    #[test]
    fn a_stored_role_or_area_that_does_not_parse_is_an_internal_error() {
        let ok = user("member", "engineering");
        assert_eq!(User::try_from(&ok).map(|u| u.role), Ok(Role::Member));
        assert_eq!(Actor::try_from(&ok).map(|a| a.role), Ok(Role::Member));
        let bad_role = user("overlord", "engineering");
        assert_eq!(User::try_from(&bad_role), Err(AppError::Internal));
        assert_eq!(Actor::try_from(&bad_role).err(), Some(AppError::Internal));
        assert_eq!(
            User::try_from(&user("member", "astrology")),
            Err(AppError::Internal)
        );
    }
}
