//! What the post-mortem reads from the escalation's event log: the four times computed from
//! it, each event in a sentence, and the timeline with the facilitators' marks. This is the
//! one part of the post-mortem that knows the events' kinds (`crate::event::change`); the
//! wire types in `super::model` do not, so the event log may name a post-mortem's `Status`.

use super::model::{Note, TimelineEntry};
use crate::escalation::Stage;
use crate::event::change::{
    ActionItemDone, DecisionRequestStalled, EscalationMoved, EscalationReescalated,
    EscalationUpdated, EscalationWorkaroundSet, MeetingCalled, RaciSaved,
};
use crate::event::model::Event;
use crate::event::{Change, Payload};
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;

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
    let first_move = |moved: fn(&EscalationMoved) -> bool| {
        events
            .iter()
            .find(|e| e.payload_as::<EscalationMoved>().is_some_and(|m| moved(&m)))
    };
    let acknowledged = first_move(|m| m.from == Stage::Triggered);
    let resolved = first_move(|m| m.stage == Stage::Resolved).map(|e| e.at);
    let workaround = events
        .iter()
        .find(|e| e.kind == EscalationWorkaroundSet::KIND)
        .map(|e| e.at);
    [
        Some(minutes(start, raised)),
        acknowledged.map(|e| minutes(raised, e.at)),
        workaround.or(resolved).map(|at| minutes(start, at)),
        resolved.map(|at| minutes(start, at)),
    ]
}

/// What an event says, in a sentence (the text people wrote is quoted as written). An
/// event whose payload does not decode as its kind's is described by its kind alone.
pub fn describe(event: &Event) -> String {
    match event.change() {
        Ok(change) => describe_change(&change),
        Err(_) => describe_kind(&event.kind),
    }
}

fn describe_change(change: &Change) -> String {
    match change {
        Change::EscalationCreated(c) => format!("Raised: {}", c.title),
        Change::EscalationMoved(c) => {
            let mut text = format!("Moved from {} to {}", c.from.label(), c.stage.label());
            if let Some(reason) = c.reason.as_deref().filter(|r| !r.is_empty()) {
                text.push_str(&format!(" ({reason})"));
            }
            text
        }
        Change::EscalationWorkaroundSet(c) => format!("Workaround: {}", c.workaround),
        Change::UpdatePosted(c) => format!(
            "Update: {} — impact: {} — mitigation: {}",
            c.problem, c.impact, c.mitigation
        ),
        Change::DecisionRequestOpened(c) => format!("Decision requested: {}", c.question),
        Change::DecisionRecorded(c) => {
            format!("Decision: {} — because {}", c.decision, c.rationale)
        }
        Change::ActionItemCreated(c) => format!("Action item: {}", c.title),
        Change::StepTicked(c) if c.done => format!("Step {} done: {}", c.step + 1, c.text),
        Change::StepTicked(c) => format!("Step {} reopened: {}", c.step + 1, c.text),
        other => describe_kind(other.kind()),
    }
}

/// The sentence for a kind whose payload adds nothing to it (or did not decode).
fn describe_kind(kind: &str) -> String {
    match kind {
        EscalationUpdated::KIND => "Details changed".to_string(),
        EscalationReescalated::KIND => "Re-escalated: the workaround expired".to_string(),
        DecisionRequestStalled::KIND => "Decision request stalled".to_string(),
        MeetingCalled::KIND => "Urgent meeting with the senior sponsor called".to_string(),
        ActionItemDone::KIND => "Action item done".to_string(),
        RaciSaved::KIND => "Responsibilities (RACI) changed".to_string(),
        other => other.replace(['.', '_'], " "),
    }
}

/// The timeline: every event of the escalation but the post-mortem's own, in order, with
/// the facilitators' pins, notes and hidden marks.
pub fn entries(events: &[Event], notes: &BTreeMap<i64, Note>) -> Vec<TimelineEntry> {
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

#[cfg(test)]
mod tests;
