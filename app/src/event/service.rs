//! Appending events (inside the caller's write transaction), reading them back, and
//! verifying the hash chain.

use super::change::Change;
use super::model::{Event, EventActor, EventFilter, EventId};
use crate::auth::model::{Actor, Permission, UserId};
use crate::entity::event as row;
use crate::error::AppError;
use crate::escalation::EscalationId;
use crate::launch::LaunchId;
use chrono::{DateTime, SecondsFormat, SubsecRound, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use sha2::{Digest, Sha256};

/// The hash before the first event.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";
/// The advisory lock that serialises event appends on PostgreSQL.
const APPEND_LOCK: i64 = 0x464c_4152_4531; // "FLARE1"
/// The PostgreSQL channel on which writers announce new event ids.
pub const CHANNEL: &str = "flare_events";

/// An event about to be appended: what changed (`Change`, from which its kind and payload
/// come), on which entity, and the escalation and launch it belongs to.
#[derive(Clone, Debug)]
pub struct NewEvent {
    pub entity: &'static str,
    pub entity_id: i64,
    pub escalation_id: Option<EscalationId>,
    pub launch_id: Option<LaunchId>,
    what: What,
}

#[derive(Clone, Debug)]
enum What {
    Change(Change),
    Untyped {
        kind: &'static str,
        payload: serde_json::Value,
    },
}

impl NewEvent {
    /// The event of `change` (any payload struct, e.g. `EscalationMoved`) on one entity.
    pub fn new(entity: &'static str, entity_id: i64, change: impl Into<Change>) -> Self {
        Self::with(entity, entity_id, What::Change(change.into()))
    }

    /// An event of a kind `Change` does not declare, with its payload as given: for tests
    /// that fill the log. Every change Flare makes is a `Change` (`new`).
    pub fn untyped(
        entity: &'static str,
        entity_id: i64,
        kind: &'static str,
        payload: serde_json::Value,
    ) -> Self {
        Self::with(entity, entity_id, What::Untyped { kind, payload })
    }

    fn with(entity: &'static str, entity_id: i64, what: What) -> Self {
        Self {
            entity,
            entity_id,
            escalation_id: None,
            launch_id: None,
            what,
        }
    }

    pub fn launch(mut self, id: LaunchId) -> Self {
        self.launch_id = Some(id);
        self
    }

    pub fn escalation(mut self, id: EscalationId) -> Self {
        self.escalation_id = Some(id);
        self
    }

    /// The stored `kind` and `payload` (JSON with sorted keys, as the log always held).
    fn kind_and_payload(&self) -> Result<(&'static str, String), DbErr> {
        match &self.what {
            What::Change(change) => change
                .payload()
                .map(|payload| (change.kind(), payload.to_string()))
                .map_err(|e| DbErr::Json(e.to_string())),
            What::Untyped { kind, payload } => Ok((*kind, payload.to_string())),
        }
    }
}

/// The hash of one row given its predecessor's: SHA-256 over an unambiguous JSON encoding.
pub fn chain_hash(prev_hash: &str, r: &row::Model) -> String {
    let canonical = serde_json::json!([
        prev_hash,
        r.id,
        r.at.to_rfc3339_opts(SecondsFormat::Micros, true),
        r.actor_id,
        r.actor_name,
        r.actor_email,
        r.entity,
        r.entity_id,
        r.escalation_id,
        r.launch_id,
        r.kind,
        r.payload,
    ]);
    hex::encode(Sha256::digest(canonical.to_string().as_bytes()))
}

/// Appends one event inside `txn`, which must be a write transaction (`Db::write`).
///
/// On PostgreSQL an advisory transaction lock serialises appends, so ids increase in commit
/// order and "everything after id N" never skips a row; the writer `NOTIFY`s the id, which
/// is delivered when the transaction commits. On SQLite the immediate transaction already
/// holds the database's write lock.
pub async fn append<C: ConnectionTrait>(
    txn: &C,
    actor: &EventActor,
    new: NewEvent,
) -> Result<Event, DbErr> {
    lock_chain(txn).await?;
    let last = row::Entity::find()
        .select_only()
        .column(row::Column::Id)
        .column(row::Column::Hash)
        .order_by_desc(row::Column::Id)
        .into_tuple::<(i64, String)>()
        .one(txn)
        .await?;
    append_after(txn, actor, new, last).await
}

/// Serialises appends across app servers on PostgreSQL (SQLite's write transaction already
/// does). Must be held before the chain's head is read.
pub async fn lock_chain<C: ConnectionTrait>(txn: &C) -> Result<(), DbErr> {
    if txn.get_database_backend() == DbBackend::Postgres {
        txn.execute_unprepared(&format!("SELECT pg_advisory_xact_lock({APPEND_LOCK})"))
            .await?;
    }
    Ok(())
}

/// SQL for the chain's head (`id`, `hash`), for a caller that reads it in a statement it
/// runs anyway (after `lock_chain`).
pub const HEAD_ID_SQL: &str = "(SELECT id FROM events ORDER BY id DESC LIMIT 1)";
pub const HEAD_HASH_SQL: &str = "(SELECT hash FROM events ORDER BY id DESC LIMIT 1)";

/// Appends after a head the caller read inside this transaction (under `lock_chain`).
pub async fn append_after<C: ConnectionTrait>(
    txn: &C,
    actor: &EventActor,
    new: NewEvent,
    head: Option<(i64, String)>,
) -> Result<Event, DbErr> {
    let backend = txn.get_database_backend();
    let (kind, payload) = new.kind_and_payload()?;
    let (last_id, prev_hash) = head.unwrap_or((0, GENESIS.to_string()));
    let mut model = row::Model {
        id: last_id + 1,
        at: Utc::now().trunc_subsecs(6),
        actor_id: actor.id.map(|id| id.0),
        actor_name: actor.name.clone(),
        actor_email: actor.email.clone(),
        entity: new.entity.to_string(),
        entity_id: new.entity_id,
        escalation_id: new.escalation_id.map(|id| id.0),
        launch_id: new.launch_id.map(|id| id.0),
        kind: kind.to_string(),
        payload,
        prev_hash,
        hash: String::new(),
    };
    model.hash = chain_hash(&model.prev_hash, &model);
    let active: row::ActiveModel = model.clone().into();
    row::Entity::insert(active)
        .exec_without_returning(txn)
        .await?;
    if backend == DbBackend::Postgres {
        txn.execute_unprepared(&format!("SELECT pg_notify('{CHANNEL}', '{}')", model.id))
            .await?;
    }
    Ok(to_wire(model))
}

pub fn to_wire(r: row::Model) -> Event {
    Event {
        id: EventId(r.id),
        at: r.at,
        actor: EventActor {
            id: r.actor_id.map(UserId),
            name: r.actor_name,
            email: r.actor_email,
        },
        entity: r.entity,
        entity_id: r.entity_id,
        escalation_id: r.escalation_id.map(EscalationId),
        launch_id: r.launch_id.map(LaunchId),
        kind: r.kind,
        payload: serde_json::from_str(&r.payload).unwrap_or(serde_json::Value::Null),
    }
}

/// Events after `after`, oldest first, at most `limit` (replay for reconnecting clients).
pub async fn after<C: ConnectionTrait>(
    db: &C,
    after: EventId,
    limit: u64,
) -> Result<Vec<Event>, DbErr> {
    Ok(row::Entity::find()
        .filter(row::Column::Id.gt(after.0))
        .order_by_asc(row::Column::Id)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(to_wire)
        .collect())
}

/// The id of the newest event (0 when there is none).
pub async fn last_id<C: ConnectionTrait>(db: &C) -> Result<EventId, DbErr> {
    let id = row::Entity::find()
        .select_only()
        .column(row::Column::Id)
        .order_by_desc(row::Column::Id)
        .into_tuple::<i64>()
        .one(db)
        .await?;
    Ok(EventId(id.unwrap_or(0)))
}

/// An escalation's events, oldest first (its timeline).
pub async fn for_escalation<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    escalation: EscalationId,
) -> Result<Vec<Event>, AppError> {
    actor.require(Permission::Read)?;
    Ok(row::Entity::find()
        .filter(row::Column::EscalationId.eq(escalation.0))
        .order_by_asc(row::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(to_wire)
        .filter(|e| e.visible_to(actor))
        .collect())
}

/// One page of the audit log, newest first (facilitators and admins). Events about accounts
/// and API tokens are the admins' alone (`model::may_see`, the rule of the live doors too).
pub async fn audit_page<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    filter: &EventFilter,
    limit: u64,
) -> Result<Vec<Event>, AppError> {
    actor.require(Permission::ViewAudit)?;
    filter.validate().map_err(AppError::invalid)?;
    let mut query = row::Entity::find().order_by_desc(row::Column::Id);
    if !actor.can(Permission::Administer) {
        // Account events are stored under these entities; `may_see` below is the rule itself.
        query = query.filter(row::Column::Entity.is_not_in(super::model::ACCOUNT_ENTITIES));
    }
    if let Some(entity) = filter.entity.as_deref().filter(|e| !e.is_empty()) {
        query = query.filter(row::Column::Entity.eq(entity));
    }
    if let Some(actor_id) = filter.actor_id {
        query = query.filter(row::Column::ActorId.eq(actor_id));
    }
    if let Some(since) = filter.since {
        query = query.filter(row::Column::At.gte(since));
    }
    if let Some(until) = filter.until {
        query = query.filter(row::Column::At.lt(until));
    }
    if let Some(before) = filter.before {
        query = query.filter(row::Column::Id.lt(before));
    }
    Ok(query
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(to_wire)
        .filter(|e| super::model::may_see(actor, e))
        .collect())
}

