//! The test harness: a fresh database per test (a SQLite file, or with
//! `FLARE_TEST_BACKEND=postgres` a new schema in `TEST_DATABASE_URL`), the real router
//! driven in-process, and signed-in users of every role. `live` holds the socket clients,
//! `process` runs the `flare` binary.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

mod live;
mod process;

// Each test file uses a few of these.
#[allow(unused_imports)]
pub use live::{
    SocketMessages, next_event_of, next_json, socket_events_while, sse_events_until, websocket,
};
#[allow(unused_imports)]
pub use process::{flare_command, run_with_input};

use app::auth::model::{Role, UserDraft};
use app::auth::{Actor, UserId};
use app::db::{Db, DbOptions};
use app::event::model::EventActor;
use app::state::AppState;
use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

pub const PASSWORD: &str = "correct horse battery";

pub struct TestApp {
    pub db: Db,
    pub state: AppState,
    pub router: Router,
    /// Where the database lives: the SQLite file's folder or the PostgreSQL schema.
    pub location: String,
    options: DbOptions,
    _dir: Option<tempfile::TempDir>,
}

/// A signed-in user: their actor, session cookie and API token.
#[derive(Clone, Debug)]
pub struct Login {
    pub actor: Actor,
    pub cookie: String,
    pub token: String,
}

/// An HTTP client builder for the tests' real HTTP calls (after `install_crypto`, which any
/// process building a reqwest client in this workspace needs).
pub fn http() -> reqwest::ClientBuilder {
    app::webhook::service::install_crypto();
    reqwest::Client::builder()
}

pub fn is_postgres() -> bool {
    std::env::var("FLARE_TEST_BACKEND").is_ok_and(|b| b == "postgres")
}

/// The PostgreSQL URL and a new schema in it, for a test that needs its own.
pub async fn postgres_schema() -> (String, String) {
    let url = std::env::var("TEST_DATABASE_URL")
        .expect("FLARE_TEST_BACKEND=postgres needs TEST_DATABASE_URL");
    let schema = format!("t_{:016x}", rand::random::<u64>());
    let admin = sea_orm::Database::connect(&url)
        .await
        .expect("connect to TEST_DATABASE_URL");
    sea_orm::ConnectionTrait::execute_unprepared(&admin, &format!("CREATE SCHEMA {schema}"))
        .await
        .expect("create schema");
    admin.close().await.ok();
    (url, schema)
}

impl TestApp {
    pub async fn new() -> Self {
        let (options, location, dir) = if is_postgres() {
            let (url, schema) = postgres_schema().await;
            let mut options = DbOptions::new(url);
            options.schema = Some(schema.clone());
            options.max_connections = 8;
            (options, schema, None)
        } else {
            let dir = tempfile::tempdir().expect("temp dir");
            let path = dir.path().join("flare.db");
            let url = app::db::sqlite_url(&path).expect("sqlite url");
            (DbOptions::new(url), path.display().to_string(), Some(dir))
        };
        let db = server::database::open(&options)
            .await
            .expect("open database");
        server::database::migrate(&db).await.expect("migrate");
        let config = server::config::Config::default();
        let hub = app::realtime::service::Hub::default();
        tokio::spawn(app::realtime::service::run_relay(db.clone(), hub.clone()));
        let state = AppState {
            db: db.clone(),
            leptos: server::leptos_options(&config),
            auth: config.auth(),
            hub,
            // The tests' receivers listen on loopback.
            outbound: app::webhook::service::Outbound {
                allow_private: true,
                ..config.outbound()
            },
            mail_sending: false,
        };
        let router = server::router(state.clone(), config.max_body_bytes);
        Self {
            db,
            state,
            router,
            location,
            options,
            _dir: dir,
        }
    }

    /// A second, separate connection pool on the same database: what another app server
    /// would hold.
    pub async fn another_instance(&self) -> app::db::Db {
        server::database::open(&self.options)
            .await
            .expect("open database")
    }

    /// Creates a user of `role` directly (as Flare), signs them in and issues a token.
    pub async fn login_as(&self, role: Role) -> Login {
        let email = format!("{}-{:x}@flare.test", role.as_str(), rand::random::<u32>());
        self.user(&email, &format!("Test {}", role.label()), role)
            .await
    }

