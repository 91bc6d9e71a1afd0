//! Reading, saving, reviewing, publishing and exporting post-mortems. Every change is one
//! write transaction with its event.

use super::model::{
    Addendum, PostMortem, PostMortemDraft, PostMortemSummary, Remediation, Reviewer, Sections,
    Status, Times, computed_times, conflicts, missing_for_review, section_label, sort_index,
    timeline, to_markdown,
};
use crate::action::model::{ActionKind, ValidAction};
use crate::auth::model::{Actor, Permission, Role};
use crate::auth::service::{people, require_person};
use crate::db::Db;
use crate::db::versioned::{insert_if_absent, update_if_current};
use crate::entity::{action_item, escalation as escalation_row, launch, postmortem as row};
use crate::error::AppError;
use crate::escalation::{EscalationId, Stage};
use crate::event::service::{NewEvent, append};
use crate::launch::LaunchId;
use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde_json::json;
use std::collections::HashMap;

/// A stored post-mortem, its body read.
struct Stored {
    row: row::Model,
    sections: Sections,
    reviewers: Vec<i64>,
    approvals: Vec<i64>,
}

impl Stored {
    fn status(&self) -> Status {
        Status::parse(&self.row.status).unwrap_or_default()
    }
}

fn ids(json: &str) -> Vec<i64> {
    serde_json::from_str(json).unwrap_or_default()
}

async fn stored<C: ConnectionTrait>(db: &C, id: EscalationId) -> Result<Option<Stored>, AppError> {
    let Some(r) = row::Entity::find_by_id(id.0).one(db).await? else {
        return Ok(None);
    };
    let sections = serde_json::from_str(&r.body).map_err(AppError::internal)?;
    Ok(Some(Stored {
        reviewers: ids(&r.reviewers),
        approvals: ids(&r.approvals),
        sections,
        row: r,
    }))
}

/// Whether the escalation's post-mortem is published (closing tiers 1–2 needs it).
pub async fn is_published<C: ConnectionTrait>(db: &C, id: EscalationId) -> Result<bool, AppError> {
    Ok(row::Entity::find_by_id(id.0)
        .one(db)
        .await?
        .is_some_and(|r| r.status == Status::Published.as_str()))
}

async fn remediation<C: ConnectionTrait>(
    db: &C,
    id: EscalationId,
) -> Result<Vec<Remediation>, AppError> {
    let rows = action_item::Entity::find()
        .filter(action_item::Column::EscalationId.eq(id.0))
        .filter(action_item::Column::Kind.eq(ActionKind::Remediation.as_str()))
        .order_by_asc(action_item::Column::Id)
        .all(db)
        .await?;
    let now = Utc::now();
    Ok(crate::action::service::to_wire(db, rows)
        .await?
        .into_iter()
        .map(|item| Remediation {
            overdue: item.is_overdue(now),
            id: item.id,
            title: item.title,
            owner_id: item.owner.id.0,
            owner_name: item.owner.name,
            due: item.due_at,
            done: item.done,
        })
        .collect())
}

