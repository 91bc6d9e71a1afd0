//! Server functions for the runbook pages: reading and saving a runbook (the default one or
//! a pilot launch's own), its history, and two versions side by side.
// Server functions take one argument per form field, as the browser posts them.
#![allow(clippy::too_many_arguments)]

use super::model::{Comparison, Runbook, VersionEntry};
use crate::error::AppError;
use crate::launch::LaunchId;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The runbook page: the runbook shown (a launch's, or the default), and the launches whose
/// runbook a facilitator may pick instead.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunbookView {
    pub book: Runbook,
    /// The launch asked for (none: the default runbook).
    pub launch: Option<LaunchId>,
    /// Every launch, by name, and whether it runs on its own runbook.
    pub launches: Vec<(LaunchId, String, bool)>,
}

/// The runbook a launch runs on, or (no launch) the default one. Anyone signed in.
#[server(endpoint = "runbook/get_runbook")]
pub async fn get_runbook(
    #[server(default)] launch: Option<LaunchId>,
) -> Result<RunbookView, AppError> {
    let (state, actor) = crate::state::request()?;
    let db = &state.db.conn;
    let mut launches = Vec::new();
    for l in crate::launch::service::list(db, &actor).await? {
        let own = super::service::for_launch(db, l.id)
            .await?
            .launch_id
            .is_some();
        launches.push((l.id, l.name, own));
    }
    let book = match launch {
        Some(id) => {
            crate::launch::service::get(db, &actor, id).await?;
            super::service::for_launch(db, id).await?
        }
        None => super::service::current(db).await?,
    };
    Ok(RunbookView {
        book,
        launch,
        launches,
    })
}

/// Saves one tier's policy and steps (one per line) as a new version of the default runbook
/// or, with `launch`, of that launch's own. Facilitators and admins.
#[server(endpoint = "runbook/save_tier")]
pub async fn save_tier(
    version: i64,
    tier: i64,
    red_flags: String,
    acknowledge_minutes: String,
    update_minutes: String,
    decide_minutes: String,
    notify_executives: Option<String>,
    #[server(default)] steps: String,
    #[server(default)] reason: String,
    #[server(default)] launch: Option<LaunchId>,
) -> Result<Runbook, AppError> {
    let (state, actor) = crate::state::request()?;
    actor.require(crate::auth::model::Permission::Facilitate)?;
    let db = &state.db.conn;
    let mut book = match launch {
        Some(id) => super::service::for_launch(db, id).await?,
        None => super::service::current(db).await?,
    };
    book.version = version;
    book.launch_id = launch;
    let tier = crate::escalation::Tier::new(tier)
        .ok_or_else(|| AppError::invalid_field("tier", "must be 1–4"))?;
    let mut check = crate::validate::Checker::default();
    let parse = |check: &mut crate::validate::Checker, field: &str, raw: &str| {
        check.parse_int(field, raw).unwrap_or(0)
    };
    let acknowledge = parse(&mut check, "acknowledge_minutes", &acknowledge_minutes);
    let update = parse(&mut check, "update_minutes", &update_minutes);
    let decide = parse(&mut check, "decide_minutes", &decide_minutes);
    // The form asks why; the API leaves it to the integration.
    book.reason = check.required_text("reason", Some(&reason));
    check.finish(()).map_err(AppError::invalid)?;
    if let Some(policy) = book.tiers.iter_mut().find(|p| p.tier == tier) {
        policy.red_flags = red_flags;
        policy.acknowledge_minutes = acknowledge;
        policy.update_minutes = update;
        policy.decide_minutes = decide;
        policy.notify_executives = notify_executives.as_deref() == Some("true");
        policy.steps = steps
            .lines()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect();
    }
    super::service::save(&state.db, &actor, &book)
        .await
        .map_err(|err| match err {
            // Name the fields of the form, not their place in the document.
            AppError::Validation { fields, .. } => AppError::invalid(
                fields
                    .into_iter()
                    .map(|(k, v)| (form_field(&k), v))
                    .collect(),
            ),
            other => other,
        })
}

/// `tiers[1].update_minutes` → `update_minutes`; `tiers[1].steps[3]` → `steps`.
#[cfg(feature = "ssr")]
fn form_field(key: &str) -> String {
    let last = key.rsplit('.').next().unwrap_or(key);
    last.split('[').next().unwrap_or(last).to_string()
}

/// The history page: every version, and two of them side by side.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionsView {
    pub entries: Vec<VersionEntry>,
    pub comparison: Comparison,
}

/// Every runbook version, newest first, and versions `a` and `b` compared (by default the
/// newest against the one before it). Anyone signed in.
#[server(endpoint = "runbook/load_versions")]
pub async fn load_versions(
    #[server(default)] a: Option<i64>,
    #[server(default)] b: Option<i64>,
) -> Result<VersionsView, AppError> {
    let (state, _actor) = crate::state::request()?;
    let db = &state.db.conn;
    let entries = super::service::history(db).await?;
    let newest = entries.first().map_or(1, |e| e.version);
    let before_newest = entries.get(1).map_or(newest, |e| e.version);
    let before = super::service::version(db, a.unwrap_or(before_newest)).await?;
    let after = super::service::version(db, b.unwrap_or(newest)).await?;
    Ok(VersionsView {
        comparison: Comparison {
            lines: super::model::compare(&before, &after),
            before: VersionEntry::from(&before),
            after: VersionEntry::from(&after),
        },
        entries,
    })
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    #[test]
    fn errors_name_the_forms_fields() {
        assert_eq!(
            super::form_field("tiers[1].update_minutes"),
            "update_minutes"
        );
        assert_eq!(super::form_field("tiers[0].steps[3]"), "steps");
        assert_eq!(super::form_field("reason"), "reason");
    }
}
