//! Server functions of the board.

use super::model::{BoardFilter, BoardView, Card};
use crate::error::AppError;
use crate::escalation::{EscalationId, Stage};
use crate::launch::LaunchId;
use leptos::prelude::*;

/// The board's first view under the filters. Anyone signed in.
#[server(endpoint = "board/load_board")]
pub async fn load_board(
    launch_id: LaunchId,
    #[server(default)] filter: BoardFilter,
) -> Result<BoardView, AppError> {
    let (state, actor) = crate::state::request()?;
    super::service::view(
        &state.db.conn,
        &actor,
        launch_id,
        filter,
        chrono::Utc::now(),
    )
    .await
}

/// More cards of one column. Anyone signed in.
#[server(endpoint = "board/more_cards")]
pub async fn more_cards(
    launch_id: LaunchId,
    stage: Stage,
    #[server(default)] filter: BoardFilter,
    offset: u64,
) -> Result<Vec<Card>, AppError> {
    let (state, actor) = crate::state::request()?;
    let runbooks = super::service::runbooks(&state.db.conn, launch_id).await?;
    super::service::more(
        &state.db.conn,
        &actor,
        launch_id,
        stage,
        &filter,
        &runbooks,
        offset,
    )
    .await
}

/// One card as it is now (after a change someone else made). Anyone signed in.
#[server(endpoint = "board/board_card")]
pub async fn board_card(id: EscalationId) -> Result<Card, AppError> {
    let (state, actor) = crate::state::request()?;
    super::service::card(&state.db.conn, &actor, id).await
}