/// The post-mortem as everyone reads it, from its stored sections and the escalation's events.
async fn assemble<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    esc: &escalation_row::Model,
    stored: Option<Stored>,
) -> Result<PostMortem, AppError> {
    let id = EscalationId(esc.id);
    let events = crate::event::service::for_escalation(db, actor, id).await?;
    let computed = computed_times(esc.created_at, esc.impact_started_at, &events);
    let (sections, status, version, reviewers, approvals, row) = match stored {
        Some(s) => (
            s.sections.clone(),
            s.status(),
            s.row.version,
            s.reviewers,
            s.approvals,
            Some(s.row),
        ),
        None => (
            Sections::default(),
            Status::Draft,
            0,
            Vec::new(),
            Vec::new(),
            None,
        ),
    };
    let mut wanted = reviewers.clone();
    wanted.extend(row.iter().map(|r| r.author_id));
    wanted.extend(row.iter().filter_map(|r| r.updated_by));
    let names = people(db, wanted).await?;
    let name = |id: i64| {
        names
            .get(&id)
            .map_or_else(|| format!("User {id}"), |p| p.name.clone())
    };
    Ok(PostMortem {
        escalation_id: id,
        escalation_title: esc.title.clone(),
        launch_id: LaunchId(esc.launch_id),
        tier: u8::try_from(esc.tier).unwrap_or(4),
        status,
        version,
        impact_started_at: esc.impact_started_at.unwrap_or(esc.created_at),
        times: Times::new(computed, &sections.corrections),
        timeline: timeline(&events, &sections.notes),
        remediation: remediation(db, id).await?,
        reviewers: reviewers
            .iter()
            .map(|r| Reviewer {
                id: *r,
                name: name(*r),
                approved: approvals.contains(r),
            })
            .collect(),
        author: row.as_ref().and_then(|r| names.get(&r.author_id).cloned()),
        updated_at: row.as_ref().map(|r| r.updated_at),
        updated_by: row.as_ref().and_then(|r| r.updated_by).map(name),
        published_at: row.as_ref().and_then(|r| r.published_at),
        summary: sections.summary,
        impact: sections.impact,
        root_causes: sections.root_causes,
        contributing_factors: sections.contributing_factors,
        went_well: sections.went_well,
        went_poorly: sections.went_poorly,
        got_lucky: sections.got_lucky,
        learnings: sections.learnings,
        addenda: sections.addenda,
        changed: sections.changed,
    })
}

/// The escalation's post-mortem: the saved one, or an empty draft (`version: 0`) with the
/// computed times and the timeline. Anyone signed in.
pub async fn get<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    id: EscalationId,
) -> Result<PostMortem, AppError> {
    actor.require(Permission::Read)?;
    let esc = crate::escalation::service::find_row(db, id).await?;
    let stored = stored(db, id).await?;
    assemble(db, actor, &esc, stored).await
}

/// The post-mortem as Markdown. Anyone signed in.
pub async fn markdown<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    id: EscalationId,
) -> Result<String, AppError> {
    Ok(to_markdown(&get(db, actor, id).await?))
}

fn read_only() -> AppError {
    AppError::conflict(
        "This post-mortem is published and read-only. Add an addendum for a later correction.",
        None,
    )
}

/// Writes the row and its event; `version` is the new version.
async fn write<C: ConnectionTrait>(
    txn: &C,
    actor: &Actor,
    esc: &escalation_row::Model,
    existing: Option<row::Model>,
    next: Written<'_>,
) -> Result<(), AppError> {
    write_row(txn, actor, esc, existing, &next).await?;
    append_written(txn, actor, esc, next).await
}

/// Writes the row only if nobody wrote it since `existing` was read (an update from its
/// version, or the first insert); otherwise 409 with the post-mortem as it is now.
async fn write_row<C: ConnectionTrait>(
    txn: &C,
    actor: &Actor,
    esc: &escalation_row::Model,
    existing: Option<row::Model>,
    next: &Written<'_>,
) -> Result<(), AppError> {
    let now = Utc::now();
    let body = serde_json::to_string(next.sections).map_err(AppError::internal)?;
    let reviewers = serde_json::to_string(next.reviewers).map_err(AppError::internal)?;
    let approvals = serde_json::to_string(next.approvals).map_err(AppError::internal)?;
    let written = match existing {
        Some(r) => {
            let read = r.version;
            let mut model: row::ActiveModel = r.into();
            model.status = Set(next.status.as_str().into());
            model.version = Set(next.version);
            model.body = Set(body);
            model.reviewers = Set(reviewers);
            model.approvals = Set(approvals);
            model.updated_at = Set(now);
            model.updated_by = Set(Some(actor.id.0));
            if next.status == Status::Published {
                model.published_at = Set(Some(now));
            }
            update_if_current(txn, model, row::Column::Version, read)
                .await?
                .is_some()
        }
        None => {
            let model = row::ActiveModel {
                escalation_id: Set(esc.id),
                launch_id: Set(esc.launch_id),
                status: Set(next.status.as_str().into()),
                version: Set(next.version),
                body: Set(body),
                reviewers: Set(reviewers),
                approvals: Set(approvals),
                author_id: Set(actor.id.0),
                created_at: Set(now),
                updated_at: Set(now),
                updated_by: Set(Some(actor.id.0)),
                published_at: Set(None),
            };
            insert_if_absent(txn, model, [row::Column::EscalationId])
                .await?
                .is_some()
        }
    };
    if written {
        return Ok(());
    }
    let id = EscalationId(esc.id);
    let current = assemble(txn, actor, esc, stored(txn, id).await?).await?;
    Err(AppError::conflict(
        format!(
            "{} saved this post-mortem since you loaded it.",
            current.updated_by.as_deref().unwrap_or("Someone")
        ),
        serde_json::to_value(&current).ok(),
    ))
}

