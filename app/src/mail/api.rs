//! Server functions of `/settings/notifications`.

use super::model::EmailSettings;
use crate::error::AppError;
use leptos::prelude::*;

/// The caller's email settings.
#[server(endpoint = "mail/load_email_settings")]
pub async fn load_email_settings() -> Result<EmailSettings, AppError> {
    let (state, actor) = crate::state::request()?;
    super::service::settings(&state.db, &actor, state.mail_sending).await
}

/// Saves the caller's choices: a box left unticked is sent as nothing, so each is a choice.
#[server(endpoint = "mail/save_email_choices")]
pub async fn save_email_choices(
    asked_of_me: Option<String>,
    stalls: Option<String>,
    major_escalations: Option<String>,
    breaches: Option<String>,
    daily_digest: Option<String>,
) -> Result<EmailSettings, AppError> {
    let (state, actor) = crate::state::request()?;
    let ticked = |value: Option<String>| Some(value.as_deref() == Some("true"));
    let change = super::model::EmailChoicesRequest {
        asked_of_me: ticked(asked_of_me),
        stalls: ticked(stalls),
        major_escalations: ticked(major_escalations),
        breaches: ticked(breaches),
        daily_digest: ticked(daily_digest),
    };
    super::service::save(&state.db, &actor, state.mail_sending, &change).await
}
