//! A post-mortem save (`PUT …/postmortem`): which sections it names, and its checks, which
//! write those sections into the stored document all or nothing.

use super::{Body, Correction, Impact, Measure, Note, Section, Sections};
use crate::error::FieldErrors;
use crate::validate::{Checker, MAX_ITEMS};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One time's correction in a save: `minutes` with a `reason`, or `minutes: null` to go
/// back to the computed figure.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CorrectionDraft {
    pub minutes: Option<i64>,
    pub reason: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TimesDraft {
    pub detect: Option<CorrectionDraft>,
    pub acknowledge: Option<CorrectionDraft>,
    pub mitigate: Option<CorrectionDraft>,
    pub resolve: Option<CorrectionDraft>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema), schema(as = PostMortemImpactDraft))]
pub struct ImpactDraft {
    pub customers_affected: Option<i64>,
    pub revenue: Option<i64>,
    pub segments: Option<Vec<String>>,
    /// When customers were first affected (RFC 3339).
    pub started_at: Option<String>,
}

/// A remediation item in a save: without `id` it becomes a new action item; with one it
/// changes that item.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RemediationDraft {
    pub id: Option<i64>,
    pub title: Option<String>,
    pub owner_id: Option<i64>,
    /// An RFC 3339 instant or a `YYYY-MM-DD` date (the end of that day, UTC).
    pub due: Option<String>,
    pub done: Option<bool>,
}

/// A facilitator's marks on a timeline entry.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NoteDraft {
    pub event_id: i64,
    pub pinned: Option<bool>,
    pub hidden: Option<bool>,
    pub note: Option<String>,
}

/// `PUT /api/v1/escalations/{id}/postmortem`: saves a draft; every field is optional and
/// only the sections sent change. With `version`, a section someone else saved since that
/// version gets 409.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PostMortemDraft {
    pub summary: Option<String>,
    pub impact: Option<ImpactDraft>,
    pub times: Option<TimesDraft>,
    pub root_causes: Option<Vec<String>>,
    pub contributing_factors: Option<String>,
    pub went_well: Option<String>,
    pub went_poorly: Option<String>,
    pub got_lucky: Option<String>,
    pub learnings: Option<String>,
    pub remediation: Option<Vec<RemediationDraft>>,
    /// Pins, notes and hidden marks on timeline entries (facilitators).
    pub timeline: Option<Vec<NoteDraft>>,
    /// Only `draft` is accepted here; review goes through `submit` and `approve`.
    pub status: Option<String>,
    pub version: Option<i64>,
}

/// A remediation item checked for saving.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidRemediation {
    pub id: Option<i64>,
    pub title: String,
    pub owner_id: i64,
    pub due_at: Option<DateTime<Utc>>,
    pub done: Option<bool>,
}

/// What a valid save changes besides the stored sections.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Applied {
    /// The sections the save names.
    pub touched: Vec<Section>,
    pub impact_started_at: Option<DateTime<Utc>>,
    pub remediation: Vec<ValidRemediation>,
}

fn list(values: &[String]) -> Vec<String> {
    values
        .iter()
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
        .collect()
}

impl PostMortemDraft {
    /// The sections this save names, in `Section::ALL`'s order.
    pub fn touched(&self) -> Vec<Section> {
        Section::ALL.into_iter().filter(|s| s.is_in(self)).collect()
    }

    /// Checks the save and writes its sections into `into`, all or nothing; every refused
    /// field is named (`remediation[0].owner_id`, `times.detect.reason`, …).
    pub fn apply(&self, into: &mut Sections, now: DateTime<Utc>) -> Result<Applied, FieldErrors> {
        let mut next = into.clone();
        let applied = self.apply_to(&mut next, now)?;
        *into = next;
        Ok(applied)
    }

