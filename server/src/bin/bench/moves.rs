//! Card moves per second on SQLite through the service layer: one mover, then four at once,
//! between the open columns; then one mover round all five, Resolved included. A move to
//! Resolved is more than a move: it records the outcome and tells every stakeholder.

use crate::fixture::Fixture;
use crate::line;
use app::auth::Actor;
use app::db::Db;
use app::escalation::model::{MoveRequest, RiskPostureInput};
use app::escalation::{EscalationId, Stage};
use std::time::Instant;

/// Which columns the cards go round.
#[derive(Clone, Copy)]
pub(crate) enum Round {
    /// Triggered → Triaged → Mitigating → Awaiting decision → Triggered.
    Open,
    /// All five board columns, Resolved included.
    Board,
}

/// The column after `stage` in the round, wrapping from the last back to the first.
fn next_on_board(stage: Stage, round: Round) -> Stage {
    let columns = match round {
        Round::Open => 4,
        Round::Board => 5,
    };
    Stage::BOARD[(Stage::BOARD.iter().position(|s| *s == stage).unwrap_or(0) + 1) % columns]
}

/// A move to `stage` from `version`; one to Resolved records an outcome and a risk posture,
/// as tiers 1–2 require.
pub(crate) fn move_request(stage: Stage, version: i64) -> MoveRequest {
    let resolving = stage == Stage::Resolved;
    MoveRequest {
        stage: Some(stage.as_str().into()),
        version: Some(version),
        reason: None,
        outcome: resolving.then(|| "Rolled back".into()),
        risk_posture: resolving.then(|| RiskPostureInput {
            level: Some("low".into()),
            note: None,
        }),
    }
}

/// Moves `cards[at]` one column on through the service layer, keeping its new version.
pub(crate) async fn move_card(
    db: &Db,
    actor: &Actor,
    cards: &mut [(EscalationId, i64, Stage)],
    at: usize,
    round: Round,
) {
    let (id, version, stage) = cards[at];
    let next = next_on_board(stage, round);
    let moved = app::escalation::service::move_to(db, actor, id, &move_request(next, version))
        .await
        .expect("move");
    cards[at] = (id, moved.version, next);
}

/// Moves cards one column on, 4,000 times in a row and then 1,000 times each by four
/// concurrent movers on their own cards.
pub(crate) async fn bench_moves(fx: &mut Fixture) {
    let moves = 4_000;
    let started = Instant::now();
    for i in 0..moves {
        let at = i % fx.cards.len();
        move_card(&fx.db, &fx.actor, &mut fx.cards, at, Round::Open).await;
    }
    let rate = moves as f64 / started.elapsed().as_secs_f64();
    line(format!(
        "card moves on SQLite through the service layer (WAL, synchronous=NORMAL, one mover, open columns): {rate:.0} moves/s over {moves} moves"
    ));

    // Four movers at once, each on its own cards: writers queue on SQLite's write lock.
    let movers = 4;
    let per_mover = 1_000;
    let started = Instant::now();
    let chunks: Vec<Vec<(EscalationId, i64, Stage)>> = (0..movers)
        .map(|m| fx.cards.iter().copied().skip(m).step_by(movers).collect())
        .collect();
    let mut tasks = Vec::new();
    for mut cards in chunks {
        let db = fx.db.clone();
        let actor = fx.actor.clone();
        tasks.push(tokio::spawn(async move {
            for i in 0..per_mover {
                let at = i % cards.len();
                move_card(&db, &actor, &mut cards, at, Round::Open).await;
            }
            cards
        }));
    }
    let mut merged = Vec::new();
    for t in tasks {
        merged.extend(t.await.expect("mover"));
    }
    fx.cards = merged;
    let rate = (movers * per_mover) as f64 / started.elapsed().as_secs_f64();
    line(format!(
        "card moves on SQLite, {movers} concurrent movers, open columns: {rate:.0} moves/s over {} moves",
        movers * per_mover
    ));

    // Round all five columns: one move in five resolves (outcome recorded, stakeholders told).
    let started = Instant::now();
    for i in 0..moves {
        let at = i % fx.cards.len();
        move_card(&fx.db, &fx.actor, &mut fx.cards, at, Round::Board).await;
    }
    let rate = moves as f64 / started.elapsed().as_secs_f64();
    line(format!(
        "card moves on SQLite, one mover round all five columns (one in five resolves): {rate:.0} moves/s over {moves} moves"
    ));
}
