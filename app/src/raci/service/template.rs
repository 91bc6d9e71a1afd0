//! The RACI template as it stands (the newest stored version, else the built-in one), and a
//! governance review's change to it: checked when proposed, applied as a new version when
//! adopted unless the template moved since.

use super::row::Body;
use crate::entity::raci_template as template_row;
use crate::error::AppError;
use crate::event::change::RaciTemplateChanged;
use crate::event::model::EventActor;
use crate::event::service::{NewEvent, append};
use crate::raci::model::{Activity, ColumnKey, Letter, Raci, RaciTemplateChange};
use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, QueryOrder, Set};

/// The template new matrices start from: the newest adopted version, else the built-in one
/// (version 0).
pub async fn current<C: ConnectionTrait>(db: &C) -> Result<Raci, AppError> {
    let Some(row) = template_row::Entity::find()
        .order_by_desc(template_row::Column::Version)
        .one(db)
        .await?
    else {
        return Ok(Raci::template());
    };
    let body: Body = serde_json::from_str(&row.body)
        .map_err(|_| AppError::corrupt("raci_template", row.version, "body", &row.body))?;
    Ok(Raci {
        activities: body.activities,
        columns: body.columns,
        version: row.version,
        warnings: Vec::new(),
        inherited: false,
    })
}

/// The template with `change` made: its activity replaced (matched by name, any case), added
/// at the end, or removed.
fn changed(mut template: Raci, change: &RaciTemplateChange) -> Raci {
    let name = change.activity.trim();
    let found = template
        .activities
        .iter()
        .position(|a| a.name.trim().eq_ignore_ascii_case(name));
    if change.remove {
        if let Some(i) = found {
            template.activities.remove(i);
        }
        return template;
    }
    let cells = change
        .cells
        .iter()
        .filter_map(|(k, l)| Some((k.clone(), Letter::parse(l)?)))
        .collect();
    let activity = Activity {
        name: name.to_string(),
        cells,
        separate_duties: found.is_some_and(|i| template.activities[i].separate_duties),
    };
    for key in activity.cells.keys() {
        if !template.columns.contains(key) {
            template.columns.push(key.clone());
        }
    }
    match found {
        Some(i) => template.activities[i] = activity,
        None => template.activities.push(activity),
    }
    template
}

/// Checks a proposed change against the template as it stands: an activity name; its cells
/// are functional roles with R, A, C or I, with exactly one A and at least one R (unless it
/// removes the activity, which must exist). Answers the change and the template version.
pub async fn check<C: ConnectionTrait>(
    db: &C,
    change: &serde_json::Value,
) -> Result<(RaciTemplateChange, i64), AppError> {
    let parsed: RaciTemplateChange = serde_json::from_value(change.clone()).map_err(|e| {
        AppError::invalid_field("change", format!("is not a RACI template change: {e}"))
    })?;
    let mut check = crate::validate::Checker::default();
    check.name("change.activity", Some(&parsed.activity));
    for (key, letter) in &parsed.cells {
        if !matches!(ColumnKey::parse(key), Some(ColumnKey::Role(_))) {
            check.fail(
                "change.cells",
                format!("{key} is not a functional role (\"role:support\", \"role:marketing\", …)"),
            );
        }
        if Letter::parse(letter).is_none() {
            check.fail("change.cells", format!("{letter} is not R, A, C or I"));
        }
    }
    let template = current(db).await?;
    let exists = template
        .activities
        .iter()
        .any(|a| a.name.trim().eq_ignore_ascii_case(parsed.activity.trim()));
    if parsed.remove && !exists {
        check.fail("change.activity", "is not an activity of the template");
    }
    if !parsed.remove && !check.has_failed() {
        let after = changed(template.clone(), &parsed);
        if let Some(problem) = after.problems().into_values().next() {
            check.fail("change.cells", format!("the activity {problem}"));
        }
    }
    check.finish(()).map_err(AppError::invalid)?;
    Ok((parsed, template.version))
}

/// Applies an adopted change inside the caller's transaction as the template's next version;
/// 409 with the template as it is now if it moved since `base`. Answers what it made.
pub async fn apply<C: ConnectionTrait>(
    txn: &C,
    by: &EventActor,
    by_id: i64,
    change: &RaciTemplateChange,
    base: i64,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    crate::event::service::lock_chain(txn).await?;
    let template = current(txn).await?;
    if template.version != base {
        return Err(AppError::conflict(
            format!(
                "The RACI template changed since this was proposed (version {base} then, {} now): propose it again.",
                template.version
            ),
            serde_json::to_value(&template).ok(),
        ));
    }
    let after = changed(template, change);
    let version = base + 1;
    let body = Body {
        activities: after.activities,
        columns: after.columns,
    };
    template_row::ActiveModel {
        version: Set(version),
        body: Set(serde_json::to_string(&body).map_err(AppError::internal)?),
        reason: Set(reason.to_string()),
        created_by: Set(by_id),
        created_at: Set(now),
    }
    .insert(txn)
    .await?;
    append(
        txn,
        by,
        NewEvent::new(
            "raci_template",
            version,
            RaciTemplateChanged {
                version,
                change: change.text(),
            },
        ),
    )
    .await?;
    Ok(format!("RACI template version {version}"))
}
