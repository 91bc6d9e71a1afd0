//! The sign-in throttle under parallel attempts, shared addresses and proxies: no more than
//! the limit of wrong passwords is ever checked for an account, a refused attempt says so,
//! and failures from one address never lock out another person's account.

use crate::common;
use app::auth::model::Role;
use app::auth::service::{ACCOUNT_FAILURE_LIMIT, ACCOUNT_TOTAL_FAILURE_LIMIT};
use axum::Router;
use axum::extract::ConnectInfo;
use axum::http::header;
use common::{PASSWORD, TestApp, login_form};
use std::net::SocketAddr;
use std::sync::Arc;
use tower::ServiceExt;

const WRONG: &str = "wrong password!";

/// How the sign-in form answered.
#[derive(Debug, PartialEq, Eq)]
enum Answer {
    SignedIn,
    WrongPassword,
    TooMany,
    Other(String),
}

/// Where a sign-in comes from: the socket peer and what it put in `x-forwarded-for`.
#[derive(Clone, Copy, Default)]
struct Origin {
    peer: Option<[u8; 4]>,
    forwarded: Option<&'static str>,
}

fn from_peer(peer: [u8; 4]) -> Origin {
    Origin {
        peer: Some(peer),
        forwarded: None,
    }
}

fn via_proxy(forwarded: &'static str) -> Origin {
    Origin {
        peer: Some([10, 0, 0, 1]),
        forwarded: Some(forwarded),
    }
}

/// Posts the sign-in form through `router`, as a browser at `from` would.
async fn attempt(router: Router, email: &str, password: &str, from: Origin) -> Answer {
    let mut req = login_form(&[("email", email), ("password", password), ("next", "/")]);
    if let Some(forwarded) = from.forwarded {
        req.headers_mut()
            .insert("x-forwarded-for", forwarded.parse().unwrap());
    }
    if let Some(peer) = from.peer {
        req.extensions_mut()
            .insert(ConnectInfo(SocketAddr::from((peer, 40000))));
    }
    let res = router.oneshot(req).await.unwrap();
    let location = res
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    if !location.starts_with("/login") && common::session_cookie(&res).is_some() {
        Answer::SignedIn
    } else if location.contains("do%20not%20match%20an%20active%20account") {
        Answer::WrongPassword
    } else if location.contains("Too%20many%20failed%20sign-ins") {
        Answer::TooMany
    } else {
        Answer::Other(format!("{} {location}", res.status()))
    }
}

/// A router whose sign-in trusts `x-forwarded-for`, as behind a reverse proxy.
fn behind_proxy(app: &TestApp) -> Router {
    let mut state = app.state.clone();
    state.auth.trusted_proxy_header = Some(header::HeaderName::from_static("x-forwarded-for"));
    server::router(state, server::config::Config::default().max_body_bytes)
}

/// Sends `n` wrong passwords for `email` all at once, from several worker threads.
async fn wrong_passwords_at_once(app: &TestApp, email: &str, n: usize) -> Vec<Answer> {
    let start = Arc::new(tokio::sync::Barrier::new(n));
    let tasks: Vec<_> = (0..n)
        .map(|_| {
            let router = app.router.clone();
            let email = email.to_string();
            let start = start.clone();
            tokio::spawn(async move {
                start.wait().await;
                attempt(router, &email, WRONG, Origin::default()).await
            })
        })
        .collect();
    let mut answers = Vec::new();
    for task in tasks {
        answers.push(task.await.unwrap());
    }
    answers
}

async fn parallel_wrong_passwords_check_at_most_the_limit(n: usize) {
    let app = TestApp::new().await;
    let member = app.login_as(Role::Member).await;
    let email = member.actor.email.clone();
    let answers = wrong_passwords_at_once(&app, &email, n).await;
    let checked = answers
        .iter()
        .filter(|a| **a == Answer::WrongPassword)
        .count();
    let refused = answers.iter().filter(|a| **a == Answer::TooMany).count();
    assert!(
        checked <= ACCOUNT_FAILURE_LIMIT as usize,
        "{checked} of {n} parallel wrong passwords were checked: {answers:?}"
    );
    assert!(checked > 0, "{answers:?}");
    assert_eq!(
        checked + refused,
        n,
        "every other attempt is refused by the throttle: {answers:?}"
    );
    assert_eq!(
        attempt(app.router.clone(), &email, PASSWORD, Origin::default()).await,
        Answer::TooMany,
        "even the right password is refused while locked"
    );
    expire_locks(&app).await;
    assert_eq!(
        attempt(app.router.clone(), &email, PASSWORD, Origin::default()).await,
        Answer::SignedIn,
        "the right password works again once the lock has expired"
    );
}

