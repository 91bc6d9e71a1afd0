//! The Flare server: configuration, the HTTP router (pages, server functions, REST API,
//! health), and the admin commands. `main.rs` only parses the command line and calls in.

// Server rendering monomorphises the pages' deeply nested view types.
#![recursion_limit = "256"]

pub mod cli;
pub mod config;
pub mod database;
pub mod demo;
pub mod forms;
pub mod openapi;
pub mod telemetry;

/// Every binary of the server (and its tests) allocates through mimalloc.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use app::auth::service::{backend, guard};
use app::state::AppState;
use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list};
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{DefaultPredicate, Predicate};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

/// The app's page routes, listed once per process. Listing them renders the app with every
/// resource held back by a process-wide switch (leptos_server's `SuppressResourceLoad`): a
/// resource first polled by a page rendering meanwhile — on another router in the same
/// process, as tests and `bench` build several — would wait forever
/// (leptos-rs/leptos#4773). Listed once, before the first router exists, no render can
/// overlap it.
fn page_routes() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> =
        std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(app::App)).clone()
}

/// Builds the whole application for `state`; tests drive it without a socket.
pub fn router(state: AppState, max_body_bytes: usize) -> Router {
    let (api, openapi_doc) = openapi::api_router().split_for_parts();
    let openapi_json = openapi::document(openapi_doc);
    let api = api
        .method_not_allowed_fallback(app::rest::method_not_allowed)
        .route(
            "/api/v1/openapi.json",
            get(move || async move {
                (
                    [(header::CONTENT_TYPE, "application/json")],
                    openapi_json.clone(),
                )
            }),
        )
        .layer(middleware::from_fn_with_state(
            state.clone(),
            app::rest::idempotency::replay_or_run,
        ));
    let routes = page_routes();
    let options = state.leptos.clone();
    let pages = Router::new()
        .leptos_routes_with_context(&state, routes, guard::provide_page_nonce, {
            let options = options.clone();
            move || app::shell(options.clone())
        })
        .merge(app::auth::rest::session_routes())
        .merge(api)
        .route("/ws", get(app::realtime::rest::websocket))
        .route("/calendar/{file}", get(app::meeting::rest::calendar_feed))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(guard::provide_page_nonce, app::shell))
        .layer(middleware::from_fn(server_fn_status))
        .layer(middleware::from_fn(forms::refuse_invalid_utf8))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            guard::resolve_caller,
        ))
        .layer(backend::layer(state.db.clone(), &state.auth))
        .layer(middleware::from_fn(guard::refuse_cross_site))
        // Inside `limit_body`, which answers a declared oversize first (in JSON); this one cuts
        // a stream of unknown length at the limit, which the body's reader answers (in JSON).
        .layer(tower_http::limit::RequestBodyLimitLayer::new(
            max_body_bytes,
        ))
        .layer(middleware::from_fn(move |req, next| {
            limit_body(max_body_bytes, req, next)
        }))
        .with_state(state);
    let pkg = ServeDir::new(std::path::Path::new(&*options.site_root).join(&*options.site_pkg_dir))
        .precompressed_br()
        .precompressed_gzip();
    Router::new()
        .nest_service(
            "/pkg",
            tower::ServiceBuilder::new()
                .layer(SetResponseHeaderLayer::if_not_present(
                    header::CACHE_CONTROL,
                    HeaderValue::from_static("public, max-age=300"),
                ))
                .service(pkg),
        )
        .merge(pages)
        .layer(compression())
        .layer(middleware::from_fn(guard::security_headers))
        .layer(telemetry::request_layers())
}

/// Compresses what the app writes per request (pages, server functions, JSON) with brotli or
/// gzip as the client accepts. Left alone: the assets, already precompressed, the event stream
/// (the default predicate skips `text/event-stream`, which must reach the client event by
/// event) and the WebSocket upgrade, which has no body.
fn compression() -> CompressionLayer<impl Predicate> {
    CompressionLayer::new().compress_when(DefaultPredicate::new().and(
        |status: StatusCode, _: http::Version, _: &http::HeaderMap, _: &http::Extensions| {
            status != StatusCode::SWITCHING_PROTOCOLS
        },
    ))
}

/// Refuses bodies declared larger than the limit with the JSON 413, before anything reads
/// them (streams that grow past it are cut off by the `RequestBodyLimitLayer` inside, and the
/// JSON body extractor answers the same 413).
async fn limit_body(max: usize, req: Request, next: Next) -> Response {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|len| len > max) {
        return forms::error_for(req.uri().path(), app::error::AppError::PayloadTooLarge);
    }
    next.run(req).await
}

/// Server functions answer every error with 500; give each its real status (403, 409, 422…)
/// so logs and clients tell a refusal from a failure. The body is the error's JSON either way.
async fn server_fn_status(req: Request, next: Next) -> Response {
    let is_server_fn = forms::is_server_fn(req.uri().path());
    let res = next.run(req).await;
    if !is_server_fn || res.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 1 << 20).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    if let Ok(err) = serde_json::from_slice::<app::error::AppError>(&bytes) {
        parts.status = err.status();
    }
    Response::from_parts(parts, axum::body::Body::from(bytes))
}

/// Alive: the process answers.
async fn healthz() -> &'static str {
    "ok"
}

/// Ready: the database answers and every migration is applied.
async fn readyz(State(state): State<AppState>) -> Response {
    match database::readiness(&state.db).await {
        Ok(()) => (StatusCode::OK, "ready").into_response(),
        Err(why) => {
            tracing::warn!(%why, "not ready");
            (StatusCode::SERVICE_UNAVAILABLE, why).into_response()
        }
    }
}

/// The Leptos options for a site root, without reading Cargo.toml or `LEPTOS_*` variables.
pub fn leptos_options(config: &config::Config) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("flare")
        .site_root(config.site_root.to_string_lossy().to_string())
        .site_pkg_dir("pkg")
        .site_addr(config.addr)
        .build()
}
