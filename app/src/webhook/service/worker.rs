//! The delivery worker. Each webhook's queue is the event log after its `cursor`: events are
//! sent in order, one at a time, and the cursor moves past an event only once it is
//! delivered (or, after 24 hours of failures, given up and logged). A failure stops the
//! queue until its retry is due. One app server at a time holds a webhook's lease, so an
//! event is sent by one server; a crash between a receiver's 2xx and the cursor's update
//! sends that event again (at least once — receivers dedupe on `X-Flare-Event-Id`).

use super::Outbound;
use crate::db::{Db, claim};
use crate::entity::{escalation, event as event_row, user, webhook as row, webhook_delivery};
use crate::error::AppError;
use crate::event::model::Event;
use crate::event::service::{last_id, to_wire};
use crate::launch::LaunchId;
use crate::webhook::model::{WebhookFormat, give_up_after, retry_after, wants};
use crate::webhook::payload::{About, body, signature};
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde_json::Value;

/// How long a lease lasts without being renewed (each delivered event renews it).
const LEASE: i64 = 120;
/// Events read from the log at a time.
const BATCH: u64 = 100;

/// What one POST came to.
#[derive(Clone, Debug, Default)]
pub struct Sent {
    pub ok: bool,
    pub status: Option<u16>,
    pub error: Option<String>,
    pub duration_ms: i64,
}

/// POSTs `body` to the webhook, signed, with the event's id.
pub async fn post(
    client: &reqwest::Client,
    hook: &row::Model,
    event_id: Option<i64>,
    body: &Value,
) -> Sent {
    let started = std::time::Instant::now();
    let bytes = serde_json::to_vec(body).unwrap_or_default();
    let mut request = client
        .post(&hook.url)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header("X-Flare-Signature", signature(&hook.secret, &bytes))
        .header("X-Flare-Webhook-Id", hook.id.to_string());
    if let Some(id) = event_id {
        request = request.header("X-Flare-Event-Id", id.to_string());
    }
    let result = request.body(bytes).send().await;
    let duration_ms = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
    match result {
        Ok(response) => {
            let status = response.status();
            Sent {
                ok: status.is_success(),
                status: Some(status.as_u16()),
                error: (!status.is_success()).then(|| format!("answered {status}")),
                duration_ms,
            }
        }
        Err(err) => Sent {
            ok: false,
            status: None,
            error: Some(error_text(&err)),
            duration_ms,
        },
    }
}

/// A transport error in words, with its causes (reqwest's own text is terse).
fn error_text(err: &reqwest::Error) -> String {
    let mut text = if err.is_timeout() {
        "timed out".to_string()
    } else {
        err.to_string()
    };
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        text.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    text
}

