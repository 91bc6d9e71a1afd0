//! Board wire types and the pure rules of the board: filters, overdue, and how cards are
//! placed, moved and updated in a partially loaded column.

use crate::auth::model::Person;
use crate::escalation::{Escalation, EscalationId, Stage, Tier, Trigger};
use crate::event::model::EventId;
use crate::launch::Launch;
use crate::runbook::Runbooks;
use crate::runbook::model::acknowledge_due;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Cards loaded per column at first, and per "Show more": about what a screen shows.
pub const PAGE: usize = 10;

/// One escalation as a card shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Card {
    pub id: EscalationId,
    pub title: String,
    pub trigger: Trigger,
    pub tier: Tier,
    pub priority: u8,
    pub stage: Stage,
    pub owner: Option<Person>,
    pub deadline: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub acknowledged_at: Option<DateTime<Utc>>,
    pub version: i64,
    pub last_update_at: Option<DateTime<Utc>>,
    pub decision_due_at: Option<DateTime<Utc>>,
    pub workaround_expired: bool,
    /// The breach that raised it, in words: criterion, value and threshold.
    pub breach: Option<String>,
    /// Raised by a drill: badged, never counted.
    pub drill: bool,
    /// Once resolved: what was done and the risk that remains, in words.
    pub outcome: Option<String>,
    /// The runbook version it was raised under: its clocks keep that version's times.
    pub runbook_version: i64,
}

impl From<Escalation> for Card {
    fn from(e: Escalation) -> Self {
        Self {
            id: e.id,
            title: e.title,
            trigger: e.trigger,
            tier: e.tier,
            priority: e.priority,
            stage: e.stage,
            owner: e.owner,
            deadline: e.deadline,
            created_at: e.created_at,
            acknowledged_at: e.acknowledged_at,
            version: e.version,
            last_update_at: e.last_update_at,
            decision_due_at: e.decision_due_at,
            workaround_expired: e.workaround.is_some_and(|w| w.expired_at.is_some()),
            breach: e
                .breach
                .as_ref()
                .map(crate::escalation::model::Breach::text),
            drill: e.drill,
            outcome: outcome_text(e.outcome.as_deref(), e.risk_posture.as_ref()),
            runbook_version: e.runbook_version,
        }
    }
}

/// `Outcome: rolled back · Risk: High — no spare capacity`, from what resolving recorded.
pub fn outcome_text(
    outcome: Option<&str>,
    posture: Option<&crate::escalation::RiskPosture>,
) -> Option<String> {
    let parts: Vec<String> = [
        outcome.map(|o| format!("Outcome: {o}")),
        posture.map(|p| format!("Risk: {}", p.text())),
    ]
    .into_iter()
    .flatten()
    .collect();
    (!parts.is_empty()).then(|| parts.join(" · "))
}

impl Card {
    /// When it must be acknowledged, while it still waits in Triggered.
    pub fn acknowledge_by(&self, runbooks: &Runbooks) -> Option<DateTime<Utc>> {
        (self.stage == Stage::Triggered && self.acknowledged_at.is_none()).then(|| {
            acknowledge_due(
                &runbooks.policy(self.runbook_version, self.tier),
                self.created_at,
            )
        })
    }

    /// Past its deadline (unless resolved), or not acknowledged in time.
    pub fn is_overdue(&self, runbooks: &Runbooks, now: DateTime<Utc>) -> bool {
        let late = self
            .deadline
            .is_some_and(|d| d < now && self.stage != Stage::Resolved);
        late || self.acknowledge_by(runbooks).is_some_and(|due| due < now)
    }

    /// Its stand-up update is overdue for its tier's cadence (while it is being worked).
    pub fn update_overdue(&self, runbooks: &Runbooks, now: DateTime<Utc>) -> bool {
        matches!(
            self.stage,
            Stage::Triaged | Stage::Mitigating | Stage::AwaitingDecision
        ) && crate::runbook::model::update_overdue(
            &runbooks.policy(self.runbook_version, self.tier),
            self.created_at,
            self.last_update_at,
            now,
        )
    }

