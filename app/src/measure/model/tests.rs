//! The status maths with a fixed clock: each comparator, the at-risk band, windows, no data
//! and recovery; and the validation of criteria and samples.

use super::*;
use chrono::Duration;

fn at(minute: i64) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-12-01T12:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
        + Duration::minutes(minute)
}

fn samples(values: &[(i64, f64)]) -> Vec<Sample> {
    values
        .iter()
        .map(|&(minute, value)| Sample {
            at: at(minute),
            value,
        })
        .collect()
}

fn rule(comparator: Comparator, threshold: f64) -> Rule {
    Rule {
        comparator,
        threshold,
        window_minutes: None,
    }
}

fn status(rule: Rule, value: f64) -> Status {
    rule.read(&samples(&[(0, value)]), at(1)).status
}

#[test]
fn each_comparator_passes_on_its_side_only() {
    use Status::*;
    let cases = [
        (
            Comparator::AtMost,
            [(500.0, Met), (800.0, AtRisk), (800.1, Breached)],
        ),
        (
            Comparator::Below,
            [(500.0, Met), (799.0, AtRisk), (800.0, Breached)],
        ),
        (
            Comparator::AtLeast,
            [(900.0, Met), (800.0, AtRisk), (799.9, Breached)],
        ),
        (
            Comparator::Above,
            [(900.0, Met), (801.0, AtRisk), (800.0, Breached)],
        ),
    ];
    for (comparator, expected) in cases {
        for (value, want) in expected {
            assert_eq!(
                status(rule(comparator, 800.0), value),
                want,
                "{value} {} 800",
                comparator.as_str()
            );
        }
    }
}

#[test]
fn at_risk_is_closer_than_ten_percent_on_the_passing_side() {
    let p95 = rule(Comparator::AtMost, 800.0);
    assert_eq!(status(p95, 720.0), Status::Met, "exactly 10 % away is met");
    assert_eq!(status(p95, 720.5), Status::AtRisk);
    let csat = rule(Comparator::AtLeast, 4.2);
    assert_eq!(status(csat, 4.7), Status::Met);
    assert_eq!(status(csat, 4.3), Status::AtRisk);
    assert_eq!(status(csat, 4.1), Status::Breached);
    // A threshold of zero has no band: zero open defects is simply met.
    let defects = rule(Comparator::AtMost, 0.0);
    assert_eq!(status(defects, 0.0), Status::Met);
    assert_eq!(status(defects, 1.0), Status::Breached);
    // Negative thresholds use the magnitude.
    assert_eq!(
        status(rule(Comparator::AtLeast, -10.0), -9.5),
        Status::AtRisk
    );
}

#[test]
fn no_samples_or_only_future_ones_is_no_data() {
    let p95 = rule(Comparator::AtMost, 800.0);
    let none = p95.read(&[], at(0));
    assert_eq!((none.status, none.current), (Status::NoData, None));
    let future = p95.read(&samples(&[(10, 100.0)]), at(0));
    assert_eq!(
        future.status,
        Status::NoData,
        "a sample after now is not read yet"
    );
}

#[test]
fn without_a_window_the_latest_sample_counts() {
    let p95 = rule(Comparator::AtMost, 800.0);
    let reading = p95.read(&samples(&[(0, 900.0), (5, 950.0), (9, 300.0)]), at(10));
    assert_eq!(reading.current, Some(300.0));
    assert_eq!(reading.status, Status::Met);
}

#[test]
fn with_a_window_the_mean_of_its_samples_counts() {
    let p95 = Rule {
        window_minutes: Some(15),
        ..rule(Comparator::AtMost, 800.0)
    };
    // Minute -20 is outside the 15-minute window ending at minute 0.
    let series = samples(&[(-20, 5000.0), (-14, 700.0), (-5, 900.0), (0, 950.0)]);
    let reading = p95.read(&series, at(0));
    assert_eq!(reading.current, Some(850.0));
    assert_eq!(reading.status, Status::Breached);
    // Later, the old samples age out of the window: no data.
    assert_eq!(p95.read(&series, at(16)).status, Status::NoData);
    // The window's start is exclusive: a minute on, minute -14 has left it.
    assert_eq!(p95.read(&series, at(1)).current, Some(925.0));
}

