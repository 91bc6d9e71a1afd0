//! The review as Markdown: its figures beside target and last quarter, participants,
//! findings, and each adjustment with its change, reason and whether it was adopted. What
//! people wrote stays text: markup in names and reasons is escaped, and the findings (Markdown
//! by design) keep their formatting but never raw HTML.

use super::{Figure, Review, tier_label};
use crate::postmortem::model::md_text;
use std::fmt::Write;

/// Findings as written, with `<`, `>` and `&` made harmless.
fn md_prose(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

pub fn to_markdown(review: &Review) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Governance review {}\n", review.period);
    match review.sign_off_text() {
        Some(line) => {
            let _ = writeln!(out, "{}.\n", md_text(&line));
        }
        None => out.push_str("Open: not yet signed off.\n\n"),
    }
    out.push_str("## Figures\n\n");
    if review.figures.no_data {
        out.push_str("No data: nothing was escalated, decided or due in this quarter.\n\n");
    }
    let _ = writeln!(
        out,
        "Escalations raised: {} (drills apart).\n",
        review.figures.escalations
    );
    out.push_str(
        "| Figure | This quarter | Target | Last quarter | Change |\n|---|---|---|---|---|\n",
    );
    for f in &review.figures.lines {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            f.label,
            Figure::value_text(f.value, &f.unit),
            f.target.as_deref().unwrap_or("—"),
            Figure::value_text(f.previous, &f.unit),
            f.change_text()
        );
    }
    if !review.figures.by_tier.is_empty() {
        out.push_str("\n| Escalations by | Count |\n|---|---|\n");
        for (tier, n) in &review.figures.by_tier {
            let _ = writeln!(out, "| {} | {n} |", tier_label(tier));
        }
        for (trigger, n) in &review.figures.by_trigger {
            let _ = writeln!(out, "| {} | {n} |", trigger.replace('_', " "));
        }
    }
    out.push_str("\n## Participants\n\n");
    if review.participants.is_empty() {
        out.push_str("None named.\n");
    }
    for p in &review.participants {
        let _ = writeln!(
            out,
            "- {} ({})",
            md_text(&p.name),
            p.functional_area.label()
        );
    }
    for w in &review.warnings {
        let _ = writeln!(out, "\n> Warning: {w}");
    }
    out.push_str("\n## Findings\n\n");
    if review.findings.trim().is_empty() {
        out.push_str("None recorded.\n");
    } else {
        let _ = writeln!(out, "{}", md_prose(review.findings.trim()));
    }
    out.push_str("\n## Adjustments\n\n");
    if review.adjustments.is_empty() {
        out.push_str("None proposed.\n");
    }
    for a in &review.adjustments {
        let state = match (&a.status[..], &a.result) {
            ("adopted", Some(result)) => format!("Adopted: {}", md_text(result)),
            ("adopted", None) => "Adopted".to_string(),
            _ => "Not adopted".to_string(),
        };
        let _ = writeln!(
            out,
            "- **{}**: {}  \n  Reason: {}  \n  {state}",
            a.kind.label(),
            md_text(&a.summary),
            md_text(&a.reason)
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::review::model::{Adjustment, AdjustmentKind, Figures, Participant, Period};
    use std::collections::BTreeMap;

    #[test]
    fn the_export_has_figures_and_adjustments_and_keeps_markup_as_text() {
        let review = Review {
            id: 1,
            period: Period::parse("2026-Q4").unwrap(),
            status: "open".into(),
            figures: Figures {
                no_data: false,
                escalations: 3,
                by_tier: BTreeMap::from([("2".into(), 3)]),
                by_trigger: BTreeMap::from([("customer_defect".into(), 3)]),
                lines: vec![Figure {
                    key: "stalls".into(),
                    label: "Stalled decisions".into(),
                    value: Some(2.0),
                    unit: "count".into(),
                    target: None,
                    previous: Some(4.0),
                }],
            },
            participants: vec![Participant {
                id: 1,
                name: "<b>Ada</b>".into(),
                functional_area: crate::auth::model::FunctionalArea::Engineering,
            }],
            warnings: vec!["No one from Sales takes part.".into()],
            findings: "Tier 2 updates are **too frequent**.\n<script>x()</script>".into(),
            adjustments: vec![Adjustment {
                id: 1,
                review_id: 1,
                kind: AdjustmentKind::Runbook,
                change: serde_json::json!({"tier": 2, "update_minutes": 480}),
                summary: "Tier 2: update every 8 h 00 min".into(),
                reason: "Teams *drown* in updates".into(),
                status: "adopted".into(),
                result: Some("Runbook version 3".into()),
                proposed_by: None,
                adopted_by: None,
                adopted_at: None,
            }],
            signed_off_by: None,
            signed_off_at: None,
            version: 1,
        };
        let md = to_markdown(&review);
        assert!(md.starts_with("# Governance review 2026-Q4\n"));
        assert!(
            md.contains("| Stalled decisions | 2 | — | 4 | −2 |"),
            "{md}"
        );
        assert!(md.contains("| Tier 2 | 3 |"), "{md}");
        assert!(
            md.contains("- &lt;b&gt;Ada&lt;/b&gt; (Engineering)"),
            "{md}"
        );
        assert!(md.contains("**too frequent**"));
        assert!(md.contains("&lt;script&gt;") && !md.contains("<script>"));
        assert!(md.contains("Tier 2: update every 8 h 00 min"));
        assert!(md.contains("Reason: Teams \\*drown\\* in updates"));
        assert!(md.contains("Adopted: Runbook version 3"));
        assert!(md.contains("Warning: No one from Sales takes part."));
    }
}
