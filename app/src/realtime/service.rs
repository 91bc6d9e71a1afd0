//! The hub (one per process), the relay that feeds it from the events table, and the
//! WebSocket session of each browser.

use super::model::{ClientMessage, MAX_REPLAY, ServerMessage, ahead_of_log, missed_too_much};
use crate::auth::model::{Actor, Person};
use crate::db::Db;
use crate::error::AppError;
use crate::event::model::{Event, EventId, ends_access, may_see};
use crate::event::service as events;
use crate::launch::LaunchId;
use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::broadcast;
use tokio_util::sync::CancellationToken;

/// How many events the hub buffers per client before that client counts as lagging.
pub const CHANNEL_CAPACITY: usize = 4_096;

/// An event, with its wire form serialised once for every client.
#[derive(Debug)]
pub struct Published {
    pub event: Event,
    /// `ServerMessage::Event` as JSON.
    pub json: String,
}

/// The process's hub: fans committed events out to every live connection.
#[derive(Clone, Debug)]
pub struct Hub {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    events: broadcast::Sender<Arc<Published>>,
    presence: broadcast::Sender<(LaunchId, Vec<Person>)>,
    viewers: Mutex<HashMap<LaunchId, Vec<(u64, Person)>>>,
    next_connection: AtomicU64,
    last_published: AtomicI64,
    shutdown: CancellationToken,
}

impl Default for Hub {
    fn default() -> Self {
        let (events, _) = broadcast::channel(CHANNEL_CAPACITY);
        let (presence, _) = broadcast::channel(256);
        Self {
            inner: Arc::new(Inner {
                events,
                presence,
                viewers: Mutex::new(HashMap::new()),
                next_connection: AtomicU64::new(1),
                last_published: AtomicI64::new(0),
                shutdown: CancellationToken::new(),
            }),
        }
    }
}

impl Hub {
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<Published>> {
        self.inner.events.subscribe()
    }

    /// Hands one event to every connection (the relay calls this, in id order).
    pub fn publish(&self, event: Event) {
        let id = event.id.0;
        let json = serde_json::to_string(&ServerMessage::Event {
            event: event.clone(),
        })
        .unwrap_or_default();
        let _ = self.inner.events.send(Arc::new(Published { event, json }));
        self.inner.last_published.store(id, Ordering::Release);
    }

    /// The id of the newest event handed out.
    pub fn last_published(&self) -> EventId {
        EventId(self.inner.last_published.load(Ordering::Acquire))
    }

    /// Cancelled when the server shuts down: live streams end so shutdown can finish.
    pub fn shutdown(&self) -> CancellationToken {
        self.inner.shutdown.clone()
    }

    pub fn presence_updates(&self) -> broadcast::Receiver<(LaunchId, Vec<Person>)> {
        self.inner.presence.subscribe()
    }

    pub fn connection_id(&self) -> u64 {
        self.inner.next_connection.fetch_add(1, Ordering::Relaxed)
    }

    /// Who is viewing a launch's board, each person once.
    pub fn viewers(&self, launch: LaunchId) -> Vec<Person> {
        let viewers = self.inner.viewers.lock().unwrap_or_else(|e| e.into_inner());
        let mut people: Vec<Person> = viewers
            .get(&launch)
            .map(|v| v.iter().map(|(_, p)| p.clone()).collect())
            .unwrap_or_default();
        people.sort_by_key(|p| p.id);
        people.dedup_by_key(|p| p.id);
        people
    }

    /// Records that a connection views `launch` (or stops viewing with `None`), and tells
    /// everyone on the boards concerned.
    pub fn set_viewing(&self, connection: u64, person: &Person, launch: Option<LaunchId>) {
        let changed: Vec<LaunchId> = {
            let mut viewers = self.inner.viewers.lock().unwrap_or_else(|e| e.into_inner());
            let mut changed = Vec::new();
            for (id, list) in viewers.iter_mut() {
                let before = list.len();
                list.retain(|(c, _)| *c != connection);
                if list.len() != before && Some(*id) != launch {
                    changed.push(*id);
                }
            }
            viewers.retain(|_, list| !list.is_empty());
            if let Some(launch) = launch {
                viewers
                    .entry(launch)
                    .or_default()
                    .push((connection, person.clone()));
                changed.push(launch);
            }
            changed
        };
        for launch in changed {
            let _ = self.inner.presence.send((launch, self.viewers(launch)));
        }
    }
}

