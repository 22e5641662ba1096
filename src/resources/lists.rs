//! Endpoints that answer with a plain JSON array: data storages and data destinations.

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
    // The text is valid JSON already, so only JSON whitespace can precede the value.
    if !text.trim_start().starts_with('[') {
        return Err(ClientError::shape(endpoint.subject, status, &text));
    }
    Ok(text)
}