/// Appends the event of a write.
async fn append_written<C: ConnectionTrait>(
    txn: &C,
    actor: &Actor,
    esc: &escalation_row::Model,
    next: Written<'_>,
) -> Result<(), AppError> {
    let mut payload = next.payload;
    payload["version"] = json!(next.version);
    payload["status"] = json!(next.status);
    append(
        txn,
        &actor.into(),
        NewEvent::new("postmortem", esc.id, next.kind)
            .escalation(EscalationId(esc.id))
            .launch(LaunchId(esc.launch_id))
            .payload(payload),
    )
    .await?;
    Ok(())
}

struct Written<'a> {
    kind: &'static str,
    status: Status,
    version: i64,
    sections: &'a Sections,
    reviewers: &'a [i64],
    approvals: &'a [i64],
    payload: serde_json::Value,
}

/// Saves a draft (members, facilitators, admins; timeline marks are for facilitators).
/// The first save needs the escalation Resolved (or Closed). With `version`, a section
/// someone else saved after that version gets 409 with the current post-mortem; sections
/// nobody else touched merge; a save another save overtook while it ran gets 409 too. A
/// published post-mortem is read-only (409).
pub async fn save(
    db: &Db,
    actor: &Actor,
    id: EscalationId,
    draft: &PostMortemDraft,
) -> Result<PostMortem, AppError> {
    actor.require(Permission::WorkEscalations)?;
    if draft.timeline.is_some() && !actor.can(Permission::Facilitate) {
        return Err(AppError::forbidden(
            "Only facilitators pin, annotate or hide timeline entries.",
        ));
    }
    let txn = db.write().await?;
    let esc = crate::escalation::service::find_row(&*txn, id).await?;
    let existing = stored(&*txn, id).await?;
    if existing.is_none()
        && !matches!(
            Stage::parse(&esc.stage),
            Some(Stage::Resolved | Stage::Closed)
        )
    {
        return Err(AppError::invalid_field(
            "stage",
            "A post-mortem starts once the escalation is Resolved.",
        ));
    }
    if existing
        .as_ref()
        .is_some_and(|s| s.status() == Status::Published)
    {
        return Err(read_only());
    }
    let current_version = existing.as_ref().map_or(0, |s| s.row.version);
    let mut sections = existing
        .as_ref()
        .map(|s| s.sections.clone())
        .unwrap_or_default();
    let touched = draft.touched();
    if let Some(base) = draft.version
        && base != current_version
    {
        let stale = conflicts(&sections.changed, &touched, base);
        if !stale.is_empty() || base > current_version {
            let current = assemble(&*txn, actor, &esc, existing).await?;
            let names: Vec<&str> = stale.iter().map(|s| section_label(s)).collect();
            return Err(AppError::conflict(
                format!(
                    "{} saved {} since you loaded it.",
                    current.updated_by.as_deref().unwrap_or("Someone"),
                    if names.is_empty() {
                        "this post-mortem".to_string()
                    } else {
                        names.join(", ")
                    }
                ),
                serde_json::to_value(&current).ok(),
            ));
        }
    }
    let now = Utc::now();
    let applied = draft.apply(&mut sections, now).map_err(AppError::invalid)?;
    let version = current_version + 1;
    for section in &touched {
        sections.changed.insert((*section).to_string(), version);
    }
    let (status, reviewers, mut approvals) = match &existing {
        Some(s) => (s.status(), s.reviewers.clone(), s.approvals.clone()),
        None => (Status::Draft, Vec::new(), Vec::new()),
    };
    // A change during review asks the reviewers to look again.
    let reset = status == Status::InReview && !touched.is_empty() && !approvals.is_empty();
    if reset {
        approvals.clear();
    }
    let next = Written {
        kind: "postmortem.saved",
        status,
        version,
        sections: &sections,
        reviewers: &reviewers,
        approvals: &approvals,
        payload: json!({ "sections": touched, "approvals_reset": reset }),
    };
    // The versioned row first: a save that lost the race stops before writing anything else.
    write_row(&*txn, actor, &esc, existing.map(|s| s.row), &next).await?;
    let launch = LaunchId(esc.launch_id);
    for (i, item) in applied.remediation.into_iter().enumerate() {
        save_remediation(&*txn, actor, id, launch, i, item).await?;
    }
    if let Some(started) = applied.impact_started_at {
        escalation_row::Entity::update_many()
            .col_expr(
                escalation_row::Column::ImpactStartedAt,
                Expr::value(started),
            )
            .filter(escalation_row::Column::Id.eq(id.0))
            .exec(&*txn)
            .await?;
    }
    append_written(&*txn, actor, &esc, next).await?;
    txn.commit().await?;
    get(&db.conn, actor, id).await
}

