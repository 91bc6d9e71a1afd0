//! Reading the board: each column's top cards and total under the filters, in SQL so a
//! launch with thousands of escalations renders as fast as one with ten.

use super::model::{BoardFilter, BoardView, Card, Column, PAGE};
use crate::auth::model::{Actor, Permission};
use crate::entity::escalation as row;
use crate::error::AppError;
use crate::escalation::{EscalationId, Stage};
use crate::launch::LaunchId;
use crate::runbook::Runbooks;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Condition, Expr, ExprTrait, Func, LikeExpr};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

/// The filter as a SQL condition (the same rule as `BoardFilter::matches`).
fn condition(filter: &BoardFilter, runbooks: &Runbooks, now: DateTime<Utc>) -> Condition {
    let mut all = Condition::all();
    if let Some(tier) = filter.tier {
        all = all.add(row::Column::Tier.eq(i16::from(tier)));
    }
    if let Some(trigger) = filter.trigger {
        all = all.add(row::Column::Trigger.eq(trigger.as_str()));
    }
    if let Some(owner) = filter.owner {
        all = all.add(row::Column::OwnerId.eq(owner));
    }
    if let Some(q) = &filter.q {
        let escaped = q
            .to_lowercase()
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        all = all.add(
            Expr::expr(Func::lower(Expr::col(row::Column::Title)))
                .like(LikeExpr::new(format!("%{escaped}%")).escape('\\')),
        );
    }
    if filter.overdue {
        let late = Condition::all()
            .add(row::Column::Deadline.is_not_null())
            .add(row::Column::Deadline.lt(now))
            .add(row::Column::Stage.ne(Stage::Resolved.as_str()));
        let mut unacknowledged = Condition::any();
        for book in &runbooks.0 {
            for policy in &book.tiers {
                unacknowledged = unacknowledged.add(
                    Condition::all()
                        .add(row::Column::RunbookVersion.eq(book.version))
                        .add(row::Column::Tier.eq(i16::from(policy.tier.get())))
                        .add(row::Column::CreatedAt.lt(now - policy.acknowledge_within())),
                );
            }
        }
        let slow = Condition::all()
            .add(row::Column::Stage.eq(Stage::Triggered.as_str()))
            .add(row::Column::AcknowledgedAt.is_null())
            .add(unacknowledged);
        all = all.add(Condition::any().add(late).add(slow));
    }
    all
}

async fn cards<C: ConnectionTrait>(
    db: &C,
    launch: LaunchId,
    stage: Stage,
    filter: Condition,
    offset: u64,
) -> Result<Vec<Card>, AppError> {
    let rows = row::Entity::find()
        .filter(row::Column::LaunchId.eq(launch.0))
        .filter(row::Column::Stage.eq(stage.as_str()))
        .filter(filter)
        .order_by_desc(row::Column::Priority)
        .order_by_asc(row::Column::Id)
        .offset(offset)
        .limit(PAGE as u64)
        .all(db)
        .await?;
    Ok(crate::escalation::service::to_wire(db, rows)
        .await?
        .into_iter()
        .map(Card::from)
        .collect())
}

/// The runbook versions a launch's cards run on: the ones its escalations were raised under
/// and the one it runs on now (for cards raised while the board is open).
pub async fn runbooks<C: ConnectionTrait>(db: &C, launch: LaunchId) -> Result<Runbooks, AppError> {
    let mut used: Vec<i64> = row::Entity::find()
        .select_only()
        .column(row::Column::RunbookVersion)
        .distinct()
        .filter(row::Column::LaunchId.eq(launch.0))
        .into_tuple()
        .all(db)
        .await?;
    used.push(crate::runbook::service::version_for(db, launch).await?);
    crate::runbook::service::versions(db, used).await
}

/// The launch with its sponsor's and lead's names and the event cursor in one query, and the
/// runbook versions its cards run on. The cursor is read first: anything committed after it reaches the page
/// live.
async fn header<C: ConnectionTrait>(
    db: &C,
    launch_id: LaunchId,
) -> Result<
    (
        crate::launch::Launch,
        crate::event::model::EventId,
        Runbooks,
    ),
    AppError,
> {
    use crate::entity::launch;
    use sea_orm::FromQueryResult;
    use sea_orm::sea_query::{Asterisk, Query};

    let mut query = Query::select();
    query
        .expr_as(Expr::cust("(SELECT MAX(id) FROM events)"), "last_event_id")
        .column((launch::Entity, Asterisk))
        .expr_as(
            Expr::cust("(SELECT name FROM users WHERE users.id = launches.sponsor_id)"),
            "sponsor_name",
        )
        .expr_as(
            Expr::cust("(SELECT name FROM users WHERE users.id = launches.lead_id)"),
            "lead_name",
        )
        .from(launch::Entity)
        .and_where(launch::Column::Id.eq(launch_id.0));
    let Some(result) = db
        .query_one_raw(db.get_database_backend().build(&query))
        .await?
    else {
        return Err(AppError::not_found(format!(
            "Launch {launch_id} does not exist."
        )));
    };
    let model = launch::Model::from_query_result(&result, "")?;
    let person = |id: Option<i64>, column: &str| -> Result<Option<crate::auth::Person>, AppError> {
        Ok(id
            .zip(result.try_get::<Option<String>>("", column)?)
            .map(|(id, name)| crate::auth::Person {
                id: crate::auth::model::UserId(id),
                name,
            }))
    };
    let sponsor = person(model.sponsor_id, "sponsor_name")?;
    let lead = person(model.lead_id, "lead_name")?;
    let cursor: Option<i64> = result.try_get("", "last_event_id")?;
    Ok((
        crate::launch::Launch::try_from(crate::launch::service::LaunchRow {
            model,
            sponsor,
            lead,
        })?,
        crate::event::model::EventId(cursor.unwrap_or(0)),
        runbooks(db, launch_id).await?,
    ))
}