    /// Its decision request is past due and unanswered.
    pub fn decision_stalled(&self, now: DateTime<Utc>) -> bool {
        self.decision_due_at
            .is_some_and(|due| crate::runbook::model::decision_is_stalled(due, false, now))
    }

    /// Board order: highest priority first, then oldest.
    fn ranks_before(&self, other: &Card) -> bool {
        (std::cmp::Reverse(self.priority), self.id) < (std::cmp::Reverse(other.priority), other.id)
    }
}

/// One column: the total in this stage (under the filter) and the cards loaded so far.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Column {
    pub stage: Stage,
    pub total: u32,
    pub cards: Vec<Card>,
}

impl Column {
    pub fn has_more(&self) -> bool {
        (self.cards.len() as u32) < self.total
    }
}

/// Board filters (the page's query string).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct BoardFilter {
    pub tier: Option<u8>,
    pub trigger: Option<Trigger>,
    pub owner: Option<i64>,
    #[serde(default)]
    pub overdue: bool,
    /// Text in the title (case-insensitive).
    pub q: Option<String>,
}

impl BoardFilter {
    /// Reads the query string leniently: an unreadable value is no filter.
    pub fn from_query(get: impl Fn(&str) -> Option<String>) -> Self {
        Self {
            tier: get("tier")
                .and_then(|t| t.parse().ok())
                .filter(|t| (1..=4).contains(t)),
            trigger: get("trigger").and_then(|t| Trigger::parse(&t)),
            owner: get("owner").and_then(|o| o.parse().ok()),
            overdue: get("overdue").is_some_and(|o| o == "true" || o == "1" || o == "on"),
            q: get("q")
                .map(|q| q.trim().to_string())
                .filter(|q| !q.is_empty()),
        }
    }

    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// The search text is one line without control characters (a NUL cannot even be sent
    /// to PostgreSQL); anything else in a filter is already typed.
    pub fn validate(&self) -> Result<(), crate::error::FieldErrors> {
        let mut check = crate::validate::Checker::default();
        if let Some(q) = &self.q {
            check.line("q", q);
        }
        check.finish(())
    }

    /// The same rule the server applies in SQL, for cards that change while the board is open.
    pub fn matches(&self, card: &Card, runbooks: &Runbooks, now: DateTime<Utc>) -> bool {
        self.tier.is_none_or(|t| card.tier.get() == t)
            && self.trigger.is_none_or(|t| card.trigger == t)
            && self
                .owner
                .is_none_or(|o| card.owner.as_ref().is_some_and(|p| p.id.0 == o))
            && (!self.overdue || card.is_overdue(runbooks, now))
            && self
                .q
                .as_ref()
                .is_none_or(|q| card.title.to_lowercase().contains(&q.to_lowercase()))
    }
}

/// Everything the board's first view needs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BoardView {
    pub launch: Launch,
    /// The server's clock when the view was read: clocks start from it.
    pub now: DateTime<Utc>,
    pub columns: Vec<Column>,
    /// Live updates continue after this event.
    pub last_event_id: EventId,
    /// The runbook versions its cards run on.
    pub runbooks: Runbooks,
    pub filter: BoardFilter,
    /// People to filter by.
    pub owners: Vec<Person>,
}

/// The board's live state: columns that cards are placed into, moved between and removed
/// from as the page's own moves and everyone's events arrive.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BoardState {
    pub columns: Vec<Column>,
}

impl BoardState {
    pub fn new(columns: Vec<Column>) -> Self {
        Self { columns }
    }

    pub fn find(&self, id: EscalationId) -> Option<&Card> {
        self.columns
            .iter()
            .flat_map(|c| &c.cards)
            .find(|c| c.id == id)
    }

    /// Takes a card off the board (it moved away, closed, or no longer matches).
    pub fn remove(&mut self, id: EscalationId) -> Option<Card> {
        for column in &mut self.columns {
            if let Some(at) = column.cards.iter().position(|c| c.id == id) {
                column.total = column.total.saturating_sub(1);
                return Some(column.cards.remove(at));
            }
        }
        None
    }