/// Feeds the hub from the events table, in id order: woken by this process's commits, by
/// PostgreSQL NOTIFY from other processes, and every half second as a safety net.
pub async fn run_relay(db: Db, hub: Hub) {
    let mut last = match events::last_id(&db.conn).await {
        Ok(id) => id,
        Err(err) => {
            tracing::error!(%err, "relay cannot read the event log");
            EventId(0)
        }
    };
    hub.inner.last_published.store(last.0, Ordering::Release);
    let mut listener = if db.backend() == sea_orm::DbBackend::Postgres {
        listen(&db).await
    } else {
        None
    };
    let shutdown = hub.shutdown();
    let mut commits = db.commits();
    loop {
        let notified = async {
            match listener.as_mut() {
                Some(l) => {
                    if let Err(err) = l.recv().await {
                        tracing::warn!(%err, "LISTEN connection lost; relying on polling until it returns");
                        tokio::time::sleep(Duration::from_secs(1)).await;
                    }
                }
                None => std::future::pending::<()>().await,
            }
        };
        tokio::select! {
            _ = commits.changed() => {},
            () = notified => {},
            () = tokio::time::sleep(Duration::from_millis(500)) => {},
            () = shutdown.cancelled() => return,
        }
        loop {
            match events::after(&db.conn, last, 500).await {
                Ok(batch) => {
                    let full = batch.len() == 500;
                    for event in batch {
                        last = event.id;
                        hub.publish(event);
                    }
                    if !full {
                        break;
                    }
                }
                Err(err) => {
                    tracing::warn!(%err, "relay cannot read new events");
                    break;
                }
            }
        }
    }
}

async fn listen(db: &Db) -> Option<sea_orm::sqlx::postgres::PgListener> {
    let pool = db.conn.get_postgres_connection_pool();
    match sea_orm::sqlx::postgres::PgListener::connect_with(pool).await {
        Ok(mut listener) => match listener.listen(events::CHANNEL).await {
            Ok(()) => Some(listener),
            Err(err) => {
                tracing::warn!(%err, "cannot LISTEN; polling only");
                None
            }
        },
        Err(err) => {
            tracing::warn!(%err, "cannot open the LISTEN connection; polling only");
            None
        }
    }
}

/// Where a client's stream starts: every event after `after` (unfiltered; each door applies
/// `may_see`). A 409 when more than `MAX_REPLAY` were missed, or when `after` is ahead of the
/// newest event (a stream from there would never deliver anything).
pub async fn replay(db: &Db, after: EventId) -> Result<Vec<Event>, AppError> {
    let missed = events::after(&db.conn, after, MAX_REPLAY + 1).await?;
    if missed.len() as u64 > MAX_REPLAY {
        return Err(missed_too_much());
    }
    if missed.is_empty() {
        let newest = events::last_id(&db.conn).await?;
        if after > newest {
            return Err(ahead_of_log(after, newest));
        }
    }
    Ok(missed)
}

