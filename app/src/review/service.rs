//! Governance reviews: opening one for a quarter, its participants and findings, sign-off by
//! an executive (after which it is read-only, its figures frozen as they stood), and the
//! Markdown export. `facts` gathers what the figures are computed from; `adjust` proposes
//! and adopts adjustments; `row` reads a stored review.

mod adjust;
mod facts;
mod row;

pub use adjust::{adopt, propose};

use super::model::{Period, Review, to_markdown};
use crate::auth::model::{Actor, Permission, Role};
use crate::db::Db;
use crate::db::versioned::insert_if_absent;
use crate::entity::{review as review_row, user};
use crate::error::AppError;
use crate::event::change::{ReviewOpened, ReviewSignedOff, ReviewUpdated};
use crate::event::service::{NewEvent, append};
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};

/// Opens the review of `period` (facilitators): any quarter up to the current one, once.
/// A second review of the same quarter is a 409 with the first.
pub async fn open(
    db: &Db,
    actor: &Actor,
    period: &str,
    now: DateTime<Utc>,
) -> Result<Review, AppError> {
    actor.require(Permission::Facilitate)?;
    let period = Period::parse(period)
        .ok_or_else(|| AppError::invalid_field("period", "must be a quarter such as 2026-Q4"))?;
    if period > Period::of(now) {
        return Err(AppError::invalid_field(
            "period",
            "must be the current quarter or an earlier one",
        ));
    }
    let txn = db.write().await?;
    let model = review_row::ActiveModel {
        period: Set(period.to_string()),
        status: Set("open".into()),
        participants: Set("[]".into()),
        findings: Set(String::new()),
        created_by: Set(actor.id.0),
        created_at: Set(now),
        version: Set(1),
        ..Default::default()
    };
    let Some(id) = insert_if_absent(&*txn, model, [review_row::Column::Period]).await? else {
        drop(txn);
        let existing = review_row::Entity::find()
            .filter(review_row::Column::Period.eq(period.to_string()))
            .one(&db.conn)
            .await?
            .ok_or(AppError::Internal)?;
        let current = row::to_wire(&db.conn, existing, now).await?;
        return Err(AppError::conflict(
            format!("The review of {period} is already open."),
            serde_json::to_value(current).ok(),
        ));
    };
    append(
        &*txn,
        &actor.into(),
        NewEvent::new(
            "review",
            id,
            ReviewOpened {
                period: period.to_string(),
            },
        ),
    )
    .await?;
    txn.commit().await?;
    get(&db.conn, actor, id, now).await
}

/// Every review, the latest quarter first. Anyone signed in.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<Vec<Review>, AppError> {
    actor.require(Permission::Read)?;
    let rows = review_row::Entity::find()
        .order_by_desc(review_row::Column::Period)
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        out.push(row::to_wire(db, r, now).await?);
    }
    Ok(out)
}

/// Every review as the list shows it, the latest quarter first: id, quarter and sign-off
/// line, read from the rows alone (no figures). Anyone signed in.
/// The governance review due: this quarter's, or once it is signed off the next quarter's,
/// with its id if it has been opened and whether it has been signed off.
pub async fn due<C: ConnectionTrait>(
    db: &C,
    now: DateTime<Utc>,
) -> Result<(Period, Option<i64>), AppError> {
    let mut period = Period::of(now);
    loop {
        let found = review_row::Entity::find()
            .filter(review_row::Column::Period.eq(period.to_string()))
            .one(db)
            .await?;
        match found {
            Some(r) if r.signed_off_at.is_some() => period = period.next(),
            found => return Ok((period, found.map(|r| r.id))),
        }
    }
}

pub async fn summaries<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
) -> Result<Vec<(i64, String, Option<String>)>, AppError> {
    actor.require(Permission::Read)?;
    let rows = review_row::Entity::find()
        .order_by_desc(review_row::Column::Period)
        .all(db)
        .await?;
    let signers: std::collections::HashMap<i64, String> = user::Entity::find()
        .filter(user::Column::Id.is_in(rows.iter().filter_map(|r| r.signed_off_by)))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    Ok(rows
        .into_iter()
        .map(|r| {
            let signed = r
                .signed_off_by
                .and_then(|id| signers.get(&id))
                .zip(r.signed_off_at)
                .map(|(name, at)| super::model::sign_off_line(name, at));
            (r.id, r.period, signed)
        })
        .collect())
}

/// The review with this id, or a "does not exist" error.
pub(super) async fn find<C: ConnectionTrait>(
    db: &C,
    id: i64,
) -> Result<review_row::Model, AppError> {
    review_row::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found(format!("Review {id} does not exist.")))
}

/// One review: while open, its figures as of `now`; once signed off, as they stood then.
pub async fn get<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    id: i64,
    now: DateTime<Utc>,
) -> Result<Review, AppError> {
    actor.require(Permission::Read)?;
    row::to_wire(db, find(db, id).await?, now).await
}

