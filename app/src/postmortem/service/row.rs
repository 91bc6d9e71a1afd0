//! A stored post-mortem as clients see it: its row read into what it holds (`Stored`), and
//! the one conversion to the wire `PostMortem` from that, the escalation and its events. A
//! stored value that does not parse is an internal error naming the post-mortem (or the
//! escalation), the column and the value — never a default.

use crate::auth::model::Person;
use crate::entity::{escalation, postmortem as row};
use crate::error::AppError;
use crate::escalation::EscalationId;
use crate::event::model::Event;
use crate::launch::LaunchId;
use crate::postmortem::model::{
    PostMortem, PostMortemSummary, Remediation, Reviewer, Sections, Status, Times,
};
use crate::postmortem::timeline::{computed_times, entries};
use serde::de::DeserializeOwned;
use std::collections::HashMap;

/// A JSON column of a post-mortem row, read.
fn json<T: DeserializeOwned>(id: i64, column: &str, value: &str) -> Result<T, AppError> {
    serde_json::from_str(value).map_err(|error| {
        let start: String = value.chars().take(200).collect();
        AppError::corrupt("postmortem", id, column, format!("{start} ({error})"))
    })
}

fn status(r: &row::Model) -> Result<Status, AppError> {
    Status::parse(&r.status)
        .ok_or_else(|| AppError::corrupt("postmortem", r.escalation_id, "status", &r.status))
}

/// A stored post-mortem, its columns read.
pub(super) struct Stored {
    pub row: row::Model,
    pub status: Status,
    pub sections: Sections,
    pub reviewers: Vec<i64>,
    pub approvals: Vec<i64>,
}

impl TryFrom<row::Model> for Stored {
    type Error = AppError;

    fn try_from(r: row::Model) -> Result<Self, AppError> {
        let id = r.escalation_id;
        Ok(Stored {
            status: status(&r)?,
            sections: json(id, "body", &r.body)?,
            reviewers: json(id, "reviewers", &r.reviewers)?,
            approvals: json(id, "approvals", &r.approvals)?,
            row: r,
        })
    }
}

/// Everything the wire post-mortem is made of: the escalation, its stored post-mortem (none
/// before the first save), its events, its remediation items and the people it names.
pub(super) struct Parts<'a> {
    pub esc: &'a escalation::Model,
    pub stored: Option<Stored>,
    pub events: Vec<Event>,
    pub remediation: Vec<Remediation>,
    pub names: HashMap<i64, Person>,
}

impl TryFrom<Parts<'_>> for PostMortem {
    type Error = AppError;

    /// The post-mortem as everyone reads it: the saved one, or an empty draft (`version: 0`),
    /// with the times computed from the events and the timeline built from them.
    fn try_from(parts: Parts<'_>) -> Result<Self, AppError> {
        let Parts {
            esc,
            stored,
            events,
            remediation,
            names,
        } = parts;
        let computed = computed_times(esc.created_at, esc.impact_started_at, &events);
        let (sections, status, reviewers, approvals, row) = match stored {
            Some(s) => (s.sections, s.status, s.reviewers, s.approvals, Some(s.row)),
            None => (
                Sections::default(),
                Status::Draft,
                Vec::new(),
                Vec::new(),
                None,
            ),
        };
        let name = |id: i64| {
            names
                .get(&id)
                .map_or_else(|| format!("User {id}"), |p| p.name.clone())
        };
        Ok(PostMortem {
            escalation_id: EscalationId(esc.id),
            escalation_title: esc.title.clone(),
            launch_id: LaunchId(esc.launch_id),
            tier: esc.read_tier()?.get(),
            outcome: esc.outcome.clone(),
            risk_posture: crate::escalation::service::stored_risk_posture(esc)?,
            status,
            version: row.as_ref().map_or(0, |r| r.version),
            impact_started_at: esc.impact_started_at.unwrap_or(esc.created_at),
            times: Times::new(computed, &sections.corrections),
            timeline: entries(&events, &sections.notes),
            remediation,
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
}

/// One post-mortem as the index lists it, with its open and overdue remediation counts.
pub(super) fn summary(
    r: &row::Model,
    esc: &escalation::Model,
    launch_name: String,
    (open, overdue): (i64, i64),
) -> Result<PostMortemSummary, AppError> {
    Ok(PostMortemSummary {
        escalation_id: EscalationId(r.escalation_id),
        escalation_title: esc.title.clone(),
        launch_id: LaunchId(r.launch_id),
        launch_name,
        tier: esc.read_tier()?.get(),
        status: status(r)?,
        open_remediation: open,
        overdue_remediation: overdue,
        updated_at: r.updated_at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    fn stored_row() -> row::Model {
        row::Model {
            escalation_id: 7,
            launch_id: 1,
            status: "in_review".into(),
            version: 3,
            body: r#"{"summary":"Checkout failed"}"#.into(),
            reviewers: "[4]".into(),
            approvals: "[]".into(),
            author_id: 2,
            created_at: Utc::now(),
            updated_at: Utc::now(),
            updated_by: Some(2),
            published_at: None,
        }
    }

    #[test]
    fn a_stored_row_reads_into_what_it_holds() {
        let stored = Stored::try_from(stored_row()).unwrap();
        assert_eq!(stored.status, Status::InReview);
        assert_eq!(stored.sections.summary, "Checkout failed");
        assert_eq!(stored.reviewers, [4]);
        assert!(stored.approvals.is_empty());
    }

    #[test]
    fn a_stored_value_that_does_not_parse_is_an_internal_error() {
        let corrupt_rows = [
            row::Model {
                status: "archived".into(),
                ..stored_row()
            },
            row::Model {
                body: "{not json".into(),
                ..stored_row()
            },
            row::Model {
                reviewers: "4".into(),
                ..stored_row()
            },
            row::Model {
                approvals: String::new(),
                ..stored_row()
            },
        ];
        for r in corrupt_rows {
            assert!(matches!(Stored::try_from(r), Err(AppError::Internal)));
        }
    }
}