/// Creates a remediation action item, or changes one of this escalation's.
async fn save_remediation<C: ConnectionTrait>(
    txn: &C,
    actor: &Actor,
    id: EscalationId,
    launch: LaunchId,
    index: usize,
    item: super::model::ValidRemediation,
) -> Result<(), AppError> {
    let field = |f: &str| format!("remediation[{index}].{f}");
    require_person(txn, &field("owner_id"), item.owner_id, &[]).await?;
    let Some(action_id) = item.id else {
        let due_at = item
            .due_at
            .ok_or_else(|| AppError::invalid_field(&field("due"), "is required"))?;
        crate::action::service::insert_in(
            txn,
            actor,
            Some((id, launch)),
            ValidAction {
                title: item.title,
                owner_id: item.owner_id,
                due_at,
                kind: ActionKind::Remediation,
            },
        )
        .await?;
        return Ok(());
    };
    let current = action_item::Entity::find_by_id(action_id)
        .one(txn)
        .await?
        .filter(|r| r.escalation_id == Some(id.0) && r.kind == ActionKind::Remediation.as_str())
        .ok_or_else(|| {
            AppError::invalid_field(&field("id"), "is not a remediation item of this escalation")
        })?;
    let done = item.done.unwrap_or(current.done);
    let due_at = item.due_at.unwrap_or(current.due_at);
    if current.title == item.title
        && current.owner_id == item.owner_id
        && current.due_at == due_at
        && current.done == done
    {
        return Ok(());
    }
    let now = Utc::now();
    let mut model: action_item::ActiveModel = current.clone().into();
    model.title = Set(item.title.clone());
    model.owner_id = Set(item.owner_id);
    model.due_at = Set(due_at);
    model.done = Set(done);
    model.done_at = Set(if done {
        current.done_at.or(Some(now))
    } else {
        None
    });
    model.version = Set(current.version + 1);
    if update_if_current(txn, model, action_item::Column::Version, current.version)
        .await?
        .is_none()
    {
        let latest = action_item::Entity::find_by_id(action_id).one(txn).await?;
        let latest = crate::action::service::to_wire(txn, latest.into_iter().collect()).await?;
        return Err(AppError::conflict(
            format!("Remediation item {action_id} changed since you loaded it."),
            latest
                .first()
                .and_then(|item| serde_json::to_value(item).ok()),
        ));
    }
    append(
        txn,
        &actor.into(),
        NewEvent::new("action_item", action_id, "action_item.updated")
            .escalation(id)
            .launch(launch)
            .payload(json!({
                "title": item.title, "owner_id": item.owner_id, "due": due_at, "done": done,
                "version": current.version + 1,
            })),
    )
    .await?;
    Ok(())
}

