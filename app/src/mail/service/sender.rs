//! The mail worker: every few seconds it makes the daily digests that are due (`digest`) and
//! sends the outbox through SMTP. One app server at a time holds a mail's lease (taken when
//! the send starts, longer than a send may take), so a mail is sent by one server, and only
//! the lease holder records the result. A temporary failure is retried on the webhooks'
//! schedule (seconds at first, then up to every 10 minutes); a permanent one (a 5xx answer, a
//! message that cannot be built) and anything still unsent a day after it was queued are
//! given up. A crash between the mail server's acceptance and the row's update sends that
//! mail again (at least once).

use super::super::template::Mail;
use crate::db::{Db, claim};
use crate::entity::mail_outbox as row;
use crate::error::AppError;
use crate::webhook::model::{give_up_after, retry_after};
use chrono::{DateTime, Duration, Utc};
use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

/// A mail waiting to be sent (or retried).
pub const QUEUED: &str = "queued";
const SENT: &str = "sent";
const GAVE_UP: &str = "gave_up";
/// How long a server holds a mail it is sending: longer than one send may take.
const LEASE: i64 = 120;
/// The longest one send may take.
const SEND_LIMIT: std::time::Duration = std::time::Duration::from_secs(60);
/// Mails sent per pass.
const BATCH: u64 = 50;

/// How Flare sends mail: the SMTP server, the sender, and Flare's public address for links.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    public_url: String,
    /// The hour (UTC) from which each day's digest is made.
    pub digest_hour: u32,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The transport holds the SMTP password: never printed.
        f.debug_struct("Mailer")
            .field("from", &self.from.to_string())
            .field("public_url", &self.public_url)
            .finish_non_exhaustive()
    }
}

impl Mailer {
    /// A mailer for `smtp_url` (`smtp://host:25`, `smtp://user:pass@host:587?tls=required`,
    /// `smtps://host`). The error names what is wrong, never the password.
    pub fn new(
        smtp_url: &str,
        from: &str,
        public_url: &str,
        digest_hour: u32,
    ) -> Result<Self, String> {
        crate::webhook::service::install_crypto();
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(smtp_url)
            .map_err(|e| format!("cannot use the SMTP URL: {e}"))?
            .timeout(Some(std::time::Duration::from_secs(15)))
            .build();
        let from = from
            .parse::<Mailbox>()
            .map_err(|e| format!("`{from}` is not a mail address: {e}"))?;
        if digest_hour > 23 {
            return Err(format!("the digest hour must be 0–23, not {digest_hour}"));
        }
        Ok(Self {
            transport,
            from,
            public_url: public_url.trim_end_matches('/').to_string(),
            digest_hour,
        })
    }

    /// The message of one outbox row: text and HTML from the same template.
    fn message(&self, mail: &row::Model) -> Result<Message, String> {
        let body: Mail = serde_json::from_str(&mail.body).map_err(|e| e.to_string())?;
        let to = mail
            .to_address
            .parse::<Mailbox>()
            .map_err(|e| format!("`{}` is not a mail address: {e}", mail.to_address))?;
        Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(body.subject.clone())
            .multipart(MultiPart::alternative_plain_html(
                body.text(&self.public_url),
                body.html(&self.public_url),
            ))
            .map_err(|e| e.to_string())
    }

    /// Sends one mail, within `SEND_LIMIT`.
    async fn send(&self, mail: &row::Model) -> Result<(), Failure> {
        let message = self.message(mail).map_err(Failure::permanent)?;
        match tokio::time::timeout(SEND_LIMIT, self.transport.send(message)).await {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(e)) => Err(Failure {
                permanent: e.is_permanent(),
                text: e.to_string(),
            }),
            Err(_) => Err(Failure {
                permanent: false,
                text: format!("timed out after {} s", SEND_LIMIT.as_secs()),
            }),
        }
    }
}

/// Why a mail was not sent; a permanent failure (a 5xx answer, a message that cannot be
/// built) is not retried.
struct Failure {
    permanent: bool,
    text: String,
}

impl Failure {
    fn permanent(text: String) -> Self {
        Self {
            permanent: true,
            text,
        }
    }
}

/// What one pass did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub digests: u32,
    pub sent: u32,
    pub failed: u32,
}

