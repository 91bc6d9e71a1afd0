//! Meeting cadences over real HTTP, on SQLite and on PostgreSQL: a cadence books its meetings
//! on its own wall clock with a generated agenda, two app servers booking at once book each
//! meeting once, the agenda is kept as it stood when a meeting starts, decisions taken during
//! a meeting link to it, minutes, a launch going live gets a daily stand-up, and each person's
//! secret calendar feed parses as iCalendar (RFC 5545), lists their next meetings and can be
//! revoked. Bad input (a time or zone that does not exist) is a 422 naming the field.

use crate::common;
use app::auth::model::Role;
use app::entity::meeting;
use axum::http::{Method, StatusCode, header};
use chrono::{DateTime, Datelike, Duration, Timelike, Utc};
use common::TestApp;
use http_body_util::BodyExt;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

fn at(value: &Value) -> DateTime<Utc> {
    value.as_str().unwrap().parse().unwrap()
}

/// The feed at `url` without signing in: its status and body.
async fn fetch_feed(app: &TestApp, url: &str) -> (StatusCode, String, Option<String>) {
    let path = &url[url.find("/calendar/").unwrap()..];
    let res = app.raw(Method::GET, path, None, None).await;
    let status = res.status();
    let kind = res
        .headers()
        .get(header::CONTENT_TYPE)
        .map(|v| v.to_str().unwrap().to_string());
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8(bytes.to_vec()).unwrap(), kind)
}

