//! Stored webhooks and deliveries as the API shows them.

use crate::entity::{webhook as row, webhook_delivery};
use crate::error::AppError;
use crate::launch::LaunchId;
use crate::webhook::model::{Delivery, Webhook, WebhookFormat};

impl TryFrom<&row::Model> for Webhook {
    type Error = AppError;

    fn try_from(m: &row::Model) -> Result<Self, AppError> {
        Ok(Webhook {
            id: m.id,
            url: m.url.clone(),
            events: serde_json::from_str(&m.events)
                .map_err(|_| AppError::corrupt("webhook", m.id, "events", &m.events))?,
            launch_id: m.launch_id.map(LaunchId),
            format: WebhookFormat::parse(&m.format)
                .ok_or_else(|| AppError::corrupt("webhook", m.id, "format", &m.format))?,
            created_at: m.created_at,
            failing_since: m.failing_since,
            next_attempt_at: m.next_attempt_at,
        })
    }
}

impl From<webhook_delivery::Model> for Delivery {
    fn from(m: webhook_delivery::Model) -> Self {
        Delivery {
            id: m.id,
            event_id: m.event_id,
            attempt: m.attempt,
            at: m.at,
            status_code: m.status_code,
            error: m.error,
            duration_ms: m.duration_ms,
            outcome: m.outcome,
        }
    }
}
