//! The people behind each `Audience` of one escalation, and telling them: the one place the
//! notification rules (`rules::audience`) meet the database.

use super::notify_about;
use crate::auth::model::{Role, UserId};
use crate::entity::{escalation, event, launch, user};
use crate::error::AppError;
use crate::event::model::EventActor;
use crate::mail::service::About;
use crate::notification::NotificationKind;
use crate::notification::rules::{Audience, Occasion, audience};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

/// The active people in `who` for `esc`, each once, in audience order (`addressee`: the
/// person a decision request is addressed to).
pub async fn people<C: ConnectionTrait>(
    db: &C,
    esc: &escalation::Model,
    who: &[Audience],
    addressee: Option<i64>,
) -> Result<Vec<UserId>, AppError> {
    let launch = launch::Entity::find_by_id(esc.launch_id).one(db).await?;
    let mut ids: Vec<i64> = Vec::new();
    for group in who {
        let found: Vec<i64> = match group {
            Audience::Addressee => addressee.into_iter().collect(),
            Audience::Owner => esc.owner_id.into_iter().collect(),
            Audience::Team => crate::team::service::stored_team(esc)?
                .into_values()
                .collect(),
            Audience::Actors => event::Entity::find()
                .select_only()
                .column(event::Column::ActorId)
                .distinct()
                .filter(event::Column::EscalationId.eq(esc.id))
                .filter(event::Column::ActorId.is_not_null())
                .into_tuple::<Option<i64>>()
                .all(db)
                .await?
                .into_iter()
                .flatten()
                .collect(),
            Audience::Lead => launch
                .as_ref()
                .and_then(|l| l.lead_id)
                .into_iter()
                .collect(),
            Audience::Sponsor => launch
                .as_ref()
                .and_then(|l| l.sponsor_id)
                .into_iter()
                .collect(),
            Audience::Executives => {
                user::Entity::find()
                    .select_only()
                    .column(user::Column::Id)
                    .filter(user::Column::Role.eq(Role::Executive.as_str()))
                    .filter(user::Column::Active.eq(true))
                    .into_tuple::<i64>()
                    .all(db)
                    .await?
            }
        };
        for id in found {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
    }
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let active: Vec<i64> = user::Entity::find()
        .select_only()
        .column(user::Column::Id)
        .filter(user::Column::Id.is_in(ids.clone()))
        .filter(user::Column::Active.eq(true))
        .into_tuple::<i64>()
        .all(db)
        .await?;
    Ok(ids
        .into_iter()
        .filter(|id| active.contains(id))
        .map(UserId)
        .collect())
}

/// What to tell, and of which occasion: the rules (`rules::audience`) pick the people.
#[derive(Clone, Debug)]
pub struct Notice {
    pub occasion: Occasion,
    pub kind: NotificationKind,
    pub text: String,
    /// Whom a decision request is addressed to (for `Occasion::DecisionStalled`).
    pub addressee: Option<i64>,
    /// Someone already told otherwise (an owner told they own it).
    pub except: Option<UserId>,
}

impl Notice {
    pub fn new(occasion: Occasion, kind: NotificationKind, text: String) -> Self {
        Self {
            occasion,
            kind,
            text,
            addressee: None,
            except: None,
        }
    }
}

/// Tells everyone the runbook's rules name for the notice's occasion on `esc` (inside the
/// change's transaction), except the person who caused it. Returns who was told.
pub async fn tell<C: ConnectionTrait>(
    txn: &C,
    by: &EventActor,
    esc: &escalation::Model,
    notice: &Notice,
) -> Result<Vec<UserId>, AppError> {
    let tier = esc.read_tier()?;
    let policy = crate::runbook::service::version(txn, esc.runbook_version)
        .await?
        .policy(tier);
    let who = audience(notice.occasion, tier, &policy);
    let about = About::of(esc);
    let mut told = Vec::new();
    for person in people(txn, esc, &who, notice.addressee).await? {
        if Some(person) == by.id || Some(person) == notice.except {
            continue;
        }
        notify_about(txn, by, person, notice.kind, about, notice.text.clone()).await?;
        told.push(person);
    }
    Ok(told)
}
