//! Stored meetings as the client sees them.

use super::facts::agenda_for;
use crate::entity::{decision, meeting as meeting_row};
use crate::error::AppError;
use crate::meeting::model::{AgendaItem, Meeting, MeetingDecision, MeetingKind, MeetingStatus};
use chrono::{DateTime, Duration, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

pub fn ends_at(m: &meeting_row::Model) -> DateTime<Utc> {
    m.starts_at + Duration::minutes(m.minutes_long.into())
}

/// An urgent meeting's agenda as it was written, a line per item.
fn written_agenda(m: &meeting_row::Model) -> Vec<AgendaItem> {
    m.agenda
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|text| AgendaItem {
            text: text.to_string(),
            escalation_id: m.escalation_id,
        })
        .collect()
}

/// Meetings for the client. A meeting that has not started has its agenda generated as of
/// now (in a list, once per cadence); one that has keeps the agenda it started with. `with_decisions`: also the decisions recorded in each.
pub(super) async fn to_wire(
    db: &impl ConnectionTrait,
    rows: Vec<meeting_row::Model>,
    now: DateTime<Utc>,
    with_decisions: bool,
) -> Result<Vec<Meeting>, AppError> {
    let mut people = Vec::new();
    for m in &rows {
        people
            .extend(serde_json::from_str::<Vec<i64>>(&m.participants).map_err(AppError::internal)?);
    }
    let names = crate::auth::service::people(db, people).await?;
    // Computed once per cadence: its meetings still to come share one.
    let mut fresh: std::collections::HashMap<Option<i64>, Vec<AgendaItem>> =
        std::collections::HashMap::new();
    let mut out = Vec::with_capacity(rows.len());
    for m in rows {
        let agenda = match (&m.agenda_items, m.kind.as_str()) {
            (Some(json), _) => serde_json::from_str(json).map_err(AppError::internal)?,
            (None, "urgent") => written_agenda(&m),
            (None, _) => match fresh.get(&m.cadence_id) {
                Some(items) => items.clone(),
                None => {
                    let items = agenda_for(db, &m, now).await?;
                    fresh.insert(m.cadence_id, items.clone());
                    items
                }
            },
        };
        let decisions = if with_decisions {
            decision::Entity::find()
                .filter(decision::Column::MeetingId.eq(m.id))
                .order_by_asc(decision::Column::Id)
                .all(db)
                .await?
                .into_iter()
                .map(|d| MeetingDecision {
                    id: d.id,
                    escalation_id: d.escalation_id,
                    decision: d.decision,
                })
                .collect()
        } else {
            Vec::new()
        };
        let ids: Vec<i64> = serde_json::from_str(&m.participants).map_err(AppError::internal)?;
        let ends_at = ends_at(&m);
        out.push(Meeting {
            id: m.id,
            launch_id: m.launch_id,
            cadence_id: m.cadence_id,
            kind: MeetingKind::parse(&m.kind).unwrap_or(MeetingKind::Standup),
            status: MeetingStatus::at(m.starts_at, ends_at, now),
            title: m.title,
            starts_at: m.starts_at,
            ends_at,
            agenda,
            minutes: m.minutes,
            participants: ids.iter().filter_map(|id| names.get(id).cloned()).collect(),
            decisions,
            version: m.version,
        });
    }
    Ok(out)
}
