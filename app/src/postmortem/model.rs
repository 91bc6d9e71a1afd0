//! Post-mortem wire types and the pure rules: which sections a save touches and whether it
//! conflicts, what publishing needs, the four computed times, the timeline's wording and
//! the Markdown export.

use crate::auth::model::Person;
use crate::error::FieldErrors;
use crate::escalation::EscalationId;
use crate::event::model::Event;
use crate::launch::LaunchId;
use crate::validate::{Checker, MAX_ITEMS};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Status {
    #[default]
    Draft,
    InReview,
    Published,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::InReview => "in_review",
            Self::Published => "published",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Draft => "Draft",
            Self::InReview => "In review",
            Self::Published => "Published",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        [Self::Draft, Self::InReview, Self::Published]
            .into_iter()
            .find(|s| s.as_str() == value)
    }
}

/// Who was affected and how much it cost.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
// Named apart from the escalation's `Impact` scores, or the OpenAPI document merges the two.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema), schema(as = PostMortemImpact))]
pub struct Impact {
    pub customers_affected: Option<i64>,
    /// Revenue at risk or lost, in whole currency units.
    pub revenue: Option<i64>,
    /// Regions or customer segments.
    pub segments: Vec<String>,
}

/// The four durations of the post-mortem.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    Detect,
    Acknowledge,
    Mitigate,
    Resolve,
}

impl Measure {
    pub const ALL: [Measure; 4] = [
        Self::Detect,
        Self::Acknowledge,
        Self::Mitigate,
        Self::Resolve,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Detect => "detect",
            Self::Acknowledge => "acknowledge",
            Self::Mitigate => "mitigate",
            Self::Resolve => "resolve",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Detect => "Time to detect",
            Self::Acknowledge => "Time to acknowledge",
            Self::Mitigate => "Time to mitigate",
            Self::Resolve => "Time to resolve",
        }
    }

    /// What the computed figure measures.
    pub fn span(self) -> &'static str {
        match self {
            Self::Detect => "from customers first affected to the escalation being raised",
            Self::Acknowledge => "from raised to first leaving Triggered",
            Self::Mitigate => {
                "from customers first affected to the first workaround in place (or resolution)"
            }
            Self::Resolve => "from customers first affected to Resolved",
        }
    }
}

/// A computed time replaced by hand, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Correction {
    pub minutes: i64,
    pub reason: String,
}

/// One of the four times: computed from the events, and the correction if someone made one.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Timing {
    /// The figure that counts: the correction's if there is one, else the computed one.
    pub minutes: Option<i64>,
    pub computed_minutes: Option<i64>,
    pub correction: Option<Correction>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Times {
    pub detect: Timing,
    pub acknowledge: Timing,
    pub mitigate: Timing,
    pub resolve: Timing,
}

impl Times {
    pub fn get(&self, measure: Measure) -> &Timing {
        match measure {
            Measure::Detect => &self.detect,
            Measure::Acknowledge => &self.acknowledge,
            Measure::Mitigate => &self.mitigate,
            Measure::Resolve => &self.resolve,
        }
    }

    /// The four figures from what was computed and what was corrected.
    pub fn new(computed: [Option<i64>; 4], corrections: &BTreeMap<Measure, Correction>) -> Self {
        let timing = |i: usize| {
            let correction = corrections.get(&Measure::ALL[i]).cloned();
            Timing {
                minutes: correction.as_ref().map(|c| c.minutes).or(computed[i]),
                computed_minutes: computed[i],
                correction,
            }
        };
        Self {
            detect: timing(0),
            acknowledge: timing(1),
            mitigate: timing(2),
            resolve: timing(3),
        }
    }
}

/// Minutes from `from` to `to`, never negative.
fn minutes(from: DateTime<Utc>, to: DateTime<Utc>) -> i64 {
    (to - from).num_minutes().max(0)
}