#[test]
fn recovery_without_a_window_needs_three_passing_samples_in_a_row() {
    let p95 = rule(Comparator::AtMost, 800.0);
    let two = samples(&[(0, 900.0), (1, 500.0), (2, 500.0)]);
    assert!(!p95.recovered(&two, at(3)));
    let three = samples(&[(0, 900.0), (1, 500.0), (2, 500.0), (3, 790.0)]);
    assert!(p95.recovered(&three, at(4)), "at risk still passes");
    assert!(!p95.recovered(&samples(&[(0, 500.0), (1, 500.0)]), at(3)));
}

#[test]
fn recovery_with_a_window_is_the_window_met_again() {
    let p95 = Rule {
        window_minutes: Some(10),
        ..rule(Comparator::AtMost, 800.0)
    };
    let series = samples(&[(0, 1200.0), (5, 500.0)]);
    assert!(!p95.recovered(&series, at(6)), "mean 850 still breaches");
    assert!(
        p95.recovered(&series, at(11)),
        "only the 500 is in the window"
    );
    assert!(!p95.recovered(&series, at(30)), "no data is not recovered");
}

#[test]
fn a_new_criterion_names_each_missing_or_bad_field() {
    let errors = CriterionDraft {
        comparator: Some("=~".into()),
        threshold: Some(f64::INFINITY),
        window_minutes: Some(Some(0)),
        breach_tier: Some(5),
        kind: Some("vibes".into()),
        metric: Some("Checkout P95".into()),
        ..Default::default()
    }
    .validate_new()
    .unwrap_err();
    for field in [
        "name",
        "comparator",
        "threshold",
        "window_minutes",
        "breach_tier",
        "kind",
        "metric",
    ] {
        assert!(errors.contains_key(field), "{field}: {errors:?}");
    }
    let missing = CriterionDraft {
        name: Some("p95".into()),
        metric: Some("checkout.p95_ms".into()),
        ..Default::default()
    }
    .validate_new()
    .unwrap_err();
    assert!(missing.contains_key("comparator") && missing.contains_key("threshold"));
}

#[test]
fn a_patch_keeps_what_it_does_not_name_and_clears_what_is_null() {
    let base = starter_set()[1].validate_new().unwrap();
    assert_eq!(base.window_minutes, Some(15));
    let patch: CriterionDraft =
        serde_json::from_str(r#"{"threshold": 650, "window_minutes": null, "version": 1}"#)
            .unwrap();
    let changed = patch.validate(Some(&base)).unwrap();
    assert_eq!(changed.threshold, 650.0);
    assert_eq!(changed.window_minutes, None);
    assert_eq!(changed.unit.as_deref(), Some("ms"));
    assert_eq!(changed.name, base.name);
}

#[test]
fn the_starter_set_is_valid() {
    for draft in starter_set() {
        draft.validate_new().unwrap();
    }
}

#[test]
fn samples_are_checked_one_by_one() {
    let now = at(0);
    let body: SamplesDraft = serde_json::from_str(
        r#"{"samples": [{"metric": "csat", "value": 4.4},
                        {"metric": "defects.open", "value": 1},
                        {"metric": "csat"},
                        {"metric": "csat", "value": 4, "at": "2026-12-03T12:00:00Z"},
                        {"metric": "csat", "value": 4, "at": "yesterday"}]}"#,
    )
    .unwrap();
    let errors = body.validate(now).unwrap_err();
    let fields: Vec<&str> = errors.keys().map(String::as_str).collect();
    assert_eq!(
        fields,
        [
            "samples[1].metric",
            "samples[2].value",
            "samples[3].at",
            "samples[4].at"
        ]
    );
    let ok: SamplesDraft =
        serde_json::from_str(r#"{"samples": [{"metric": "csat", "value": 4.4}]}"#).unwrap();
    assert_eq!(ok.validate(now).unwrap()[0].at, now, "at defaults to now");
    let none = SamplesDraft {
        samples: Some(vec![]),
    }
    .validate(now)
    .unwrap_err();
    assert!(none.contains_key("samples"));
    let many = SamplesDraft {
        samples: Some(vec![SampleDraft::default(); MAX_SAMPLES + 1]),
    };
    assert_eq!(
        many.validate(now).unwrap_err().keys().collect::<Vec<_>>(),
        ["samples"]
    );
}
