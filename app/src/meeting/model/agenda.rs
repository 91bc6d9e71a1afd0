//! The agenda Flare writes for a meeting before it starts: open escalations by priority with
//! their latest update, decisions due or stalled, overdue actions, and criteria breached since
//! the last meeting. Kept short: one line per item (at most `LINE` characters), the most
//! urgent first in each part, at most `MOST` items with a last line saying how many more.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One line of an agenda, and the escalation it is about.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AgendaItem {
    pub text: String,
    pub escalation_id: Option<i64>,
}

/// An open escalation as the agenda names it.
#[derive(Clone, Debug)]
pub struct OpenItem {
    pub id: i64,
    pub title: String,
    pub tier: u8,
    pub priority: u8,
    /// Its newest stand-up update: problem, and what is being done.
    pub latest: Option<(String, String)>,
}

/// An open decision request.
#[derive(Clone, Debug)]
pub struct DecisionItem {
    pub escalation_id: i64,
    pub question: String,
    pub due_at: DateTime<Utc>,
}

/// An action item past due and not done.
#[derive(Clone, Debug)]
pub struct ActionItemLine {
    pub escalation_id: Option<i64>,
    pub title: String,
    pub owner: String,
    pub due_at: DateTime<Utc>,
}

/// A criterion that went into breach since the last meeting.
#[derive(Clone, Debug)]
pub struct BreachItem {
    pub escalation_id: Option<i64>,
    pub text: String,
    pub at: DateTime<Utc>,
}

/// What an agenda is made from.
#[derive(Clone, Debug, Default)]
pub struct AgendaFacts {
    pub escalations: Vec<OpenItem>,
    pub decisions: Vec<DecisionItem>,
    pub overdue: Vec<ActionItemLine>,
    pub breaches: Vec<BreachItem>,
}

/// The longest line, in characters.
pub const LINE: usize = 140;
/// The most items an agenda lists.
pub const MOST: usize = 15;

/// One line: at most `LINE` characters, cut at a character with an ellipsis.
fn line(text: String) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= LINE {
        flat
    } else {
        let cut: String = flat.chars().take(LINE - 1).collect();
        format!("{}…", cut.trim_end())
    }
}

fn clock(at: DateTime<Utc>) -> String {
    at.format("%d %b %H:%M UTC").to_string()
}

/// The agenda for a meeting at `now` (its start).
pub fn agenda(mut facts: AgendaFacts, now: DateTime<Utc>) -> Vec<AgendaItem> {
    let mut items = Vec::new();
    let mut push = |text: String, escalation_id: Option<i64>| {
        items.push(AgendaItem {
            text: line(text),
            escalation_id,
        });
    };
    facts
        .escalations
        .sort_by_key(|e| (std::cmp::Reverse(e.priority), e.tier, e.id));
    for e in &facts.escalations {
        let word = match &e.latest {
            Some((problem, mitigation)) => format!("{problem} — doing: {mitigation}"),
            None => "no update yet".to_string(),
        };
        push(format!("Tier {} · {}: {word}", e.tier, e.title), Some(e.id));
    }
    // Stalled first (the longest stalled first), then by due time.
    facts.decisions.sort_by_key(|d| d.due_at);
    for d in &facts.decisions {
        let when = if d.due_at < now {
            "Stalled since"
        } else {
            "Due"
        };
        push(
            format!(
                "Decision {} {}: {}",
                when.to_lowercase(),
                clock(d.due_at),
                d.question
            ),
            Some(d.escalation_id),
        );
    }
    facts.overdue.sort_by_key(|a| a.due_at);
    for a in &facts.overdue {
        push(
            format!(
                "Overdue action: {} — {}, due {}",
                a.title,
                a.owner,
                clock(a.due_at)
            ),
            a.escalation_id,
        );
    }
    facts.breaches.sort_by_key(|b| std::cmp::Reverse(b.at));
    for b in &facts.breaches {
        push(
            format!("Breached since the last meeting: {}", b.text),
            b.escalation_id,
        );
    }
    if items.len() > MOST {
        let more = items.len() - (MOST - 1);
        items.truncate(MOST - 1);
        items.push(AgendaItem {
            text: format!("…and {more} more on the board"),
            escalation_id: None,
        });
    }
    if items.is_empty() {
        items.push(AgendaItem {
            text: "Nothing open: confirm readiness and close.".into(),
            escalation_id: None,
        });
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-11-30T09:00:00Z")
            .unwrap()
            .with_timezone(&Utc)
    }

    fn open(id: i64, tier: u8, priority: u8, latest: Option<(&str, &str)>) -> OpenItem {
        OpenItem {
            id,
            title: format!("Escalation {id}"),
            tier,
            priority,
            latest: latest.map(|(p, m)| (p.into(), m.into())),
        }
    }

    #[test]
    fn the_agenda_lists_each_part_most_urgent_first_one_line_each() {
        let facts = AgendaFacts {
            escalations: vec![
                open(1, 3, 20, None),
                open(
                    2,
                    1,
                    90,
                    Some(("Checkout fails\nfor EU cards", "Rolling back")),
                ),
                open(3, 2, 60, Some(("Slow search", "Adding nodes"))),
            ],
            decisions: vec![
                DecisionItem {
                    escalation_id: 3,
                    question: "Buy capacity?".into(),
                    due_at: now() + Duration::hours(2),
                },
                DecisionItem {
                    escalation_id: 2,
                    question: "Roll back?".into(),
                    due_at: now() - Duration::hours(1),
                },
            ],
            overdue: vec![ActionItemLine {
                escalation_id: Some(2),
                title: "Patch the gateway".into(),
                owner: "Jonas".into(),
                due_at: now() - Duration::hours(5),
            }],
            breaches: vec![BreachItem {
                escalation_id: Some(4),
                text: "Checkout p95 ≤ 800 ms read 1,240 ms".into(),
                at: now() - Duration::hours(3),
            }],
        };
        let texts: Vec<String> = agenda(facts, now()).into_iter().map(|i| i.text).collect();
        assert_eq!(
            texts,
            [
                "Tier 1 · Escalation 2: Checkout fails for EU cards — doing: Rolling back",
                "Tier 2 · Escalation 3: Slow search — doing: Adding nodes",
                "Tier 3 · Escalation 1: no update yet",
                "Decision stalled since 30 Nov 08:00 UTC: Roll back?",
                "Decision due 30 Nov 11:00 UTC: Buy capacity?",
                "Overdue action: Patch the gateway — Jonas, due 30 Nov 04:00 UTC",
                "Breached since the last meeting: Checkout p95 ≤ 800 ms read 1,240 ms",
            ]
        );
    }

    #[test]
    fn the_agenda_stays_short() {
        let long = "word ".repeat(100);
        let facts = AgendaFacts {
            escalations: (0..40)
                .map(|i| open(i, 2, 50, Some((&long, "x"))))
                .collect(),
            ..Default::default()
        };
        let items = agenda(facts, now());
        assert_eq!(items.len(), MOST);
        assert!(
            items
                .iter()
                .all(|i| i.text.chars().count() <= LINE && !i.text.contains('\n'))
        );
        assert_eq!(items.last().unwrap().text, "…and 26 more on the board");
        assert_eq!(
            agenda(AgendaFacts::default(), now())[0].text,
            "Nothing open: confirm readiness and close."
        );
    }
}