/// What `flare audit verify` found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChainReport {
    pub checked: u64,
    /// The first event whose stored hash or link does not match, and why.
    pub broken: Option<(i64, String)>,
}

/// Recomputes every event's hash from its content and its predecessor's hash.
pub async fn verify_chain<C: ConnectionTrait>(db: &C) -> Result<ChainReport, DbErr> {
    const PAGE: u64 = 1_000;
    let mut prev = GENESIS.to_string();
    let mut expected_id = 1;
    let mut checked = 0;
    loop {
        let rows = row::Entity::find()
            .filter(row::Column::Id.gte(expected_id))
            .order_by_asc(row::Column::Id)
            .limit(PAGE)
            .all(db)
            .await?;
        let done = (rows.len() as u64) < PAGE;
        for r in rows {
            let broken = if r.id != expected_id {
                Some(format!("event {expected_id} is missing"))
            } else if r.prev_hash != prev {
                Some("its link to the previous event does not match".to_string())
            } else if chain_hash(&prev, &r) != r.hash {
                Some("its content does not match its hash".to_string())
            } else {
                None
            };
            if let Some(why) = broken {
                return Ok(ChainReport {
                    checked,
                    broken: Some((r.id, why)),
                });
            }
            checked += 1;
            expected_id += 1;
            prev = r.hash;
        }
        if done {
            return Ok(ChainReport {
                checked,
                broken: None,
            });
        }
    }
}