/// The four times from the escalation's events, in minutes (`None` while not yet reached):
/// detect = raised − impact start; acknowledge = first leaving Triggered − raised;
/// mitigate = first workaround (else resolution) − impact start; resolve = first move to
/// Resolved − impact start. `impact_started` defaults to when the escalation was raised.
pub fn computed_times(
    raised: DateTime<Utc>,
    impact_started: Option<DateTime<Utc>>,
    events: &[Event],
) -> [Option<i64>; 4] {
    let start = impact_started.unwrap_or(raised);
    let moved_to = |stage: &str| {
        events.iter().find(|e| {
            e.kind == "escalation.moved"
                && e.payload.get("stage").and_then(|s| s.as_str()) == Some(stage)
        })
    };
    let acknowledged = events.iter().find(|e| {
        e.kind == "escalation.moved"
            && e.payload.get("from").and_then(|s| s.as_str()) == Some("triggered")
    });
    let resolved = moved_to("resolved").map(|e| e.at);
    let workaround = events
        .iter()
        .find(|e| e.kind == "escalation.workaround_set")
        .map(|e| e.at);
    [
        Some(minutes(start, raised)),
        acknowledged.map(|e| minutes(raised, e.at)),
        workaround.or(resolved).map(|at| minutes(start, at)),
        resolved.map(|at| minutes(start, at)),
    ]
}

/// "45 min", "3 h 20 min", "2 d 4 h".
pub fn format_minutes(minutes: i64) -> String {
    let (d, h, m) = (minutes / 1_440, minutes % 1_440 / 60, minutes % 60);
    match (d, h, m) {
        (0, 0, m) => format!("{m} min"),
        (0, h, 0) => format!("{h} h"),
        (0, h, m) => format!("{h} h {m} min"),
        (d, 0, _) => format!("{d} d"),
        (d, h, _) => format!("{d} d {h} h"),
    }
}

/// A facilitator's marks on one timeline entry.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Note {
    pub pinned: bool,
    pub hidden: bool,
    pub note: String,
}

/// One entry of the timeline: an event of the escalation, in words.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TimelineEntry {
    pub event_id: i64,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub kind: String,
    pub text: String,
    pub pinned: bool,
    pub hidden: bool,
    pub note: String,
}

fn field<'a>(event: &'a Event, name: &str) -> &'a str {
    event
        .payload
        .get(name)
        .and_then(|v| v.as_str())
        .unwrap_or_default()
}

fn stage_label(value: &str) -> &str {
    crate::escalation::Stage::parse(value).map_or(value, |s| s.label())
}

/// What an event says, in a sentence (the text people wrote is quoted as written).
pub fn describe(event: &Event) -> String {
    match event.kind.as_str() {
        "escalation.created" => format!("Raised: {}", field(event, "title")),
        "escalation.moved" => {
            let reason = field(event, "reason");
            let mut text = format!(
                "Moved from {} to {}",
                stage_label(field(event, "from")),
                stage_label(field(event, "stage"))
            );
            if !reason.is_empty() {
                text.push_str(&format!(" ({reason})"));
            }
            text
        }
        "escalation.updated" => "Details changed".to_string(),
        "escalation.workaround_set" => format!("Workaround: {}", field(event, "workaround")),
        "escalation.reescalated" => "Re-escalated: the workaround expired".to_string(),
        "update.posted" => format!(
            "Update: {} — impact: {} — mitigation: {}",
            field(event, "problem"),
            field(event, "impact"),
            field(event, "mitigation")
        ),
        "decision_request.opened" => format!("Decision requested: {}", field(event, "question")),
        "decision_request.stalled" => "Decision request stalled".to_string(),
        "decision.recorded" => format!(
            "Decision: {} — because {}",
            field(event, "decision"),
            field(event, "rationale")
        ),
        "meeting.called" => "Urgent meeting with the senior sponsor called".to_string(),
        "action_item.created" => format!("Action item: {}", field(event, "title")),
        "action_item.done" => "Action item done".to_string(),
        "raci.saved" => "Responsibilities (RACI) changed".to_string(),
        other => other.replace(['.', '_'], " "),
    }
}

