//! Shared pieces of the REST door (`/api/v1`): the caller, JSON bodies whose errors name
//! the field, path and query extractors that refuse in JSON, and JSON answers for unknown
//! paths and methods.

pub mod idempotency;
mod params;

pub use params::{Path, Query};

use crate::auth::model::Actor;
use crate::auth::service::guard::Caller;
use crate::error::AppError;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

/// The signed-in caller of a REST handler (401 if none).
pub struct ApiCaller(pub Actor);

impl<S: Send + Sync> FromRequestParts<S> for ApiCaller {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        parts
            .extensions
            .get::<Caller>()
            .and_then(|c| c.0.clone())
            .map(ApiCaller)
            .ok_or_else(AppError::sign_in_required)
    }
}

/// A JSON body. Unreadable JSON is a 400; a field of the wrong type is a 422 naming the
/// field; a body over the limit is a 413; unknown fields are ignored.
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for JsonBody<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        if !is_json {
            return Err(AppError::bad_request(
                "Send the body as JSON with Content-Type: application/json.",
            ));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                AppError::PayloadTooLarge
            } else {
                AppError::bad_request(rejection.body_text())
            }
        })?;
        parse_json(&bytes).map(JsonBody)
    }
}

/// Parses a JSON object, naming the field at fault.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return Err(AppError::bad_request("The body must be a JSON object."));
    }
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(de).map_err(|err| {
        let at_root = err.path().iter().next().is_none();
        let path = err.path().to_string();
        let inner = err.into_inner();
        if !at_root && inner.to_string().starts_with("number out of range") {
            AppError::invalid_field(&path, "must be a finite number")
        } else if inner.is_syntax() || inner.is_eof() || at_root {
            AppError::bad_request(format!("The body is not valid JSON: {inner}"))
        } else {
            AppError::invalid_field(&path, format!("has the wrong type: {inner}"))
        }
    })
}

/// Answers for `/api/v1` paths that do not exist.
pub async fn not_found() -> Response {
    AppError::not_found("There is no such API endpoint.").into_response()
}

/// Answers for methods an endpoint does not support.
pub async fn method_not_allowed() -> Response {
    AppError::MethodNotAllowed {
        message: "This endpoint does not support that method.".into(),
    }
    .into_response()
}

/// Keeps every `/api/v1` error in the JSON shape: an error answered in anything but JSON
/// (the rejection of an extractor that is not one of ours) is rewritten with the same status
/// and headers, its text as the message, and logged, since it means a handler should use an
/// extractor that answers in JSON. Applied as a response layer on the `/api/v1` router.
pub async fn json_errors(res: Response) -> Response {
    let status = res.status();
    let is_json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if is_json || !(status.is_client_error() || status.is_server_error()) {
        return res;
    }
    let (parts, body) = res.into_parts();
    let text = match axum::body::to_bytes(body, 64 * 1024).await {
        Ok(bytes) => String::from_utf8_lossy(&bytes).trim().to_string(),
        Err(_) => String::new(),
    };
    tracing::warn!(%status, %text, "an /api/v1 error was not JSON");
    let message = if text.is_empty() {
        status.canonical_reason().unwrap_or("Refused.").to_string()
    } else {
        text
    };
    let err = match status {
        StatusCode::UNAUTHORIZED => AppError::Unauthenticated { message },
        StatusCode::FORBIDDEN => AppError::forbidden(message),
        StatusCode::NOT_FOUND => AppError::not_found(message),
        StatusCode::METHOD_NOT_ALLOWED => AppError::MethodNotAllowed { message },
        StatusCode::CONFLICT => AppError::conflict(message, None),
        StatusCode::PAYLOAD_TOO_LARGE => AppError::PayloadTooLarge,
        StatusCode::UNPROCESSABLE_ENTITY => AppError::Validation {
            message,
            fields: Default::default(),
        },
        s if s.is_server_error() => AppError::Internal,
        _ => AppError::bad_request(message),
    };
    let mut answer = err.into_response();
    *answer.status_mut() = status;
    for (name, value) in &parts.headers {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            answer.headers_mut().append(name.clone(), value.clone());
        }
    }
    answer
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::escalation::EscalationDraft;

    #[test]
    fn a_wrongly_typed_field_is_named() {
        let err = parse_json::<EscalationDraft>(br#"{"title":"x","tier":"high"}"#).unwrap_err();
        assert_eq!(err.code(), "validation_failed");
        assert!(err.field("tier").is_some(), "{err:?}");
        let nested =
            parse_json::<EscalationDraft>(br#"{"impact":{"customer":"lots"}}"#).unwrap_err();
        assert!(nested.field("impact.customer").is_some(), "{nested:?}");
    }

    #[test]
    fn broken_json_is_a_bad_request() {
        let err = parse_json::<EscalationDraft>(br#"{"title": "#).unwrap_err();
        assert_eq!(err.code(), "bad_request");
        let err = parse_json::<EscalationDraft>(br#"[1,2]"#).unwrap_err();
        assert_eq!(err.code(), "bad_request");
    }

    #[test]
    fn unknown_fields_are_ignored() {
        let draft = parse_json::<EscalationDraft>(br#"{"title":"x","colour":"red"}"#).unwrap();
        assert_eq!(draft.title.as_deref(), Some("x"));
    }
}

/// An OpenAPI answer whose body is the error shape (`ErrorBody`), described by `why`.
pub fn error_response(why: &str) -> utoipa::openapi::RefOr<utoipa::openapi::Response> {
    use utoipa::openapi::{Content, Ref, RefOr, ResponseBuilder};
    RefOr::T(
        ResponseBuilder::new()
            .description(why)
            .content(
                "application/json",
                Content::new(Some(Ref::from_schema_name("ErrorBody"))),
            )
            .build(),
    )
}

/// The error shape every `/api/v1` failure uses (documentation type).
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// `unauthenticated`, `forbidden`, `not_found`, `method_not_allowed`, `conflict`,
    /// `payload_too_large`, `bad_request`, `validation_failed` or `internal`.
    pub code: String,
    pub message: String,
    /// For `validation_failed`: why each named field was refused.
    pub fields: Option<std::collections::BTreeMap<String, String>>,
    /// For `conflict`: the current state of what the caller tried to change.
    #[schema(value_type = Option<Object>)]
    pub current: Option<serde_json::Value>,
}
