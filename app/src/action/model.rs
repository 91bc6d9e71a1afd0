//! Action item wire types and validation.

use crate::auth::model::Person;
use crate::error::FieldErrors;
use crate::escalation::EscalationId;
use crate::validate::Checker;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    Mitigation,
    RootCause,
    Remediation,
}

impl ActionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Mitigation => "mitigation",
            Self::RootCause => "root_cause",
            Self::Remediation => "remediation",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Mitigation => "Mitigation",
            Self::RootCause => "Root-cause follow-up",
            Self::Remediation => "Remediation",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        [Self::Mitigation, Self::RootCause, Self::Remediation]
            .into_iter()
            .find(|k| k.as_str() == value)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ActionItem {
    pub id: i64,
    pub escalation_id: Option<EscalationId>,
    /// The escalation's title, for lists that mix escalations.
    pub escalation_title: Option<String>,
    pub kind: ActionKind,
    pub title: String,
    pub owner: Person,
    pub due_at: DateTime<Utc>,
    pub done: bool,
    pub done_at: Option<DateTime<Utc>>,
    pub version: i64,
}

impl ActionItem {
    pub fn is_overdue(&self, now: DateTime<Utc>) -> bool {
        !self.done && self.due_at < now
    }
}

/// Overdue items first, then by due time.
pub fn sort_for_work(items: &mut [ActionItem], now: DateTime<Utc>) {
    items.sort_by_key(|i| (i.done, !i.is_overdue(now), i.due_at, i.id));
}

/// `POST /api/v1/escalations/{id}/actions`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ActionDraft {
    pub title: Option<String>,
    pub owner_id: Option<i64>,
    /// When it is due: an RFC 3339 instant, or a `YYYY-MM-DD` date meaning the end of that
    /// day in UTC; not in the past.
    pub due: Option<String>,
    /// `mitigation` (default), `root_cause` or `remediation`.
    pub kind: Option<String>,
}

#[derive(Debug)]
pub struct ValidAction {
    pub title: String,
    pub owner_id: i64,
    pub due_at: DateTime<Utc>,
    pub kind: ActionKind,
}

impl ActionDraft {
    pub fn validate(&self, now: DateTime<Utc>) -> Result<ValidAction, FieldErrors> {
        let mut check = Checker::default();
        let title = check.name("title", self.title.as_deref());
        let owner_id = self.owner_id.unwrap_or_else(|| {
            check.fail("owner_id", "is required");
            0
        });
        let due_at = match check.due("due", self.due.as_deref(), now) {
            Some(due) => due,
            None => {
                check.fail("due", "is required");
                now
            }
        };
        let kind = match self.kind.as_deref().map(str::trim) {
            None | Some("") => ActionKind::Mitigation,
            Some(k) => ActionKind::parse(k).unwrap_or_else(|| {
                check.fail("kind", "must be mitigation, root_cause or remediation");
                ActionKind::Mitigation
            }),
        };
        check.finish(ValidAction {
            title,
            owner_id,
            due_at,
            kind,
        })
    }
}

/// `PATCH /api/v1/actions/{id}`: mark done or not done.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ActionPatch {
    pub version: Option<i64>,
    pub done: Option<bool>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::model::UserId;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn drafts_need_a_title_an_owner_and_a_future_due_time() {
        let now = at("2026-11-26T12:00:00Z");
        let errors = ActionDraft {
            due: Some("2026-11-25T12:00:00Z".into()),
            ..Default::default()
        }
        .validate(now)
        .unwrap_err();
        assert_eq!(
            errors.keys().map(String::as_str).collect::<Vec<_>>(),
            ["due", "owner_id", "title"]
        );
        let ok = ActionDraft {
            title: Some("Fix the cert rotation".into()),
            owner_id: Some(3),
            due: Some("2026-11-27T12:00:00Z".into()),
            kind: Some("root_cause".into()),
        }
        .validate(now)
        .unwrap();
        assert_eq!(ok.kind, ActionKind::RootCause);
    }

    #[test]
    fn overdue_items_come_first() {
        let now = at("2026-11-26T12:00:00Z");
        let item = |id, due: &str, done| ActionItem {
            id,
            escalation_id: None,
            escalation_title: None,
            kind: ActionKind::Mitigation,
            title: format!("Item {id}"),
            owner: Person {
                id: UserId(1),
                name: "A".into(),
            },
            due_at: at(due),
            done,
            done_at: None,
            version: 1,
        };
        let mut items = vec![
            item(1, "2026-11-28T00:00:00Z", false),
            item(2, "2026-11-25T00:00:00Z", true),
            item(3, "2026-11-26T11:00:00Z", false),
            item(4, "2026-11-20T00:00:00Z", false),
        ];
        sort_for_work(&mut items, now);
        assert_eq!(items.iter().map(|i| i.id).collect::<Vec<_>>(), [4, 3, 1, 2]);
    }
}
