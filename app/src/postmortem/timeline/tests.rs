//! The times, sentences and timeline read from an escalation's events, and the export of a
//! post-mortem built from them end to end.

use super::*;
use crate::escalation::EscalationId;
use crate::event::model::{EventActor, EventId};
use crate::launch::LaunchId;
use crate::postmortem::model::{
    Correction, Impact, Measure, PostMortem, Remediation, Reviewer, Status, Times, to_markdown,
};

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn event(id: i64, when: &str, change: impl Into<Change>) -> Event {
    let change = change.into();
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
        kind: change.kind().into(),
        payload: change.payload().unwrap(),
    }
}

fn moved(from: Stage, stage: Stage, version: i64) -> EscalationMoved {
    EscalationMoved {
        from,
        stage,
        version,
        acknowledged_at: None,
        reason: None,
        outcome: None,
        risk_posture: None,
    }
}

fn events() -> Vec<Event> {
    use crate::escalation::{Impact, Tier, Trigger};
    use crate::event::change::EscalationCreated;
    use Stage::{Mitigating, Resolved, Triaged, Triggered};
    let raised = EscalationCreated {
        title: "Checkout 500s".into(),
        description: String::new(),
        trigger: Trigger::CustomerDefect,
        tier: Tier::new(1).unwrap(),
        impact: Impact::default(),
        priority: 60,
        stage: Triggered,
        owner_id: None,
        deadline: None,
        version: 1,
    };
    let workaround = EscalationWorkaroundSet {
        workaround: "Route to the old gateway".into(),
        expires_at: at("2026-11-21T11:05:00Z"),
        root_cause_item_id: 11,
        version: 4,
    };
    vec![
        event(1, "2026-11-20T10:00:00Z", raised),
        event(2, "2026-11-20T10:12:00Z", moved(Triggered, Triaged, 2)),
        event(3, "2026-11-20T10:30:00Z", moved(Triaged, Mitigating, 3)),
        event(4, "2026-11-20T11:05:00Z", workaround),
        event(5, "2026-11-20T13:40:00Z", moved(Mitigating, Resolved, 5)),
        event(6, "2026-11-20T14:00:00Z", moved(Resolved, Mitigating, 6)),
        event(7, "2026-11-20T15:00:00Z", moved(Mitigating, Resolved, 7)),
    ]
}

#[test]
fn an_event_whose_payload_does_not_decode_is_described_by_its_kind() {
    let mut partial = event(
        2,
        "2026-11-20T10:12:00Z",
        moved(Stage::Triggered, Stage::Triaged, 2),
    );
    assert_eq!(describe(&partial), "Moved from Triggered to Triaged");
    partial.payload = serde_json::json!({"stage": "triaged"});
    assert_eq!(describe(&partial), "escalation moved");
    partial.kind = EscalationUpdated::KIND.into();
    assert_eq!(describe(&partial), "Details changed");
    partial.kind = "webhook.created".into();
    assert_eq!(describe(&partial), "webhook created");
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
        outcome: Some("Rolled back the certificate rotation".into()),
        risk_posture: Some(crate::escalation::RiskPosture {
            level: crate::escalation::RiskLevel::Low,
            note: "Renewal is automated now".into(),
        }),
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
        timeline: entries(&events(), &notes),
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

**Outcome:** Rolled back the certificate rotation  
**Risk posture:** Low — Renewal is automated now

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
