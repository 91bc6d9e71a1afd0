//! Server functions for the criteria page: thin wrappers over `service` and `feed`.
// Server functions take one argument per form field, as the browser posts them.
#![allow(clippy::too_many_arguments)]

use super::model::{CriteriaView, Criterion, CriterionId, Recorded, SinceYesterday};
use crate::error::AppError;
use crate::launch::LaunchId;
use leptos::prelude::*;

/// A number typed into a form field; blank is none, anything else unreadable is this
/// field's error.
#[cfg(feature = "ssr")]
fn number(field: &str, raw: Option<String>) -> Result<Option<f64>, AppError> {
    match raw.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => v
            .parse::<f64>()
            .ok()
            .filter(|n| n.is_finite())
            .map(Some)
            .ok_or_else(|| AppError::invalid_field(field, "must be a number such as 800 or 4.2")),
    }
}

/// The criteria page. Anyone signed in.
#[server(endpoint = "measure/load_criteria")]
pub async fn load_criteria(launch: LaunchId) -> Result<CriteriaView, AppError> {
    let (state, actor) = crate::state::request()?;
    super::series::view(&state.db.conn, &actor, launch, chrono::Utc::now()).await
}

/// Adds a criterion from the form. Facilitators and admins.
#[server(endpoint = "measure/add_criterion")]
pub async fn add_criterion(
    launch: LaunchId,
    name: Option<String>,
    kind: Option<String>,
    metric: Option<String>,
    comparator: Option<String>,
    threshold: Option<String>,
    unit: Option<String>,
    window_minutes: Option<String>,
    breach_tier: Option<String>,
    auto_escalate: Option<String>,
) -> Result<Criterion, AppError> {
    let (state, actor) = crate::state::request()?;
    let window = number("window_minutes", window_minutes)?;
    let draft = super::model::CriterionDraft {
        name,
        kind,
        metric,
        comparator,
        threshold: number("threshold", threshold)?,
        unit: Some(unit.filter(|u| !u.trim().is_empty())),
        window_minutes: Some(window.map(|w| w as i64)),
        breach_tier: number("breach_tier", breach_tier)?.map(|t| t as i64),
        breach_trigger: None,
        auto_escalate: Some(auto_escalate.is_some()),
        version: None,
    };
    super::service::create(&state.db, &actor, launch, &draft).await
}

/// Adopts one of the starter criteria as offered. Facilitators and admins.
#[server(endpoint = "measure/adopt_starter")]
pub async fn adopt_starter(launch: LaunchId, index: usize) -> Result<Criterion, AppError> {
    let (state, actor) = crate::state::request()?;
    let draft = super::model::starter_set()
        .into_iter()
        .nth(index)
        .ok_or_else(|| AppError::not_found("There is no such starter criterion."))?;
    super::service::create(&state.db, &actor, launch, &draft).await
}

/// Retires a criterion. Facilitators and admins.
#[server(endpoint = "measure/retire_criterion")]
pub async fn retire_criterion(id: CriterionId) -> Result<(), AppError> {
    let (state, actor) = crate::state::request()?;
    super::service::retire(&state.db, &actor, id).await
}

/// Records one value typed in by a person. Members and above.
#[server(endpoint = "measure/record_value")]
pub async fn record_value(
    launch: LaunchId,
    metric: Option<String>,
    value: Option<String>,
) -> Result<Recorded, AppError> {
    let (state, actor) = crate::state::request()?;
    let sample = super::model::SampleDraft {
        metric,
        value: number("samples[0].value", value)?,
        at: None,
    };
    let body = super::model::SamplesDraft {
        samples: Some(vec![sample]),
    };
    super::feed::record(&state.db, &actor, launch, &body, chrono::Utc::now()).await
}

/// The daily review of a launch's criteria. Anyone signed in.
#[server(endpoint = "measure/load_daily_review")]
pub async fn load_daily_review(launch: LaunchId) -> Result<SinceYesterday, AppError> {
    let (state, actor) = crate::state::request()?;
    super::series::since_yesterday(&state.db.conn, &actor, launch, chrono::Utc::now()).await
}