/// Moves every throttle window and lock into the past, as if the window had gone by.
async fn expire_locks(app: &TestApp) {
    use app::entity::login_throttle::{Column, Entity};
    use sea_orm::sea_query::Expr;
    use sea_orm::{EntityTrait, QueryFilter};
    let past = chrono::Utc::now() - chrono::Duration::minutes(60);
    Entity::update_many()
        .col_expr(Column::WindowStartedAt, Expr::value(past))
        .col_expr(Column::LockedUntil, Expr::value(Some(past)))
        .filter(sea_orm::sea_query::Condition::all())
        .exec(&app.db.conn)
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn forty_parallel_wrong_passwords_check_at_most_the_limit() {
    parallel_wrong_passwords_check_at_most_the_limit(40).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_hundred_parallel_wrong_passwords_check_at_most_the_limit() {
    parallel_wrong_passwords_check_at_most_the_limit(100).await;
}

#[tokio::test]
async fn failures_from_one_address_do_not_lock_other_accounts_there() {
    let app = TestApp::new().await;
    let office = from_peer([203, 0, 113, 7]);
    let mut accounts = Vec::new();
    for _ in 0..5 {
        accounts.push(app.login_as(Role::Member).await.actor.email);
    }
    let b = app.login_as(Role::Viewer).await.actor.email;
    let mut failures = 0;
    for email in accounts
        .iter()
        .chain(["nobody@flare.test".to_string()].iter())
    {
        for _ in 0..ACCOUNT_FAILURE_LIMIT {
            let answer = attempt(app.router.clone(), email, WRONG, office).await;
            assert_eq!(answer, Answer::WrongPassword);
            failures += 1;
        }
    }
    assert!(failures > 20, "{failures}");
    assert_eq!(
        attempt(app.router.clone(), &accounts[0], PASSWORD, office).await,
        Answer::TooMany,
        "the accounts tried are locked"
    );
    assert_eq!(
        attempt(app.router.clone(), &b, WRONG, office).await,
        Answer::WrongPassword,
        "another account's password is still checked from the same address"
    );
    assert_eq!(
        attempt(app.router.clone(), &b, PASSWORD, office).await,
        Answer::SignedIn,
        "another account still signs in from the same address"
    );
}

#[tokio::test]
async fn a_trusted_proxy_header_counts_forwarded_addresses_apart() {
    let app = TestApp::new().await;
    let router = behind_proxy(&app);
    let email = app.login_as(Role::Member).await.actor.email;
    for _ in 0..ACCOUNT_FAILURE_LIMIT {
        let answer = attempt(router.clone(), &email, WRONG, via_proxy("198.51.100.1")).await;
        assert_eq!(answer, Answer::WrongPassword);
    }
    assert_eq!(
        attempt(router.clone(), &email, PASSWORD, via_proxy("198.51.100.1")).await,
        Answer::TooMany,
        "the guessing client is locked out of the account"
    );
    // Only the last address counts: the proxy wrote it, the client may have forged the rest.
    assert_eq!(
        attempt(
            router.clone(),
            &email,
            PASSWORD,
            via_proxy("198.51.100.2, 198.51.100.1")
        )
        .await,
        Answer::TooMany,
    );
    assert_eq!(
        attempt(router.clone(), &email, PASSWORD, via_proxy("198.51.100.2")).await,
        Answer::SignedIn,
        "the account's owner, behind the same proxy at another address, still signs in"
    );
}

#[tokio::test]
async fn without_a_trusted_proxy_header_the_forwarded_address_is_ignored() {
    let app = TestApp::new().await;
    let email = app.login_as(Role::Member).await.actor.email;
    for _ in 0..ACCOUNT_FAILURE_LIMIT {
        let answer = attempt(app.router.clone(), &email, WRONG, via_proxy("198.51.100.1")).await;
        assert_eq!(answer, Answer::WrongPassword);
    }
    assert_eq!(
        attempt(
            app.router.clone(),
            &email,
            PASSWORD,
            via_proxy("198.51.100.2")
        )
        .await,
        Answer::TooMany,
        "a forged x-forwarded-for must not buy a fresh count"
    );
}

#[tokio::test]
async fn an_account_is_locked_everywhere_after_its_total_limit() {
    let app = TestApp::new().await;
    let email = app.login_as(Role::Member).await.actor.email;
    let clients = (ACCOUNT_TOTAL_FAILURE_LIMIT / ACCOUNT_FAILURE_LIMIT) as u8;
    for client in 1..=clients {
        for _ in 0..ACCOUNT_FAILURE_LIMIT {
            let answer = attempt(
                app.router.clone(),
                &email,
                WRONG,
                from_peer([198, 51, 100, client]),
            )
            .await;
            assert_eq!(answer, Answer::WrongPassword);
        }
    }
    assert_eq!(
        attempt(
            app.router.clone(),
            &email,
            PASSWORD,
            from_peer([192, 0, 2, 1])
        )
        .await,
        Answer::TooMany,
        "no more than the total limit is checked for an account, from however many clients"
    );
}

#[tokio::test]
async fn a_successful_sign_in_resets_the_count() {
    let app = TestApp::new().await;
    let email = app.login_as(Role::Member).await.actor.email;
    for round in 0..2 {
        for _ in 0..ACCOUNT_FAILURE_LIMIT - 1 {
            let answer = attempt(app.router.clone(), &email, WRONG, Origin::default()).await;
            assert_eq!(answer, Answer::WrongPassword, "round {round}");
        }
        assert_eq!(
            attempt(app.router.clone(), &email, PASSWORD, Origin::default()).await,
            Answer::SignedIn,
            "round {round}"
        );
    }
}

#[test]
#[allow(clippy::result_large_err)] // figment::Jail's closures return figment::Error as is
fn the_trusted_proxy_header_is_read_from_the_environment_and_checked() {
    use server::config::{Config, Overrides};
    figment::Jail::expect_with(|jail| {
        let config = Config::load(None, &Overrides::default()).unwrap();
        assert_eq!(config.auth().trusted_proxy_header, None);
        jail.set_env("FLARE_TRUSTED_PROXY_HEADER", "X-Forwarded-For");
        let config = Config::load(None, &Overrides::default()).unwrap();
        assert_eq!(
            config
                .auth()
                .trusted_proxy_header
                .as_ref()
                .map(|h| h.as_str()),
            Some("x-forwarded-for")
        );
        jail.set_env("FLARE_TRUSTED_PROXY_HEADER", "not a header");
        let err = Config::load(None, &Overrides::default()).unwrap_err();
        assert!(err.contains("`trusted_proxy_header`"), "{err}");
        assert!(err.contains("FLARE_TRUSTED_PROXY_HEADER"), "{err}");
        Ok(())
    });
}