/// The timeline: every event of the escalation but the post-mortem's own, in order, with
/// the facilitators' pins, notes and hidden marks.
pub fn timeline(events: &[Event], notes: &BTreeMap<i64, Note>) -> Vec<TimelineEntry> {
    events
        .iter()
        .filter(|e| !e.kind.starts_with("postmortem.") && !e.kind.starts_with("notification"))
        .map(|e| {
            let note = notes.get(&e.id.0).cloned().unwrap_or_default();
            TimelineEntry {
                event_id: e.id.0,
                at: e.at,
                actor: e.actor.name.clone(),
                kind: e.kind.clone(),
                text: describe(e),
                pinned: note.pinned,
                hidden: note.hidden,
                note: note.note,
            }
        })
        .collect()
}

/// A remediation item as the post-mortem shows it: an ordinary action item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Remediation {
    /// The action item's id.
    pub id: i64,
    pub title: String,
    pub owner_id: i64,
    pub owner_name: String,
    pub due: DateTime<Utc>,
    pub done: bool,
    pub overdue: bool,
}

/// A correction added after publishing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Addendum {
    pub at: DateTime<Utc>,
    pub author: String,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Reviewer {
    pub id: i64,
    pub name: String,
    pub approved: bool,
}

/// The written sections, stored as one document.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Sections {
    pub summary: String,
    pub impact: Impact,
    pub corrections: BTreeMap<Measure, Correction>,
    pub root_causes: Vec<String>,
    pub contributing_factors: String,
    pub went_well: String,
    pub went_poorly: String,
    pub got_lucky: String,
    pub learnings: String,
    pub notes: BTreeMap<i64, Note>,
    pub addenda: Vec<Addendum>,
    /// The version at which each section last changed (for section-level conflicts).
    pub changed: BTreeMap<String, i64>,
}

/// `GET /api/v1/escalations/{id}/postmortem`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PostMortem {
    pub escalation_id: EscalationId,
    pub escalation_title: String,
    pub launch_id: LaunchId,
    pub tier: u8,
    pub status: Status,
    /// 0 until the first save.
    pub version: i64,
    pub summary: String,
    pub impact: Impact,
    /// When customers were first affected (defaults to when the escalation was raised).
    pub impact_started_at: DateTime<Utc>,
    pub times: Times,
    pub root_causes: Vec<String>,
    pub contributing_factors: String,
    pub went_well: String,
    pub went_poorly: String,
    pub got_lucky: String,
    pub learnings: String,
    pub remediation: Vec<Remediation>,
    pub timeline: Vec<TimelineEntry>,
    pub reviewers: Vec<Reviewer>,
    pub author: Option<Person>,
    pub addenda: Vec<Addendum>,
    pub updated_at: Option<DateTime<Utc>>,
    pub updated_by: Option<String>,
    pub published_at: Option<DateTime<Utc>>,
    /// The version at which each section last changed.
    pub changed: BTreeMap<String, i64>,
}

/// The sections a save names, in the order the page shows them.
pub const SECTIONS: [&str; 11] = [
    "summary",
    "impact",
    "times",
    "root_causes",
    "contributing_factors",
    "went_well",
    "went_poorly",
    "got_lucky",
    "learnings",
    "remediation",
    "timeline",
];

