//! The matrix's rules, its check from a draft and its CSV, by example and by property.

use super::*;
use proptest::prelude::*;

fn draft(rows: &[(&str, &[(&str, &str)])]) -> RaciDraft {
    RaciDraft {
        activities: Some(
            rows.iter()
                .map(|(name, cells)| ActivityDraft {
                    name: Some(name.to_string()),
                    cells: cells
                        .iter()
                        .map(|(k, l)| (k.to_string(), l.to_string()))
                        .collect(),
                    separate_duties: false,
                })
                .collect(),
        ),
        columns: None,
        version: Some(3),
    }
}

#[test]
fn the_template_is_valid_without_gaps_or_overlaps() {
    let t = Raci::template();
    assert!(t.problems().is_empty(), "{:?}", t.problems());
    let distinct = |key: ColumnKey| match key {
        ColumnKey::Role(r) => Some(r as i64),
        ColumnKey::Person(id) => Some(id),
    };
    assert_eq!(t.warnings(distinct, str::to_string), []);
    assert_eq!(t.decision_activity().unwrap().name, "Go/no-go decision");
    assert_eq!(
        t.decision_activity().unwrap().accountable(),
        Some("role:product_owner")
    );
}

#[test]
fn every_activity_needs_exactly_one_a_and_at_least_one_r() {
    let errors = draft(&[
        ("Two A", &[("1", "A"), ("2", "A"), ("3", "R")]),
        ("No R", &[("1", "A"), ("2", "C")]),
        ("Fine", &[("1", "A"), ("2", "R"), ("3", "I")]),
        ("Nothing", &[]),
    ])
    .validate(|_| true)
    .unwrap_err();
    assert_eq!(
        errors.keys().map(String::as_str).collect::<Vec<_>>(),
        ["activities[0]", "activities[1]", "activities[3]"]
    );
    assert!(errors["activities[0]"].starts_with("Two A: has 2 A's"));
    assert!(errors["activities[1]"].contains("needs at least one R"));
    assert!(errors["activities[3]"].contains("needs one A"));
    assert!(errors["activities[3]"].contains("needs at least one R"));
}

#[test]
fn unknown_people_roles_and_letters_are_named() {
    let errors = draft(&[
        ("Ghost", &[("99", "A"), ("1", "R")]),
        ("Role", &[("role:astronaut", "A"), ("1", "R")]),
        ("Letter", &[("1", "A"), ("2", "X")]),
    ])
    .validate(|id| id != 99)
    .unwrap_err();
    assert!(errors["activities[0]"].contains("99 is not an active user"));
    assert!(errors["activities[1]"].contains("neither a user id nor role"));
    assert!(errors["activities[2]"].contains("\u{201c}X\u{201d} is not R, A, C or I"));
}

#[test]
fn names_are_required_and_unique_and_columns_keep_their_order() {
    let mut d = draft(&[
        ("Deploy", &[("2", "A"), ("1", "R")]),
        ("deploy ", &[("2", "A"), ("1", "R")]),
    ]);
    let errors = d.validate(|_| true).unwrap_err();
    assert!(errors["activities[1]"].contains("same name"));
    d.activities.as_mut().unwrap()[1].name = Some("Announce".into());
    d.columns = Some(vec!["role:sales".into(), "2".into()]);
    let raci = d.validate(|_| true).unwrap();
    assert_eq!(raci.columns, ["role:sales", "2", "1"]);
    assert_eq!(raci.version, 3);
}

#[test]
fn gaps_and_overlaps_are_warnings() {
    let mut raci = draft(&[
        ("Approve", &[("1", "A"), ("role:engineering_lead", "R")]),
        ("Ship", &[("1", "A"), ("2", "R"), ("3", "I")]),
        ("Announce", &[("1", "A"), ("2", "R"), ("3", "I")]),
    ])
    .validate(|_| true)
    .unwrap();
    raci.activities[0].separate_duties = true;
    raci.columns.push("4".into());
    // The engineering lead on duty is person 1.
    let resolve = |key: ColumnKey| match key {
        ColumnKey::Person(id) => Some(id),
        ColumnKey::Role(_) => Some(1),
    };
    let warnings = raci.warnings(resolve, |k| format!("#{k}"));
    let messages: Vec<&str> = warnings.iter().map(|w| w.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "#4 has no role in any activity.",
            "No one is informed about \u{201c}Approve\u{201d}.",
            "#1 is both responsible and accountable for \u{201c}Approve\u{201d}, which wants them separate.",
            "#1 is accountable for 3 of 3 activities.",
        ]
    );
}

#[test]
fn csv_quotes_every_field_and_defuses_formulas() {
    let raci = draft(&[("=SUM(A1) \"x\"", &[("1", "A"), ("2", "R")])])
        .validate(|_| true)
        .unwrap();
    let csv = to_csv(&raci, |k| format!("Person {k}"));
    assert_eq!(
        csv,
        "\"Activity\",\"Person 1\",\"Person 2\"\r\n\"'=SUM(A1) \"\"x\"\"\",\"A\",\"R\"\r\n"
    );
}

fn any_draft() -> impl Strategy<Value = RaciDraft> {
    let cell = (
        1i64..5,
        prop::sample::select(vec!["R", "A", "C", "I", "", "x"]),
    );
    let row = ("[a-z]{1,6}", prop::collection::vec(cell, 0..6));
    prop::collection::vec(row, 0..6).prop_map(|rows| RaciDraft {
        activities: Some(
            rows.into_iter()
                .map(|(name, cells)| ActivityDraft {
                    name: Some(name),
                    cells: cells
                        .into_iter()
                        .map(|(k, l)| (k.to_string(), l.to_string()))
                        .collect(),
                    separate_duties: false,
                })
                .collect(),
        ),
        columns: None,
        version: None,
    })
}

proptest! {
    /// Whatever the validator accepts has exactly one A and at least one R per activity.
    #[test]
    fn accepted_matrices_have_one_a_and_some_r_per_activity(d in any_draft()) {
        if let Ok(raci) = d.validate(|_| true) {
            prop_assert!(!raci.activities.is_empty());
            for activity in &raci.activities {
                prop_assert_eq!(activity.cells.values().filter(|l| **l == Letter::A).count(), 1);
                prop_assert!(activity.cells.values().any(|l| *l == Letter::R));
            }
        }
    }

    /// And it accepts every matrix that keeps the rules (nothing valid is refused).
    #[test]
    fn matrices_that_keep_the_rules_are_accepted(d in any_draft()) {
        let keeps = d.activities.as_ref().is_some_and(|rows| !rows.is_empty() && rows.iter().enumerate().all(|(i, a)| {
            let letters: Vec<&str> = a.cells.values().map(String::as_str).collect();
            !letters.contains(&"x")
                && letters.iter().filter(|l| **l == "A").count() == 1
                && letters.contains(&"R")
                && !rows[..i].iter().any(|b| b.name == a.name)
        }));
        prop_assert_eq!(d.validate(|_| true).is_ok(), keeps);
    }
}
