//! Server functions of `/admin/webhooks` (admins).

use super::model::{CreatedWebhook, Delivery, Webhook};
use crate::error::AppError;
use leptos::prelude::*;

/// Every webhook.
#[server(endpoint = "webhook/list_webhooks")]
pub async fn list_webhooks() -> Result<Vec<Webhook>, AppError> {
    let (state, actor) = crate::state::request()?;
    super::service::list(&state.db, &actor).await
}

/// Adds a webhook; the answer carries its secret, shown once. `events` is a comma- or
/// space-separated list of kinds (empty: every event).
#[server(endpoint = "webhook/add_webhook")]
pub async fn add_webhook(
    url: String,
    events: String,
    format: String,
    launch_id: Option<String>,
) -> Result<CreatedWebhook, AppError> {
    let (state, actor) = crate::state::request()?;
    let kinds: Vec<String> = events
        .split([',', ' ', '\n'])
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .map(str::to_string)
        .collect();
    let launch_id = match launch_id.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(raw) => Some(
            raw.parse::<i64>()
                .map_err(|_| AppError::invalid_field("launch_id", "must be a launch"))?,
        ),
    };
    let req = super::model::WebhookRequest {
        url: Some(url),
        events: (!kinds.is_empty()).then_some(kinds),
        launch_id,
        format: Some(format),
    };
    super::service::create(&state.db, &actor, &state.outbound, &req).await
}

/// Removes a webhook and its delivery log.
#[server(endpoint = "webhook/remove_webhook")]
pub async fn remove_webhook(id: i64) -> Result<(), AppError> {
    let (state, actor) = crate::state::request()?;
    super::service::delete(&state.db, &actor, id).await
}

/// Sends a test message now.
#[server(endpoint = "webhook/send_test_webhook")]
pub async fn send_test_webhook(id: i64) -> Result<Delivery, AppError> {
    let (state, actor) = crate::state::request()?;
    super::service::send_test(&state.db, &actor, &state.outbound, id).await
}

/// A webhook's newest deliveries.
#[server(endpoint = "webhook/webhook_log")]
pub async fn webhook_log(id: i64) -> Result<Vec<Delivery>, AppError> {
    let (state, actor) = crate::state::request()?;
    super::service::deliveries(&state.db, &actor, id).await
}