/// A section's name as the page shows it.
pub fn section_label(section: &str) -> &'static str {
    match section {
        "summary" => "Summary",
        "impact" => "Customer impact",
        "times" => "Times",
        "root_causes" => "Root causes",
        "contributing_factors" => "Contributing factors",
        "went_well" => "What went well",
        "went_poorly" => "What went poorly",
        "got_lucky" => "Where we got lucky",
        "learnings" => "Learnings",
        "remediation" => "Remediation",
        "timeline" => "Timeline",
        _ => "a section",
    }
}

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
    pub touched: Vec<&'static str>,
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
    /// The sections this save names.
    pub fn touched(&self) -> Vec<&'static str> {
        let present = [
            self.summary.is_some(),
            self.impact.is_some(),
            self.times.is_some(),
            self.root_causes.is_some(),
            self.contributing_factors.is_some(),
            self.went_well.is_some(),
            self.went_poorly.is_some(),
            self.got_lucky.is_some(),
            self.learnings.is_some(),
            self.remediation.is_some(),
            self.timeline.is_some(),
        ];
        SECTIONS
            .into_iter()
            .zip(present)
            .filter_map(|(s, p)| p.then_some(s))
            .collect()
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
        let text = |check: &mut Checker, name: &str, value: &Option<String>, into: &mut String| {
            if let Some(value) = value {
                *into = check.text(name, Some(value));
            }
        };
        text(&mut check, "summary", &self.summary, &mut sections.summary);
        text(
            &mut check,
            "contributing_factors",
            &self.contributing_factors,
            &mut sections.contributing_factors,
        );
        text(
            &mut check,
            "went_well",
            &self.went_well,
            &mut sections.went_well,
        );
        text(
            &mut check,
            "went_poorly",
            &self.went_poorly,
            &mut sections.went_poorly,
        );
        text(
            &mut check,
            "got_lucky",
            &self.got_lucky,
            &mut sections.got_lucky,
        );
        text(
            &mut check,
            "learnings",
            &self.learnings,
            &mut sections.learnings,
        );
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
            applied.impact_started_at =
                check.instant("impact.started_at", impact.started_at.as_deref(), None);
            if applied.impact_started_at.is_some_and(|at| at > now) {
                check.fail("impact.started_at", "must not be in the future");
            }
        }
        if let Some(times) = &self.times {
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
        if let Some(items) = &self.remediation {
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
                applied.remediation.push(ValidRemediation {
                    id: item.id,
                    title,
                    owner_id,
                    due_at,
                    done: item.done,
                });
            }
        }
        if let Some(notes) = &self.timeline {
            for draft in notes {
                let note = sections.notes.entry(draft.event_id).or_default();
                if let Some(pinned) = draft.pinned {
                    note.pinned = pinned;
                }
                if let Some(hidden) = draft.hidden {
                    note.hidden = hidden;
                }
                if let Some(text) = &draft.note {
                    note.note =
                        check.text(&format!("timeline.{}.note", draft.event_id), Some(text));
                }
            }
            sections.notes.retain(|_, n| *n != Note::default());
        }
        check.finish(applied)
    }
}

/// The sections of a save that someone else changed after `base` (the version the saver
/// last saw): a save touching any of them is stale.
pub fn conflicts(changed: &BTreeMap<String, i64>, touched: &[&str], base: i64) -> Vec<String> {
    touched
        .iter()
        .filter(|s| changed.get(**s).is_some_and(|v| *v > base))
        .map(|s| s.to_string())
        .collect()
}

/// What must be written before a post-mortem can go to review or be published.
pub fn missing_for_review(sections: &Sections) -> FieldErrors {
    let mut missing = FieldErrors::new();
    let mut need = |field: &str, empty: bool, why: &str| {
        if empty {
            missing.insert(field.to_string(), why.to_string());
        }
    };
    need(
        "summary",
        sections.summary.is_empty(),
        "is required to publish: what happened, in a few sentences",
    );
    need(
        "impact.customers_affected",
        sections.impact.customers_affected.is_none(),
        "is required to publish: how many customers were affected (0 if none)",
    );
    need(
        "root_causes",
        sections.root_causes.is_empty(),
        "is required to publish: at least one root cause",
    );
    need(
        "learnings",
        sections.learnings.is_empty(),
        "is required to publish: what we learned",
    );
    missing
}

/// One post-mortem in the index.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PostMortemSummary {
    pub escalation_id: EscalationId,
    pub escalation_title: String,
    pub launch_id: LaunchId,
    pub launch_name: String,
    pub tier: u8,
    pub status: Status,
    pub open_remediation: i64,
    pub overdue_remediation: i64,
    pub updated_at: DateTime<Utc>,
}

/// Post-mortems with overdue remediation first, then open remediation, then newest.
pub fn sort_index(items: &mut [PostMortemSummary]) {
    items.sort_by(|a, b| {
        (b.overdue_remediation > 0)
            .cmp(&(a.overdue_remediation > 0))
            .then(b.overdue_remediation.cmp(&a.overdue_remediation))
            .then(b.open_remediation.cmp(&a.open_remediation))
            .then(b.updated_at.cmp(&a.updated_at))
    });
}

/// Text as Markdown shows it literally: markup and script stay text.
pub fn md_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '|' | '!' | '~' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// A paragraph of user text, or a dash when it is empty.
fn md_block(text: &str) -> String {
    if text.trim().is_empty() {
        "—".to_string()
    } else {
        text.lines().map(md_text).collect::<Vec<_>>().join("  \n")
    }
}

