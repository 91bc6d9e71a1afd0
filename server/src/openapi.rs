//! The `/api/v1` router, assembled from the features' routers, and its OpenAPI document.

use app::state::AppState;
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{OpenApi, SecurityRequirement};
use utoipa_axum::router::OpenApiRouter;

/// Every `/api/v1` route, each documented by construction, with JSON answers for unknown
/// paths and methods, and every error in the JSON shape.
pub fn api_router() -> OpenApiRouter<AppState> {
    let v1 = OpenApiRouter::new()
        .merge(app::auth::rest::routes())
        .merge(app::launch::rest::routes())
        .merge(app::measure::rest::routes())
        .merge(app::dashboard::rest::routes())
        .merge(app::escalation::rest::routes())
        .merge(app::event::rest::routes())
        .merge(app::realtime::rest::routes())
        .merge(app::runbook::rest::routes())
        .merge(app::update::rest::routes())
        .merge(app::decision::rest::routes())
        .merge(app::action::rest::routes())
        .merge(app::raci::rest::routes())
        .merge(app::postmortem::rest::routes())
        .merge(app::team::rest::routes())
        .merge(app::webhook::rest::routes())
        .merge(app::mail::rest::routes())
        .merge(app::review::rest::routes())
        .merge(app::meeting::rest::routes())
        .fallback(app::rest::not_found)
        .layer(axum::middleware::map_response(app::rest::json_errors));
    OpenApiRouter::new().nest("/api/v1", v1)
}

/// The document served at `/api/v1/openapi.json`, with the bearer scheme applied throughout.
pub fn document(mut doc: OpenApi) -> String {
    doc.info.title = "Flare REST API".into();
    doc.info.version = "1".into();
    doc.info.description = Some(
        "Escalations, decisions, RACI and post-mortems for product launches. Authenticate with \
         `Authorization: Bearer <token>`. Errors are `{\"error\": {\"code\", \"message\", \"fields\"}}`."
            .into(),
    );
    describe_common_errors(&mut doc);
    app::rest::idempotency::describe_header(&mut doc);
    let components = doc.components.get_or_insert_with(Default::default);
    components.add_security_scheme(
        "bearer",
        SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
    );
    doc.security = Some(vec![SecurityRequirement::new(
        "bearer",
        Vec::<String>::new(),
    )]);
    serde_json::to_string(&doc).unwrap_or_else(|_| "{}".into())
}

/// Documents on every operation the errors that come from the shared extractors and guards
/// rather than from the handler: 401 from the caller, 403 on every change (viewers change
/// nothing; cross-site requests with a cookie are refused), 400 from an unreadable path or
/// query value or body, 404 for an unknown id in the path, 413 and 422 from a JSON body. What
/// is particular to a handler (409, its 422 rules) is in its own `#[utoipa::path]`.
fn describe_common_errors(doc: &mut OpenApi) {
    for item in doc.paths.paths.values_mut() {
        let operations = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.patch,
            &mut item.delete,
        ];
        for (operation, writes) in operations.into_iter().zip([false, true, true, true, true]) {
            if let Some(operation) = operation {
                describe_operation_errors(operation, writes);
            }
        }
    }
}

fn describe_operation_errors(operation: &mut Operation, writes: bool) {
    let params = operation.parameters.as_deref().unwrap_or_default();
    let in_path = params
        .iter()
        .any(|p| matches!(p.parameter_in, ParameterIn::Path));
    let in_query = params
        .iter()
        .any(|p| matches!(p.parameter_in, ParameterIn::Query));
    let has_body = operation.request_body.is_some();
    let responses = &mut operation.responses.responses;
    // An operation that refuses every call (decisions are never edited) reads nothing.
    let reads_request = !responses.contains_key("405");
    let errors = [
        (
            "400",
            reads_request && (in_path || in_query || has_body),
            "The path, query or body could not be read.",
        ),
        ("401", true, "Not signed in: no valid session or token."),
        (
            "403",
            reads_request && writes,
            "The caller may not do this: viewers change nothing, a cross-site request with a \
             session cookie is refused, and some changes need a role or authority.",
        ),
        (
            "404",
            reads_request && in_path,
            "No such thing with that id.",
        ),
        ("413", has_body, "The body is larger than the limit."),
        (
            "422",
            has_body,
            "Readable but invalid: `fields` names each refused field.",
        ),
    ];
    for (status, applies, why) in errors {
        if applies {
            responses
                .entry(status.into())
                .or_insert_with(|| app::rest::error_response(why));
        }
    }
}
