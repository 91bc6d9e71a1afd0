//! The post-mortem's pure rules: the sections' declaration, a save's checks and conflicts,
//! what review needs, Markdown escaping and the index's order.

use super::*;

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
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
        conflicts(&changed, &[Section::Summary, Section::WentWell], 5),
        Vec::<Section>::new()
    );
    assert_eq!(
        conflicts(&changed, &[Section::Summary, Section::Learnings], 5),
        [Section::Learnings]
    );
    assert_eq!(
        conflicts(&changed, &[Section::Summary, Section::Learnings], 3),
        [Section::Summary, Section::Learnings]
    );
    let draft = PostMortemDraft {
        summary: Some("x".into()),
        learnings: Some(String::new()),
        ..Default::default()
    };
    assert_eq!(draft.touched(), [Section::Summary, Section::Learnings]);
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

#[test]
fn each_section_is_declared_once_and_found_by_its_key() {
    let declared: Vec<(&str, &str)> = Section::ALL
        .into_iter()
        .map(|s| (s.key(), s.label()))
        .collect();
    assert_eq!(
        declared,
        [
            ("summary", "Summary"),
            ("impact", "Customer impact"),
            ("times", "Times"),
            ("root_causes", "Root causes"),
            ("contributing_factors", "Contributing factors"),
            ("went_well", "What went well"),
            ("went_poorly", "What went poorly"),
            ("got_lucky", "Where we got lucky"),
            ("learnings", "Learnings"),
            ("remediation", "Remediation"),
            ("timeline", "Timeline"),
        ]
    );
    for section in Section::ALL {
        assert_eq!(Section::parse(section.key()), Some(section));
    }
    assert_eq!(Section::of_field("impact.revenue"), Some(Section::Impact));
    assert_eq!(Section::of_field("went_well"), Some(Section::WentWell));
    assert_eq!(Section::of_field("status"), None);
}
