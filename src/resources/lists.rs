//! Endpoints that answer with a plain JSON array: data storages and data destinations.

use serde_json::value::RawValue;

use super::json_body;
use crate::api::ApiClient;
use crate::error::ClientError;
use crate::transport::Call;

pub struct ArrayEndpoint {
    pub path: &'static str,
    pub subject: &'static str,
}

pub const STORAGES: ArrayEndpoint = ArrayEndpoint { path: "/api/data-storages", subject: "OWOX Data Storages API" };
pub const DESTINATIONS: ArrayEndpoint =
    ArrayEndpoint { path: "/api/data-destinations", subject: "OWOX Data Destinations API" };

pub async fn list(api: &ApiClient, endpoint: &ArrayEndpoint, call: &Call) -> Result<String, ClientError> {
    let body = api.get(endpoint.path, call).await?;
    let status = body.status;
    let text = json_body(body, endpoint.subject)?;
    let is_array = serde_json::from_str::<&RawValue>(&text).is_ok_and(|v| v.get().starts_with('['));
    if !is_array {
        return Err(ClientError::shape(endpoint.subject, status, &text));
    }
    Ok(text)
}
