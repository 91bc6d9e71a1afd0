//! Users, roles and the one permission check every service applies to its acting user.

use crate::error::{AppError, FieldErrors};
use crate::validate::Checker;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct UserId(pub i64);

impl std::fmt::Display for UserId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// What a user may do, from least to most.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Viewer,
    Executive,
    Member,
    Facilitator,
    Admin,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Self::Viewer,
        Self::Executive,
        Self::Member,
        Self::Facilitator,
        Self::Admin,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Viewer => "viewer",
            Self::Executive => "executive",
            Self::Member => "member",
            Self::Facilitator => "facilitator",
            Self::Admin => "admin",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Viewer => "Viewer",
            Self::Executive => "Executive",
            Self::Member => "Member",
            Self::Facilitator => "Facilitator",
            Self::Admin => "Admin",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == value)
    }

    /// The permission table of DESIGN.md, in one place.
    pub fn allows(self, permission: Permission) -> bool {
        use Permission::*;
        match permission {
            Read => true,
            RecordDecision => self != Role::Viewer,
            WorkEscalations => matches!(self, Role::Member | Role::Facilitator | Role::Admin),
            Facilitate | ViewAudit => matches!(self, Role::Facilitator | Role::Admin),
            Administer => self == Role::Admin,
        }
    }
}

/// The kinds of thing a role may be allowed to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Permission {
    /// See launches, boards, escalations, decisions, RACI and post-mortems.
    Read,
    /// Record a decision (executives; members only with authority for the launch).
    RecordDecision,
    /// Raise, move, update and work escalations; write post-mortems.
    WorkEscalations,
    /// Launches, runbook, RACI, rotations and governance reviews.
    Facilitate,
    /// Read the audit log.
    ViewAudit,
    /// Users and API tokens.
    Administer,
}

impl Permission {
    fn describe(self) -> &'static str {
        match self {
            Self::Read => "read this",
            Self::RecordDecision => "record decisions",
            Self::WorkEscalations => "raise or change escalations",
            Self::Facilitate => "manage launches, the runbook, RACI and rotations",
            Self::ViewAudit => "read the audit log",
            Self::Administer => "manage users and tokens",
        }
    }
}

/// The functional area a person works in; the escalation team's roles come from these.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FunctionalArea {
    Product,
    Engineering,
    Marketing,
    Sales,
    Support,
    CustomerSuccess,
    Leadership,
    Operations,
}

impl FunctionalArea {
    pub const ALL: [FunctionalArea; 8] = [
        Self::Product,
        Self::Engineering,
        Self::Marketing,
        Self::Sales,
        Self::Support,
        Self::CustomerSuccess,
        Self::Leadership,
        Self::Operations,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Product => "product",
            Self::Engineering => "engineering",
            Self::Marketing => "marketing",
            Self::Sales => "sales",
            Self::Support => "support",
            Self::CustomerSuccess => "customer_success",
            Self::Leadership => "leadership",
            Self::Operations => "operations",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Product => "Product",
            Self::Engineering => "Engineering",
            Self::Marketing => "Marketing",
            Self::Sales => "Sales",
            Self::Support => "Support",
            Self::CustomerSuccess => "Customer success",
            Self::Leadership => "Leadership",
            Self::Operations => "Operations",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == value)
    }
}

/// The signed-in caller on whose behalf a service acts (`GET /api/v1/me`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Actor {
    pub id: UserId,
    pub email: String,
    pub name: String,
    pub role: Role,
}

impl Actor {
    pub fn can(&self, permission: Permission) -> bool {
        self.role.allows(permission)
    }

    /// The shared check: every service calls this before it reads or changes anything.
    pub fn require(&self, permission: Permission) -> Result<(), AppError> {
        if self.can(permission) {
            Ok(())
        } else {
            Err(AppError::forbidden(format!(
                "A {} may not {}.",
                self.role.label().to_lowercase(),
                permission.describe()
            )))
        }
    }
}

/// A user as the admin page and pickers see it (never the password hash).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct User {
    pub id: UserId,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub functional_area: FunctionalArea,
    pub active: bool,
}

/// A person named on a launch or escalation, with what a card shows of them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Person {
    pub id: UserId,
    pub name: String,
}

