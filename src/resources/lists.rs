//! Endpoints that answer with a plain JSON array: data storages and data destinations.

use serde_json::value::RawValue;

use super::body_text;
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
    let json = body_text(api.get(endpoint.path, call).await?, endpoint.subject)?;
    let value: &RawValue = json.parse(endpoint.subject)?;
    if !value.get().starts_with('[') {
        return Err(ClientError::shape(endpoint.subject, json.status, &json.text));
    }
    Ok(json.text)
}