    /// Puts a card in its stage's column, in order. A card that ranks below the loaded part
    /// of a longer column is only counted (it appears when more are loaded).
    pub fn place(&mut self, card: Card) {
        let Some(column) = self.columns.iter_mut().find(|c| c.stage == card.stage) else {
            return;
        };
        column.total += 1;
        let fully_loaded = column.cards.len() as u32 + 1 >= column.total;
        match column.cards.iter().position(|c| card.ranks_before(c)) {
            Some(at) => column.cards.insert(at, card),
            None if fully_loaded => column.cards.push(card),
            None => {}
        }
    }

    /// Applies a newer state of a card: replaces it if shown, adds it if it now belongs here.
    /// Older versions are ignored, so replays and echoes are harmless; an equal version is the
    /// same escalation with fresher flags (last update, decision due), fetched after them.
    pub fn upsert(&mut self, card: Card, belongs: bool) {
        if let Some(current) = self.find(card.id)
            && current.version > card.version
        {
            return;
        }
        self.remove(card.id);
        if belongs && card.stage.is_open() {
            self.place(card);
        }
    }

    /// Applies a move event: the card's stage and version change, nothing else.
    pub fn apply_move(
        &mut self,
        id: EscalationId,
        stage: Stage,
        version: i64,
        acknowledged_at: Option<DateTime<Utc>>,
    ) -> bool {
        let Some(current) = self.find(id) else {
            return false;
        };
        if current.version >= version {
            return true;
        }
        let mut card = current.clone();
        card.stage = stage;
        card.version = version;
        if card.acknowledged_at.is_none() {
            card.acknowledged_at = acknowledged_at;
        }
        self.upsert(card, true);
        true
    }

    /// Moves a card at once, before the server confirms (the page's own move).
    pub fn move_locally(&mut self, id: EscalationId, stage: Stage) -> Option<Card> {
        let original = self.remove(id)?;
        let mut moved = original.clone();
        moved.stage = stage;
        self.place(moved);
        Some(original)
    }

    /// Undoes a local move: the card goes back as it was.
    pub fn restore(&mut self, original: Card) {
        self.remove(original.id);
        self.place(original);
    }

