//! The benchmark's board: a fresh SQLite database with one facilitator and a launch of
//! escalations spread over the board's columns, the app state serving it, and a session.

use app::auth::Actor;
use app::auth::model::UserDraft;
use app::db::{Db, DbOptions};
use app::escalation::model::{EscalationDraft, ImpactDraft};
use app::escalation::{EscalationId, Stage};
use app::event::model::EventActor;
use app::launch::LaunchDraft;
use app::realtime::service::Hub;
use app::state::AppState;
use axum::body::Body;
use axum::http::Request;
use tower::ServiceExt;

const PASSWORD: &str = "benchmark password";

/// The measured board: its database (in a temporary folder), the app state serving it, the
/// facilitator who acts, the launch, and each card as (id, version, stage).
pub(crate) struct Fixture {
    _dir: tempfile::TempDir,
    pub(crate) db: Db,
    pub(crate) state: AppState,
    pub(crate) actor: Actor,
    pub(crate) launch: i64,
    pub(crate) cards: Vec<(EscalationId, i64, Stage)>,
}

/// A board of `cards` escalations, spread evenly over the board's five columns.
pub(crate) async fn fixture(cards: usize) -> Fixture {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = app::db::sqlite_url(&dir.path().join("bench.db")).expect("url");
    let db = Db::connect(&DbOptions::new(url)).await.expect("database");
    server::database::migrate(&db).await.expect("migrate");
    let valid = UserDraft {
        email: Some("bench@flare.test".into()),
        name: Some("Bench Facilitator".into()),
        role: Some("facilitator".into()),
        functional_area: Some("operations".into()),
        password: Some(PASSWORD.into()),
    }
    .validate()
    .expect("user");
    let user = app::auth::service::insert_user(&db, &EventActor::system(), valid)
        .await
        .expect("user");
    let actor = Actor {
        id: user.id,
        email: user.email,
        name: user.name,
        role: user.role,
    };
    let launch = app::launch::service::create(
        &db,
        &actor,
        &LaunchDraft {
            name: Some("Benchmark launch".into()),
            target_date: Some("2027-01-01".into()),
            ..Default::default()
        },
    )
    .await
    .expect("launch");
    let triggers = ["plan_deviation", "customer_defect", "risk_forecast"];
    let mut out = Vec::with_capacity(cards);
    for i in 0..cards {
        let e = app::escalation::service::create(
            &db,
            &actor,
            &EscalationDraft {
                launch_id: Some(launch.id.0),
                title: Some(format!(
                    "Escalation number {i} with a realistic title length"
                )),
                description: Some("Customers in several markets see errors when they pay.".into()),
                trigger: Some(triggers[i % 3].into()),
                tier: Some(1 + (i % 4) as i64),
                impact: ImpactDraft {
                    customer: Some((i % 6) as i64),
                    revenue: Some((i % 5) as i64),
                    compliance: Some((i % 3) as i64),
                },
                owner_id: Some(actor.id.0),
                deadline: Some(
                    (chrono::Utc::now() + chrono::Duration::hours(1 + (i % 48) as i64))
                        .to_rfc3339(),
                ),
            },
        )
        .await
        .expect("escalation");
        let stage = Stage::BOARD[i % 5];
        let mut version = e.version;
        if stage != Stage::Triggered {
            version = app::escalation::service::move_to(
                &db,
                &actor,
                e.id,
                &crate::moves::move_request(stage, version),
            )
            .await
            .expect("move")
            .version;
        }
        out.push((e.id, version, stage));
    }
    let config = server::config::Config::default();
    let hub = Hub::default();
    tokio::spawn(app::realtime::service::run_relay(db.clone(), hub.clone()));
    let state = AppState {
        db: db.clone(),
        leptos: server::leptos_options(&config),
        auth: config.auth(),
        hub,
        outbound: config.outbound(),
        mail_sending: false,
    };
    Fixture {
        _dir: dir,
        db,
        state,
        actor,
        launch: launch.id.0,
        cards: out,
    }
}

/// Signs the facilitator in through the form; answers the session cookie.
pub(crate) async fn session_cookie(router: &axum::Router) -> String {
    let res = router
        .clone()
        .oneshot(
            Request::post("/login")
                .header("content-type", "application/x-www-form-urlencoded")
                .header("sec-fetch-site", "same-origin")
                .body(Body::from(
                    "email=bench%40flare.test&password=benchmark+password",
                ))
                .expect("request"),
        )
        .await
        .expect("sign in");
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("flare_session="))
        .and_then(|v| v.split(';').next())
        .expect("session cookie")
        .to_string()
}
