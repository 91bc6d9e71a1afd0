//! Every `/api/v1` error is DESIGN.md's JSON shape — also for a path id that is not an
//! integer, a query value that cannot be read, and a body declared over the limit — and the
//! OpenAPI document describes what each operation answers, with the right schemas.

use crate::common;
use app::auth::model::Role;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::TestApp;
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

/// Sends `req` and returns the status, the content type and the body parsed as JSON (or
/// `Value::Null` when it is not JSON).
async fn answer(app: &TestApp, req: Request<Body>) -> (StatusCode, String, Value) {
    let res = app.router.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let content_type = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    let json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    (status, content_type, json)
}

fn assert_json_error(what: &str, status: StatusCode, content_type: &str, body: &Value, code: &str) {
    assert!(
        content_type.starts_with("application/json"),
        "{what}: {status} answered with {content_type:?}, not JSON"
    );
    assert_eq!(body["error"]["code"], code, "{what}: {status} {body}");
    assert!(body["error"]["message"].is_string(), "{what}: {body}");
}

fn get(path: &str, token: &str) -> Request<Body> {
    Request::get(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap()
}

#[tokio::test]
async fn a_path_id_that_is_not_an_integer_answers_a_json_400() {
    let app = TestApp::new().await;
    let admin = app.login_as(Role::Admin).await;
    for path in [
        "/api/v1/escalations/abc",
        "/api/v1/launches/abc",
        "/api/v1/launches/1.5/raci.csv",
        "/api/v1/escalations/1/decisions/x",
        "/api/v1/escalations/99999999999999999999999/timeline",
    ] {
        let (status, content_type, body) = answer(&app, get(path, &admin.token)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{path}: {body}");
        assert_json_error(path, status, &content_type, &body, "bad_request");
    }
}

#[tokio::test]
async fn every_documented_operation_answers_json_to_an_unreadable_path_id() {
    let app = TestApp::new().await;
    let admin = app.login_as(Role::Admin).await;
    let (_, doc) = server::openapi::api_router().split_for_parts();
    let doc = serde_json::to_value(&doc).unwrap();
    let mut tried = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        if !path.contains('{') {
            continue;
        }
        let bad = with_every_param_as(path, "zz");
        for (method, op) in item.as_object().unwrap() {
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let mut req = Request::builder()
                .method(method.clone())
                .uri(format!("/api/v1{bad}"))
                .header(header::AUTHORIZATION, format!("Bearer {}", admin.token));
            let body = if op.get("requestBody").is_some() {
                req = req.header(header::CONTENT_TYPE, "application/json");
                Body::from("{}")
            } else {
                Body::empty()
            };
            let what = format!("{method} {bad}");
            let (status, content_type, json) = answer(&app, req.body(body).unwrap()).await;
            assert!(status.is_client_error(), "{what}: {status} {json}");
            assert!(
                content_type.starts_with("application/json") && json["error"]["code"].is_string(),
                "{what}: {status} answered {content_type:?} {json}"
            );
            tried += 1;
        }
    }
    assert!(tried > 20, "only {tried} operations with a path id");
}

/// `/escalations/{id}/decisions/{decision_id}` → `/escalations/zz/decisions/zz`.
fn with_every_param_as(path: &str, with: &str) -> String {
    let mut out = String::new();
    let mut in_param = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_param = true;
                out.push_str(with);
            }
            '}' => in_param = false,
            c if !in_param => out.push(c),
            _ => {}
        }
    }
    out
}