/// A user to create (CLI `flare user add`, admin page).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct UserDraft {
    pub email: Option<String>,
    pub name: Option<String>,
    pub role: Option<String>,
    pub functional_area: Option<String>,
    pub password: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ValidUser {
    pub email: String,
    pub name: String,
    pub role: Role,
    pub functional_area: FunctionalArea,
    pub password: String,
}

/// Passwords: at least 10 characters (NIST SP 800-63B asks for 8; launches are worth more).
pub const MIN_PASSWORD: usize = 10;

pub fn check_password(check: &mut Checker, field: &str, password: Option<&str>) -> String {
    let password = password.unwrap_or_default();
    let length = password.chars().count();
    if length < MIN_PASSWORD {
        check.fail(field, format!("must be at least {MIN_PASSWORD} characters"));
    } else if length > 1_000 {
        check.fail(field, "must be at most 1,000 characters");
    }
    password.to_string()
}

/// Emails are compared lower-cased; this is a sanity check, not RFC 5322.
pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

impl UserDraft {
    pub fn validate(&self) -> Result<ValidUser, FieldErrors> {
        let mut check = Checker::default();
        let email = normalize_email(self.email.as_deref().unwrap_or_default());
        let looks_like_email = email
            .split_once('@')
            .is_some_and(|(user, host)| !user.is_empty() && host.contains('.'));
        if !check.line("email", &email)
            || !looks_like_email
            || email.len() > 254
            || email.contains(char::is_whitespace)
        {
            check.fail("email", "must be an email address such as ada@example.com");
        }
        let name = check.name("name", self.name.as_deref());
        let role =
            Role::parse(self.role.as_deref().unwrap_or_default().trim()).unwrap_or_else(|| {
                check.fail(
                    "role",
                    "must be viewer, executive, member, facilitator or admin",
                );
                Role::Viewer
            });
        let functional_area = match self.functional_area.as_deref().map(str::trim) {
            None | Some("") => FunctionalArea::Operations,
            Some(a) => FunctionalArea::parse(a).unwrap_or_else(|| {
                check.fail("functional_area", "is not a known functional area");
                FunctionalArea::Operations
            }),
        };
        let password = check_password(&mut check, "password", self.password.as_deref());
        check.finish(ValidUser {
            email,
            name,
            role,
            functional_area,
            password,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_permission_table_matches_the_design() {
        use Permission::*;
        let table = [
            // role, read, decide, work, facilitate, audit, administer
            (Role::Viewer, [true, false, false, false, false, false]),
            (Role::Executive, [true, true, false, false, false, false]),
            (Role::Member, [true, true, true, false, false, false]),
            (Role::Facilitator, [true, true, true, true, true, false]),
            (Role::Admin, [true, true, true, true, true, true]),
        ];
        for (role, expected) in table {
            let got = [
                Read,
                RecordDecision,
                WorkEscalations,
                Facilitate,
                ViewAudit,
                Administer,
            ]
            .map(|p| role.allows(p));
            assert_eq!(got, expected, "{role:?}");
        }
    }

    #[test]
    fn refusals_say_what_was_refused() {
        let viewer = Actor {
            id: UserId(1),
            email: "v@example.com".into(),
            name: "V".into(),
            role: Role::Viewer,
        };
        let err = viewer.require(Permission::WorkEscalations).unwrap_err();
        assert_eq!(
            err,
            AppError::forbidden("A viewer may not raise or change escalations.")
        );
    }

    #[test]
    fn user_drafts_are_validated() {
        let ok = UserDraft {
            email: Some(" Ada@Example.COM ".into()),
            name: Some("Ada".into()),
            role: Some("member".into()),
            functional_area: Some("engineering".into()),
            password: Some("correct horse".into()),
        }
        .validate()
        .unwrap();
        assert_eq!(ok.email, "ada@example.com");
        let errors = UserDraft {
            email: Some("not-an-email".into()),
            name: None,
            role: Some("owner".into()),
            functional_area: Some("finance".into()),
            password: Some("short".into()),
        }
        .validate()
        .unwrap_err();
        assert_eq!(errors.len(), 5);
    }
}