/// Every column's total and top `PAGE` cards, in one statement: per stage, its top cards
/// (read in board-index order, stopping at `PAGE`) with the stage's count and each card's
/// owner name, the stages joined by UNION ALL.
async fn top_of_columns<C: ConnectionTrait>(
    db: &C,
    launch: LaunchId,
    filter: Condition,
) -> Result<Vec<Column>, AppError> {
    use sea_orm::FromQueryResult;
    use sea_orm::sea_query::{Asterisk, Query, SelectStatement, UnionType};

    let branch = |stage: Stage| -> SelectStatement {
        let mut count = Query::select();
        count
            .expr(Expr::cust("COUNT(*)"))
            .from(row::Entity)
            .and_where(row::Column::LaunchId.eq(launch.0))
            .and_where(row::Column::Stage.eq(stage.as_str()))
            .cond_where(filter.clone());
        let mut top = Query::select();
        top.column(Asterisk)
            .expr_as(
                Expr::cust("(SELECT name FROM users WHERE users.id = escalations.owner_id)"),
                "owner_name",
            )
            .expr_as(count, "stage_total")
            .from(row::Entity)
            .and_where(row::Column::LaunchId.eq(launch.0))
            .and_where(row::Column::Stage.eq(stage.as_str()))
            .cond_where(filter.clone())
            .order_by(row::Column::Priority, sea_orm::Order::Desc)
            .order_by(row::Column::Id, sea_orm::Order::Asc)
            .limit(PAGE as u64);
        // A compound SELECT takes ORDER BY and LIMIT per branch only inside a subquery.
        Query::select()
            .column(Asterisk)
            .from_subquery(top, format!("top_{}", stage.as_str()))
            .to_owned()
    };
    let mut stages = Stage::BOARD.into_iter();
    let Some(first) = stages.next() else {
        return Ok(Vec::new());
    };
    let mut query = branch(first);
    for stage in stages {
        query.union(UnionType::All, branch(stage));
    }
    let rows = db
        .query_all_raw(db.get_database_backend().build(&query))
        .await?;
    let mut columns: Vec<Column> = Stage::BOARD
        .into_iter()
        .map(|stage| Column {
            stage,
            total: 0,
            cards: Vec::new(),
        })
        .collect();
    for result in rows {
        let model = row::Model::from_query_result(&result, "")?;
        let total: i64 = result.try_get("", "stage_total")?;
        let owner = model
            .owner_id
            .zip(result.try_get::<Option<String>>("", "owner_name")?)
            .map(|(id, name)| crate::auth::model::Person {
                id: crate::auth::model::UserId(id),
                name,
            });
        let card = Card::from(crate::escalation::service::wire(&model, owner)?);
        if let Some(column) = columns.iter_mut().find(|c| c.stage == card.stage) {
            column.total = total as u32;
            column.cards.push(card);
        }
    }
    for column in &mut columns {
        column
            .cards
            .sort_by_key(|c| (std::cmp::Reverse(c.priority), c.id.0));
    }
    Ok(columns)
}

/// Everyone who owns an escalation of the launch, by name (the owner filter's choices).
async fn owners<C: ConnectionTrait>(
    db: &C,
    launch: LaunchId,
) -> Result<Vec<crate::auth::model::Person>, AppError> {
    use crate::entity::user;
    let rows: Vec<(i64, String)> = user::Entity::find()
        .select_only()
        .column(user::Column::Id)
        .column(user::Column::Name)
        .distinct()
        .filter(
            user::Column::Id.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(row::Column::OwnerId)
                    .from(row::Entity)
                    .and_where(row::Column::LaunchId.eq(launch.0))
                    .and_where(row::Column::OwnerId.is_not_null())
                    .to_owned(),
            ),
        )
        .order_by_asc(user::Column::Name)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name)| crate::auth::model::Person {
            id: crate::auth::model::UserId(id),
            name,
        })
        .collect())
}

/// The board's first view: every column's total and top cards under `filter`. Anyone
/// signed in.
pub async fn view<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    launch_id: LaunchId,
    filter: BoardFilter,
    now: DateTime<Utc>,
) -> Result<BoardView, AppError> {
    actor.require(Permission::Read)?;
    filter.validate().map_err(AppError::invalid)?;
    let (launch, last_event_id, runbooks) = header(db, launch_id).await?;
    let columns = top_of_columns(db, launch_id, condition(&filter, &runbooks, now)).await?;
    let owners = owners(db, launch_id).await?;
    Ok(BoardView {
        launch,
        now,
        columns,
        last_event_id,
        runbooks,
        filter,
        owners,
    })
}

/// The next cards of one column ("Show more"). Anyone signed in.
pub async fn more<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    launch_id: LaunchId,
    stage: Stage,
    filter: &BoardFilter,
    runbooks: &Runbooks,
    offset: u64,
) -> Result<Vec<Card>, AppError> {
    actor.require(Permission::Read)?;
    filter.validate().map_err(AppError::invalid)?;
    cards(
        db,
        launch_id,
        stage,
        condition(filter, runbooks, Utc::now()),
        offset,
    )
    .await
}

/// One card, as it is now. Anyone signed in.
pub async fn card<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    id: EscalationId,
) -> Result<Card, AppError> {
    Ok(Card::from(
        crate::escalation::service::get(db, actor, id).await?,
    ))
}
