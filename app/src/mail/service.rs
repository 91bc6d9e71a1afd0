//! Reading and saving a person's email choices, and queueing mail: a notice's mail is
//! written to the outbox in the notice's own transaction (so it is sent if and only if the
//! change happened), and sent later by the worker (`sender`), so a slow or absent mail
//! server never slows a change.

pub mod digest;
pub mod sender;

use super::model::{Choice, EmailChoices, EmailChoicesRequest, EmailSettings};
use super::template::{Item, Mail, Section, subject};
use crate::auth::model::{Actor, Permission, Role, UserId};
use crate::db::Db;
use crate::entity::{email_choice, escalation, mail_outbox, user};
use crate::error::AppError;
use crate::escalation::{EscalationId, Tier};
use crate::notification::NotificationKind;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, EntityTrait, QuerySelect, Set};

/// A person's choices: as saved, or the defaults for their role.
pub async fn choices_of<C: ConnectionTrait>(
    db: &C,
    person: &user::Model,
) -> Result<EmailChoices, DbErr> {
    let role = Role::parse(&person.role).unwrap_or(Role::Viewer);
    Ok(email_choice::Entity::find_by_id(person.id)
        .one(db)
        .await?
        .map_or_else(|| EmailChoices::defaults(role), |c| from_row(&c)))
}

fn from_row(c: &email_choice::Model) -> EmailChoices {
    EmailChoices {
        asked_of_me: c.asked_of_me,
        stalls: c.stalls,
        major_escalations: c.major_escalations,
        breaches: c.breaches,
        daily_digest: c.daily_digest,
    }
}

async fn me(db: &Db, actor: &Actor) -> Result<user::Model, AppError> {
    actor.require(Permission::Read)?;
    crate::auth::service::active_user(&db.conn, actor.id)
        .await?
        .ok_or_else(AppError::sign_in_required)
}

/// The caller's email settings; `sending` says whether this Flare sends mail at all.
pub async fn settings(db: &Db, actor: &Actor, sending: bool) -> Result<EmailSettings, AppError> {
    let person = me(db, actor).await?;
    Ok(EmailSettings {
        choices: choices_of(&db.conn, &person).await?,
        email: person.email,
        sending,
    })
}

/// Changes the caller's choices (what the change leaves out stays as it was).
pub async fn save(
    db: &Db,
    actor: &Actor,
    sending: bool,
    change: &EmailChoicesRequest,
) -> Result<EmailSettings, AppError> {
    let person = me(db, actor).await?;
    let txn = db.write().await?;
    let choices = choices_of(&*txn, &person).await?.with(change);
    let row = email_choice::ActiveModel {
        user_id: Set(person.id),
        asked_of_me: Set(choices.asked_of_me),
        stalls: Set(choices.stalls),
        major_escalations: Set(choices.major_escalations),
        breaches: Set(choices.breaches),
        daily_digest: Set(choices.daily_digest),
        updated_at: Set(Utc::now()),
    };
    use email_choice::Column as C;
    email_choice::Entity::insert(row)
        .on_conflict(
            OnConflict::column(C::UserId)
                .update_columns([
                    C::AskedOfMe,
                    C::Stalls,
                    C::MajorEscalations,
                    C::Breaches,
                    C::DailyDigest,
                    C::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(&*txn)
        .await?;
    txn.commit().await?;
    Ok(EmailSettings {
        email: person.email,
        sending,
        choices,
    })
}

/// Queues `mail` for `person`, to go at `now` (inside the caller's transaction).
pub async fn enqueue<C: ConnectionTrait>(
    txn: &C,
    person: &user::Model,
    kind: &str,
    mail: &Mail,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    mail_outbox::ActiveModel {
        user_id: Set(person.id),
        to_address: Set(person.email.clone()),
        kind: Set(kind.into()),
        subject: Set(mail.subject.clone()),
        body: Set(serde_json::to_string(mail).map_err(|e| DbErr::Custom(e.to_string()))?),
        state: Set(sender::QUEUED.into()),
        created_at: Set(now),
        attempts: Set(0),
        next_attempt_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(())
}

/// What a notice's mail needs to know of its escalation: whether its tier is mailed, and
/// whether it is a drill.
#[derive(Clone, Copy, Debug)]
pub struct About {
    pub id: EscalationId,
    pub tier: Option<Tier>,
    pub drill: bool,
}

impl About {
    pub fn of(esc: &escalation::Model) -> Self {
        Self {
            id: EscalationId(esc.id),
            tier: Tier::new(i64::from(esc.tier)),
            drill: esc.drill,
        }
    }

    /// Reads the two columns it needs (`None` for an escalation that is not there).
    pub async fn find<C: ConnectionTrait>(
        txn: &C,
        id: EscalationId,
    ) -> Result<Option<Self>, DbErr> {
        Ok(escalation::Entity::find_by_id(id.0)
            .select_only()
            .column(escalation::Column::Tier)
            .column(escalation::Column::Drill)
            .into_tuple::<(i16, bool)>()
            .one(txn)
            .await?
            .map(|(tier, drill)| Self {
                id,
                tier: Tier::new(i64::from(tier)),
                drill,
            }))
    }
}

/// The mail of a notice told to `recipient`, queued if they chose that kind of mail
/// (inside the notice's transaction).
pub async fn queue_notice<C: ConnectionTrait>(
    txn: &C,
    recipient: UserId,
    kind: NotificationKind,
    about: Option<About>,
    text: &str,
) -> Result<(), DbErr> {
    let Some(person) = user::Entity::find_by_id(recipient.0).one(txn).await? else {
        return Ok(());
    };
    if !person.active {
        return Ok(());
    }
    if !choices_of(txn, &person)
        .await?
        .wants(kind, about.and_then(|a| a.tier))
    {
        return Ok(());
    }
    let mut mail = notice_mail(kind, about.map(|a| a.id), text);
    if about.is_some_and(|a| a.drill) {
        // A drill is practice: said first, so nobody takes it for the real thing.
        mail.subject = subject(&format!("Flare DRILL: {text}"));
        mail.lead = format!("DRILL — this is practice. {text}");
    }
    enqueue(txn, &person, kind.as_str(), &mail, Utc::now()).await
}

/// The mail that carries a notice.
fn notice_mail(kind: NotificationKind, escalation: Option<EscalationId>, text: &str) -> Mail {
    let item = match escalation {
        Some(id) => Item::new(
            format!("Open escalation #{}", id.0),
            Some(format!("/escalations/{}", id.0)),
        ),
        None => Item::new("Open your notifications", Some("/notifications".into())),
    };
    Mail {
        subject: subject(&format!("Flare: {text}")),
        lead: text.into(),
        sections: vec![Section {
            heading: None,
            items: vec![item],
            empty: String::new(),
        }],
        reason: format!(
            "You get this because you chose to be mailed about {}.",
            Choice::of(kind).topic()
        ),
    }
}
