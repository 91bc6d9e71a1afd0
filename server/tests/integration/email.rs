//! Email against a real SMTP conversation: a sink on loopback, started by each test, speaks
//! SMTP to Flare's mail worker. A decision request mails its addressee (text and HTML, links
//! absolute) unless they chose otherwise; the digest mails an executive once a day, once
//! across app servers; mail waits while the mail server is down and goes when it is back.

use crate::common;
use app::auth::model::Role;
use app::mail::service::sender::{Mailer, Report, deliver, run_once};
use axum::http::{Method, StatusCode};
use chrono::{Duration, Utc};
use common::{Login, TestApp};
use serde_json::{Value, json};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

/// One message the sink accepted: the envelope's recipients and the raw message.
#[derive(Clone, Debug)]
struct Received {
    to: Vec<String>,
    data: String,
}

/// An SMTP server on loopback that keeps what it is sent; it turns away (421) the first
/// `refuse` connections, as a mail server that is down for a while.
#[derive(Clone, Default)]
struct Sink {
    got: Arc<Mutex<Vec<Received>>>,
    refuse: Arc<AtomicUsize>,
    /// Answer every recipient "550 no such user" (a permanent failure).
    reject: Arc<std::sync::atomic::AtomicBool>,
}

impl Sink {
    async fn start(refuse: usize) -> (Self, u16) {
        let sink = Self::default();
        sink.refuse.store(refuse, Ordering::SeqCst);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let state = sink.clone();
        tokio::spawn(async move {
            loop {
                let Ok((socket, _)) = listener.accept().await else {
                    return;
                };
                let state = state.clone();
                tokio::spawn(async move { state.converse(socket).await });
            }
        });
        (sink, port)
    }

    async fn converse(&self, socket: tokio::net::TcpStream) {
        let (read, mut write) = socket.into_split();
        let mut lines = BufReader::new(read).lines();
        let refused = self
            .refuse
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .is_ok();
        if refused {
            let _ = write
                .write_all(b"421 sink.test Service not available\r\n")
                .await;
            return;
        }
        let say = |w: &'static str| w.as_bytes();
        let _ = write.write_all(say("220 sink.test ESMTP\r\n")).await;
        let mut to = Vec::new();
        while let Ok(Some(line)) = lines.next_line().await {
            let verb = line.get(..4).unwrap_or(&line).to_ascii_uppercase();
            let reply: &[u8] = match verb.as_str() {
                "EHLO" => say("250-sink.test\r\n250 8BITMIME\r\n"),
                "HELO" | "MAIL" | "RSET" | "NOOP" => say("250 OK\r\n"),
                "RCPT" if self.reject.load(Ordering::SeqCst) => say("550 No such user\r\n"),
                "RCPT" => {
                    let address = line
                        .split(['<', '>'])
                        .nth(1)
                        .unwrap_or_default()
                        .to_string();
                    to.push(address);
                    say("250 OK\r\n")
                }
                "DATA" => {
                    let _ = write.write_all(say("354 Go ahead\r\n")).await;
                    let mut data = String::new();
                    while let Ok(Some(line)) = lines.next_line().await {
                        if line == "." {
                            break;
                        }
                        data.push_str(line.strip_prefix('.').unwrap_or(&line));
                        data.push('\n');
                    }
                    self.got.lock().unwrap().push(Received {
                        to: std::mem::take(&mut to),
                        data,
                    });
                    say("250 Queued\r\n")
                }
                "QUIT" => {
                    let _ = write.write_all(say("221 Bye\r\n")).await;
                    return;
                }
                _ => say("502 Not implemented\r\n"),
            };
            if write.write_all(reply).await.is_err() {
                return;
            }
        }
    }

    fn got(&self) -> Vec<Received> {
        self.got.lock().unwrap().clone()
    }

    fn to(&self, who: &Login) -> Vec<Received> {
        self.got()
            .into_iter()
            .filter(|r| r.to.contains(&who.actor.email))
            .collect()
    }

    /// The mails to `who` that say `words`.
    fn saying(&self, who: &Login, words: &str) -> Vec<String> {
        self.to(who)
            .into_iter()
            .map(|r| plain(&r.data))
            .filter(|data| data.contains(words))
            .collect()
    }
}

const PUBLIC: &str = "https://flare.example.com";

fn mailer(port: u16) -> Mailer {
    Mailer::new(
        &format!("smtp://127.0.0.1:{port}"),
        "Flare <flare@example.com>",
        PUBLIC,
        7,
    )
    .unwrap()
}

