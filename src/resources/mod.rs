//! The endpoints of the API. Each returns JSON text that JavaScript turns into values with
//! one `JSON.parse`, so callers get exactly what `JSON.parse` of the server's body gives.

pub mod auth_context;
pub mod data_marts;
pub mod lists;

use serde_json::value::RawValue;

use crate::api::Body;
use crate::error::ClientError;

/// The body as text, checked to be one complete JSON value (serde_json also bounds nesting
/// depth, so nothing pathological reaches `JSON.parse`).
fn json_body(body: Body, subject: &str) -> Result<String, ClientError> {
    let status = body.status;
    let text = String::from_utf8(body.bytes)
        .map_err(|e| ClientError::invalid_json(subject, status, &String::from_utf8_lossy(e.as_bytes())))?;
    if serde_json::from_str::<&RawValue>(&text).is_err() {
        return Err(ClientError::invalid_json(subject, status, &text));
    }
    Ok(text)
}
