//! Sign-in, sessions and tokens: fixation, sign-out, disabled users, revoked tokens,
//! throttling, cross-site refusal, anonymous access and security headers.

use crate::common;
use app::auth::model::Role;
use app::event::model::EventActor;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::{PASSWORD, TestApp, session_cookie, urlencode};
use serde_json::json;
use tower::ServiceExt;

#[tokio::test]
async fn the_session_id_changes_at_sign_in() {
    let app = TestApp::new().await;
    app.login_as(Role::Member).await;
    let email = "fixation@flare.test";
    app.user(email, "Fixed", Role::Member).await;
    // An attacker plants a valid anonymous session in the victim's browser.
    let res = app
        .post_login(&[("email", email), ("password", "wrong-password")])
        .await;
    assert!(
        session_cookie(&res).is_none(),
        "a failed sign-in must not start a session"
    );
    let store = app::auth::service::store::SeaOrmStore::new(app.db.clone());
    let mut record = tower_sessions::session::Record {
        id: Default::default(),
        data: Default::default(),
        expiry_date: time::OffsetDateTime::now_utc() + time::Duration::hours(1),
    };
    record.data.insert("planted".into(), json!(true));
    tower_sessions::SessionStore::create(&store, &mut record)
        .await
        .unwrap();
    let planted = format!("flare_session={}", record.id);

    let signed_in = app
        .sign_in_with(email, PASSWORD, Some(&planted))
        .await
        .expect("signed in");
    assert_ne!(signed_in, planted, "the session id must change at sign-in");
    let (status, me) = app.get("/api/v1/me", &signed_in).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["email"], email);
    let (status, _) = app.get("/api/v1/me", &planted).await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "the planted id must not be signed in"
    );
}