    pub async fn user(&self, email: &str, name: &str, role: Role) -> Login {
        let valid = UserDraft {
            email: Some(email.into()),
            name: Some(name.into()),
            role: Some(role.as_str().into()),
            functional_area: Some("engineering".into()),
            password: Some(PASSWORD.into()),
        }
        .validate()
        .unwrap();
        let user = app::auth::service::insert_user(&self.db, &EventActor::system(), valid)
            .await
            .unwrap();
        let cookie = self.sign_in(email, PASSWORD).await.expect("sign in");
        let token =
            app::auth::service::issue_token(&self.db, &EventActor::system(), user.id, "tests")
                .await
                .unwrap()
                .secret;
        Login {
            actor: Actor {
                id: UserId(user.id.0),
                email: user.email,
                name: user.name,
                role,
            },
            cookie,
            token,
        }
    }

    /// Posts the sign-in form; returns the session cookie on success.
    pub async fn sign_in(&self, email: &str, password: &str) -> Option<String> {
        self.sign_in_with(email, password, None).await
    }

    pub async fn sign_in_with(
        &self,
        email: &str,
        password: &str,
        cookie: Option<&str>,
    ) -> Option<String> {
        let mut req = login_form(&[("email", email), ("password", password), ("next", "/")]);
        if let Some(cookie) = cookie {
            req.headers_mut()
                .insert(header::COOKIE, cookie.parse().unwrap());
        }
        let res = self.router.clone().oneshot(req).await.unwrap();
        let location = res
            .headers()
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        if location.starts_with("/login") {
            return None;
        }
        session_cookie(&res)
    }

    /// Posts the sign-in form with `fields`, as a browser on Flare's own pages does.
    pub async fn post_login(&self, fields: &[(&str, &str)]) -> axum::response::Response {
        self.router
            .clone()
            .oneshot(login_form(fields))
            .await
            .unwrap()
    }