/// One pass at `now`: today's digests if due, then every due mail, leased by `holder`.
/// A digest that cannot be made is logged and the mail still goes.
pub async fn run_once(
    db: &Db,
    mailer: &Mailer,
    holder: &str,
    now: DateTime<Utc>,
) -> Result<Report, AppError> {
    let digests = super::digest::run_once(db, now, mailer.digest_hour)
        .await
        .unwrap_or_else(|err| {
            tracing::warn!(%err, "daily digests failed");
            0
        });
    Ok(Report {
        digests,
        ..deliver(db, mailer, holder, now).await?
    })
}

/// Sends every mail due at `now`, each leased by `holder` while it is sent. Mail queued
/// more than a day ago (while mail was off, say) is given up unsent.
pub async fn deliver(
    db: &Db,
    mailer: &Mailer,
    holder: &str,
    now: DateTime<Utc>,
) -> Result<Report, AppError> {
    row::Entity::update_many()
        .col_expr(row::Column::State, Expr::value(GAVE_UP))
        .col_expr(
            row::Column::LastError,
            Expr::value("not sent within 24 hours of being queued"),
        )
        .filter(row::Column::State.eq(QUEUED))
        .filter(row::Column::CreatedAt.lt(now - give_up_after()))
        .exec(&db.conn)
        .await?;
    let mut report = Report::default();
    let due = row::Entity::find()
        .filter(row::Column::State.eq(QUEUED))
        .filter(row::Column::NextAttemptAt.lte(now))
        .order_by_asc(row::Column::Id)
        .limit(BATCH)
        .all(&db.conn)
        .await?;
    for mail in due {
        // The lease runs from the moment it is taken (a pass may be long), for longer
        // than one send may take.
        let at = Utc::now().max(now);
        let leased = claim(
            row::Entity::update_many()
                .col_expr(
                    row::Column::LeaseUntil,
                    Expr::value(at + Duration::seconds(LEASE)),
                )
                .col_expr(row::Column::LeaseHolder, Expr::value(holder))
                .filter(row::Column::Id.eq(mail.id))
                .filter(row::Column::State.eq(QUEUED))
                .filter(row::Column::Attempts.eq(mail.attempts))
                .filter(
                    Condition::any()
                        .add(row::Column::LeaseUntil.is_null())
                        .add(row::Column::LeaseUntil.lt(at)),
                ),
            &db.conn,
        )
        .await?;
        if !leased {
            continue;
        }
        let attempts = mail.attempts + 1;
        let mut done = row::Entity::update_many()
            .col_expr(row::Column::Attempts, Expr::value(attempts))
            .col_expr(row::Column::LeaseUntil, Expr::value(None::<DateTime<Utc>>))
            .col_expr(row::Column::LeaseHolder, Expr::value(None::<String>));
        match mailer.send(&mail).await {
            Ok(()) => {
                done = done
                    .col_expr(row::Column::State, Expr::value(SENT))
                    .col_expr(row::Column::SentAt, Expr::value(now))
                    .col_expr(row::Column::LastError, Expr::value(None::<String>));
                report.sent += 1;
            }
            Err(failure) => {
                tracing::warn!(mail = mail.id, attempt = attempts, error = %failure.text, "mail not sent");
                let given_up = failure.permanent || now - mail.created_at >= give_up_after();
                done = done
                    .col_expr(
                        row::Column::State,
                        Expr::value(if given_up { GAVE_UP } else { QUEUED }),
                    )
                    .col_expr(
                        row::Column::NextAttemptAt,
                        Expr::value(now + retry_after(attempts)),
                    )
                    .col_expr(row::Column::LastError, Expr::value(failure.text));
                report.failed += 1;
            }
        }
        // Only while the lease is still ours: a server that lost it writes nothing.
        let kept = claim(
            done.filter(row::Column::Id.eq(mail.id))
                .filter(row::Column::LeaseHolder.eq(holder)),
            &db.conn,
        )
        .await?;
        if !kept {
            tracing::warn!(
                mail = mail.id,
                "mail lease lost while sending; its result is not recorded"
            );
        }
    }
    Ok(report)
}

/// Sends mail every five seconds until `shutdown`.
pub async fn run_forever(db: Db, mailer: Mailer, shutdown: tokio_util::sync::CancellationToken) {
    let holder = format!("{}-{}", std::process::id(), rand::random::<u32>());
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(5));
    loop {
        tokio::select! {
            _ = tick.tick() => {
                match run_once(&db, &mailer, &holder, Utc::now()).await {
                    Ok(report) if report != Report::default() => {
                        tracing::info!(?report, "mail worker acted");
                    }
                    Ok(_) => {}
                    Err(err) => tracing::warn!(%err, "mail worker failed"),
                }
            }
            () = shutdown.cancelled() => return,
        }
    }
}
