//! `AppError`: the one error type every server function and REST handler returns.
//!
//! The browser receives it typed (the UI matches on variants); integrations receive it as
//! `{"error": {"code", "message", "fields"}}` with the matching HTTP status. Details of
//! internal failures are logged on the server and never sent to the client.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Why each named field was refused, keyed by the field's wire name (`"impact.customer"`).
pub type FieldErrors = BTreeMap<String, String>;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum AppError {
    /// 401: no valid session or token, or credentials that do not match.
    #[error("{message}")]
    Unauthenticated { message: String },
    /// 403: signed in, but the role or authority does not allow this.
    #[error("{message}")]
    Forbidden { message: String },
    /// 404: the thing asked for does not exist (or is not visible to the caller).
    #[error("{message}")]
    NotFound { message: String },
    /// 405: the method is not allowed here (decisions are never edited).
    #[error("{message}")]
    MethodNotAllowed { message: String },
    /// 409: the caller's `version` is stale; `current` holds the state it should look at.
    #[error("{message}")]
    Conflict {
        message: String,
        current: Option<serde_json::Value>,
    },
    /// 413: the body is larger than the limit.
    #[error("The request body is too large.")]
    PayloadTooLarge,
    /// 400: the request could not be read at all (malformed JSON, bad query string).
    #[error("{message}")]
    BadRequest { message: String },
    /// 422: readable but invalid; `fields` names each refused field.
    #[error("{message}")]
    Validation {
        message: String,
        fields: FieldErrors,
    },
    /// 500: something failed on the server; the detail is in the server log only.
    #[error("Something went wrong on the server. Please try again.")]
    Internal,
    /// The request never got a proper answer (network down, server restarting).
    #[error("Could not reach Flare: {message}")]
    Transport { message: String },
}

impl AppError {
    /// 401 with the standard message.
    pub fn sign_in_required() -> Self {
        Self::Unauthenticated {
            message: "Please sign in.".into(),
        }
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::Forbidden {
            message: message.into(),
        }
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::NotFound {
            message: message.into(),
        }
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::BadRequest {
            message: message.into(),
        }
    }

    pub fn conflict(message: impl Into<String>, current: Option<serde_json::Value>) -> Self {
        Self::Conflict {
            message: message.into(),
            current,
        }
    }

    /// A 422 naming the refused fields.
    pub fn invalid(fields: FieldErrors) -> Self {
        let message = if fields.len() == 1 {
            "One field needs attention.".to_string()
        } else {
            format!("{} fields need attention.", fields.len())
        };
        Self::Validation { message, fields }
    }

    /// A 422 for a single field.
    pub fn invalid_field(field: &str, why: impl Into<String>) -> Self {
        Self::invalid(FieldErrors::from([(field.to_string(), why.into())]))
    }

    /// The message for one field, if this is a validation error naming it.
    pub fn field(&self, name: &str) -> Option<String> {
        match self {
            Self::Validation { fields, .. } => fields.get(name).cloned(),
            _ => None,
        }
    }

    /// The stable machine-readable code sent to integrations.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Unauthenticated { .. } => "unauthenticated",
            Self::Forbidden { .. } => "forbidden",
            Self::NotFound { .. } => "not_found",
            Self::MethodNotAllowed { .. } => "method_not_allowed",
            Self::Conflict { .. } => "conflict",
            Self::PayloadTooLarge => "payload_too_large",
            Self::BadRequest { .. } => "bad_request",
            Self::Validation { .. } => "validation_failed",
            Self::Internal => "internal",
            Self::Transport { .. } => "transport",
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // The arguments of a server function could not be read: the caller sent nonsense.
            ServerFnErrorErr::Args(message) | ServerFnErrorErr::MissingArg(message) => {
                Self::BadRequest { message }
            }
            ServerFnErrorErr::Request(message) | ServerFnErrorErr::Response(message) => {
                Self::Transport { message }
            }
            other => Self::Transport {
                message: other.to_string(),
            },
        }
    }
}

#[cfg(feature = "ssr")]
mod http_response {
    use super::AppError;
    use axum::http::StatusCode;
    use axum::response::{IntoResponse, Response};
    use serde_json::json;

    impl AppError {
        pub fn status(&self) -> StatusCode {
            match self {
                Self::Unauthenticated { .. } => StatusCode::UNAUTHORIZED,
                Self::Forbidden { .. } => StatusCode::FORBIDDEN,
                Self::NotFound { .. } => StatusCode::NOT_FOUND,
                Self::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
                Self::Conflict { .. } => StatusCode::CONFLICT,
                Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
                Self::BadRequest { .. } => StatusCode::BAD_REQUEST,
                Self::Validation { .. } => StatusCode::UNPROCESSABLE_ENTITY,
                Self::Internal => StatusCode::INTERNAL_SERVER_ERROR,
                Self::Transport { .. } => StatusCode::BAD_GATEWAY,
            }
        }

        /// Logs a server-side failure and returns the safe `Internal` error for the client.
        pub fn internal(detail: impl std::fmt::Display) -> Self {
            tracing::error!(error = %detail, "internal error");
            Self::Internal
        }

        /// A stored value that does not read back (an unknown status, a bad JSON column):
        /// logged naming the entity, row, field and value, and `Internal` for the client.
        /// Never a silent default.
        pub fn corrupt(
            entity: &str,
            id: impl std::fmt::Display,
            field: &str,
            value: impl std::fmt::Debug,
        ) -> Self {
            Self::internal(format!(
                "{entity} {id}: the stored {field} {value:?} does not read back"
            ))
        }
    }

    /// The REST error shape: `{"error": {"code", "message", "fields"?, "current"?}}`.
    impl IntoResponse for AppError {
        fn into_response(self) -> Response {
            let mut body = json!({ "code": self.code(), "message": self.to_string() });
            match &self {
                Self::Validation { fields, .. } => body["fields"] = json!(fields),
                Self::Conflict {
                    current: Some(current),
                    ..
                } => body["current"] = current.clone(),
                _ => {}
            }
            (self.status(), axum::Json(json!({ "error": body }))).into_response()
        }
    }

    impl From<sea_orm::DbErr> for AppError {
        fn from(err: sea_orm::DbErr) -> Self {
            Self::internal(err)
        }
    }

    impl From<sea_orm::TransactionError<AppError>> for AppError {
        fn from(err: sea_orm::TransactionError<AppError>) -> Self {
            match err {
                sea_orm::TransactionError::Connection(db) => Self::internal(db),
                sea_orm::TransactionError::Transaction(app) => app,
            }
        }
    }
}