    pub fn column(&self, stage: Stage) -> Option<&Column> {
        self.columns.iter().find(|c| c.stage == stage)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::model::UserId;

    fn card(id: i64, stage: Stage, priority: u8) -> Card {
        Card {
            id: EscalationId(id),
            title: format!("Card {id}"),
            trigger: Trigger::CustomerDefect,
            tier: Tier::new(2).unwrap(),
            priority,
            stage,
            owner: None,
            deadline: None,
            created_at: DateTime::UNIX_EPOCH,
            acknowledged_at: None,
            version: 1,
            last_update_at: None,
            decision_due_at: None,
            workaround_expired: false,
            breach: None,
            drill: false,
            outcome: None,
            runbook_version: 1,
        }
    }

    fn board(cards: Vec<Card>) -> BoardState {
        BoardState::new(
            Stage::BOARD
                .iter()
                .map(|&stage| {
                    let mut cards: Vec<Card> =
                        cards.iter().filter(|c| c.stage == stage).cloned().collect();
                    cards.sort_by(|a, b| {
                        if a.ranks_before(b) {
                            std::cmp::Ordering::Less
                        } else {
                            std::cmp::Ordering::Greater
                        }
                    });
                    Column {
                        stage,
                        total: cards.len() as u32,
                        cards,
                    }
                })
                .collect(),
        )
    }

    fn ids(state: &BoardState, stage: Stage) -> Vec<i64> {
        state
            .column(stage)
            .unwrap()
            .cards
            .iter()
            .map(|c| c.id.0)
            .collect()
    }

    #[test]
    fn moves_keep_columns_ordered_and_counted() {
        let mut b = board(vec![
            card(1, Stage::Triggered, 50),
            card(2, Stage::Triaged, 80),
            card(3, Stage::Triaged, 20),
        ]);
        assert!(b.apply_move(EscalationId(1), Stage::Triaged, 2, None));
        assert_eq!(ids(&b, Stage::Triaged), [2, 1, 3]);
        assert_eq!(b.column(Stage::Triggered).unwrap().total, 0);
        assert_eq!(b.column(Stage::Triaged).unwrap().total, 3);
    }

    #[test]
    fn stale_and_repeated_events_change_nothing() {
        let mut b = board(vec![card(1, Stage::Triggered, 50)]);
        b.apply_move(EscalationId(1), Stage::Mitigating, 3, None);
        let before = b.clone();
        b.apply_move(EscalationId(1), Stage::Triaged, 2, None);
        b.apply_move(EscalationId(1), Stage::Mitigating, 3, None);
        assert_eq!(b, before);
    }

    #[test]
    fn a_local_move_can_be_undone() {
        let mut b = board(vec![
            card(1, Stage::Triggered, 50),
            card(2, Stage::Triggered, 10),
        ]);
        let before = b.clone();
        let original = b.move_locally(EscalationId(1), Stage::Resolved).unwrap();
        assert_eq!(ids(&b, Stage::Resolved), [1]);
        b.restore(original);
        assert_eq!(b, before);
    }

    #[test]
    fn closing_takes_a_card_off_the_board() {
        let mut b = board(vec![card(1, Stage::Resolved, 50)]);
        let mut closed = card(1, Stage::Closed, 50);
        closed.version = 2;
        b.upsert(closed, true);
        assert!(b.find(EscalationId(1)).is_none());
        assert_eq!(b.column(Stage::Resolved).unwrap().total, 0);
    }

    #[test]
    fn cards_below_the_loaded_part_are_only_counted() {
        let mut b = board(vec![
            card(1, Stage::Triaged, 90),
            card(2, Stage::Triaged, 80),
        ]);
        b.columns[1].total = 40; // 38 more not loaded yet
        b.place(card(9, Stage::Triaged, 10));
        assert_eq!(ids(&b, Stage::Triaged), [1, 2]);
        assert_eq!(b.column(Stage::Triaged).unwrap().total, 41);
        b.place(card(8, Stage::Triaged, 85));
        assert_eq!(ids(&b, Stage::Triaged), [1, 8, 2]);
    }

    #[test]
    fn filters_read_the_query_leniently_and_match_cards() {
        let query = |k: &str| match k {
            "tier" => Some("2".to_string()),
            "q" => Some(" CARD ".to_string()),
            "owner" => Some("7".to_string()),
            "trigger" => Some("nonsense".to_string()),
            _ => None,
        };
        let filter = BoardFilter::from_query(query);
        assert_eq!(filter.tier, Some(2));
        assert_eq!(filter.trigger, None);
        assert_eq!(filter.q.as_deref(), Some("CARD"));
        let runbook = Runbooks::default();
        let mut c = card(1, Stage::Triaged, 10);
        assert!(!filter.matches(&c, &runbook, DateTime::UNIX_EPOCH));
        c.owner = Some(Person {
            id: UserId(7),
            name: "Seven".into(),
        });
        assert!(filter.matches(&c, &runbook, DateTime::UNIX_EPOCH));
    }

    #[test]
    fn overdue_means_late_or_unacknowledged_in_time() {
        let runbook = Runbooks::default();
        let mut c = card(1, Stage::Triggered, 10);
        let raised = c.created_at;
        assert!(!c.is_overdue(&runbook, raised + chrono::Duration::minutes(59)));
        assert!(
            c.is_overdue(&runbook, raised + chrono::Duration::minutes(61)),
            "tier 2 acknowledges within an hour"
        );
        c.stage = Stage::Mitigating;
        c.deadline = Some(raised + chrono::Duration::hours(5));
        assert!(!c.is_overdue(&runbook, raised + chrono::Duration::hours(4)));
        assert!(c.is_overdue(&runbook, raised + chrono::Duration::hours(6)));
        c.stage = Stage::Resolved;
        assert!(!c.is_overdue(&runbook, raised + chrono::Duration::hours(6)));
    }
}
