//! One sample of every event kind, for the round-trip tests.

use super::super::*;

pub(super) fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

pub(super) fn tier(n: u8) -> Tier {
    Tier::new(i64::from(n)).unwrap()
}

pub(super) fn impact() -> Impact {
    Impact {
        customer: 4,
        revenue: 2,
        compliance: 0,
    }
}

/// One sample of every kind, each optional field set (so every field name shows).
pub(super) fn samples() -> Vec<Change> {
    let when = at("2026-11-20T10:00:00.123456Z");
    let date = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    vec![
        EscalationCreated {
            title: "Checkout fails".into(),
            description: "EU cards".into(),
            trigger: Trigger::CustomerDefect,
            tier: tier(1),
            impact: impact(),
            priority: 76,
            stage: Stage::Triggered,
            owner_id: Some(3),
            deadline: Some(when),
            version: 1,
        }
        .into(),
        EscalationMoved {
            from: Stage::Triggered,
            stage: Stage::Triaged,
            version: 2,
            acknowledged_at: Some(when),
            reason: Some("duplicate".into()),
            outcome: Some("Rolled back".into()),
            risk_posture: Some(crate::escalation::RiskPosture {
                level: crate::escalation::RiskLevel::Medium,
                note: "Fallback has no spare capacity".into(),
            }),
        }
        .into(),
        EscalationUpdated {
            title: Some("Checkout fails in the EU".into()),
            description: Some("All cards".into()),
            trigger: Some(Trigger::PlanDeviation),
            tier: Some(tier(2)),
            impact: Some(impact()),
            priority: Some(52),
            owner_id: Some(Some(4)),
            deadline: Some(None),
            version: 3,
        }
        .into(),
        EscalationWorkaroundSet {
            workaround: "Route to the old gateway".into(),
            expires_at: when,
            root_cause_item_id: 11,
            version: 4,
        }
        .into(),
        EscalationReescalated {
            reason: "workaround expired before its root cause was fixed".into(),
            tier: tier(1),
            priority: 70,
            version: 5,
        }
        .into(),
        UpdatePosted {
            problem: "500s".into(),
            impact: "EU".into(),
            mitigation: "failover".into(),
            decision_required: Some("Roll back?".into()),
            at: when,
        }
        .into(),
        DecisionRequestOpened {
            question: "Roll back?".into(),
            addressed_to: 5,
            due_at: when,
        }
        .into(),
        DecisionRequestStalled {
            due_at: when,
            addressed_to: 5,
        }
        .into(),
        DecisionRecorded {
            decision: "Roll back".into(),
            rationale: "Safer".into(),
            participants: vec![5, 3],
            request_id: Some(8),
            corrects_id: Some(2),
            meeting_id: Some(1),
        }
        .into(),
        MeetingCalled {
            request_id: 8,
            starts_at: when,
            participants: vec![5, 3],
            agenda: "Roll back?".into(),
        }
        .into(),
        CriterionSaved {
            name: "Checkout p95".into(),
            kind: "service_level".into(),
            metric: "checkout.p95_ms".into(),
            rule: "checkout.p95_ms ≤ 800 ms".into(),
            breach_tier: tier(2),
            breach_trigger: Trigger::PlanDeviation,
            auto_escalate: true,
            version: 1,
        }
        .into(),
        CriterionRetired {
            name: "Checkout p95".into(),
            version: 2,
        }
        .into(),
        CriterionBreached {
            name: "Checkout p95".into(),
            rule: "checkout.p95_ms ≤ 800 ms".into(),
            value: 950.5,
            escalation_id: Some(12),
        }
        .into(),
        CriterionRecovered {
            name: "Checkout p95".into(),
            value: 420.0,
            escalation_id: Some(12),
        }
        .into(),
        MetricsRecorded {
            samples: 3,
            metrics: vec!["checkout.p95_ms".into(), "csat".into()],
        }
        .into(),
        ActionItemCreated {
            title: "Alert on expiry".into(),
            kind: ActionKind::RootCause,
            owner_id: 3,
            due: when,
        }
        .into(),
        ActionItemUpdated {
            title: "Alert on expiry".into(),
            owner_id: 4,
            due: when,
            done: false,
            version: 2,
        }
        .into(),
        ActionItemDone {
            done: true,
            version: 3,
        }
        .into(),
        ActionItemReopened {
            done: false,
            version: 4,
        }
        .into(),
        LaunchCreated {
            name: "Aurora".into(),
            target_date: date,
            description: String::new(),
            status: LaunchStatus::Planning,
            sponsor_id: Some(2),
            lead_id: Some(6),
        }
        .into(),
        LaunchUpdated {
            name: Some("Aurora 2".into()),
            target_date: Some(date),
            description: Some("Second wave".into()),
            status: Some(LaunchStatus::Live),
            sponsor_id: Some(None),
            lead_id: Some(Some(7)),
            version: 2,
        }
        .into(),
        LaunchAuthorityChanged {
            user_ids: vec![3, 4],
            before: vec![3],
        }
        .into(),
        PostmortemSaved {
            sections: vec!["summary".into(), "impact".into()],
            approvals_reset: true,
            version: 2,
            status: Status::InReview,
        }
        .into(),
        PostmortemSubmitted {
            reviewer_ids: vec![4],
            version: 3,
            status: Status::InReview,
        }
        .into(),
        PostmortemApproved {
            approved_by: UserId(4),
            version: 4,
            status: Status::InReview,
        }
        .into(),
        PostmortemPublished {
            approved_by: UserId(5),
            version: 5,
            status: Status::Published,
        }
        .into(),
        PostmortemAddendum {
            text: "The alert fired late.".into(),
            version: 6,
            status: Status::Published,
        }
        .into(),
        RaciSaved {
            version: 1,
            activities: vec!["Decide".into()],
            columns: vec!["3".into(), "role:engineering_lead".into()],
        }
        .into(),
        RotationSaved {
            version: 2,
            period_days: 7,
            starts_at: when,
            roles: BTreeMap::from([(FunctionalRole::EngineeringLead, vec![3, 4])]),
        }
        .into(),
        RunbookUpdated {
            version: 2,
            tiers: crate::runbook::Runbook::default().tiers[..1].to_vec(),
            reason: Some("Tier 1 acknowledges faster".into()),
            launch_id: None,
        }
        .into(),
        ReviewOpened {
            period: "2026-Q4".into(),
        }
        .into(),
        ReviewUpdated {
            version: 2,
            participants: vec![3, 4],
            findings: "Tier 2 updates are too frequent.".into(),
        }
        .into(),
        AdjustmentProposed {
            adjustment_id: 1,
            kind: "runbook".into(),
            change: serde_json::json!({"tier": 2, "update_minutes": 480}),
            reason: "Less noise".into(),
        }
        .into(),
        AdjustmentAdopted {
            adjustment_id: 1,
            result: "Runbook version 3".into(),
        }
        .into(),
        ReviewSignedOff {
            period: "2026-Q4".into(),
        }
        .into(),
        StepTicked {
            step: 0,
            text: "Page the team".into(),
            done: true,
        }
        .into(),
        CadenceCreated {
            name: "Daily stand-up".into(),
            kind: "standup".into(),
            every: "weekday".into(),
            at: "09:00".into(),
            timezone: "Europe/Berlin".into(),
            minutes_long: 15,
        }
        .into(),
        CadenceChanged {
            every: "weekday".into(),
            at: "10:00".into(),
            timezone: "Europe/Berlin".into(),
            minutes_long: 20,
            version: 2,
        }
        .into(),
        RaciTemplateChanged {
            version: 1,
            change: "“Customer communication”: Marketing A, Support R".into(),
        }
        .into(),
        MinutesWritten { version: 2 }.into(),
        NotificationCreated {
            recipient_id: UserId(3),
            kind: NotificationKind::OwnerAssigned,
            text: "You own it.".into(),
            escalation_id: Some(EscalationId(7)),
        }
        .into(),
        NotificationsRead {
            recipient_id: UserId(3),
            count: 2,
        }
        .into(),
        UserCreated {
            email: "ada@example.com".into(),
            name: "Ada".into(),
            role: Role::Member,
            functional_area: FunctionalArea::CustomerSuccess,
        }
        .into(),
        UserRoleChanged {
            role: Role::Facilitator,
        }
        .into(),
        UserEnabled {}.into(),
        UserDisabled {}.into(),
        UserPasswordChanged {}.into(),
        ApiTokenCreated {
            user_id: UserId(3),
            label: "ci".into(),
        }
        .into(),
        ApiTokenRevoked { user_id: UserId(3) }.into(),
        WebhookCreated {
            url: "https://hooks.example.com/flare".into(),
            events: vec!["escalation.moved".into()],
            launch_id: Some(1),
            format: "slack".into(),
        }
        .into(),
        WebhookDeleted {
            url: "https://hooks.example.com/flare".into(),
        }
        .into(),
        EscalationAcknowledgementMissed { due_at: when }.into(),
        EscalationUpdateMissed { due_at: when }.into(),
        ActionItemOverdue {
            title: "Certificate alerts".into(),
            owner_id: 4,
            due: when,
        }
        .into(),
    ]
}