/// The feed's events, read by a real iCalendar parser, as (DTSTART, SUMMARY, URL).
fn events(feed: &str) -> Vec<(String, String, String)> {
    assert!(feed.ends_with("\r\n"), "lines end in CRLF");
    for line in feed.split("\r\n") {
        assert!(line.len() <= 75, "folded at 75 octets: {line:?}");
        assert!(!line.contains('\n'), "no bare line feed: {line:?}");
    }
    let unfolded = icalendar::parser::unfold(feed);
    let parsed = icalendar::parser::read_calendar(&unfolded)
        .unwrap_or_else(|e| panic!("not iCalendar: {e}\n{feed}"));
    let value = |props: &[icalendar::parser::Property], name: &str| {
        props
            .iter()
            .find(|p| p.name == name)
            .map(|p| p.val.to_string())
    };
    assert_eq!(value(&parsed.properties, "VERSION").as_deref(), Some("2.0"));
    assert!(value(&parsed.properties, "PRODID").is_some());
    let property = |c: &icalendar::parser::Component, name: &str| {
        c.properties
            .iter()
            .find(|p| p.name == name)
            .map(|p| p.val.to_string())
            .unwrap_or_else(|| panic!("no {name}"))
    };
    parsed
        .components
        .iter()
        .filter(|c| c.name == "VEVENT")
        .map(|c| {
            (
                property(c, "DTSTART"),
                property(c, "SUMMARY"),
                property(c, "URL"),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_cadence_books_meetings_with_agendas_and_each_persons_feed_lists_them() {
    let app = TestApp::new().await;
    let lead = app.login_as(Role::Facilitator).await;
    let member = app.login_as(Role::Member).await;
    let sponsor = app.login_as(Role::Executive).await;
    let viewer = app.login_as(Role::Viewer).await;
    let launch = app.launch(&lead, "Aurora").await["id"].as_i64().unwrap();
    let title = "Checkout <fails>, \"stalls\"; retries";
    let e = app.escalation(&lead, launch, title, 1).await;
    let cadences = format!("/api/v1/launches/{launch}/cadences");
    let good = json!({
        "name": "Ops stand-up, Berlin", "kind": "standup", "every": "day", "at": "09:00",
        "timezone": "Europe/Berlin", "minutes_long": 20,
        "participants": [member.actor.id.0, "role:executive"],
    });

    // Bad input: a 422 naming the field, and nothing stored.
    for (field, value) in [
        ("at", json!("25:00")),
        ("at", json!("9am")),
        ("timezone", json!("Mars/Olympus_Mons")),
        ("timezone", json!("")),
        ("kind", json!("urgent")),
        ("every", json!("fortnight")),
        ("minutes_long", json!(0)),
        ("participants", json!([999_999])),
        ("participants", json!(["role:wizard"])),
    ] {
        let mut body = good.clone();
        body[field] = value.clone();
        let (status, reply) = app.post(&cadences, &lead.token, body).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field}={value}: {reply}"
        );
        assert!(reply["error"]["fields"][field].is_string(), "{reply}");
    }
    for outsider in [&member, &viewer] {
        let (status, _) = app.post(&cadences, &outsider.token, good.clone()).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
    assert_eq!(app.count("cadences").await, 0);

    let (status, cadence) = app.post(&cadences, &lead.token, good.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{cadence}");
    let next = at(&cadence["next_at"]);
    let berlin = next.with_timezone(&chrono_tz::Europe::Berlin);
    assert_eq!(
        (berlin.hour(), berlin.minute()),
        (9, 0),
        "09:00 on Berlin's clock"
    );
    let (_, listed) = app.get(&cadences, &viewer.token).await;
    assert_eq!(listed.as_array().unwrap().len(), 1);

    // Its meetings over the next two weeks, soonest first, each with the agenda.
    let (status, meetings) = app
        .get(
            &format!("/api/v1/launches/{launch}/meetings"),
            &viewer.token,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{meetings}");
    let meetings = meetings.as_array().unwrap().clone();
    assert!((14..=15).contains(&meetings.len()), "{}", meetings.len());
    assert_eq!(at(&meetings[0]["starts_at"]), next);
    for pair in meetings.windows(2) {
        assert!(at(&pair[0]["starts_at"]) < at(&pair[1]["starts_at"]));
    }
    let first = &meetings[0];
    assert_eq!(first["kind"], "standup");
    assert_eq!(first["status"], "upcoming");
    assert_eq!(first["title"], "Ops stand-up, Berlin");
    assert_eq!(
        at(&first["ends_at"]) - at(&first["starts_at"]),
        Duration::minutes(20)
    );
    assert_eq!(first["agenda"][0]["escalation_id"], e["id"], "{first}");
    assert!(first["agenda"][0]["text"].as_str().unwrap().contains(title));

    // Two app servers booking at once book each meeting once.
    meeting::Entity::delete_many()
        .filter(meeting::Column::CadenceId.eq(cadence["id"].as_i64().unwrap()))
        .exec(&app.db.conn)
        .await
        .unwrap();
    let other = app.another_instance().await;
    let now = Utc::now();
    let (a, b) = tokio::join!(
        app::meeting::service::keep_up(&app.db, now),
        app::meeting::service::keep_up(&other, now)
    );
    a.unwrap();
    b.unwrap();
    let booked = meeting::Entity::find()
        .filter(meeting::Column::LaunchId.eq(launch))
        .count(&app.db.conn)
        .await
        .unwrap();
    assert_eq!(booked as usize, meetings.len(), "each meeting booked once");

    // The member's feed: their meetings, as iCalendar, without signing in.
    let (status, address) = app.get("/api/v1/me/calendar", &member.token).await;
    assert_eq!(status, StatusCode::OK, "{address}");
    let url = address["url"].as_str().unwrap().to_string();
    assert!(url.starts_with("http") && url.ends_with(".ics"), "{url}");
    let (again, same) = app.get("/api/v1/me/calendar", &member.token).await;
    assert_eq!(
        (again, same["url"].as_str()),
        (StatusCode::OK, Some(url.as_str()))
    );
    let (status, feed, kind) = fetch_feed(&app, &url).await;
    assert_eq!(status, StatusCode::OK);
    assert!(kind.unwrap().starts_with("text/calendar"));
    let listed = events(&feed);
    let (_, meetings) = app
        .get(
            &format!("/api/v1/launches/{launch}/meetings"),
            &viewer.token,
        )
        .await;
    let meetings = meetings.as_array().unwrap().clone();
    assert_eq!(listed.len(), meetings.len(), "{feed}");
    let (start, summary, link) = &listed[0];
    assert_eq!(*start, next.format("%Y%m%dT%H%M%SZ").to_string());
    assert!(
        summary.contains("Ops stand-up") && summary.contains("Aurora"),
        "{summary}"
    );
    assert!(
        link.ends_with(&format!("/meetings/{}", meetings[0]["id"])),
        "{link}"
    );
    assert!(
        feed.contains("SUMMARY:Ops stand-up\\, Berlin"),
        "commas escaped: {feed}"
    );

    // Someone who takes part in nothing gets an empty calendar, not someone else's.
    let (_, lead_address) = app.get("/api/v1/me/calendar", &lead.token).await;
    let (_, lead_feed, _) = fetch_feed(&app, lead_address["url"].as_str().unwrap()).await;
    assert!(events(&lead_feed).is_empty());

    // Revoked, the address is dead; asking again makes a new one.
    let (status, _) = app
        .send(
            Method::DELETE,
            "/api/v1/me/calendar",
            Some(&member.token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(fetch_feed(&app, &url).await.0, StatusCode::NOT_FOUND);
    let (_, fresh) = app.get("/api/v1/me/calendar", &member.token).await;
    assert_ne!(fresh["url"].as_str(), Some(url.as_str()));
    assert_eq!(
        fetch_feed(&app, fresh["url"].as_str().unwrap()).await.0,
        StatusCode::OK
    );
    assert_eq!(
        app.raw(Method::GET, "/calendar/not-a-token.ics", None, None)
            .await
            .status(),
        StatusCode::NOT_FOUND
    );

    // The first meeting starts: its agenda is kept as it stood, later news stays off it.
    let id = meetings[0]["id"].as_i64().unwrap();
    meeting::Entity::update_many()
        .col_expr(
            meeting::Column::StartsAt,
            Expr::value(Utc::now() - Duration::minutes(5)),
        )
        .filter(meeting::Column::Id.eq(id))
        .exec(&app.db.conn)
        .await
        .unwrap();
    let report = app::checks::service::run_once(&app.db, Utc::now())
        .await
        .unwrap();
    assert_eq!(report.agendas, 1);
    app.escalation(&lead, launch, "Late arrival", 2).await;
    let path = format!("/api/v1/meetings/{id}");
    let (_, started) = app.get(&path, &viewer.token).await;
    assert_eq!(started["status"], "in_progress");
    assert!(!started.to_string().contains("Late arrival"), "{started}");
    let (_, coming) = app
        .get(
            &format!("/api/v1/meetings/{}", meetings[1]["id"]),
            &viewer.token,
        )
        .await;
    assert!(coming.to_string().contains("Late arrival"), "{coming}");

    // A decision taken while it is in progress is recorded in it.
    let (status, decision) = app
        .post(
            &format!("/api/v1/escalations/{}/decisions", e["id"]),
            &sponsor.token,
            json!({"decision": "Roll back", "rationale": "Data loss risk"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{decision}");
    assert_eq!(decision["meeting_id"], json!(id));
    let (_, started) = app.get(&path, &viewer.token).await;
    assert_eq!(
        started["decisions"][0]["decision"], "Roll back",
        "{started}"
    );
    // A meeting still to come cannot hold a decision.
    let (status, reply) = app
        .post(
            &format!("/api/v1/escalations/{}/decisions", e["id"]),
            &sponsor.token,
            json!({"decision": "Ship", "rationale": "Early", "meeting_id": meetings[1]["id"]}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{reply}");
    assert!(
        reply["error"]["fields"]["meeting_id"].is_string(),
        "{reply}"
    );

    // Minutes: written by people who work escalations, a stale save is a 409.
    let minutes = json!({"minutes": "Agreed <b>rollback</b> & a retro", "version": 1});
    let (status, written) = app
        .send(
            Method::PATCH,
            &path,
            Some(&member.token),
            Some(minutes.clone()),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{written}");
    assert_eq!(
        (written["minutes"].as_str(), written["version"].as_i64()),
        (Some("Agreed <b>rollback</b> & a retro"), Some(2))
    );
    let (status, _) = app
        .send(Method::PATCH, &path, Some(&member.token), Some(minutes))
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (status, _) = app
        .send(
            Method::PATCH,
            &path,
            Some(&viewer.token),
            Some(json!({"minutes": "x"})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, reply) = app
        .send(Method::PATCH, &path, Some(&member.token), Some(json!({})))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{reply}");
    let (status, _) = app.get("/api/v1/meetings/999999", &viewer.token).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_launch_that_goes_live_gets_a_daily_stand_up_once() {
    let app = TestApp::new().await;
    let lead = app.login_as(Role::Facilitator).await;
    // A new launch is in planning, without a cadence.
    let planning = app.launch(&lead, "Cirrus").await;
    let id = app::launch::LaunchId(planning["id"].as_i64().unwrap());
    let cadences = || async {
        let (_, c) = app
            .get(&format!("/api/v1/launches/{}/cadences", id.0), &lead.token)
            .await;
        c.as_array().unwrap().clone()
    };
    assert!(cadences().await.is_empty());
    let mut draft = app::launch::model::LaunchDraft {
        name: Some("Cirrus".into()),
        target_date: Some("2027-03-01".into()),
        status: Some("live".into()),
        ..Default::default()
    };
    let went = app::launch::service::update(&app.db, &lead.actor, id, 1, &draft)
        .await
        .unwrap();
    let live = cadences().await;
    assert_eq!(live.len(), 1, "{live:?}");
    assert_eq!(live[0]["name"], "Daily stand-up");
    assert_eq!(
        (
            live[0]["every"].as_str(),
            live[0]["at"].as_str(),
            live[0]["timezone"].as_str()
        ),
        (Some("weekday"), Some("09:00"), Some("UTC"))
    );
    let (_, meetings) = app
        .get(&format!("/api/v1/launches/{}/meetings", id.0), &lead.token)
        .await;
    assert!(
        meetings.as_array().unwrap().len() >= 9,
        "two weeks of weekdays: {meetings}"
    );

    // Back to planning and live again: still the one stand-up.
    draft.status = Some("planning".into());
    let back = app::launch::service::update(&app.db, &lead.actor, id, went.version, &draft)
        .await
        .unwrap();
    draft.status = Some("live".into());
    let again = app::launch::service::update(&app.db, &lead.actor, id, back.version, &draft)
        .await
        .unwrap();
    assert_eq!(cadences().await.len(), 1);

    // Done, it meets no more: nothing still to come, and no new cadence.
    draft.status = Some("done".into());
    app::launch::service::update(&app.db, &lead.actor, id, again.version, &draft)
        .await
        .unwrap();
    let (_, meetings) = app
        .get(&format!("/api/v1/launches/{}/meetings", id.0), &lead.token)
        .await;
    assert!(
        meetings
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["status"] != "upcoming"),
        "{meetings}"
    );
    let body = json!({"name": "Retro", "kind": "review", "every": "week", "at": "10:00",
        "timezone": "UTC", "minutes_long": 30});
    let (status, _) = app
        .post(
            &format!("/api/v1/launches/{}/cadences", id.0),
            &lead.token,
            body,
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn a_facilitators_home_shows_the_next_meetings_and_the_review_due() {
    let app = TestApp::new().await;
    let lead = app.login_as(Role::Facilitator).await;
    let launch = app.launch(&lead, "Aurora").await["id"].as_i64().unwrap();
    let home = || async {
        let (status, home) = app
            .server_fn("meeting/load_govern_home", Some(&lead.cookie), &[])
            .await;
        assert_eq!(status, StatusCode::OK, "{home}");
        home
    };
    let quarter = app::review::Period::of(Utc::now());
    let before = home().await;
    assert_eq!(before["meetings"], json!([]));
    assert_eq!(before["review_period"], quarter.to_string());
    assert_eq!(before["review_id"], Value::Null);
    let last_day = (quarter.end() - Duration::days(1)).date_naive().to_string();
    assert_eq!(before["review_due"], last_day);

    let body = json!({"name": "Go/no-go", "kind": "review", "every": "week", "at": "16:00",
        "timezone": "Asia/Kolkata", "minutes_long": 45, "participants": ["role:facilitator"]});
    let (status, _) = app
        .post(
            &format!("/api/v1/launches/{launch}/cadences"),
            &lead.token,
            body,
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, review) = app
        .post(
            "/api/v1/reviews",
            &lead.token,
            json!({"period": quarter.to_string()}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{review}");
    let after = home().await;
    let meetings = after["meetings"].as_array().unwrap();
    assert_eq!(
        meetings.len(),
        2,
        "two weekly meetings in the next two weeks: {after}"
    );
    assert_eq!(
        (
            meetings[0]["title"].as_str(),
            meetings[0]["launch"].as_str()
        ),
        (Some("Go/no-go"), Some("Aurora"))
    );
    assert_eq!(after["review_id"], review["id"]);
}

#[tokio::test]
async fn a_review_moves_a_cadence_and_its_meetings_follow_unless_it_moved_since() {
    let app = TestApp::new().await;
    let lead = app.login_as(Role::Facilitator).await;
    let launch = app.launch(&lead, "Aurora").await["id"].as_i64().unwrap();
    let body = json!({"name": "Stand-up", "kind": "standup", "every": "weekday", "at": "09:00",
        "timezone": "UTC", "minutes_long": 15, "participants": ["role:member"]});
    let (_, cadence) = app
        .post(
            &format!("/api/v1/launches/{launch}/cadences"),
            &lead.token,
            body,
        )
        .await;
    let cadence_id = cadence["id"].as_i64().unwrap();
    let (_, review) = app
        .post(
            "/api/v1/reviews",
            &lead.token,
            json!({"period": app::review::Period::of(Utc::now()).to_string()}),
        )
        .await;
    let adjustments = format!("/api/v1/reviews/{}/adjustments", review["id"]);
    let propose = |change: Value| {
        let body = json!({"kind": "cadence", "change": change, "reason": "Berlin mornings"});
        app.post(&adjustments, &lead.token, body)
    };

    // Bad changes are a 422 naming the field.
    for (change, field) in [
        (
            json!({"cadence_id": cadence_id, "at": "27:00"}),
            "change.at",
        ),
        (
            json!({"cadence_id": cadence_id, "timezone": "Europe/Gondor"}),
            "change.timezone",
        ),
        (json!({"cadence_id": cadence_id}), "change"),
        (
            json!({"cadence_id": 999_999, "at": "10:00"}),
            "change.cadence_id",
        ),
    ] {
        let (status, reply) = propose(change.clone()).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{change}: {reply}"
        );
        assert!(reply["error"]["fields"][field].is_string(), "{reply}");
    }

    let (status, first) =
        propose(json!({"cadence_id": cadence_id, "at": "10:30", "timezone": "Europe/Berlin"}))
            .await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    let (_, second) = propose(json!({"cadence_id": cadence_id, "minutes_long": 30})).await;
    let (status, adopted) = app
        .post(
            &format!("/api/v1/adjustments/{}/adopt", first["id"]),
            &lead.token,
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{adopted}");
    assert!(
        adopted["result"].as_str().unwrap().contains("10:30"),
        "{adopted}"
    );

    // The cadence and every meeting still to come follow the change.
    let (_, cadences) = app
        .get(&format!("/api/v1/launches/{launch}/cadences"), &lead.token)
        .await;
    assert_eq!(
        (cadences[0]["at"].as_str(), cadences[0]["timezone"].as_str()),
        (Some("10:30"), Some("Europe/Berlin"))
    );
    let (_, meetings) = app
        .get(&format!("/api/v1/launches/{launch}/meetings"), &lead.token)
        .await;
    let meetings = meetings.as_array().unwrap();
    assert!(meetings.len() >= 9, "{meetings:?}");
    for m in meetings {
        let local = at(&m["starts_at"]).with_timezone(&chrono_tz::Europe::Berlin);
        assert_eq!((local.hour(), local.minute()), (10, 30), "{m}");
    }

    // The second was proposed against the cadence as it was: adopting it now is a 409 with
    // the cadence as it is, and nothing changes.
    let (status, reply) = app
        .post(
            &format!("/api/v1/adjustments/{}/adopt", second["id"]),
            &lead.token,
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{reply}");
    assert_eq!(reply["error"]["current"]["at"], "10:30", "{reply}");
    let (_, cadences) = app
        .get(&format!("/api/v1/launches/{launch}/cadences"), &lead.token)
        .await;
    assert_eq!(cadences[0]["minutes_long"], 15);

    // A weekly review: a change of length keeps each meeting (its id and minutes), a change
    // of time keeps its weekday.
    let body = json!({"name": "Go/no-go", "kind": "review", "every": "week", "at": "09:00",
        "timezone": "UTC", "minutes_long": 30, "participants": ["role:member"]});
    let (_, weekly) = app
        .post(
            &format!("/api/v1/launches/{launch}/cadences"),
            &lead.token,
            body,
        )
        .await;
    let weekly_id = weekly["id"].as_i64().unwrap();
    let of_weekly = || async {
        let (_, all) = app
            .get(&format!("/api/v1/launches/{launch}/meetings"), &lead.token)
            .await;
        all.as_array()
            .unwrap()
            .iter()
            .filter(|m| m["cadence_id"] == json!(weekly_id))
            .cloned()
            .collect::<Vec<Value>>()
    };
    let before = of_weekly().await;
    let first_id = before[0]["id"].clone();
    let member = app.login_as(Role::Member).await;
    let (status, _) = app
        .send(
            Method::PATCH,
            &format!("/api/v1/meetings/{first_id}"),
            Some(&member.token),
            Some(json!({"minutes": "Prep: bring the churn numbers"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    for change in [
        json!({"cadence_id": weekly_id, "minutes_long": 50}),
        json!({"cadence_id": weekly_id, "at": "11:00"}),
    ] {
        let (status, proposed) = propose(change).await;
        assert_eq!(status, StatusCode::CREATED, "{proposed}");
        let (status, adopted) = app
            .post(
                &format!("/api/v1/adjustments/{}/adopt", proposed["id"]),
                &lead.token,
                json!({}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{adopted}");
        if proposed["change"]["minutes_long"] == 50 {
            let after = of_weekly().await;
            assert_eq!(after[0]["id"], first_id, "the meeting kept its id");
            assert_eq!(after[0]["minutes"], "Prep: bring the churn numbers");
            assert_eq!(
                at(&after[0]["ends_at"]) - at(&after[0]["starts_at"]),
                Duration::minutes(50)
            );
        }
    }
    let weekday = |m: &Value| at(&m["starts_at"]).weekday();
    let moved: Vec<Value> = of_weekly()
        .await
        .into_iter()
        .filter(|m| m["minutes"] == "")
        .collect();
    assert!(!moved.is_empty());
    for m in &moved {
        assert_eq!(weekday(m), weekday(&before[0]), "{m}");
        assert_eq!(at(&m["starts_at"]).hour(), 11, "{m}");
    }
}

#[tokio::test]
async fn the_api_document_describes_meetings_as_they_are_sent() {
    let app = TestApp::new().await;
    let viewer = app.login_as(Role::Viewer).await;
    let (status, doc) = app.get("/api/v1/openapi.json", &viewer.token).await;
    assert_eq!(status, StatusCode::OK);
    let schemas = &doc["components"]["schemas"];
    // A cadence's meeting and an urgent one are two schemas, not one name for both.
    assert!(
        schemas["Meeting"]["properties"]["cadence_id"].is_object(),
        "{}",
        schemas["Meeting"]
    );
    assert!(schemas["UrgentMeeting"]["properties"]["request_id"].is_object());
    // Participants are ids or "role:<name>": any value, not objects.
    let items = &schemas["Cadence"]["properties"]["participants"]["items"];
    assert_ne!(items["type"], "object", "{items}");
}