#[tokio::test]
async fn signing_out_ends_the_session() {
    let app = TestApp::new().await;
    let member = app.login_as(Role::Member).await;
    let (status, _) = app.get("/api/v1/me", &member.cookie).await;
    assert_eq!(status, StatusCode::OK);
    let res = app
        .raw(Method::POST, "/logout", Some(&member.cookie), None)
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (status, _) = app.get("/api/v1/me", &member.cookie).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_disabled_user_is_locked_out_everywhere() {
    let app = TestApp::new().await;
    let member = app.login_as(Role::Member).await;
    app::auth::service::set_active(&app.db, &EventActor::system(), member.actor.id, false)
        .await
        .unwrap();
    for auth in [&member.cookie, &member.token] {
        let (status, _) = app.get("/api/v1/me", auth).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    assert!(app.sign_in(&member.actor.email, PASSWORD).await.is_none());
    let (status, _, headers) = app.page("/", Some(&member.cookie)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(
        headers[header::LOCATION]
            .to_str()
            .unwrap()
            .starts_with("/login")
    );
}

#[tokio::test]
async fn a_revoked_token_stops_working() {
    let app = TestApp::new().await;
    let member = app.login_as(Role::Member).await;
    let (status, me) = app.get("/api/v1/me", &member.token).await;
    assert_eq!(
        (status, me["role"].as_str()),
        (StatusCode::OK, Some("member"))
    );
    let tokens = app::entity::api_token::Entity::find_all(&app).await;
    let id = tokens
        .iter()
        .find(|t| t.user_id == member.actor.id.0)
        .unwrap()
        .id;
    app::auth::service::revoke_token(&app.db, &EventActor::system(), id)
        .await
        .unwrap();
    let (status, body) = app.get("/api/v1/me", &member.token).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"]["code"], "unauthenticated");
    let (status, _) = app.get("/api/v1/me", "flr_not-a-real-token").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

trait FindAll {
    async fn find_all(app: &TestApp) -> Vec<app::entity::api_token::Model>;
}

impl FindAll for app::entity::api_token::Entity {
    async fn find_all(app: &TestApp) -> Vec<app::entity::api_token::Model> {
        use sea_orm::EntityTrait;
        Self::find().all(&app.db.conn).await.unwrap()
    }
}

#[tokio::test]
async fn tokens_record_when_they_were_last_used() {
    let app = TestApp::new().await;
    let member = app.login_as(Role::Member).await;
    let before = app::entity::api_token::Entity::find_all(&app).await;
    assert!(before.iter().all(|t| t.last_used_at.is_none()));
    app.get("/api/v1/me", &member.token).await;
    let after = app::entity::api_token::Entity::find_all(&app).await;
    assert!(
        after
            .iter()
            .any(|t| t.user_id == member.actor.id.0 && t.last_used_at.is_some())
    );
}

#[tokio::test]
async fn bad_credentials_get_one_generic_answer_and_repeated_failures_lock() {
    let app = TestApp::new().await;
    let member = app.login_as(Role::Member).await;
    let attempt = |email: String, password: &'static str| {
        let app = &app;
        async move {
            let res = app
                .post_login(&[("email", &email), ("password", password)])
                .await;
            res.headers()[header::LOCATION]
                .to_str()
                .unwrap()
                .to_string()
        }
    };
    let wrong_password = attempt(member.actor.email.clone(), "wrong password!").await;
    let unknown_email = attempt("nobody@flare.test".into(), "wrong password!").await;
    assert!(wrong_password.starts_with("/login?error="));
    assert_eq!(
        wrong_password, unknown_email,
        "the answer must not reveal which part was wrong"
    );
    for _ in 0..app::auth::service::ACCOUNT_FAILURE_LIMIT {
        attempt(member.actor.email.clone(), "wrong password!").await;
    }
    let locked = attempt(member.actor.email.clone(), PASSWORD).await;
    assert!(locked.contains("Too%20many"), "{locked}");
    assert!(
        app.sign_in(&member.actor.email, PASSWORD).await.is_none(),
        "the right password is refused while locked"
    );
}

#[tokio::test]
async fn cross_site_state_changes_are_refused() {
    let app = TestApp::new().await;
    let facilitator = app.login_as(Role::Facilitator).await;
    let post = |headers: Vec<(&'static str, &'static str)>| {
        let router = app.router.clone();
        let cookie = facilitator.cookie.clone();
        async move {
            let mut req = Request::post("/api/v1/launches")
                .header(header::CONTENT_TYPE, "application/json")
                .header(header::HOST, "127.0.0.1:3000")
                .header(header::COOKIE, cookie);
            for (k, v) in headers {
                req = req.header(k, v);
            }
            router
                .oneshot(
                    req.body(Body::from(
                        json!({"name": "CSRF", "target_date": "2027-01-01"}).to_string(),
                    ))
                    .unwrap(),
                )
                .await
                .unwrap()
                .status()
        }
    };
    assert_eq!(
        post(vec![("sec-fetch-site", "cross-site")]).await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        post(vec![("origin", "https://evil.example")]).await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(app.count("launches").await, 0);
    assert_eq!(
        post(vec![("origin", "http://127.0.0.1:3000")]).await,
        StatusCode::CREATED
    );
    // The sign-in form is protected too (login CSRF).
    let res = app
        .router
        .clone()
        .oneshot(
            Request::post("/login")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header("sec-fetch-site", "cross-site")
                .body(Body::from(format!(
                    "email={}&password={PASSWORD}",
                    urlencode(&facilitator.actor.email)
                )))
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn anonymous_callers_reach_only_sign_in_health_and_assets() {
    let app = TestApp::new().await;
    for path in ["/", "/launches/1", "/audit", "/admin"] {
        let (status, _, headers) = app.page(path, None).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{path}");
        let location = headers[header::LOCATION].to_str().unwrap();
        assert!(location.starts_with("/login?next="), "{path} → {location}");
    }
    let (status, body, _) = app.page("/login", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Sign in"));
    let (status, body) = app.send(Method::GET, "/api/v1/launches", None, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"]["code"], "unauthenticated");
    let (status, _) = app
        .send(Method::GET, "/api/v1/openapi.json", None, None)
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn every_response_carries_security_headers() {
    let app = TestApp::new().await;
    let member = app.login_as(Role::Member).await;
    let (status, html, headers) = app.page("/", Some(&member.cookie)).await;
    assert_eq!(status, StatusCode::OK);
    let csp = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    assert!(
        csp.contains("'wasm-unsafe-eval'") && csp.contains("frame-ancestors 'none'"),
        "{csp}"
    );
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|r| r.split('\'').next())
        .unwrap();
    assert!(
        html.contains(&format!("nonce=\"{nonce}\"")),
        "inline scripts carry the nonce"
    );
    assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert_eq!(
        headers[header::REFERRER_POLICY],
        "strict-origin-when-cross-origin"
    );
    assert!(headers.contains_key("x-request-id"));
    let (_, _, api_headers) = app.page("/healthz", None).await;
    assert_eq!(
        api_headers[header::CONTENT_SECURITY_POLICY],
        "default-src 'none'; frame-ancestors 'none'"
    );
    let res = app
        .raw(Method::POST, "/logout", Some(&member.cookie), None)
        .await;
    let cookie = res
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect::<Vec<_>>()
        .join("\n");
    let login_res = app
        .post_login(&[("email", &member.actor.email), ("password", PASSWORD)])
        .await;
    let set_cookie = login_res.headers()[header::SET_COOKIE].to_str().unwrap();
    assert!(
        set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Lax"),
        "{set_cookie} / {cookie}"
    );
}

#[tokio::test]
async fn sign_in_redirects_only_within_the_site() {
    let app = TestApp::new().await;
    let member = app.login_as(Role::Member).await;
    for (next, expected) in [
        ("/launches/3", "/launches/3"),
        ("//evil.example", "/"),
        ("https://evil.example", "/"),
    ] {
        let res = app
            .post_login(&[
                ("email", &member.actor.email),
                ("password", PASSWORD),
                ("next", next),
            ])
            .await;
        assert_eq!(res.headers()[header::LOCATION], expected, "{next}");
    }
}
