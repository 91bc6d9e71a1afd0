//! Readiness, the defect series and time to fix with a fixed clock.

use super::*;
use crate::measure::{Comparator, CriterionId, CriterionKind};

fn at(day: u32, hour: u32) -> DateTime<Utc> {
    NaiveDate::from_ymd_opt(2026, 12, day)
        .and_then(|d| d.and_hms_opt(hour, 0, 0))
        .unwrap()
        .and_utc()
}

fn tier(n: i64) -> Tier {
    Tier::new(n).unwrap()
}

fn criterion(name: &str, status: Status, current: Option<f64>) -> Criterion {
    Criterion {
        id: CriterionId(1),
        launch_id: LaunchId(1),
        name: name.into(),
        kind: CriterionKind::ServiceLevel,
        metric: "checkout.p95_ms".into(),
        comparator: Comparator::AtMost,
        threshold: 800.0,
        unit: Some("ms".into()),
        window_minutes: None,
        breach_tier: tier(2),
        breach_trigger: Trigger::PlanDeviation,
        auto_escalate: true,
        version: 1,
        status,
        current,
        breached_at: None,
        created_at: at(1, 0),
        updated_at: at(1, 0),
    }
}

fn open(title: &str, n: i64) -> OpenEscalation {
    OpenEscalation {
        title: title.into(),
        tier: tier(n),
    }
}

#[test]
fn nothing_wrong_is_go_with_a_reason() {
    let ready = readiness(&ReadinessInput {
        criteria: vec![criterion("Checkout p95", Status::Met, Some(500.0))],
        open: vec![open("Copy typo", 4), open("Slow search", 3)],
        ..Default::default()
    });
    assert_eq!(ready.verdict, Verdict::Go);
    assert_eq!(ready.reasons.len(), 1);
}

#[test]
fn each_at_risk_condition_names_what_it_is_about() {
    let cases = [
        ReadinessInput {
            open: vec![open("Refunds double-post", 2)],
            ..Default::default()
        },
        ReadinessInput {
            criteria: vec![criterion("Checkout p95", Status::AtRisk, Some(790.0))],
            ..Default::default()
        },
        ReadinessInput {
            stalled: vec!["Delay the EU launch?".into()],
            ..Default::default()
        },
        ReadinessInput {
            overdue_actions: 2,
            ..Default::default()
        },
    ];
    let named = [
        "Refunds double-post",
        "Checkout p95",
        "Delay the EU launch?",
        "2 action items",
    ];
    for (input, name) in cases.iter().zip(named) {
        let ready = readiness(input);
        assert_eq!(ready.verdict, Verdict::AtRisk, "{input:?}");
        assert!(ready.reasons[0].contains(name), "{:?}", ready.reasons);
    }
    let risk = readiness(&cases[1]);
    assert!(risk.reasons[0].contains("790 ms"), "{:?}", risk.reasons);
}

#[test]
fn a_breach_or_an_open_tier_1_is_no_go_and_comes_first() {
    let breached = readiness(&ReadinessInput {
        criteria: vec![criterion("Checkout p95", Status::Breached, Some(1010.0))],
        open: vec![open("Refunds double-post", 2)],
        ..Default::default()
    });
    assert_eq!(breached.verdict, Verdict::NoGo);
    assert!(breached.reasons[0].contains("“Checkout p95” is breached: 1010 ms"));
    assert!(
        breached.reasons[1].contains("Refunds double-post"),
        "at-risk reasons follow"
    );
    let tier1 = readiness(&ReadinessInput {
        open: vec![open("Checkout down", 1)],
        ..Default::default()
    });
    assert_eq!(tier1.verdict, Verdict::NoGo);
    assert!(tier1.reasons[0].contains("Checkout down"));
    let no_data = readiness(&ReadinessInput {
        criteria: vec![criterion("CSAT", Status::NoData, None)],
        ..Default::default()
    });
    assert_eq!(no_data.verdict, Verdict::Go, "no data is not a breach");
}

fn life(t: i64, opened: DateTime<Utc>, resolved: Option<DateTime<Utc>>) -> Life {
    Life {
        tier: tier(t),
        trigger: Trigger::CustomerDefect,
        opened_at: opened,
        resolved_at: resolved,
        closed: false,
    }
}

#[test]
fn the_defect_series_counts_each_day() {
    let now = at(10, 12);
    let lives = [
        life(1, at(8, 9), Some(at(9, 15))),
        life(2, at(9, 10), None),
        life(3, at(10, 8), None),
        life(2, at(1, 8), Some(at(2, 8))),
        Life {
            closed: true,
            ..life(4, at(9, 1), None)
        },
    ];
    let d = defects(&lives, now);
    assert_eq!(d.open_by_tier["1"], 0);
    assert_eq!(d.open_by_tier["2"], 1);
    assert_eq!(d.open_by_tier["3"], 1);
    assert_eq!(
        d.open_by_tier["4"], 0,
        "closed without resolving is not open"
    );
    assert_eq!(d.open_by_trigger["customer_defect"], 2);
    assert_eq!(d.series.len() as i64, SERIES_DAYS);
    let day = |n: u32| {
        d.series
            .iter()
            .find(|s| s.day == at(n, 0).date_naive())
            .unwrap()
            .clone()
    };
    assert_eq!(day(10).day, now.date_naive(), "the series ends today");
    assert_eq!((day(8).opened, day(8).resolved, day(8).open), (1, 0, 1));
    assert_eq!((day(9).opened, day(9).resolved, day(9).open), (2, 1, 1));
    assert_eq!((day(10).opened, day(10).resolved, day(10).open), (1, 0, 2));
}

#[test]
fn percentiles_are_nearest_rank() {
    let ten: Vec<i64> = (1..=10).collect();
    assert_eq!(percentile(&ten, 50), Some(5));
    assert_eq!(percentile(&ten, 90), Some(9));
    assert_eq!(percentile(&[7], 90), Some(7));
    assert_eq!(percentile(&[], 50), None);
}

#[test]
fn time_to_fix_is_per_tier_against_the_runbook() {
    let lives = [
        life(1, at(1, 0), Some(at(1, 1))),
        life(1, at(2, 0), Some(at(2, 3))),
        life(1, at(3, 0), None),
        life(2, at(1, 0), Some(at(1, 0) + Duration::minutes(30))),
    ];
    let targets = BTreeMap::from([(1, 15), (2, 60)]);
    let fix = time_to_fix(&lives, &targets);
    let t1 = &fix.by_tier["1"];
    assert_eq!(
        (t1.median_minutes, t1.p90_minutes, t1.count),
        (Some(60), Some(180), 2)
    );
    assert_eq!(t1.acknowledge_target_minutes, Some(15));
    assert_eq!(fix.by_tier["2"].median_minutes, Some(30));
    assert_eq!(fix.by_tier["3"].count, 0);
    assert_eq!(fix.by_tier["3"].median_minutes, None);
}