#[tokio::test]
async fn a_query_value_that_cannot_be_read_answers_a_json_400() {
    let app = TestApp::new().await;
    let viewer = app.login_as(Role::Viewer).await;
    for path in [
        "/api/v1/escalations?launch_id=x",
        "/api/v1/escalations?launch_id=1&launch_id=2&stage=triggered&launch_id=",
        "/api/v1/postmortems?launch_id=%00",
    ] {
        let (status, content_type, body) = answer(&app, get(path, &viewer.token)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{path}: {body}");
        assert_json_error(path, status, &content_type, &body, "bad_request");
    }
}

fn oversized_post(token: &str, len: usize, declare_length: bool) -> Request<Body> {
    let body = json!({"name": "Big", "target_date": "2027-01-01", "description": "x".repeat(len)})
        .to_string();
    let mut req = Request::post("/api/v1/launches")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json");
    if declare_length {
        req = req.header(header::CONTENT_LENGTH, body.len());
        return req.body(Body::from(body)).unwrap();
    }
    // A stream of unknown length, as a chunked upload arrives.
    let chunks = body
        .into_bytes()
        .chunks(64 * 1024)
        .map(|c| Ok::<_, std::io::Error>(axum::body::Bytes::copy_from_slice(c)))
        .collect::<Vec<_>>();
    req.body(Body::from_stream(futures::stream::iter(chunks)))
        .unwrap()
}

#[tokio::test]
async fn a_body_over_the_limit_answers_a_json_413_declared_or_streamed() {
    let app = TestApp::new().await;
    let facilitator = app.login_as(Role::Facilitator).await;
    let limit = server::config::Config::default().max_body_bytes;
    for declared in [true, false] {
        let what = if declared {
            "with Content-Length"
        } else {
            "streamed"
        };
        let req = oversized_post(&facilitator.token, limit + 1, declared);
        let (status, content_type, body) = answer(&app, req).await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{what}: {body}");
        assert_json_error(what, status, &content_type, &body, "payload_too_large");
    }
    // The limit refuses before authentication, and still in JSON.
    let req = Request::post("/api/v1/launches")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::CONTENT_LENGTH, limit + 1)
        .body(Body::from(vec![b' '; limit + 1]))
        .unwrap();
    let (status, content_type, body) = answer(&app, req).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
    assert_json_error(
        "anonymous",
        status,
        &content_type,
        &body,
        "payload_too_large",
    );
    assert_eq!(app.count("launches").await, 0);
    // A server function's oversized form is refused in the encoding the browser decodes
    // (its `AppError` at the top level, with Leptos's error header), declared or streamed.
    for declared in [true, false] {
        let body = format!("name={}", "a".repeat(limit + 1));
        let mut req = Request::post("/api/launch/create_launch")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, &facilitator.cookie)
            .header("sec-fetch-site", "same-origin");
        if declared {
            req = req.header(header::CONTENT_LENGTH, body.len());
        }
        let req = req.body(Body::from(body)).unwrap();
        let res = app.router.clone().oneshot(req).await.unwrap();
        assert_eq!(
            res.status(),
            StatusCode::PAYLOAD_TOO_LARGE,
            "declared {declared}"
        );
        assert!(
            res.headers()
                .contains_key(leptos::server_fn::error::SERVER_FN_ERROR_HEADER),
            "declared {declared}"
        );
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        let error: app::error::AppError = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(error, app::error::AppError::PayloadTooLarge);
    }
    // A body within the limit still goes through.
    let req = oversized_post(&facilitator.token, 1000, true);
    let (status, _, body) = answer(&app, req).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
}

/// Follows a `$ref` (or an `allOf`/`oneOf` wrapping one, as utoipa writes optional refs) to
/// the schema it names.
fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    let reference = schema["$ref"].as_str().or_else(|| {
        ["allOf", "oneOf", "anyOf"].iter().find_map(|k| {
            schema[*k]
                .as_array()?
                .iter()
                .find_map(|s| s["$ref"].as_str())
        })
    });
    match reference {
        Some(r) => {
            let name = r.trim_start_matches("#/components/schemas/");
            resolve(doc, &doc["components"]["schemas"][name])
        }
        None => schema,
    }
}

fn served_document() -> Value {
    let (_, doc) = server::openapi::api_router().split_for_parts();
    serde_json::from_str(&server::openapi::document(doc)).unwrap()
}

#[tokio::test]
async fn the_document_describes_a_post_mortem_impact_not_an_escalation_impact() {
    let doc = served_document();
    let schemas = &doc["components"]["schemas"];
    for (owner, wanted, unwanted) in [
        ("PostMortem", "customers_affected", "customer"),
        ("PostMortemDraft", "customers_affected", "customer"),
        ("Escalation", "customer", "customers_affected"),
        ("EscalationDraft", "customer", "customers_affected"),
    ] {
        let impact = resolve(&doc, &schemas[owner]["properties"]["impact"]);
        let properties = impact["properties"]
            .as_object()
            .unwrap_or_else(|| panic!("{owner}.impact has no properties: {impact}"));
        assert!(
            properties.contains_key(wanted) && !properties.contains_key(unwanted),
            "{owner}.impact is described as {impact}"
        );
    }
}

#[tokio::test]
async fn every_operation_documents_its_json_errors() {
    let doc = served_document();
    let mut checked = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let what = format!("{} /api/v1{path}", method.to_uppercase());
            let responses = op["responses"].as_object().unwrap();
            let has = |code: &str| responses.contains_key(code);
            let params = op["parameters"].as_array().cloned().unwrap_or_default();
            let in_path = params.iter().any(|p| p["in"] == "path");
            let in_query = params.iter().any(|p| p["in"] == "query");
            let refuses_all = has("405");
            assert!(has("401"), "{what} does not document 401");
            if !refuses_all && method != "get" {
                assert!(
                    has("403"),
                    "{what} does not document 403 (viewers change nothing)"
                );
            }
            if !refuses_all && (in_path || in_query) {
                assert!(has("400"), "{what} does not document 400");
            }
            if !refuses_all && in_path {
                assert!(has("404"), "{what} does not document 404");
            }
            if op.get("requestBody").is_some() {
                for code in ["400", "413", "422"] {
                    assert!(has(code), "{what} does not document {code}");
                }
            }
            for (code, response) in responses {
                if code.starts_with('4') || code.starts_with('5') {
                    let schema = &response["content"]["application/json"]["schema"]["$ref"];
                    assert_eq!(
                        schema, "#/components/schemas/ErrorBody",
                        "{what} {code} is not documented as the JSON error"
                    );
                }
            }
            checked += 1;
        }
    }
    assert!(checked > 40, "only {checked} operations");
}