    /// Sends a request; `auth` is a cookie (`flare_session=…`) or a bearer token (`flr_…`).
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        auth: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let res = self.raw(method, path, auth, body).await;
        let status = res.status();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        let json = serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
        (status, json)
    }

    pub async fn raw(
        &self,
        method: Method,
        path: &str,
        auth: Option<&str>,
        body: Option<Value>,
    ) -> axum::response::Response {
        let mut req = Request::builder().method(method).uri(path);
        match auth {
            Some(token) if token.starts_with("flr_") => {
                req = req.header(header::AUTHORIZATION, format!("Bearer {token}"));
            }
            Some(cookie) => {
                req = req
                    .header(header::COOKIE, cookie)
                    .header("sec-fetch-site", "same-origin");
            }
            None => {}
        }
        let body = match body {
            Some(json) => {
                req = req.header(header::CONTENT_TYPE, "application/json");
                Body::from(json.to_string())
            }
            None => Body::empty(),
        };
        self.router
            .clone()
            .oneshot(req.body(body).unwrap())
            .await
            .unwrap()
    }

    pub async fn get(&self, path: &str, auth: &str) -> (StatusCode, Value) {
        self.send(Method::GET, path, Some(auth), None).await
    }

    pub async fn post(&self, path: &str, auth: &str, body: Value) -> (StatusCode, Value) {
        self.send(Method::POST, path, Some(auth), Some(body)).await
    }

    /// Calls a server function the way a browser form does (URL-encoded POST).
    pub async fn server_fn(
        &self,
        endpoint: &str,
        auth: Option<&str>,
        form: &[(&str, &str)],
    ) -> (StatusCode, Value) {
        let body = form
            .iter()
            .map(|(k, v)| format!("{}={}", urlencode(k), urlencode(v)))
            .collect::<Vec<_>>()
            .join("&");
        let mut req = Request::post(format!("/api/{endpoint}"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "application/json");
        if let Some(cookie) = auth {
            req = req
                .header(header::COOKIE, cookie)
                .header("sec-fetch-site", "same-origin");
        }
        let res = self
            .router
            .clone()
            .oneshot(req.body(Body::from(body)).unwrap())
            .await
            .unwrap();
        let status = res.status();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        let json = serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
        (status, json)
    }

    /// A page as HTML, following nothing.
    pub async fn page(
        &self,
        path: &str,
        cookie: Option<&str>,
    ) -> (StatusCode, String, axum::http::HeaderMap) {
        let res = self.raw(Method::GET, path, cookie, None).await;
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        (
            status,
            String::from_utf8_lossy(&bytes).into_owned(),
            headers,
        )
    }

    /// Creates a launch through the API as `login` (a facilitator or admin).
    pub async fn launch(&self, login: &Login, name: &str) -> Value {
        let (status, body) = self
            .post(
                "/api/v1/launches",
                &login.token,
                serde_json::json!({"name": name, "target_date": "2027-03-01"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        body
    }

    /// Raises an escalation through the API as `login`. When `login` holds authority
    /// (facilitators, executives, admins) they own it, with a deadline two days out, so it can
    /// leave Triggered; a member's escalation has neither.
    pub async fn escalation(&self, login: &Login, launch_id: i64, title: &str, tier: i64) -> Value {
        let mut body = serde_json::json!({
            "launch_id": launch_id, "title": title, "trigger": "customer_defect", "tier": tier,
            "impact": {"customer": 3, "revenue": 2, "compliance": 1}
        });
        if matches!(
            login.actor.role,
            Role::Facilitator | Role::Executive | Role::Admin
        ) {
            body["owner_id"] = serde_json::json!(login.actor.id.0);
            body["deadline"] =
                serde_json::json!((chrono::Utc::now() + chrono::Duration::days(2)).to_rfc3339());
        }
        let (status, body) = self.post("/api/v1/escalations", &login.token, body).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        body
    }

    /// Moves `e` through `stages` as `who`, each move on the version the last one returned;
    /// the move to Resolved gives an outcome and a risk posture, as tiers 1–2 require.
    pub async fn walk(&self, who: &Login, mut e: Value, stages: &[&str]) -> Value {
        for stage in stages {
            let mut body = serde_json::json!({"stage": stage, "version": e["version"]});
            if *stage == "resolved" {
                body["outcome"] = "Rolled back the release".into();
                body["risk_posture"] = serde_json::json!({"level": "low", "note": "Monitored"});
            }
            let (status, moved) = self
                .post(
                    &format!("/api/v1/escalations/{}/move", e["id"]),
                    &who.token,
                    body,
                )
                .await;
            assert_eq!(status, StatusCode::OK, "{stage}: {moved}");
            e = moved;
        }
        e
    }

    /// Grants `member` authority to commit resources for a launch (as `facilitator`).
    pub async fn grant_authority(&self, facilitator: &Login, launch_id: i64, member: &Login) {
        let (status, body) = self
            .send(
                axum::http::Method::PUT,
                &format!("/api/v1/launches/{launch_id}/authority"),
                Some(&facilitator.token),
                Some(serde_json::json!({"user_ids": [member.actor.id.0]})),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }

    /// How many rows a table has.
    pub async fn count(&self, table: &str) -> i64 {
        use sea_orm::{ConnectionTrait, Statement};
        let row = self
            .db
            .conn
            .query_one_raw(Statement::from_string(
                self.db.backend(),
                format!("SELECT COUNT(*) AS n FROM {table}"),
            ))
            .await
            .unwrap()
            .unwrap();
        row.try_get::<i64>("", "n").unwrap()
    }
}

/// The sign-in form as a browser on Flare's own pages posts it: `fields` URL-encoded.
pub fn login_form(fields: &[(&str, &str)]) -> Request<Body> {
    let body = fields
        .iter()
        .map(|(k, v)| format!("{}={}", urlencode(k), urlencode(v)))
        .collect::<Vec<_>>()
        .join("&");
    Request::post("/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "same-origin")
        .body(Body::from(body))
        .unwrap()
}

/// The session cookie (`flare_session=…`) an answer sets, if any.
pub fn session_cookie(res: &axum::response::Response) -> Option<String> {
    session_cookie_in(res.headers())
}

/// The session cookie (`flare_session=…`) among `Set-Cookie` headers, if any.
pub fn session_cookie_in(headers: &axum::http::HeaderMap) -> Option<String> {
    headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("flare_session="))
        .and_then(|v| v.split(';').next())
        .map(str::to_string)
}

pub fn urlencode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The date `days` from today, as `YYYY-MM-DD`.
pub fn date_in_days(days: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::days(days))
        .format("%Y-%m-%d")
        .to_string()
}
