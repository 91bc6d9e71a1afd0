//! Path and query extractors for the REST door whose refusals are the JSON error shape.
//! axum's own `Path` and `Query` answer an unreadable value (`/escalations/abc`,
//! `?launch_id=x`) in plain text; these answer a 400 `bad_request` naming what was wrong.

use crate::error::AppError;
use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

/// The path's parameters, e.g. `Path(id): Path<i64>`. Any handler may use it; a value that
/// cannot be read as `T` is a JSON 400.
pub struct Path<T>(pub T);

impl<T, S> FromRequestParts<S> for Path<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => Ok(Self(value)),
            Err(rejection) => Err(unreadable(rejection.status(), rejection.body_text())),
        }
    }
}

/// The query string, e.g. `Query(query): Query<ListQuery>`. Any handler may use it; a
/// value that cannot be read as `T` (a letter for a number, a repeated field) is a JSON 400.
pub struct Query<T>(pub T);

impl<T, S> FromRequestParts<S> for Query<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(value)) => Ok(Self(value)),
            Err(rejection) => Err(unreadable(rejection.status(), rejection.body_text())),
        }
    }
}

/// axum answers 4xx for what the client sent and 5xx for a route declared wrongly (a
/// server bug, logged and answered as `internal`).
fn unreadable(status: StatusCode, why: String) -> AppError {
    if status.is_client_error() {
        AppError::bad_request(why)
    } else {
        AppError::internal(why)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::http::Request;

    #[derive(Debug, serde::Deserialize)]
    struct Filter {
        launch_id: Option<i64>,
    }

    async fn query(uri: &str) -> Result<Filter, AppError> {
        let (mut parts, _) = Request::get(uri)
            .body(Body::empty())
            .map_err(AppError::internal)?
            .into_parts();
        Query::<Filter>::from_request_parts(&mut parts, &())
            .await
            .map(|Query(f)| f)
    }

    #[tokio::test]
    async fn an_unreadable_query_value_is_a_bad_request() {
        let err = query("/x?launch_id=x").await.unwrap_err();
        assert_eq!(err.code(), "bad_request");
        assert!(err.to_string().contains("launch_id"), "{err}");
        assert_eq!(query("/x?launch_id=7").await.unwrap().launch_id, Some(7));
        assert_eq!(query("/x").await.unwrap().launch_id, None);
    }
}