/// Sends the post-mortem to named reviewers (members, facilitators, admins). The required
/// sections must be written (422 naming each one that is not).
pub async fn submit(
    db: &Db,
    actor: &Actor,
    id: EscalationId,
    reviewer_ids: &[i64],
) -> Result<PostMortem, AppError> {
    actor.require(Permission::WorkEscalations)?;
    let mut check = crate::validate::Checker::default();
    let reviewer_ids = check.ids("reviewer_ids", reviewer_ids, crate::validate::MAX_IDS);
    check.finish(()).map_err(AppError::invalid)?;
    let txn = db.write().await?;
    let esc = crate::escalation::service::find_row(&*txn, id).await?;
    let existing = stored(&*txn, id).await?.ok_or_else(|| {
        AppError::invalid_field("summary", "Write the post-mortem before submitting it.")
    })?;
    if existing.status() == Status::Published {
        return Err(read_only());
    }
    let missing = missing_for_review(&existing.sections);
    if !missing.is_empty() {
        return Err(AppError::invalid(missing));
    }
    let mut reviewers: Vec<i64> = Vec::new();
    for reviewer in &reviewer_ids {
        require_person(
            &*txn,
            "reviewer_ids",
            *reviewer,
            &[
                Role::Executive,
                Role::Member,
                Role::Facilitator,
                Role::Admin,
            ],
        )
        .await?;
        if !reviewers.contains(reviewer) {
            reviewers.push(*reviewer);
        }
    }
    if reviewers.is_empty() {
        return Err(AppError::invalid_field(
            "reviewer_ids",
            "name at least one reviewer",
        ));
    }
    let version = existing.row.version + 1;
    write(
        &*txn,
        actor,
        &esc,
        Some(existing.row.clone()),
        Written {
            kind: "postmortem.submitted",
            status: Status::InReview,
            version,
            sections: &existing.sections,
            reviewers: &reviewers,
            approvals: &[],
            payload: json!({ "reviewer_ids": reviewers }),
        },
    )
    .await?;
    txn.commit().await?;
    get(&db.conn, actor, id).await
}

/// A named reviewer approves; once every reviewer has, the post-mortem is published and
/// read-only.
pub async fn approve(db: &Db, actor: &Actor, id: EscalationId) -> Result<PostMortem, AppError> {
    actor.require(Permission::Read)?;
    let txn = db.write().await?;
    let esc = crate::escalation::service::find_row(&*txn, id).await?;
    let existing = stored(&*txn, id)
        .await?
        .ok_or_else(|| AppError::not_found(format!("Escalation {id} has no post-mortem yet.")))?;
    if !existing.reviewers.contains(&actor.id.0) {
        return Err(AppError::forbidden(
            "Only the post-mortem's named reviewers approve it.",
        ));
    }
    match existing.status() {
        Status::InReview => {}
        Status::Published => return Err(read_only()),
        Status::Draft => {
            return Err(AppError::conflict(
                "This post-mortem is not in review: its author submits it first.",
                None,
            ));
        }
    }
    let missing = missing_for_review(&existing.sections);
    if !missing.is_empty() {
        return Err(AppError::invalid(missing));
    }
    let mut approvals = existing.approvals.clone();
    if !approvals.contains(&actor.id.0) {
        approvals.push(actor.id.0);
    }
    let all = existing.reviewers.iter().all(|r| approvals.contains(r));
    let status = if all {
        Status::Published
    } else {
        Status::InReview
    };
    write(
        &*txn,
        actor,
        &esc,
        Some(existing.row.clone()),
        Written {
            kind: if all {
                "postmortem.published"
            } else {
                "postmortem.approved"
            },
            status,
            version: existing.row.version + 1,
            sections: &existing.sections,
            reviewers: &existing.reviewers,
            approvals: &approvals,
            payload: json!({ "approved_by": actor.id }),
        },
    )
    .await?;
    txn.commit().await?;
    get(&db.conn, actor, id).await
}

