//! Server functions for the review pages: the list and opening a quarter, one review, its
//! participants and findings, proposing and adopting runbook changes, and sign-off.
// Server functions take one argument per form field, as the browser posts them.
#![allow(clippy::too_many_arguments)]

use super::model::{Adjustment, Participant, Review};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One line of the reviews list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewLine {
    pub id: i64,
    pub period: String,
    pub signed_off: Option<String>,
}

/// The `/reviews` page: every review, and the quarters a facilitator may open.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewsView {
    pub reviews: Vec<ReviewLine>,
    /// The current quarter and the three before it, latest first.
    pub quarters: Vec<String>,
}

/// Every review, latest first. Anyone signed in.
#[server(endpoint = "review/load_reviews")]
pub async fn load_reviews() -> Result<ReviewsView, AppError> {
    let (state, actor) = crate::state::request()?;
    let now = chrono::Utc::now();
    let reviews = super::service::summaries(&state.db.conn, &actor).await?;
    let mut quarter = super::Period::of(now);
    let mut quarters = Vec::new();
    for _ in 0..4 {
        quarters.push(quarter.to_string());
        quarter = quarter.previous();
    }
    Ok(ReviewsView {
        reviews: reviews
            .into_iter()
            .map(|(id, period, signed_off)| ReviewLine {
                id,
                period,
                signed_off,
            })
            .collect(),
        quarters,
    })
}

/// Opens the review of a quarter. Facilitators.
#[server(endpoint = "review/open_review")]
pub async fn open_review(period: String) -> Result<Review, AppError> {
    let (state, actor) = crate::state::request()?;
    super::service::open(&state.db, &actor, &period, chrono::Utc::now()).await
}

/// The review page: the review, and who may take part.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReviewView {
    pub review: Review,
    /// Everyone active, with the area they speak for.
    pub people: Vec<Participant>,
    /// The cadences of running launches a change may be proposed to: `(id, what and when)`.
    pub cadences: Vec<(i64, String)>,
}

/// One review. Anyone signed in.
#[server(endpoint = "review/load_review")]
pub async fn load_review(id: i64) -> Result<ReviewView, AppError> {
    let (state, actor) = crate::state::request()?;
    let db = &state.db.conn;
    let review = super::service::get(db, &actor, id, chrono::Utc::now()).await?;
    let people = crate::auth::service::list_users(db, &actor)
        .await?
        .into_iter()
        .filter(|u| u.active)
        .map(|u| Participant {
            id: u.id.0,
            name: u.name,
            functional_area: u.functional_area,
        })
        .collect();
    let cadences = crate::meeting::service::change::choices(db).await?;
    Ok(ReviewView {
        review,
        people,
        cadences,
    })
}

/// Adds (`taking_part`) or removes a participant. Facilitators, while open.
#[server(endpoint = "review/set_participant")]
pub async fn set_participant(id: i64, user_id: i64, taking_part: bool) -> Result<Review, AppError> {
    let (state, actor) = crate::state::request()?;
    actor.require(crate::auth::model::Permission::Facilitate)?;
    let now = chrono::Utc::now();
    let review = super::service::get(&state.db.conn, &actor, id, now).await?;
    let mut ids: Vec<i64> = review
        .participants
        .iter()
        .map(|p| p.id)
        .filter(|p| *p != user_id)
        .collect();
    if taking_part {
        ids.push(user_id);
    }
    let change = super::service::ReviewChange {
        participants: Some(ids),
        findings: None,
        version: Some(review.version),
    };
    super::service::patch(&state.db, &actor, id, &change, now).await
}

/// Saves the findings. Facilitators, while open; `version` must be current.
#[server(endpoint = "review/save_findings")]
pub async fn save_findings(id: i64, version: i64, findings: String) -> Result<Review, AppError> {
    let (state, actor) = crate::state::request()?;
    let change = super::service::ReviewChange {
        participants: None,
        findings: Some(findings),
        version: Some(version),
    };
    super::service::patch(&state.db, &actor, id, &change, chrono::Utc::now()).await
}

