//! The `Idempotency-Key` header in the OpenAPI document: declared once here and added to
//! every POST operation, with the answers it can cause.

use utoipa::openapi::path::{Operation, Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::{OpenApi, RefOr, Required, Schema, header::HeaderBuilder};

/// Adds the optional `Idempotency-Key` request header to every POST operation of `doc`, the
/// `Idempotent-Replayed` header to their 2xx answers, and their 409/422 answers where
/// missing. Called once when the server builds its OpenAPI document.
pub fn describe_header(doc: &mut OpenApi) {
    for item in doc.paths.paths.values_mut() {
        if let Some(operation) = item.post.as_mut() {
            describe_operation(operation);
        }
    }
}

fn describe_operation(operation: &mut Operation) {
    operation
        .parameters
        .get_or_insert_with(Vec::new)
        .push(key_parameter());
    let responses = &mut operation.responses.responses;
    for (status, response) in responses.iter_mut() {
        if let (true, RefOr::T(response)) = (status.starts_with('2'), response) {
            response.headers.insert(
                "Idempotent-Replayed".into(),
                HeaderBuilder::new()
                    .schema(string_schema())
                    .description(Some(
                        "`true` when this is the stored answer to an earlier request with the \
                         same Idempotency-Key.",
                    ))
                    .build(),
            );
        }
    }
    for (status, why) in [
        (
            "409",
            "A request with this Idempotency-Key is still in progress.",
        ),
        (
            "422",
            "Invalid, or the Idempotency-Key was used for a different request.",
        ),
    ] {
        responses
            .entry(status.into())
            .or_insert_with(|| crate::rest::error_response(why));
    }
}

fn key_parameter() -> Parameter {
    ParameterBuilder::new()
        .name("Idempotency-Key")
        .parameter_in(ParameterIn::Header)
        .required(Required::False)
        .description(Some(
            "1–200 printable ASCII characters. A retry with the same key, path and body within \
             24 hours gets the first successful answer again (with `Idempotent-Replayed: true`) \
             instead of running twice; the same key with a different body is a 422, and while \
             the first request runs a retry is a 409. Keys are per user.",
        ))
        .schema(Some(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .min_length(Some(1))
                .max_length(Some(200))
                .pattern(Some("^[ -~]+$")),
        ))
        .build()
}

fn string_schema() -> Schema {
    Schema::Object(ObjectBuilder::new().schema_type(Type::String).build())
}
