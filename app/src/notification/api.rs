//! Server functions for notifications.

use super::model::Notification;
use crate::error::AppError;
use leptos::prelude::*;

/// The caller's notifications, newest first. Anyone signed in.
#[server(endpoint = "notification/my_notifications")]
pub async fn my_notifications() -> Result<Vec<Notification>, AppError> {
    let (state, actor) = crate::state::request()?;
    super::service::list(&state.db.conn, &actor).await
}

/// How many of the caller's notifications are unread. Anyone signed in.
#[server(endpoint = "notification/unread_count")]
pub async fn unread_count() -> Result<u64, AppError> {
    let (state, actor) = crate::state::request()?;
    super::service::unread(&state.db.conn, &actor).await
}

/// Marks every notification of the caller read. Anyone signed in.
#[server(endpoint = "notification/mark_read")]
pub async fn mark_read() -> Result<(), AppError> {
    let (state, actor) = crate::state::request()?;
    super::service::mark_all_read(&state.db, &actor).await
}
