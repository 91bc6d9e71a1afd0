//! Several `flare serve` processes on one PostgreSQL: they start at once (migrating under an
//! advisory lock), a change made through one reaches a live client of the other, and their
//! scheduled checks never act twice on the same finding.

use crate::common;
use common::{flare_command, next_json, postgres_schema, run_with_input};
use serde_json::json;
use std::process::{Child, Stdio};
use std::time::Duration;

struct Server {
    child: Child,
    addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn flare(url: &str, args: &[&str], stdin: Option<&str>) -> String {
    let out = run_with_input(
        flare_command()
            .args(args)
            .env("DATABASE_URL", url)
            .env("RUST_LOG", "warn"),
        stdin,
    );
    assert!(
        out.status.success(),
        "flare {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn serve(url: &str) -> Server {
    serve_with(url, &[])
}

fn serve_with(url: &str, env: &[(&str, &str)]) -> Server {
    let addr = format!("127.0.0.1:{}", free_port());
    let child = flare_command()
        .args(["serve", "--addr", &addr])
        .envs(env.iter().copied())
        .env("DATABASE_URL", url)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    Server { child, addr }
}

async fn ready(server: &Server) {
    let client = common::http().build().unwrap();
    for _ in 0..200 {
        if let Ok(res) = client
            .get(format!("http://{}/readyz", server.addr))
            .send()
            .await
            && res.status() == 200
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("flare serve at {} never became ready", server.addr);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_through_one_server_reaches_a_live_client_of_the_other() {
    if !common::is_postgres() {
        return; // Several app servers share PostgreSQL; SQLite is one process's database.
    }
    let url = schema_url().await;

    // Both start at once on an empty schema: one migrates, the other waits for the lock.
    let a = serve(&url);
    let b = serve(&url);
    ready(&a).await;
    ready(&b).await;

    flare(
        &url,
        &[
            "user",
            "add",
            "--email",
            "lead@flare.test",
            "--name",
            "Lead",
            "--role",
            "facilitator",
            "--password-stdin",
        ],
        Some("a long enough password\n"),
    );
    let token = flare(
        &url,
        &[
            "token",
            "create",
            "--email",
            "lead@flare.test",
            "--name",
            "test",
        ],
        None,
    );
    let token = token.trim();
    let client = common::http()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();

    // A browser signed in on server B, with its live connection open.
    let login = client
        .post(format!("http://{}/login", b.addr))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "same-origin")
        .body("email=lead%40flare.test&password=a+long+enough+password")
        .send()
        .await
        .unwrap();
    let cookie = common::session_cookie_in(login.headers()).expect("signed in on B");
    let b_addr: std::net::SocketAddr = b.addr.parse().unwrap();
    let mut socket = common::websocket(b_addr, &cookie, None).await;
    assert_eq!(
        next_json(&mut socket, Duration::from_secs(5))
            .await
            .unwrap()["t"],
        "hello"
    );

    // Changes through server A.
    let launch: serde_json::Value = client
        .post(format!("http://{}/api/v1/launches", a.addr))
        .bearer_auth(token)
        .json(&json!({"name": "Shared", "target_date": "2027-01-01"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let me: serde_json::Value = client
        .get(format!("http://{}/api/v1/me", a.addr))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let deadline = (chrono::Utc::now() + chrono::Duration::hours(4)).to_rfc3339();
    let escalation: serde_json::Value = client
        .post(format!("http://{}/api/v1/escalations", a.addr))
        .bearer_auth(token)
        .json(&json!({"launch_id": launch["id"], "title": "Seen everywhere", "trigger": "risk_forecast", "tier": 3,
                      "impact": {"customer": 1, "revenue": 1, "compliance": 0},
                      "owner_id": me["id"], "deadline": deadline}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let moved = client
        .post(format!(
            "http://{}/api/v1/escalations/{}/move",
            a.addr, escalation["id"]
        ))
        .bearer_auth(token)
        .json(&json!({"stage": "triaged", "version": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(moved.status(), 200);

    let mut kinds = Vec::new();
    while kinds.len() < 3 {
        let Some(message) = next_json(&mut socket, Duration::from_secs(5)).await else {
            break;
        };
        // Events committed before the socket opened (the sign-in's) may still be on their way.
        let kind = message["event"]["kind"].as_str().unwrap_or_default();
        if message["t"] == "event"
            && (kind.starts_with("launch.") || kind.starts_with("escalation."))
        {
            kinds.push(kind.to_string());
        }
    }
    assert_eq!(
        kinds,
        ["launch.created", "escalation.created", "escalation.moved"]
    );
}

/// A fresh schema on `TEST_DATABASE_URL`, as a URL every process can use.
async fn schema_url() -> String {
    let (base, schema) = postgres_schema().await;
    let separator = if base.contains('?') { '&' } else { '?' };
    format!("{base}{separator}options=-c%20search_path%3D{schema}")
}

fn add_user(url: &str, email: &str, role: &str) {
    flare(
        url,
        &[
            "user",
            "add",
            "--email",
            email,
            "--name",
            role,
            "--role",
            role,
            "--password-stdin",
        ],
        Some("a long enough password\n"),
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_checking_every_second_notify_each_stalled_decision_once() {
    if !common::is_postgres() {
        return;
    }
    let url = schema_url().await;
    flare(&url, &["migrate"], None);
    add_user(&url, "lead@flare.test", "facilitator");
    add_user(&url, "sponsor@flare.test", "executive");
    add_user(&url, "owner@flare.test", "member");
    let token = flare(
        &url,
        &[
            "token",
            "create",
            "--email",
            "lead@flare.test",
            "--name",
            "test",
        ],
        None,
    );
    let token = token.trim().to_string();
    let every_second = [("FLARE_CHECK_INTERVAL_SECONDS", "1")];
    let a = serve_with(&url, &every_second);
    let b = serve_with(&url, &every_second);
    ready(&a).await;
    ready(&b).await;

    let client = common::http().build().unwrap();
    let call = |method: reqwest::Method, path: String, body: serde_json::Value| {
        let request = client
            .request(method, format!("http://{}{path}", a.addr))
            .bearer_auth(&token)
            .json(&body);
        async move {
            let res = request.send().await.unwrap();
            let status = res.status();
            let body: serde_json::Value = res.json().await.unwrap_or_default();
            assert!(status.is_success(), "{path} → {status} {body}");
            body
        }
    };
    let users = db_rows(&url, "SELECT id, email FROM users").await;
    let id_of = |email: &str| {
        users
            .iter()
            .find(|(_, e)| e == email)
            .map(|(id, _)| *id)
            .unwrap()
    };
    let (lead, sponsor, owner) = (
        id_of("lead@flare.test"),
        id_of("sponsor@flare.test"),
        id_of("owner@flare.test"),
    );
    let launch = call(
        reqwest::Method::POST,
        "/api/v1/launches".into(),
        json!({"name": "Stalls", "target_date": "2027-01-01", "sponsor_id": sponsor, "lead_id": lead}),
    )
    .await;
    call(
        reqwest::Method::PUT,
        format!("/api/v1/launches/{}/authority", launch["id"]),
        json!({"user_ids": [owner]}),
    )
    .await;
    let deadline = (chrono::Utc::now() + chrono::Duration::hours(4)).to_rfc3339();
    const REQUESTS: usize = 6;
    for i in 0..REQUESTS {
        let escalation = call(
            reqwest::Method::POST,
            "/api/v1/escalations".into(),
            json!({"launch_id": launch["id"], "title": format!("Blocked {i}"), "trigger": "risk_forecast",
                   "tier": 2, "impact": {"customer": 1, "revenue": 1, "compliance": 0},
                   "owner_id": owner, "deadline": deadline}),
        )
        .await;
        call(
            reqwest::Method::POST,
            format!("/api/v1/escalations/{}/updates", escalation["id"]),
            json!({"problem": "Vendor down", "impact": "Checkout", "mitigation": "Retry",
                   "decision_required": format!("Slip launch {i}?")}),
        )
        .await;
    }

    // Time passes: every request falls due at once, so both servers find all of them.
    execute(
        &url,
        "UPDATE decision_requests SET due_at = due_at - INTERVAL '3 days'",
    )
    .await;
    let stalled_events = "SELECT id, kind FROM events WHERE kind = 'decision_request.stalled'";
    for _ in 0..100 {
        if db_rows(&url, stalled_events).await.len() == REQUESTS {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Several more ticks of both servers: nothing is found twice.
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(db_rows(&url, stalled_events).await.len(), REQUESTS);
    let notices = db_rows(
        &url,
        "SELECT user_id, CAST(escalation_id AS TEXT) FROM notifications WHERE kind = 'decision_stalled'",
    )
    .await;
    let mut per_person = std::collections::BTreeMap::<(i64, String), usize>::new();
    for notice in &notices {
        *per_person.entry(notice.clone()).or_default() += 1;
    }
    assert!(
        per_person.values().all(|n| *n == 1),
        "someone was told twice: {per_person:?}"
    );
    // The addressee (the owner), the escalation lead and the senior sponsor, for each request.
    assert_eq!(notices.len(), 3 * REQUESTS, "{per_person:?}");
    for who in [owner, lead, sponsor] {
        assert_eq!(
            notices.iter().filter(|(user, _)| *user == who).count(),
            REQUESTS
        );
    }
    drop((a, b));
}

async fn execute(url: &str, sql: &str) {
    let db = sea_orm::Database::connect(url).await.unwrap();
    sea_orm::ConnectionTrait::execute_unprepared(&db, sql)
        .await
        .unwrap();
    db.close().await.ok();
}

/// Two-column rows: an integer and a text.
async fn db_rows(url: &str, sql: &str) -> Vec<(i64, String)> {
    use sea_orm::{ConnectionTrait, Statement};
    let db = sea_orm::Database::connect(url).await.unwrap();
    let rows = db
        .query_all_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .unwrap();
    db.close().await.ok();
    rows.iter()
        .map(|row| {
            (
                row.try_get_by_index::<i64>(0).unwrap(),
                row.try_get_by_index::<String>(1).unwrap(),
            )
        })
        .collect()
}