fn md_time(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// The post-mortem as Markdown: every section, the timeline (hidden entries left out) and
/// the remediation table.
pub fn to_markdown(pm: &PostMortem) -> String {
    use std::fmt::Write;
    let mut md = String::new();
    let _ = writeln!(md, "# Post-mortem: {}\n", md_text(&pm.escalation_title));
    let _ = writeln!(
        md,
        "Tier {} · {} · escalation #{}{}\n",
        pm.tier,
        pm.status.label(),
        pm.escalation_id,
        pm.published_at
            .map(|at| format!(" · published {}", md_time(at)))
            .unwrap_or_default()
    );
    let _ = writeln!(md, "## Summary\n\n{}\n", md_block(&pm.summary));
    let number = |n: Option<i64>| n.map_or("not stated".to_string(), |n| n.to_string());
    let segments = if pm.impact.segments.is_empty() {
        "not stated".to_string()
    } else {
        pm.impact
            .segments
            .iter()
            .map(|s| md_text(s))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let _ = writeln!(
        md,
        "## Customer impact\n\n- Customers affected: {}\n- Revenue at risk or lost: {}\n- Regions or segments: {}\n- Customers first affected: {}\n",
        number(pm.impact.customers_affected),
        number(pm.impact.revenue),
        segments,
        md_time(pm.impact_started_at)
    );
    let _ = writeln!(md, "## Times\n\n| Measure | Time | Note |\n|---|---|---|");
    for measure in Measure::ALL {
        let timing = pm.times.get(measure);
        let time = timing
            .minutes
            .map_or("not reached".to_string(), format_minutes);
        let note = match &timing.correction {
            Some(c) => format!(
                "corrected from {}: {}",
                timing
                    .computed_minutes
                    .map_or("not reached".to_string(), format_minutes),
                md_text(&c.reason)
            ),
            None => "computed from the events".to_string(),
        };
        let _ = writeln!(md, "| {} | {time} | {note} |", measure.label());
    }
    md.push('\n');
    let _ = writeln!(md, "## Root causes\n");
    if pm.root_causes.is_empty() {
        md.push_str("—\n");
    }
    for cause in &pm.root_causes {
        let _ = writeln!(md, "- {}", md_text(cause));
    }
    md.push('\n');
    for (title, text) in [
        ("Contributing factors", &pm.contributing_factors),
        ("What went well", &pm.went_well),
        ("What went poorly", &pm.went_poorly),
        ("Where we got lucky", &pm.got_lucky),
        ("Learnings", &pm.learnings),
    ] {
        let _ = writeln!(md, "## {title}\n\n{}\n", md_block(text));
    }
    let _ = writeln!(
        md,
        "## Remediation\n\n| Item | Owner | Due | Done |\n|---|---|---|---|"
    );
    for item in &pm.remediation {
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} |",
            md_text(&item.title),
            md_text(&item.owner_name),
            item.due.format("%Y-%m-%d"),
            if item.done { "yes" } else { "no" }
        );
    }
    md.push('\n');
    let _ = writeln!(md, "## Timeline\n");
    for entry in pm.timeline.iter().filter(|e| !e.hidden) {
        let pin = if entry.pinned { " (pinned)" } else { "" };
        let _ = writeln!(
            md,
            "- {} — {}: {}{pin}",
            md_time(entry.at),
            md_text(&entry.actor),
            md_text(&entry.text)
        );
        if !entry.note.is_empty() {
            let _ = writeln!(md, "  - Note: {}", md_text(&entry.note));
        }
    }
    if !pm.addenda.is_empty() {
        let _ = writeln!(md, "\n## Addenda\n");
        for addendum in &pm.addenda {
            let _ = writeln!(
                md,
                "- {} — {}: {}",
                md_time(addendum.at),
                md_text(&addendum.author),
                md_text(&addendum.text)
            );
        }
    }
    if !pm.reviewers.is_empty() {
        let names: Vec<String> = pm
            .reviewers
            .iter()
            .map(|r| {
                format!(
                    "{} ({})",
                    md_text(&r.name),
                    if r.approved { "approved" } else { "pending" }
                )
            })
            .collect();
        let _ = writeln!(md, "\nReviewers: {}", names.join(", "));
    }
    md
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::model::{EventActor, EventId};
    use serde_json::json;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn event(id: i64, when: &str, kind: &str, payload: serde_json::Value) -> Event {
        Event {
            id: EventId(id),
            at: at(when),
            actor: EventActor {
                id: None,
                name: "Ada Park".into(),
                email: String::new(),
            },
            entity: "escalation".into(),
            entity_id: 7,
            escalation_id: Some(EscalationId(7)),
            launch_id: Some(LaunchId(1)),
            kind: kind.into(),
            payload,
        }
    }

    fn events() -> Vec<Event> {
        vec![
            event(
                1,
                "2026-11-20T10:00:00Z",
                "escalation.created",
                json!({"title": "Checkout 500s"}),
            ),
            event(
                2,
                "2026-11-20T10:12:00Z",
                "escalation.moved",
                json!({"from": "triggered", "stage": "triaged"}),
            ),
            event(
                3,
                "2026-11-20T10:30:00Z",
                "escalation.moved",
                json!({"from": "triaged", "stage": "mitigating"}),
            ),
            event(
                4,
                "2026-11-20T11:05:00Z",
                "escalation.workaround_set",
                json!({"workaround": "Route to the old gateway"}),
            ),
            event(
                5,
                "2026-11-20T13:40:00Z",
                "escalation.moved",
                json!({"from": "mitigating", "stage": "resolved"}),
            ),
            event(
                6,
                "2026-11-20T14:00:00Z",
                "escalation.moved",
                json!({"from": "resolved", "stage": "mitigating"}),
            ),
            event(
                7,
                "2026-11-20T15:00:00Z",
                "escalation.moved",
                json!({"from": "mitigating", "stage": "resolved"}),
            ),
        ]
    }

    #[test]
    fn times_are_computed_from_the_events() {
        let raised = at("2026-11-20T10:00:00Z");
        let started = at("2026-11-20T09:15:00Z");
        // Detect 45 min; acknowledge 12 min after raising; mitigate at the first
        // workaround (1 h 50 min after impact); resolve at the first resolution (4 h 25 min).
        assert_eq!(
            computed_times(raised, Some(started), &events()),
            [Some(45), Some(12), Some(110), Some(265)]
        );
        // Impact start defaults to when it was raised.
        assert_eq!(computed_times(raised, None, &events())[0], Some(0));
        // Without a workaround, mitigation is the resolution; unreached times are None.
        let early: Vec<Event> = events().into_iter().filter(|e| e.id.0 != 4).collect();
        assert_eq!(computed_times(raised, None, &early)[2], Some(220));
        assert_eq!(
            computed_times(raised, None, &events()[..1]),
            [Some(0), None, None, None]
        );
    }

    #[test]
    fn corrections_replace_computed_times_and_need_a_reason() {
        let mut sections = Sections::default();
        let now = at("2026-11-26T12:00:00Z");
        let draft = PostMortemDraft {
            times: Some(TimesDraft {
                detect: Some(CorrectionDraft {
                    minutes: Some(30),
                    reason: Some("The first ticket came at 09:30".into()),
                }),
                acknowledge: Some(CorrectionDraft {
                    minutes: Some(5),
                    reason: None,
                }),
                ..Default::default()
            }),
            ..Default::default()
        };
        let errors = draft.apply(&mut sections, now).unwrap_err();
        assert_eq!(
            errors.keys().collect::<Vec<_>>(),
            ["times.acknowledge.reason"]
        );
        let draft = PostMortemDraft {
            times: Some(TimesDraft {
                detect: Some(CorrectionDraft {
                    minutes: Some(30),
                    reason: Some("The first ticket came at 09:30".into()),
                }),
                ..Default::default()
            }),
            ..Default::default()
        };
        draft.apply(&mut sections, now).unwrap();
        let times = Times::new([Some(45), Some(12), None, None], &sections.corrections);
        assert_eq!(times.detect.minutes, Some(30));
        assert_eq!(times.detect.computed_minutes, Some(45));
        assert_eq!(times.acknowledge.minutes, Some(12));
        // `minutes: null` goes back to the computed figure.
        let clear = PostMortemDraft {
            times: Some(TimesDraft {
                detect: Some(CorrectionDraft::default()),
                ..Default::default()
            }),
            ..Default::default()
        };
        clear.apply(&mut sections, now).unwrap();
        assert!(sections.corrections.is_empty());
    }

    #[test]
    fn remediation_items_need_an_owner_and_a_due_date() {
        let now = at("2026-11-26T12:00:00Z");
        let draft = PostMortemDraft {
            remediation: Some(vec![
                RemediationDraft {
                    title: Some("Alert on gateway 5xx".into()),
                    ..Default::default()
                },
                RemediationDraft {
                    title: Some("Load test".into()),
                    owner_id: Some(2),
                    due: Some("2026-12-10".into()),
                    ..Default::default()
                },
                RemediationDraft {
                    id: Some(9),
                    title: Some("Existing".into()),
                    owner_id: Some(2),
                    done: Some(true),
                    ..Default::default()
                },
            ]),
            ..Default::default()
        };
        let errors = draft.apply(&mut Sections::default(), now).unwrap_err();
        assert_eq!(
            errors.keys().collect::<Vec<_>>(),
            ["remediation[0].due", "remediation[0].owner_id"]
        );
    }

    #[test]
    fn only_sections_changed_since_the_savers_version_conflict() {
        let changed = BTreeMap::from([("summary".to_string(), 4), ("learnings".to_string(), 6)]);
        assert_eq!(
            conflicts(&changed, &["summary", "went_well"], 5),
            Vec::<String>::new()
        );
        assert_eq!(
            conflicts(&changed, &["summary", "learnings"], 5),
            ["learnings"]
        );
        assert_eq!(
            conflicts(&changed, &["summary", "learnings"], 3),
            ["summary", "learnings"]
        );
        let draft = PostMortemDraft {
            summary: Some("x".into()),
            learnings: Some(String::new()),
            ..Default::default()
        };
        assert_eq!(draft.touched(), ["summary", "learnings"]);
    }

    #[test]
    fn review_needs_the_required_sections() {
        let mut sections = Sections::default();
        assert_eq!(
            missing_for_review(&sections).keys().collect::<Vec<_>>(),
            [
                "impact.customers_affected",
                "learnings",
                "root_causes",
                "summary"
            ]
        );
        sections.summary = "Checkout failed".into();
        sections.impact.customers_affected = Some(0);
        sections.root_causes = vec!["Expired certificate".into()];
        sections.learnings = "Watch expiry dates".into();
        assert!(missing_for_review(&sections).is_empty());
        let status = PostMortemDraft {
            status: Some("published".into()),
            ..Default::default()
        };
        assert!(
            status
                .apply(&mut sections, Utc::now())
                .unwrap_err()
                .contains_key("status")
        );
    }

    #[test]
    fn markup_stays_text_in_markdown() {
        assert_eq!(
            md_text("<script>alert(1)</script> **bold** [x](y)"),
            r"&lt;script&gt;alert(1)&lt;/script&gt; \*\*bold\*\* \[x\](y)"
        );
    }

    fn full() -> PostMortem {
        let mut corrections = BTreeMap::new();
        corrections.insert(
            Measure::Detect,
            Correction {
                minutes: 30,
                reason: "First ticket at 09:30".into(),
            },
        );
        let notes = BTreeMap::from([
            (
                2,
                Note {
                    pinned: true,
                    hidden: false,
                    note: "Paged <on-call> quickly".into(),
                },
            ),
            (
                6,
                Note {
                    pinned: false,
                    hidden: true,
                    note: String::new(),
                },
            ),
        ]);
        PostMortem {
            escalation_id: EscalationId(7),
            escalation_title: "Checkout 500s".into(),
            launch_id: LaunchId(1),
            tier: 1,
            status: Status::Published,
            version: 9,
            summary: "Card payments failed for 4 hours.\nEU only.".into(),
            impact: Impact {
                customers_affected: Some(1200),
                revenue: Some(85000),
                segments: vec!["EU".into(), "Enterprise".into()],
            },
            impact_started_at: at("2026-11-20T09:15:00Z"),
            times: Times::new(
                computed_times(
                    at("2026-11-20T10:00:00Z"),
                    Some(at("2026-11-20T09:15:00Z")),
                    &events(),
                ),
                &corrections,
            ),
            root_causes: vec![
                "Expired TLS certificate on the gateway".into(),
                "No expiry alert".into(),
            ],
            contributing_factors: "Freeze week".into(),
            went_well: "Fast workaround".into(),
            went_poorly: String::new(),
            got_lucky: "Low traffic on a Friday".into(),
            learnings: "Alert 30 days before expiry".into(),
            remediation: vec![Remediation {
                id: 11,
                title: "Certificate expiry alerts".into(),
                owner_id: 3,
                owner_name: "Kofi Mensah".into(),
                due: at("2026-12-04T23:59:59Z"),
                done: false,
                overdue: false,
            }],
            timeline: timeline(&events(), &notes),
            reviewers: vec![Reviewer {
                id: 4,
                name: "Sam Ortiz".into(),
                approved: true,
            }],
            author: None,
            addenda: vec![],
            updated_at: None,
            updated_by: None,
            published_at: Some(at("2026-11-22T16:00:00Z")),
            changed: BTreeMap::new(),
        }
    }

    #[test]
    fn the_markdown_export_holds_every_section() {
        let expected = r"# Post-mortem: Checkout 500s

Tier 1 · Published · escalation #7 · published 2026-11-22 16:00 UTC

## Summary

Card payments failed for 4 hours.  
EU only.

## Customer impact

- Customers affected: 1200
- Revenue at risk or lost: 85000
- Regions or segments: EU, Enterprise
- Customers first affected: 2026-11-20 09:15 UTC

## Times

| Measure | Time | Note |
|---|---|---|
| Time to detect | 30 min | corrected from 45 min: First ticket at 09:30 |
| Time to acknowledge | 12 min | computed from the events |
| Time to mitigate | 1 h 50 min | computed from the events |
| Time to resolve | 4 h 25 min | computed from the events |

## Root causes

- Expired TLS certificate on the gateway
- No expiry alert

## Contributing factors

Freeze week

## What went well

Fast workaround

## What went poorly

—

## Where we got lucky

Low traffic on a Friday

## Learnings

Alert 30 days before expiry

## Remediation

| Item | Owner | Due | Done |
|---|---|---|---|
| Certificate expiry alerts | Kofi Mensah | 2026-12-04 | no |

## Timeline

- 2026-11-20 10:00 UTC — Ada Park: Raised: Checkout 500s
- 2026-11-20 10:12 UTC — Ada Park: Moved from Triggered to Triaged (pinned)
  - Note: Paged &lt;on-call&gt; quickly
- 2026-11-20 10:30 UTC — Ada Park: Moved from Triaged to Mitigating
- 2026-11-20 11:05 UTC — Ada Park: Workaround: Route to the old gateway
- 2026-11-20 13:40 UTC — Ada Park: Moved from Mitigating to Resolved
- 2026-11-20 15:00 UTC — Ada Park: Moved from Mitigating to Resolved

Reviewers: Sam Ortiz (approved)
";
        assert_eq!(to_markdown(&full()), expected);
    }

    #[test]
    fn the_index_puts_overdue_remediation_first() {
        let item = |id: i64, open, overdue, updated: &str| PostMortemSummary {
            escalation_id: EscalationId(id),
            escalation_title: format!("E{id}"),
            launch_id: LaunchId(1),
            launch_name: "L".into(),
            tier: 2,
            status: Status::Draft,
            open_remediation: open,
            overdue_remediation: overdue,
            updated_at: at(updated),
        };
        let mut items = vec![
            item(1, 0, 0, "2026-11-25T00:00:00Z"),
            item(2, 2, 1, "2026-11-20T00:00:00Z"),
            item(3, 3, 0, "2026-11-21T00:00:00Z"),
            item(4, 0, 0, "2026-11-26T00:00:00Z"),
        ];
        sort_index(&mut items);
        assert_eq!(
            items.iter().map(|i| i.escalation_id.0).collect::<Vec<_>>(),
            [2, 3, 4, 1]
        );
    }
}