/// Adds a later correction to a published post-mortem (members, facilitators, admins).
pub async fn add_addendum(
    db: &Db,
    actor: &Actor,
    id: EscalationId,
    text: Option<&str>,
) -> Result<PostMortem, AppError> {
    actor.require(Permission::WorkEscalations)?;
    let mut check = crate::validate::Checker::default();
    let text = check.required_text("text", text);
    check.finish(()).map_err(AppError::invalid)?;
    let txn = db.write().await?;
    let esc = crate::escalation::service::find_row(&*txn, id).await?;
    let existing = stored(&*txn, id).await?;
    let Some(existing) = existing.filter(|s| s.status() == Status::Published) else {
        return Err(AppError::invalid_field(
            "text",
            "Addenda are for published post-mortems; edit the draft instead.",
        ));
    };
    let mut sections = existing.sections.clone();
    sections.addenda.push(Addendum {
        at: Utc::now(),
        author: actor.name.clone(),
        text: text.clone(),
    });
    write(
        &*txn,
        actor,
        &esc,
        Some(existing.row.clone()),
        Written {
            kind: "postmortem.addendum",
            status: Status::Published,
            version: existing.row.version + 1,
            sections: &sections,
            reviewers: &existing.reviewers,
            approvals: &existing.approvals,
            payload: json!({ "text": text }),
        },
    )
    .await?;
    txn.commit().await?;
    get(&db.conn, actor, id).await
}

/// Every post-mortem (of one launch, or all), overdue remediation first. Anyone signed in.
pub async fn index<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    launch_id: Option<LaunchId>,
) -> Result<Vec<PostMortemSummary>, AppError> {
    actor.require(Permission::Read)?;
    let mut query = row::Entity::find();
    if let Some(l) = launch_id {
        query = query.filter(row::Column::LaunchId.eq(l.0));
    }
    let rows = query.all(db).await?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let escalation_ids: Vec<i64> = rows.iter().map(|r| r.escalation_id).collect();
    let escalations: HashMap<i64, escalation_row::Model> = escalation_row::Entity::find()
        .filter(escalation_row::Column::Id.is_in(escalation_ids.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.id, e))
        .collect();
    let launches: HashMap<i64, String> = launch::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|l| (l.id, l.name))
        .collect();
    let now = Utc::now();
    let mut counts: HashMap<i64, (i64, i64)> = HashMap::new();
    for item in action_item::Entity::find()
        .filter(action_item::Column::EscalationId.is_in(escalation_ids))
        .filter(action_item::Column::Kind.eq(ActionKind::Remediation.as_str()))
        .filter(action_item::Column::Done.eq(false))
        .all(db)
        .await?
    {
        if let Some(e) = item.escalation_id {
            let entry = counts.entry(e).or_default();
            entry.0 += 1;
            if item.due_at < now {
                entry.1 += 1;
            }
        }
    }
    let mut items: Vec<PostMortemSummary> = rows
        .into_iter()
        .filter_map(|r| {
            let esc = escalations.get(&r.escalation_id)?;
            let (open, overdue) = counts.get(&r.escalation_id).copied().unwrap_or_default();
            Some(PostMortemSummary {
                escalation_id: EscalationId(r.escalation_id),
                escalation_title: esc.title.clone(),
                launch_id: LaunchId(r.launch_id),
                launch_name: launches.get(&r.launch_id).cloned().unwrap_or_default(),
                tier: u8::try_from(esc.tier).unwrap_or(4),
                status: Status::parse(&r.status).unwrap_or_default(),
                open_remediation: open,
                overdue_remediation: overdue,
                updated_at: r.updated_at,
            })
        })
        .collect();
    sort_index(&mut items);
    Ok(items)
}
