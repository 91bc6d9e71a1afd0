//! A stored notification as the client sees it; a kind that does not parse is an internal
//! error naming the notification, never a silent default.

use crate::entity::notification as row;
use crate::error::AppError;
use crate::escalation::EscalationId;
use crate::notification::model::{Notification, NotificationKind};

impl TryFrom<row::Model> for Notification {
    type Error = AppError;

    fn try_from(m: row::Model) -> Result<Self, AppError> {
        let kind = NotificationKind::parse(&m.kind)
            .ok_or_else(|| AppError::corrupt("notification", m.id, "kind", &m.kind))?;
        Ok(Notification {
            id: m.id,
            kind,
            escalation_id: m.escalation_id.map(EscalationId),
            text: m.text,
            created_at: m.created_at,
            read: m.read_at.is_some(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    fn notification(kind: &str) -> row::Model {
        row::Model {
            id: 9,
            user_id: 1,
            kind: kind.into(),
            escalation_id: Some(5),
            text: "Hello".into(),
            created_at: Utc::now(),
            read_at: None,
        }
    }

    #[test]
    fn an_unknown_stored_kind_is_an_internal_error() {
        let kind = NotificationKind::MeetingCalled;
        assert_eq!(
            Notification::try_from(notification(kind.as_str())).map(|n| n.kind),
            Ok(kind)
        );
        assert_eq!(
            Notification::try_from(notification("carrier_pigeon")),
            Err(AppError::Internal)
        );
    }
}