/// Logs one attempt.
pub async fn log<C: ConnectionTrait>(
    db: &C,
    hook: &row::Model,
    event_id: Option<i64>,
    attempt: i32,
    sent: &Sent,
    outcome: &str,
) -> Result<webhook_delivery::Model, AppError> {
    Ok(webhook_delivery::ActiveModel {
        webhook_id: Set(hook.id),
        event_id: Set(event_id),
        attempt: Set(attempt),
        at: Set(Utc::now()),
        status_code: Set(sent.status.map(i32::from)),
        error: Set(sent.error.clone()),
        duration_ms: Set(sent.duration_ms),
        outcome: Set(outcome.into()),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

/// One pass at `now`: every webhook with events waiting and no retry pending is leased by
/// `holder` and its queue delivered. Returns how many events were delivered.
pub async fn run_once(
    db: &Db,
    outbound: &Outbound,
    client: &reqwest::Client,
    holder: &str,
    now: DateTime<Utc>,
) -> Result<u32, AppError> {
    let head = last_id(&db.conn).await?.0;
    let due = row::Entity::find()
        .filter(row::Column::Cursor.lt(head))
        .filter(
            row::Column::NextAttemptAt
                .is_null()
                .or(row::Column::NextAttemptAt.lte(now)),
        )
        .filter(
            row::Column::LeaseUntil
                .is_null()
                .or(row::Column::LeaseUntil.lt(now)),
        )
        .all(&db.conn)
        .await?;
    let mut queues = Vec::new();
    for hook in due {
        let leased = claim(
            row::Entity::update_many()
                .col_expr(
                    row::Column::LeaseUntil,
                    Expr::value(now + Duration::seconds(LEASE)),
                )
                .col_expr(row::Column::LeaseHolder, Expr::value(holder))
                .filter(row::Column::Id.eq(hook.id))
                .filter(
                    row::Column::LeaseUntil
                        .is_null()
                        .or(row::Column::LeaseUntil.lt(now)),
                ),
            &db.conn,
        )
        .await?;
        if leased {
            queues.push(Queue {
                db,
                outbound,
                client,
                holder,
                now,
                started: std::time::Instant::now(),
                head,
                hook,
            });
        }
    }
    // Queues of different webhooks go side by side: a slow receiver holds up only its own.
    let results = futures::future::join_all(queues.into_iter().map(Queue::deliver)).await;
    let mut delivered = 0;
    for result in results {
        delivered += result?;
    }
    Ok(delivered)
}

/// One leased webhook's queue.
struct Queue<'a> {
    db: &'a Db,
    outbound: &'a Outbound,
    client: &'a reqwest::Client,
    holder: &'a str,
    now: DateTime<Utc>,
    started: std::time::Instant,
    head: i64,
    hook: row::Model,
}

impl Queue<'_> {
    /// The pass's clock: `now` plus the time spent since.
    fn clock(&self) -> DateTime<Utc> {
        self.now + Duration::from_std(self.started.elapsed()).unwrap_or_default()
    }

    async fn deliver(mut self) -> Result<u32, AppError> {
        let events: Vec<String> = serde_json::from_str(&self.hook.events)
            .map_err(|_| AppError::corrupt("webhook", self.hook.id, "events", &self.hook.events))?;
        let format = WebhookFormat::parse(&self.hook.format).ok_or_else(|| {
            AppError::corrupt("webhook", self.hook.id, "format", &self.hook.format)
        })?;
        let launch = self.hook.launch_id.map(LaunchId);
        let mut delivered = 0;
        loop {
            let batch = self.next_batch(&events).await?;
            if batch.is_empty() {
                // Nothing more that matches up to the head: the queue is empty.
                if self.hook.cursor < self.head {
                    self.hook.cursor = self.head;
                }
                self.save(true).await?;
                return Ok(delivered);
            }
            for stored in batch {
                let event = to_wire(stored);
                if !wants(&events, launch, &event) {
                    self.hook.cursor = event.id.0;
                    continue;
                }
                let about = match format {
                    WebhookFormat::Slack => self.about(&event).await?,
                    WebhookFormat::Json => None,
                };
                let home = self.outbound.link("/");
                let payload = body(format, &event, about.as_ref(), &home);
                let sent = post(self.client, &self.hook, Some(event.id.0), &payload).await;
                let attempt = self.hook.attempts + 1;
                let now = self.clock();
                let outcome = if sent.ok {
                    "delivered"
                } else if now - *self.hook.failing_since.get_or_insert(now) >= give_up_after() {
                    "gave_up"
                } else {
                    "failed"
                };
                log(
                    &self.db.conn,
                    &self.hook,
                    Some(event.id.0),
                    attempt,
                    &sent,
                    outcome,
                )
                .await?;
                match outcome {
                    "failed" => {
                        self.hook.attempts = attempt;
                        self.hook.next_attempt_at = Some(now + retry_after(attempt));
                        self.save(true).await?;
                        return Ok(delivered);
                    }
                    "gave_up" => tracing::warn!(
                        webhook = self.hook.id,
                        event = event.id.0,
                        "webhook delivery given up after 24 hours"
                    ),
                    _ => delivered += 1,
                }
                self.advance(event.id.0);
                if !self.save(false).await? {
                    // Another server took the lease over (this one was too slow): stop.
                    return Ok(delivered);
                }
            }
        }
    }

    /// Past `event_id`: the next event starts with a clean retry state.
    fn advance(&mut self, event_id: i64) {
        self.hook.cursor = event_id;
        self.hook.attempts = 0;
        self.hook.failing_since = None;
        self.hook.next_attempt_at = None;
    }

    /// The next events after the cursor, up to the head, that the webhook may want.
    async fn next_batch(&self, events: &[String]) -> Result<Vec<event_row::Model>, AppError> {
        let mut query = event_row::Entity::find()
            .filter(event_row::Column::Id.gt(self.hook.cursor))
            .filter(event_row::Column::Id.lte(self.head))
            .order_by_asc(event_row::Column::Id)
            .limit(BATCH);
        if let Some(launch) = self.hook.launch_id {
            query = query.filter(event_row::Column::LaunchId.eq(launch));
        }
        if !events.iter().any(|k| k == "*") {
            query = query.filter(event_row::Column::Kind.is_in(events.to_vec()));
        }
        let batch = query.all(&self.db.conn).await?;
        Ok(batch)
    }

    /// Writes the queue's state if this server still holds the lease, renewing it (or
    /// releasing it: `release`). False if the lease was lost.
    async fn save(&self, release: bool) -> Result<bool, AppError> {
        let lease_until = (!release).then(|| self.clock() + Duration::seconds(LEASE));
        let holder = (!release).then(|| self.holder.to_string());
        claim(
            row::Entity::update_many()
                .col_expr(row::Column::Cursor, Expr::value(self.hook.cursor))
                .col_expr(row::Column::Attempts, Expr::value(self.hook.attempts))
                .col_expr(
                    row::Column::FailingSince,
                    Expr::value(self.hook.failing_since),
                )
                .col_expr(
                    row::Column::NextAttemptAt,
                    Expr::value(self.hook.next_attempt_at),
                )
                .col_expr(row::Column::LeaseUntil, Expr::value(lease_until))
                .col_expr(row::Column::LeaseHolder, Expr::value(holder))
                .filter(row::Column::Id.eq(self.hook.id))
                .filter(row::Column::LeaseHolder.eq(self.holder)),
            &self.db.conn,
        )
        .await
        .map_err(AppError::from)
    }

    /// The escalation an event belongs to, as a Slack message shows it.
    async fn about(&self, event: &Event) -> Result<Option<About>, AppError> {
        let Some(id) = event.escalation_id else {
            return Ok(None);
        };
        let Some(esc) = escalation::Entity::find_by_id(id.0)
            .one(&self.db.conn)
            .await?
        else {
            return Ok(None);
        };
        let owner = match esc.owner_id {
            Some(owner) => user::Entity::find_by_id(owner)
                .one(&self.db.conn)
                .await?
                .map(|u| u.name),
            None => None,
        };
        Ok(Some(About {
            title: esc.title.clone(),
            tier: esc.read_tier()?.to_string(),
            stage: esc.read_stage()?.label().to_string(),
            owner,
            link: self.outbound.link(&format!("/escalations/{}", esc.id)),
        }))
    }
}

/// Delivers until shutdown: a pass right after every event this process hears of (its own
/// and, on PostgreSQL, other servers'), and every second for retries.
pub async fn run_forever(
    db: Db,
    hub: crate::realtime::service::Hub,
    outbound: Outbound,
    shutdown: tokio_util::sync::CancellationToken,
) {
    let client = match outbound.client() {
        Ok(client) => client,
        Err(err) => {
            tracing::error!(%err, "webhooks are not delivered: no HTTP client");
            return;
        }
    };
    let holder = format!("{}-{:08x}", std::process::id(), rand::random::<u32>());
    let mut events = hub.subscribe();
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(1));
    loop {
        tokio::select! {
            _ = events.recv() => {
                // Whatever else arrived meanwhile is covered by this pass.
                while events.try_recv().is_ok() {}
            }
            _ = tick.tick() => {}
            () = shutdown.cancelled() => return,
        }
        if let Err(err) = run_once(&db, &outbound, &client, &holder, Utc::now()).await {
            tracing::warn!(%err, "webhook deliveries failed");
        }
    }
}
