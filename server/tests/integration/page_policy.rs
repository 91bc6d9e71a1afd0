//! Pages under load: every HTML response carries the page policy whose nonce is the one on
//! the page's scripts, however many pages render at once, and no render stalls while another
//! router is built in the same process.

use crate::common;
use app::auth::model::Role;
use axum::http::{Method, header};
use common::TestApp;
use scraper::{Html, Selector};
use serde_json::json;

/// The nonce a page's policy names.
fn policy_nonce(policy: &str) -> Option<&str> {
    let start = policy.find("'nonce-")? + "'nonce-".len();
    let rest = &policy[start..];
    Some(&rest[..rest.find('\'')?])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_page_carries_the_page_policy_naming_its_scripts_nonce_under_load() {
    let app = std::sync::Arc::new(TestApp::new().await);
    let lead = app.login_as(Role::Facilitator).await;
    let launch = app.launch(&lead, "Load").await["id"].as_i64().unwrap();
    let e = app.escalation(&lead, launch, "Slow checkout", 2).await;
    let pages = [
        format!("/launches/{launch}/board"),
        format!("/launches/{launch}"),
        format!("/escalations/{}", e["id"]),
        "/".to_string(),
        "/decisions".to_string(),
        "/no/such/page".to_string(),
        "/login".to_string(),
    ];
    let mut tasks = Vec::new();
    for round in 0..40 {
        for path in &pages {
            let app = app.clone();
            let path = path.clone();
            let cookie = (path != "/login" || round % 2 == 0).then(|| lead.cookie.clone());
            tasks.push(tokio::spawn(async move {
                let (status, html, headers) = app.page(&path, cookie.as_deref()).await;
                (path, status, html, headers)
            }));
        }
    }
    let script = Selector::parse("script").unwrap();
    let mut pages_checked = 0;
    for task in tasks {
        let (path, status, html, headers) = task.await.unwrap();
        if status.is_redirection() {
            continue;
        }
        let kind = headers[header::CONTENT_TYPE].to_str().unwrap();
        assert!(kind.starts_with("text/html"), "{path}: {kind}");
        let policy = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
        assert!(
            policy.contains("script-src 'self' 'nonce-") && policy.contains("'wasm-unsafe-eval'"),
            "{path} ({status}): the page policy, got {policy}"
        );
        let nonce = policy_nonce(policy).unwrap();
        let doc = Html::parse_document(&html);
        let scripts: Vec<_> = doc.select(&script).collect();
        assert!(!scripts.is_empty(), "{path}: the page has its scripts");
        for s in scripts {
            assert_eq!(
                s.value().attr("nonce"),
                Some(nonce),
                "{path}: every inline script carries the policy's nonce"
            );
        }
        pages_checked += 1;
    }
    assert!(pages_checked >= 200, "{pages_checked} pages checked");
    // Everything that is not a page still gets the policy that allows nothing.
    let res = app
        .raw(Method::GET, "/api/v1/me", Some(&lead.token), None)
        .await;
    assert_eq!(
        res.headers()[header::CONTENT_SECURITY_POLICY],
        "default-src 'none'; frame-ancestors 'none'"
    );
}

/// Building another router while pages render (tests and `bench` build several in one
/// process) never stalls a render: listing the routes holds every resource back process-wide
/// (leptos-rs/leptos#4773), so it happens once, before the first router serves.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn building_routers_never_stalls_a_page_rendering_meanwhile() {
    use std::sync::atomic::{AtomicBool, Ordering};
    let app = std::sync::Arc::new(TestApp::new().await);
    let lead = app.login_as(Role::Facilitator).await;
    let page = format!("/launches/{}", app.launch(&lead, "Routers").await["id"]);
    let done = std::sync::Arc::new(AtomicBool::new(false));
    let builder = tokio::task::spawn_blocking({
        let (state, done) = (app.state.clone(), done.clone());
        move || {
            while !done.load(Ordering::Relaxed) {
                drop(server::router(state.clone(), 1 << 20));
            }
        }
    });
    let renders: Vec<_> = (0..100)
        .map(|_| {
            let (app, page, cookie) = (app.clone(), page.clone(), lead.cookie.clone());
            let wait = std::time::Duration::from_secs(30);
            tokio::spawn(async move {
                tokio::time::timeout(wait, app.page(&page, Some(&cookie)))
                    .await
                    .is_ok()
            })
        })
        .collect();
    let mut stalled = 0;
    for render in renders {
        if !matches!(render.await, Ok(true)) {
            stalled += 1;
        }
    }
    done.store(true, Ordering::Relaxed);
    builder.await.unwrap();
    assert_eq!(stalled, 0, "pages stalled while routers were built");
}

/// The policy does not hang on how a page was rendered: any HTML response leaves with the
/// page policy naming the nonce its request was given (the shell used to set it while
/// rendering, and a page rendered without that step left with `default-src 'none'` — a page
/// that never hydrates), and the nonce reaches whatever renders the page.
#[tokio::test]
async fn any_html_response_gets_the_page_policy_with_its_requests_nonce() {
    use axum::extract::Extension;
    use axum::response::Html;
    use axum::routing::get;
    use tower::ServiceExt;
    let router = axum::Router::new()
        .route(
            "/plain",
            get(|| async { Html("<p>Rendered elsewhere</p>") }),
        )
        .route(
            "/scripted",
            get(
                |Extension(nonce): Extension<leptos::nonce::Nonce>| async move {
                    Html(format!("<script nonce=\"{nonce}\">1</script>"))
                },
            ),
        )
        .route("/data", get(|| async { axum::Json(json!({"ok": true})) }))
        .layer(axum::middleware::from_fn(
            app::auth::service::guard::security_headers,
        ));
    let get = |path: &'static str| {
        let router = router.clone();
        async move {
            let req = axum::http::Request::get(path)
                .body(axum::body::Body::empty())
                .unwrap();
            let res = router.oneshot(req).await.unwrap();
            let policy = res.headers()[header::CONTENT_SECURITY_POLICY]
                .to_str()
                .unwrap()
                .to_string();
            let body = http_body_util::BodyExt::collect(res.into_body())
                .await
                .unwrap()
                .to_bytes();
            (policy, String::from_utf8(body.to_vec()).unwrap())
        }
    };
    let (policy, _) = get("/plain").await;
    assert!(policy_nonce(&policy).is_some(), "page policy: {policy}");
    let (policy, html) = get("/scripted").await;
    let nonce = policy_nonce(&policy).unwrap();
    assert_eq!(html, format!("<script nonce=\"{nonce}\">1</script>"));
    let (other, _) = get("/scripted").await;
    assert_ne!(policy, other, "a nonce per request");
    let (policy, _) = get("/data").await;
    assert_eq!(policy, "default-src 'none'; frame-ancestors 'none'");
}