/// Proposes a change to one tier of the runbook; an empty field leaves that part as it is.
/// Facilitators, while open.
#[server(endpoint = "review/propose_runbook_change")]
pub async fn propose_runbook_change(
    id: i64,
    tier: i64,
    #[server(default)] acknowledge_minutes: String,
    #[server(default)] update_minutes: String,
    #[server(default)] decide_minutes: String,
    #[server(default)] notify_executives: String,
    #[server(default)] steps: String,
    reason: String,
) -> Result<Adjustment, AppError> {
    let (state, actor) = crate::state::request()?;
    actor.require(crate::auth::model::Permission::Facilitate)?;
    let mut check = crate::validate::Checker::default();
    let mut minutes = |field: &str, raw: &str| -> Option<i64> {
        let raw = raw.trim();
        (!raw.is_empty())
            .then(|| check.parse_int(&format!("change.{field}"), raw))
            .flatten()
    };
    let change = super::model::RunbookChange {
        tier,
        acknowledge_minutes: minutes("acknowledge_minutes", &acknowledge_minutes),
        update_minutes: minutes("update_minutes", &update_minutes),
        decide_minutes: minutes("decide_minutes", &decide_minutes),
        notify_executives: match notify_executives.as_str() {
            "yes" => Some(true),
            "no" => Some(false),
            _ => None,
        },
        steps: (!steps.trim().is_empty()).then(|| {
            steps
                .lines()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect()
        }),
    };
    check.finish(()).map_err(AppError::invalid)?;
    let change = serde_json::to_value(change).map_err(AppError::internal)?;
    super::service::propose(
        &state.db,
        &actor,
        id,
        "runbook",
        &change,
        &reason,
        chrono::Utc::now(),
    )
    .await
}

/// Proposes a change to when a cadence meets. Facilitators, while open; an empty field keeps
/// what the cadence has.
#[server(endpoint = "review/propose_cadence_change")]
pub async fn propose_cadence_change(
    id: i64,
    cadence_id: i64,
    #[server(default)] every: String,
    #[server(default)] at: String,
    #[server(default)] timezone: String,
    #[server(default)] minutes_long: String,
    reason: String,
) -> Result<Adjustment, AppError> {
    let (state, actor) = crate::state::request()?;
    actor.require(crate::auth::model::Permission::Facilitate)?;
    let given = |v: String| Some(v.trim().to_string()).filter(|v| !v.is_empty());
    let mut check = crate::validate::Checker::default();
    let minutes_long = given(minutes_long).and_then(|m| check.parse_int("change.minutes_long", &m));
    check.finish(()).map_err(AppError::invalid)?;
    let change = crate::meeting::model::CadenceChange {
        cadence_id,
        every: given(every),
        at: given(at),
        timezone: given(timezone),
        minutes_long,
    };
    let change = serde_json::to_value(change).map_err(AppError::internal)?;
    super::service::propose(
        &state.db,
        &actor,
        id,
        "cadence",
        &change,
        &reason,
        chrono::Utc::now(),
    )
    .await
}

/// Proposes a change to the RACI template: one activity's row, a letter (or none) per
/// functional role. Facilitators, while open.
#[server(endpoint = "review/propose_raci_change")]
pub async fn propose_raci_change(
    id: i64,
    activity: String,
    #[server(default)] product_owner: String,
    #[server(default)] engineering_lead: String,
    #[server(default)] marketing: String,
    #[server(default)] customer_success: String,
    #[server(default)] sales: String,
    #[server(default)] support: String,
    reason: String,
) -> Result<Adjustment, AppError> {
    let (state, actor) = crate::state::request()?;
    actor.require(crate::auth::model::Permission::Facilitate)?;
    use crate::team::model::FunctionalRole::*;
    let cells = [
        (ProductOwner, product_owner),
        (EngineeringLead, engineering_lead),
        (Marketing, marketing),
        (CustomerSuccess, customer_success),
        (Sales, sales),
        (Support, support),
    ]
    .into_iter()
    .filter(|(_, letter)| !letter.trim().is_empty())
    .map(|(role, letter)| (format!("role:{}", role.as_str()), letter))
    .collect();
    let change = crate::raci::model::RaciTemplateChange {
        activity,
        cells,
        remove: false,
    };
    let change = serde_json::to_value(change).map_err(AppError::internal)?;
    super::service::propose(
        &state.db,
        &actor,
        id,
        "raci_template",
        &change,
        &reason,
        chrono::Utc::now(),
    )
    .await
}

/// Adopts an adjustment. Facilitators, while open.
#[server(endpoint = "review/adopt_adjustment")]
pub async fn adopt_adjustment(id: i64) -> Result<Adjustment, AppError> {
    let (state, actor) = crate::state::request()?;
    super::service::adopt(&state.db, &actor, id, chrono::Utc::now()).await
}

/// Signs the review off. Executives only.
#[server(endpoint = "review/sign_off_review")]
pub async fn sign_off_review(id: i64) -> Result<Review, AppError> {
    let (state, actor) = crate::state::request()?;
    super::service::sign_off(&state.db, &actor, id, chrono::Utc::now()).await
}
