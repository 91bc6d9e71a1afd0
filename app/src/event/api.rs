//! Server functions for the audit page.

use super::model::{Event, EventFilter};
use crate::error::AppError;
use leptos::prelude::*;

/// How many events an audit page shows.
pub const AUDIT_PAGE: u64 = 100;

/// One page of the audit log, newest first. Facilitators and admins.
#[server(endpoint = "event/audit_events")]
pub async fn audit_events(filter: EventFilter) -> Result<Vec<Event>, AppError> {
    let (state, actor) = crate::state::request()?;
    super::service::audit_page(&state.db.conn, &actor, &filter, AUDIT_PAGE).await
}