    fn apply_to(
        &self,
        sections: &mut Sections,
        now: DateTime<Utc>,
    ) -> Result<Applied, FieldErrors> {
        let mut check = Checker::default();
        if let Some(status) = self.status.as_deref().map(str::trim)
            && !status.is_empty()
            && status != "draft"
        {
            check.fail(
                "status",
                "cannot be set here: submit for review, then reviewers approve",
            );
        }
        for section in Section::ALL {
            if let Body::Prose(prose) = section.declared().body
                && let Some(value) = (prose.sent)(self)
            {
                *(prose.stored)(sections) = check.text(section.key(), Some(value));
            }
        }
        for (name, len) in [
            ("root_causes", self.root_causes.as_ref().map(Vec::len)),
            (
                "impact.segments",
                self.impact
                    .as_ref()
                    .and_then(|i| i.segments.as_ref())
                    .map(Vec::len),
            ),
            ("remediation", self.remediation.as_ref().map(Vec::len)),
            ("timeline", self.timeline.as_ref().map(Vec::len)),
        ] {
            check.at_most(name, len.unwrap_or_default(), MAX_ITEMS);
        }
        if check.has_failed() {
            return check.finish(Applied::default());
        }
        if let Some(causes) = &self.root_causes {
            let causes = list(causes);
            for (i, cause) in causes.iter().enumerate() {
                check.text(&format!("root_causes[{i}]"), Some(cause));
            }
            sections.root_causes = causes;
        }
        let mut applied = Applied {
            touched: self.touched(),
            ..Default::default()
        };
        if let Some(impact) = &self.impact {
            applied.impact_started_at = apply_impact(&mut check, impact, sections, now);
        }
        if let Some(times) = &self.times {
            apply_times(&mut check, times, sections);
        }
        if let Some(items) = &self.remediation {
            applied.remediation = check_remediation(&mut check, items, now);
        }
        if let Some(notes) = &self.timeline {
            apply_notes(&mut check, notes, sections);
        }
        check.finish(applied)
    }
}

/// Writes the impact figures; returns when customers were first affected, if sent.
fn apply_impact(
    check: &mut Checker,
    impact: &ImpactDraft,
    sections: &mut Sections,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    for (name, value) in [
        ("impact.customers_affected", impact.customers_affected),
        ("impact.revenue", impact.revenue),
    ] {
        if value.is_some_and(|v| v < 0) {
            check.fail(name, "must not be negative");
        }
    }
    let segments = list(impact.segments.as_deref().unwrap_or_default());
    for (i, segment) in segments.iter().enumerate() {
        check.line(&format!("impact.segments[{i}]"), segment);
    }
    sections.impact = Impact {
        customers_affected: impact.customers_affected,
        revenue: impact.revenue,
        segments,
    };
    let started = check.instant("impact.started_at", impact.started_at.as_deref(), None);
    if started.is_some_and(|at| at > now) {
        check.fail("impact.started_at", "must not be in the future");
    }
    started
}

/// Writes the corrections sent: each needs a reason; `minutes: null` removes one.
fn apply_times(check: &mut Checker, times: &TimesDraft, sections: &mut Sections) {
    for (measure, draft) in Measure::ALL.into_iter().zip([
        &times.detect,
        &times.acknowledge,
        &times.mitigate,
        &times.resolve,
    ]) {
        let Some(draft) = draft else { continue };
        let name = format!("times.{}", measure.as_str());
        match draft.minutes {
            None => {
                sections.corrections.remove(&measure);
            }
            Some(minutes) => {
                if minutes < 0 {
                    check.fail(&format!("{name}.minutes"), "must not be negative");
                }
                let reason = draft.reason.as_deref().unwrap_or_default().trim();
                if reason.is_empty() {
                    check.fail(
                        &format!("{name}.reason"),
                        "is required: say why the computed time is wrong",
                    );
                }
                let reason = check.text(&format!("{name}.reason"), Some(reason));
                sections
                    .corrections
                    .insert(measure, Correction { minutes, reason });
            }
        }
    }
}

/// The remediation items checked: each needs an owner, and a new one a due date.
fn check_remediation(
    check: &mut Checker,
    items: &[RemediationDraft],
    now: DateTime<Utc>,
) -> Vec<ValidRemediation> {
    let mut valid = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let name = |f: &str| format!("remediation[{i}].{f}");
        let title = check.name(&name("title"), item.title.as_deref());
        let owner_id = item.owner_id.unwrap_or_else(|| {
            check.fail(
                &name("owner_id"),
                "is required: every remediation item needs an owner",
            );
            0
        });
        // A new item must be due in the future; an existing one keeps its due time
        // unless a new one is sent.
        let due_at = check.due(&name("due"), item.due.as_deref(), now);
        if item.id.is_none() && due_at.is_none() {
            check.fail(
                &name("due"),
                "is required: every remediation item needs a due date",
            );
        }
        valid.push(ValidRemediation {
            id: item.id,
            title,
            owner_id,
            due_at,
            done: item.done,
        });
    }
    valid
}

/// Writes the facilitators' marks; an entry with no mark left is forgotten.
fn apply_notes(check: &mut Checker, notes: &[NoteDraft], sections: &mut Sections) {
    for draft in notes {
        let note = sections.notes.entry(draft.event_id).or_default();
        if let Some(pinned) = draft.pinned {
            note.pinned = pinned;
        }
        if let Some(hidden) = draft.hidden {
            note.hidden = hidden;
        }
        if let Some(text) = &draft.note {
            note.note = check.text(&format!("timeline.{}.note", draft.event_id), Some(text));
        }
    }
    sections.notes.retain(|_, n| *n != Note::default());
}