/// The message with its quoted-printable bodies decoded (soft line breaks joined, `=XX`
/// read back as bytes), so assertions read the words as written.
fn plain(data: &str) -> String {
    let bytes = data.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
            (b'=', Some(b'\n'), _) => i += 2,
            (b'=', Some(&h), Some(&l)) if h.is_ascii_hexdigit() && l.is_ascii_hexdigit() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
                out.push(u8::from_str_radix(hex, 16).unwrap());
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A launch sponsored by `sponsor`, with a tier 2 escalation owned by `owner`; `owner` asks
/// the sponsor to decide. Returns the escalation.
async fn decision_asked_of(app: &TestApp, owner: &Login, sponsor: &Login, title: &str) -> Value {
    let (status, launch) = app
        .post(
            "/api/v1/launches",
            &owner.token,
            json!({"name": "Aurora", "target_date": "2027-01-01", "sponsor_id": sponsor.actor.id.0}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{launch}");
    let e = app
        .escalation(owner, launch["id"].as_i64().unwrap(), title, 2)
        .await;
    let (status, body) = app
        .post(
            &format!("/api/v1/escalations/{}/updates", e["id"]),
            &owner.token,
            json!({"problem": "Card payments fail", "impact": "EU checkout", "mitigation": "Roll back",
                   "decision_required": "Delay the EU launch?", "address_to": "sponsor"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    e
}

#[tokio::test]
async fn a_decision_request_mails_its_addressee_as_they_chose() {
    let app = TestApp::new().await;
    let owner = app.login_as(Role::Facilitator).await;
    let sponsor = app.login_as(Role::Executive).await;
    let (sink, port) = Sink::start(0).await;
    let mailer = mailer(port);

    // Choices: the defaults until changed; a misspelt choice is refused, not ignored.
    let (status, settings) = app.get("/api/v1/me/notifications", &sponsor.token).await;
    assert_eq!(status, StatusCode::OK, "{settings}");
    assert_eq!(settings["email"], json!(sponsor.actor.email));
    assert_eq!(settings["asked_of_me"], json!(true));
    assert_eq!(
        settings["daily_digest"],
        json!(true),
        "executives get the digest"
    );
    let (status, body) = app
        .send(
            Method::PUT,
            "/api/v1/me/notifications",
            Some(&sponsor.token),
            Some(json!({"asked_of_mee": false})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        body["error"]["fields"]["asked_of_mee"].is_string(),
        "{body}"
    );

    let title = "Checkout <fails> & \"stalls\"";
    let e = decision_asked_of(&app, &owner, &sponsor, title).await;
    let report = deliver(&app.db, &mailer, "a", Utc::now()).await.unwrap();
    // The sponsor is told of the tier 2 being raised (a stakeholder) and asked to decide.
    assert_eq!(report.sent, 2, "{report:?}");
    let asked = "Delay the EU launch?";
    let mails = sink.saying(&sponsor, asked);
    assert_eq!(mails.len(), 1, "{:?}", sink.got());
    let data = &mails[0];
    assert!(
        data.contains("Subject: Flare: A decision is requested from you"),
        "{data}"
    );
    assert!(
        data.contains("Content-Type: multipart/alternative"),
        "{data}"
    );
    assert!(data.contains("Content-Type: text/plain"), "{data}");
    assert!(data.contains("Content-Type: text/html"), "{data}");
    let link = format!("{PUBLIC}/escalations/{}", e["id"]);
    assert_eq!(
        data.matches(&link).count(),
        2,
        "one link in each body: {data}"
    );
    assert!(
        data.contains(&format!("{PUBLIC}/settings/notifications")),
        "{data}"
    );
    let (text, html) = data.split_once("Content-Type: text/html").unwrap();
    assert!(
        text.contains(title),
        "the text says the title as written: {text}"
    );
    assert!(
        !html.contains("<fails>"),
        "the title is text in the HTML: {html}"
    );
    assert!(
        html.contains("Checkout &lt;fails&gt; &amp; &quot;stalls&quot;"),
        "{html}"
    );
    assert!(sink.to(&owner).is_empty(), "the asker is not mailed");

    // Unticked, the next request asked of them stays in Flare (the raise is still mailed:
    // that is another choice).
    let (status, body) = app
        .send(
            Method::PUT,
            "/api/v1/me/notifications",
            Some(&sponsor.token),
            Some(json!({"asked_of_me": false})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["asked_of_me"], json!(false));
    assert_eq!(
        body["daily_digest"],
        json!(true),
        "what the change leaves out stays"
    );
    decision_asked_of(&app, &owner, &sponsor, "Search is slow").await;
    let report = deliver(&app.db, &mailer, "a", Utc::now()).await.unwrap();
    assert_eq!(report.sent, 1, "{report:?}");
    assert_eq!(sink.saying(&sponsor, asked).len(), 1);
    assert_eq!(sink.saying(&sponsor, "Search is slow").len(), 1);
}

#[tokio::test]
async fn the_digest_mails_an_executive_once_a_day() {
    let app = TestApp::new().await;
    let owner = app.login_as(Role::Facilitator).await;
    let sponsor = app.login_as(Role::Executive).await;
    let member = app.login_as(Role::Member).await;
    let (sink, port) = Sink::start(0).await;
    let mailer = mailer(port);
    // The raise and the request are mailed at once; quiet those, the digest is the test.
    let (status, _) = app
        .send(
            Method::PUT,
            "/api/v1/me/notifications",
            Some(&sponsor.token),
            Some(json!({"asked_of_me": false, "major_escalations": false})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    decision_asked_of(&app, &owner, &sponsor, "Payments time out").await;

    let today = Utc::now().date_naive();
    let at = |day: chrono::NaiveDate, hour: u32| day.and_hms_opt(hour, 0, 0).unwrap().and_utc();
    // Before the digest hour (07:00 UTC), nothing.
    assert_eq!(
        run_once(&app.db, &mailer, "a", at(today, 6)).await.unwrap(),
        Report::default()
    );
    // From it, one digest each for whoever wants one: the executive, not the member.
    let report = run_once(&app.db, &mailer, "a", at(today, 12))
        .await
        .unwrap();
    assert_eq!((report.digests, report.sent), (1, 1), "{report:?}");
    let mails = sink.to(&sponsor);
    assert_eq!(mails.len(), 1);
    let data = plain(&mails[0].data);
    for words in [
        "Flare daily digest",
        "1 decision waiting on you",
        "Waiting on you",
        "Delay the EU launch?",
        "Launch health",
        "Aurora",
        "New tier 1–2 escalations",
        "Payments time out",
        "Decisions taken",
    ] {
        assert!(data.contains(words), "{words}: {data}");
    }
    assert!(sink.to(&member).is_empty());

    // Later the same day, on this server or another: no second digest.
    let other = app.another_instance().await;
    run_once(&app.db, &mailer, "a", at(today, 15))
        .await
        .unwrap();
    run_once(&other, &mailer, "b", at(today, 23)).await.unwrap();
    assert_eq!(sink.to(&sponsor).len(), 1);
    // The next day, the next digest.
    let tomorrow = today + Duration::days(1);
    let report = run_once(&other, &mailer, "b", at(tomorrow, 7))
        .await
        .unwrap();
    assert_eq!(report.digests, 1, "{report:?}");
    assert_eq!(sink.to(&sponsor).len(), 2);
}

#[tokio::test]
async fn mail_waits_while_the_mail_server_is_down_and_goes_once_when_it_is_back() {
    let app = TestApp::new().await;
    let owner = app.login_as(Role::Facilitator).await;
    let sponsor = app.login_as(Role::Executive).await;
    // The mail server turns the first four connections away.
    let (sink, port) = Sink::start(4).await;
    let mailer = mailer(port);
    // Two mails to the sponsor: the tier 2 raised, and the decision asked.
    let e = decision_asked_of(&app, &owner, &sponsor, "Checkout fails").await;

    let now = Utc::now();
    let report = deliver(&app.db, &mailer, "a", now).await.unwrap();
    assert_eq!((report.sent, report.failed), (0, 2), "{report:?}");
    // Changes go on while mail cannot.
    app.escalation(
        &owner,
        e["launch_id"].as_i64().unwrap(),
        "Search is slow",
        3,
    )
    .await;
    // Not yet due again: nothing is tried.
    let report = deliver(&app.db, &mailer, "a", now).await.unwrap();
    assert_eq!((report.sent, report.failed), (0, 0), "{report:?}");
    // The first retry comes within seconds.
    let report = deliver(&app.db, &mailer, "a", now + Duration::seconds(3))
        .await
        .unwrap();
    assert_eq!((report.sent, report.failed), (0, 2), "{report:?}");
    // Back: two app servers at once send it exactly once.
    let other = app.another_instance().await;
    let later = now + Duration::seconds(60);
    let (a, b) = tokio::join!(
        deliver(&app.db, &mailer, "a", later),
        deliver(&other, &mailer, "b", later)
    );
    assert_eq!(a.unwrap().sent + b.unwrap().sent, 2);
    deliver(&app.db, &mailer, "a", later + Duration::seconds(600))
        .await
        .unwrap();
    assert_eq!(sink.to(&sponsor).len(), 2, "each mail exactly once");
    assert_eq!(app.count("mail_outbox").await, 2);
}

/// Runs SQL on the test database; `{at:…}`-style instants are written with `instant`.
async fn sql(app: &TestApp, statement: &str) {
    use sea_orm::ConnectionTrait;
    app.db.conn.execute_unprepared(statement).await.unwrap();
}

/// An instant as SQL: RFC 3339 text on SQLite, a timestamptz on PostgreSQL.
fn instant(app: &TestApp, at: chrono::DateTime<Utc>) -> String {
    match app.db.backend() {
        sea_orm::DbBackend::Postgres => format!("TIMESTAMPTZ '{}'", at.to_rfc3339()),
        _ => format!("'{}'", at.to_rfc3339()),
    }
}

async fn states(app: &TestApp) -> Vec<String> {
    use sea_orm::{ConnectionTrait, Statement};
    app.db
        .conn
        .query_all_raw(Statement::from_string(
            app.db.backend(),
            "SELECT state FROM mail_outbox ORDER BY id",
        ))
        .await
        .unwrap()
        .iter()
        .map(|r| r.try_get_by_index::<String>(0).unwrap())
        .collect()
}

#[tokio::test]
async fn mail_that_cannot_go_is_given_up_and_a_lease_held_elsewhere_is_left_alone() {
    let app = TestApp::new().await;
    let owner = app.login_as(Role::Facilitator).await;
    let sponsor = app.login_as(Role::Executive).await;
    let (sink, port) = Sink::start(0).await;
    let mailer = mailer(port);

    // The mail server says the address does not exist: given up at once, not retried.
    sink.reject.store(true, Ordering::SeqCst);
    decision_asked_of(&app, &owner, &sponsor, "Checkout fails").await;
    let now = Utc::now();
    let report = deliver(&app.db, &mailer, "a", now).await.unwrap();
    assert_eq!((report.sent, report.failed), (0, 2), "{report:?}");
    assert_eq!(states(&app).await, ["gave_up", "gave_up"]);
    let report = deliver(&app.db, &mailer, "a", now + Duration::hours(1))
        .await
        .unwrap();
    assert_eq!(report, Report::default());
    sink.reject.store(false, Ordering::SeqCst);

    // Mail queued more than a day ago (while mail was off) is given up unsent.
    decision_asked_of(&app, &owner, &sponsor, "Search is slow").await;
    sql(
        &app,
        &format!(
            "UPDATE mail_outbox SET created_at = {} WHERE state = 'queued'",
            instant(&app, now - Duration::hours(25))
        ),
    )
    .await;
    let report = deliver(&app.db, &mailer, "a", now).await.unwrap();
    assert_eq!(report, Report::default());
    assert_eq!(states(&app).await, ["gave_up"; 4]);
    assert!(sink.got().is_empty());

    // A mail another server is sending is left to it until its lease runs out.
    decision_asked_of(&app, &owner, &sponsor, "Payments time out").await;
    let now = Utc::now();
    sql(
        &app,
        &format!(
            "UPDATE mail_outbox SET lease_holder = 'elsewhere', lease_until = {} WHERE state = 'queued'",
            instant(&app, now + Duration::minutes(5))
        ),
    )
    .await;
    let report = deliver(&app.db, &mailer, "a", now).await.unwrap();
    assert_eq!(report.sent, 0, "{report:?}");
    let report = deliver(&app.db, &mailer, "a", now + Duration::minutes(6))
        .await
        .unwrap();
    assert_eq!(report.sent, 2, "{report:?}");
    assert_eq!(sink.to(&sponsor).len(), 2);
}

#[tokio::test]
async fn a_drill_is_mailed_as_a_drill() {
    let app = TestApp::new().await;
    let owner = app.login_as(Role::Facilitator).await;
    let sponsor = app.login_as(Role::Executive).await;
    let (sink, port) = Sink::start(0).await;
    let (status, launch) = app
        .post(
            "/api/v1/launches",
            &owner.token,
            json!({"name": "Drill day", "target_date": "2027-01-01", "sponsor_id": sponsor.actor.id.0}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{launch}");
    let e = app
        .escalation(&owner, launch["id"].as_i64().unwrap(), "Practice outage", 2)
        .await;
    sql(
        &app,
        &format!("UPDATE escalations SET drill = TRUE WHERE id = {}", e["id"]),
    )
    .await;
    sql(&app, "DELETE FROM mail_outbox").await;
    let (status, body) = app
        .post(
            &format!("/api/v1/escalations/{}/updates", e["id"]),
            &owner.token,
            json!({"problem": "p", "impact": "i", "mitigation": "m",
                   "decision_required": "Roll back?", "address_to": "sponsor"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    deliver(&app.db, &mailer(port), "a", Utc::now())
        .await
        .unwrap();
    let mails = sink.saying(&sponsor, "Roll back?");
    assert_eq!(mails.len(), 1, "{:?}", sink.got());
    assert!(mails[0].contains("Subject: Flare DRILL: "), "{}", mails[0]);
    assert!(
        mails[0].contains("DRILL — this is practice."),
        "{}",
        mails[0]
    );
}