/// A browser's WebSocket session: replay from `after`, then live events it may see
/// (`may_see`), presence of the board it views, and pings; ends on close, lag or shutdown.
/// When it cannot resume from `after` (too much missed, or `after` ahead of the event log) it
/// sends one `reload` message saying why, and closes: the reloaded page resumes from an id
/// the server gave it.
pub async fn session(
    mut socket: axum::extract::ws::WebSocket,
    db: Db,
    hub: Hub,
    actor: Actor,
    after: Option<EventId>,
) {
    use axum::extract::ws::Message;
    let mut events_rx = hub.subscribe();
    let mut presence_rx = hub.presence_updates();
    let connection = hub.connection_id();
    let person = Person {
        id: actor.id,
        name: actor.name.clone(),
    };
    let mut viewing: Option<LaunchId> = None;
    let shutdown = hub.shutdown();
    let text =
        |m: &ServerMessage| Message::Text(serde_json::to_string(m).unwrap_or_default().into());

    let start = after.unwrap_or_else(|| hub.last_published());
    let missed = match replay(&db, start).await {
        Ok(missed) => missed,
        Err(error) => {
            let reason = error.to_string();
            let _ = socket.send(text(&ServerMessage::Reload { reason })).await;
            let _ = socket.send(Message::Close(None)).await;
            return;
        }
    };
    let mut last_sent = missed.last().map_or(start, |e| e.id);
    if socket
        .send(text(&ServerMessage::Hello {
            last_event_id: last_sent.max(start),
        }))
        .await
        .is_err()
    {
        return;
    }
    for event in missed.into_iter().filter(|e| may_see(&actor, e)) {
        if socket
            .send(text(&ServerMessage::Event { event }))
            .await
            .is_err()
        {
            return;
        }
    }
    let mut ping = tokio::time::interval(Duration::from_secs(20));
    ping.tick().await;
    loop {
        tokio::select! {
            received = events_rx.recv() => match received {
                Ok(published) => {
                    if published.event.id <= last_sent {
                        continue;
                    }
                    last_sent = published.event.id;
                    if may_see(&actor, &published.event)
                        && socket.send(Message::Text(published.json.clone().into())).await.is_err()
                    {
                        break;
                    }
                    if ends_access(&actor, &published.event) {
                        let reason = "your account changed".to_string();
                        let _ = socket.send(text(&ServerMessage::Reload { reason })).await;
                        break;
                    }
                }
                Err(broadcast::error::RecvError::Lagged(_)) => {
                    let reason = "this connection fell behind".to_string();
                    let _ = socket.send(text(&ServerMessage::Reload { reason })).await;
                    break;
                }
                Err(broadcast::error::RecvError::Closed) => break,
            },
            update = presence_rx.recv() => {
                if let Ok((launch_id, viewers)) = update
                    && Some(launch_id) == viewing
                        && socket.send(text(&ServerMessage::Presence { launch_id, viewers })).await.is_err()
                    {
                        break;
                    }
            },
            incoming = socket.recv() => match incoming {
                Some(Ok(Message::Text(body))) => {
                    if let Ok(ClientMessage::Viewing { launch_id }) = serde_json::from_str(&body) {
                        viewing = launch_id;
                        hub.set_viewing(connection, &person, launch_id);
                        if let Some(launch_id) = launch_id {
                            let viewers = hub.viewers(launch_id);
                            let _ = socket.send(text(&ServerMessage::Presence { launch_id, viewers })).await;
                        }
                    }
                }
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => break,
                Some(Ok(_)) => {}
            },
            _ = ping.tick() => {
                if socket.send(Message::Ping(Vec::new().into())).await.is_err() {
                    break;
                }
            },
            () = shutdown.cancelled() => {
                let _ = socket.send(Message::Close(None)).await;
                break;
            }
        }
    }
    hub.set_viewing(connection, &person, None);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::model::UserId;

    fn person(id: i64) -> Person {
        Person {
            id: UserId(id),
            name: format!("P{id}"),
        }
    }

    #[test]
    fn presence_lists_each_person_once_and_forgets_closed_connections() {
        let hub = Hub::default();
        let mut updates = hub.presence_updates();
        let board = LaunchId(1);
        hub.set_viewing(1, &person(7), Some(board));
        hub.set_viewing(2, &person(7), Some(board));
        hub.set_viewing(3, &person(8), Some(board));
        assert_eq!(hub.viewers(board).len(), 2);
        hub.set_viewing(1, &person(7), None);
        assert_eq!(hub.viewers(board).len(), 2, "person 7 still has a tab open");
        hub.set_viewing(2, &person(7), Some(LaunchId(2)));
        assert_eq!(hub.viewers(board), vec![person(8)]);
        assert_eq!(hub.viewers(LaunchId(2)), vec![person(7)]);
        let mut seen = 0;
        while updates.try_recv().is_ok() {
            seen += 1;
        }
        assert!(seen >= 5);
    }
}
