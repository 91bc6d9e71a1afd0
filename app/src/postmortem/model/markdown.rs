//! The post-mortem as Markdown: every declared section under its label, the timeline
//! (hidden entries left out), the addenda and the reviewers; user text stays text.

use super::{Body, Measure, PostMortem, Section, format_minutes};
use chrono::{DateTime, Utc};
use std::fmt::Write;

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
    let resolution: Vec<String> = [
        pm.outcome
            .as_deref()
            .map(|o| format!("**Outcome:** {}", md_block(o))),
        pm.risk_posture
            .as_ref()
            .map(|p| format!("**Risk posture:** {}", md_text(&p.text()))),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !resolution.is_empty() {
        let _ = writeln!(md, "{}\n", resolution.join("  \n"));
    }
    for section in Section::ALL {
        let _ = writeln!(md, "## {}\n", section.label());
        match section.declared().body {
            Body::Prose(prose) => {
                let _ = writeln!(md, "{}\n", md_block((prose.shown)(pm)));
            }
            Body::Lines => root_causes(&mut md, pm),
            Body::Impact => impact(&mut md, pm),
            Body::Times => times(&mut md, pm),
            Body::Remediation => remediation(&mut md, pm),
            Body::Timeline => timeline(&mut md, pm),
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

fn impact(md: &mut String, pm: &PostMortem) {
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
        "- Customers affected: {}\n- Revenue at risk or lost: {}\n- Regions or segments: {}\n- Customers first affected: {}\n",
        number(pm.impact.customers_affected),
        number(pm.impact.revenue),
        segments,
        md_time(pm.impact_started_at)
    );
}

fn times(md: &mut String, pm: &PostMortem) {
    let _ = writeln!(md, "| Measure | Time | Note |\n|---|---|---|");
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
}

fn root_causes(md: &mut String, pm: &PostMortem) {
    if pm.root_causes.is_empty() {
        md.push_str("—\n");
    }
    for cause in &pm.root_causes {
        let _ = writeln!(md, "- {}", md_text(cause));
    }
    md.push('\n');
}

fn remediation(md: &mut String, pm: &PostMortem) {
    let _ = writeln!(md, "| Item | Owner | Due | Done |\n|---|---|---|---|");
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
}

fn timeline(md: &mut String, pm: &PostMortem) {
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
}
