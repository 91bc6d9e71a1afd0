//! Webhooks kept and delivered: saving and listing them (admins), their delivery log, a
//! test send, and the worker (`worker`) that delivers the event log to each.

pub mod address;
mod row;
pub mod worker;

use super::model::{CreatedWebhook, Delivery, ValidWebhook, Webhook, WebhookRequest};
use crate::auth::model::{Actor, Permission};
use crate::db::Db;
use crate::entity::{launch, webhook as row_entity, webhook_delivery};
use crate::error::AppError;
use crate::event::change::{WebhookCreated, WebhookDeleted};
use crate::event::service::{NewEvent, append, last_id};
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde_json::json;

/// What deliveries need from the configuration.
#[derive(Clone, Debug)]
pub struct Outbound {
    /// Allow webhooks to private and loopback addresses (`FLARE_WEBHOOK_ALLOW_PRIVATE=1`).
    pub allow_private: bool,
    /// Flare's address as people reach it, for absolute links (`FLARE_PUBLIC_URL`).
    pub public_url: String,
}

impl Default for Outbound {
    fn default() -> Self {
        Self {
            allow_private: false,
            public_url: "http://127.0.0.1:3000".into(),
        }
    }
}

/// Makes ring, the crypto the database driver's TLS already brings in, the process's rustls
/// provider (once; later calls do nothing). reqwest is built without a provider of its own
/// (its default would compile a second one), so every process that builds an HTTP client
/// calls this first.
pub fn install_crypto() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

impl Outbound {
    /// The HTTP client deliveries use: ten seconds per attempt, no redirects (a redirect
    /// could lead anywhere), and the guarded resolver.
    pub fn client(&self) -> Result<reqwest::Client, AppError> {
        install_crypto();
        reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(10))
            .connect_timeout(std::time::Duration::from_secs(5))
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("Flare-Webhooks/", env!("CARGO_PKG_VERSION")))
            .dns_resolver(std::sync::Arc::new(address::GuardedResolver {
                allow_private: self.allow_private,
            }))
            .build()
            .map_err(AppError::internal)
    }

    /// An absolute link to a page (`path` starts with `/`).
    pub fn link(&self, path: &str) -> String {
        format!("{}{path}", self.public_url.trim_end_matches('/'))
    }
}

/// Adds a webhook (admins). It gets every matching event from now on; the secret is shown
/// only in this answer.
pub async fn create(
    db: &Db,
    actor: &Actor,
    outbound: &Outbound,
    req: &WebhookRequest,
) -> Result<CreatedWebhook, AppError> {
    actor.require(Permission::Administer)?;
    let valid: ValidWebhook = req.validate().map_err(AppError::invalid)?;
    address::check(&valid.url, outbound.allow_private).map_err(AppError::invalid)?;
    let txn = db.write().await?;
    if let Some(launch) = valid.launch_id
        && launch::Entity::find_by_id(launch.0)
            .one(&*txn)
            .await?
            .is_none()
    {
        return Err(AppError::invalid_field(
            "launch_id",
            "is not an existing launch",
        ));
    }
    let secret = format!("whsec_{}", hex::encode(rand::random::<[u8; 24]>()));
    let events = serde_json::to_string(&valid.events).map_err(AppError::internal)?;
    let model = row_entity::ActiveModel {
        url: Set(valid.url.clone()),
        events: Set(events),
        launch_id: Set(valid.launch_id.map(|l| l.0)),
        format: Set(valid.format.as_str().into()),
        secret: Set(secret.clone()),
        created_by: Set(actor.id.0),
        created_at: Set(Utc::now()),
        // From now on: the events already in the log are not sent.
        cursor: Set(last_id(&*txn).await?.0),
        attempts: Set(0),
        ..Default::default()
    }
    .insert(&*txn)
    .await?;
    append(
        &*txn,
        &actor.into(),
        NewEvent::new(
            "webhook",
            model.id,
            WebhookCreated {
                url: valid.url.clone(),
                events: valid.events.clone(),
                launch_id: model.launch_id,
                format: model.format.clone(),
            },
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(CreatedWebhook {
        id: model.id,
        url: valid.url,
        events: valid.events,
        launch_id: valid.launch_id,
        format: valid.format,
        secret,
    })
}

/// Every webhook (admins), oldest first.
pub async fn list(db: &Db, actor: &Actor) -> Result<Vec<Webhook>, AppError> {
    actor.require(Permission::Administer)?;
    row_entity::Entity::find()
        .order_by_asc(row_entity::Column::Id)
        .all(&db.conn)
        .await?
        .iter()
        .map(Webhook::try_from)
        .collect()
}

async fn find(db: &Db, id: i64) -> Result<row_entity::Model, AppError> {
    row_entity::Entity::find_by_id(id)
        .one(&db.conn)
        .await?
        .ok_or_else(|| AppError::not_found("There is no such webhook."))
}

/// Removes a webhook and its delivery log (admins).
pub async fn delete(db: &Db, actor: &Actor, id: i64) -> Result<(), AppError> {
    actor.require(Permission::Administer)?;
    let txn = db.write().await?;
    let hook = row_entity::Entity::find_by_id(id)
        .one(&*txn)
        .await?
        .ok_or_else(|| AppError::not_found("There is no such webhook."))?;
    webhook_delivery::Entity::delete_many()
        .filter(webhook_delivery::Column::WebhookId.eq(id))
        .exec(&*txn)
        .await?;
    row_entity::Entity::delete_by_id(id).exec(&*txn).await?;
    append(
        &*txn,
        &actor.into(),
        NewEvent::new("webhook", id, WebhookDeleted { url: hook.url }),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// A webhook's newest 100 deliveries, newest first (admins).
pub async fn deliveries(db: &Db, actor: &Actor, id: i64) -> Result<Vec<Delivery>, AppError> {
    actor.require(Permission::Administer)?;
    find(db, id).await?;
    Ok(webhook_delivery::Entity::find()
        .filter(webhook_delivery::Column::WebhookId.eq(id))
        .order_by_desc(webhook_delivery::Column::Id)
        .limit(100)
        .all(&db.conn)
        .await?
        .into_iter()
        .map(Delivery::from)
        .collect())
}

/// Sends a test message now, signed like any delivery, and logs it (admins).
pub async fn send_test(
    db: &Db,
    actor: &Actor,
    outbound: &Outbound,
    id: i64,
) -> Result<Delivery, AppError> {
    actor.require(Permission::Administer)?;
    let hook = find(db, id).await?;
    let text = format!(
        "Test from Flare: this webhook works (sent by {}).",
        actor.name
    );
    let body = match hook.format.as_str() {
        "slack" => json!({"text": text, "blocks": [
            {"type": "section", "text": {"type": "plain_text", "text": text}}]}),
        _ => json!({"kind": "webhook.test", "text": text, "at": Utc::now()}),
    };
    let client = outbound.client()?;
    let sent = worker::post(&client, &hook, None, &body).await;
    let outcome = if sent.ok { "delivered" } else { "failed" };
    let model = worker::log(&db.conn, &hook, None, 1, &sent, outcome).await?;
    Ok(Delivery::from(model))
}