/// The 409 for changing a review that is signed off.
fn read_only(review: &Review) -> AppError {
    AppError::conflict(
        format!(
            "The review of {} is signed off and read-only.",
            review.period
        ),
        serde_json::to_value(review).ok(),
    )
}

/// What a PATCH may change.
#[derive(Clone, Debug, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct ReviewChange {
    pub participants: Option<Vec<i64>>,
    pub findings: Option<String>,
    pub version: Option<i64>,
}

/// Writes participants (user ids of active people) and findings (facilitators), while open.
pub async fn patch(
    db: &Db,
    actor: &Actor,
    id: i64,
    change: &ReviewChange,
    now: DateTime<Utc>,
) -> Result<Review, AppError> {
    actor.require(Permission::Facilitate)?;
    let mut check = crate::validate::Checker::default();
    let findings = change
        .findings
        .as_deref()
        .map(|f| check.text("findings", Some(f)));
    let participants = change
        .participants
        .as_ref()
        .map(|ids| check.ids("participants", ids, 200));
    check.finish(()).map_err(AppError::invalid)?;
    let txn = db.write().await?;
    let stored = find(&*txn, id).await?;
    let current = row::to_wire(&*txn, stored.clone(), now).await?;
    if current.is_signed_off() {
        return Err(read_only(&current));
    }
    if change.version.is_some_and(|v| v != stored.version) {
        return Err(AppError::conflict(
            "The review changed since you opened it.",
            serde_json::to_value(&current).ok(),
        ));
    }
    if let Some(ids) = &participants {
        let found = user::Entity::find()
            .filter(user::Column::Id.is_in(ids.iter().copied()))
            .filter(user::Column::Active.eq(true))
            .all(&*txn)
            .await?;
        if found.len() != ids.len() {
            return Err(AppError::invalid_field(
                "participants",
                "must name active people",
            ));
        }
    }
    let participants =
        participants.unwrap_or_else(|| current.participants.iter().map(|p| p.id).collect());
    let findings = findings.unwrap_or(current.findings.clone());
    let version = stored.version + 1;
    let mut model: review_row::ActiveModel = stored.into();
    model.participants = Set(serde_json::to_string(&participants).map_err(AppError::internal)?);
    model.findings = Set(findings.clone());
    model.version = Set(version);
    model.update(&*txn).await?;
    append(
        &*txn,
        &actor.into(),
        NewEvent::new(
            "review",
            id,
            ReviewUpdated {
                version,
                participants,
                findings,
            },
        ),
    )
    .await?;
    txn.commit().await?;
    get(&db.conn, actor, id, now).await
}

/// Signs the review off: an executive only (normally the sponsor of the launches reviewed).
/// Its figures are frozen as they stand and it is read-only from then on.
pub async fn sign_off(
    db: &Db,
    actor: &Actor,
    id: i64,
    now: DateTime<Utc>,
) -> Result<Review, AppError> {
    if actor.role != Role::Executive {
        return Err(AppError::forbidden(
            "Only an executive signs a governance review off.",
        ));
    }
    let txn = db.write().await?;
    let stored = find(&*txn, id).await?;
    let current = row::to_wire(&*txn, stored.clone(), now).await?;
    if current.is_signed_off() {
        return Err(read_only(&current));
    }
    // Only the transaction that moves it from open signs it.
    let signed = review_row::Entity::update_many()
        .col_expr(review_row::Column::Status, "signed_off".into())
        .col_expr(review_row::Column::SignedOffBy, actor.id.0.into())
        .col_expr(review_row::Column::SignedOffAt, now.into())
        .col_expr(
            review_row::Column::Figures,
            serde_json::to_string(&current.figures)
                .map_err(AppError::internal)?
                .into(),
        )
        .col_expr(review_row::Column::Version, (stored.version + 1).into())
        .filter(review_row::Column::Id.eq(id))
        .filter(review_row::Column::Status.eq("open"))
        .exec(&*txn)
        .await?;
    if signed.rows_affected == 0 {
        drop(txn);
        return Err(read_only(&get(&db.conn, actor, id, now).await?));
    }
    append(
        &*txn,
        &actor.into(),
        NewEvent::new(
            "review",
            id,
            ReviewSignedOff {
                period: current.period.to_string(),
            },
        ),
    )
    .await?;
    txn.commit().await?;
    get(&db.conn, actor, id, now).await
}

/// The review as Markdown. Anyone signed in.
pub async fn markdown<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    id: i64,
    now: DateTime<Utc>,
) -> Result<(Review, String), AppError> {
    let review = get(db, actor, id, now).await?;
    let text = to_markdown(&review);
    Ok((review, text))
}
