//! Server functions for the runbook page.
// Server functions take one argument per form field, as the browser posts them.
#![allow(clippy::too_many_arguments)]

use super::model::Runbook;
use crate::error::AppError;
use leptos::prelude::*;

/// The current runbook. Anyone signed in.
#[server(endpoint = "runbook/get_runbook")]
pub async fn get_runbook() -> Result<Runbook, AppError> {
    let (state, _actor) = crate::state::request()?;
    super::service::current(&state.db.conn).await
}

/// Saves one tier's policy as a new runbook version. Facilitators and admins.
#[server(endpoint = "runbook/save_tier")]
pub async fn save_tier(
    version: i64,
    tier: i64,
    red_flags: String,
    acknowledge_minutes: String,
    update_minutes: String,
    decide_minutes: String,
    notify_executives: Option<String>,
) -> Result<Runbook, AppError> {
    let (state, actor) = crate::state::request()?;
    let mut book = super::service::current(&state.db.conn).await?;
    book.version = version;
    let tier = crate::escalation::Tier::new(tier)
        .ok_or_else(|| AppError::invalid_field("tier", "must be 1–4"))?;
    let mut check = crate::validate::Checker::default();
    let parse = |check: &mut crate::validate::Checker, field: &str, raw: &str| {
        check.parse_int(field, raw).unwrap_or(0)
    };
    let acknowledge = parse(&mut check, "acknowledge_minutes", &acknowledge_minutes);
    let update = parse(&mut check, "update_minutes", &update_minutes);
    let decide = parse(&mut check, "decide_minutes", &decide_minutes);
    check.finish(()).map_err(AppError::invalid)?;
    if let Some(policy) = book.tiers.iter_mut().find(|p| p.tier == tier) {
        policy.red_flags = red_flags;
        policy.acknowledge_minutes = acknowledge;
        policy.update_minutes = update;
        policy.decide_minutes = decide;
        policy.notify_executives = notify_executives.as_deref() == Some("true");
    }
    super::service::save(&state.db, &actor, &book)
        .await
        .map_err(|err| match err {
            // Name the fields of the form, not their place in the document.
            AppError::Validation { fields, .. } => AppError::invalid(
                fields
                    .into_iter()
                    .map(|(k, v)| (k.rsplit('.').next().unwrap_or(&k).to_string(), v))
                    .collect(),
            ),
            other => other,
        })
}