/// Truncates an instant to what both databases store (microseconds).
pub fn stored_instant(at: DateTime<Utc>) -> DateTime<Utc> {
    at.trunc_subsecs(6)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model() -> row::Model {
        row::Model {
            id: 1,
            at: DateTime::UNIX_EPOCH,
            actor_id: Some(3),
            actor_name: "Ada".into(),
            actor_email: "ada@example.com".into(),
            entity: "launch".into(),
            entity_id: 9,
            escalation_id: None,
            launch_id: Some(9),
            kind: "launch.created".into(),
            payload: r#"{"name":"Aurora"}"#.into(),
            prev_hash: GENESIS.into(),
            hash: String::new(),
        }
    }

    #[test]
    fn the_hash_covers_content_and_link() {
        let base = chain_hash(GENESIS, &model());
        assert_eq!(base.len(), 64);
        assert_eq!(base, chain_hash(GENESIS, &model()));
        let mut edited = model();
        edited.payload = r#"{"name":"Borealis"}"#.into();
        assert_ne!(base, chain_hash(GENESIS, &edited));
        assert_ne!(base, chain_hash(&base, &model()));
        // Moving text between fields changes the hash too (no ambiguous concatenation).
        let mut shifted = model();
        shifted.actor_name = "Ada\nada@example.com".into();
        shifted.actor_email = String::new();
        assert_ne!(base, chain_hash(GENESIS, &shifted));
    }
}
