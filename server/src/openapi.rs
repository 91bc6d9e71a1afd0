//! The `/api/v1` router, assembled from the features' routers, and its OpenAPI document.

use app::state::AppState;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{OpenApi, SecurityRequirement};
use utoipa_axum::router::OpenApiRouter;

/// Every `/api/v1` route, each documented by construction, with JSON answers for unknown
/// paths and methods.
pub fn api_router() -> OpenApiRouter<AppState> {
    let v1 = OpenApiRouter::new()
        .merge(app::auth::rest::routes())
        .merge(app::launch::rest::routes())
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
        .fallback(app::rest::not_found);
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
