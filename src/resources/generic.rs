//! Any safe `/api/...` path with any method: the generic request every named call of the
//! JavaScript endpoint table, `client.request()` and the low-level methods go through.

use reqwest::Method;

use crate::api::{ApiClient, ApiRequest};
use crate::body::{check_json, JsonProblem, MAX_NESTING};
use crate::error::ClientError;
use crate::path;
use crate::transport::Call;

const SUBJECT: &str = "OWOX Data Marts API";

/// A 2xx body as JavaScript reads it: `json` says the text is one checked JSON value.
pub struct Reply {
    pub status: u16,
    pub text: String,
    pub json: bool,
}

/// Checks the method and the path (before any token exchange: a refused path sends
/// nothing at all) and builds the request.
pub fn prepare(
    origin: &str,
    method: &str,
    path: &str,
    query: Option<&str>,
    json_body: Option<String>,
    accept: Option<String>,
) -> Result<ApiRequest, ClientError> {
    let method = match method.to_ascii_uppercase().as_str() {
        "GET" => Method::GET,
        "POST" => Method::POST,
        "PUT" => Method::PUT,
        "PATCH" => Method::PATCH,
        "DELETE" => Method::DELETE,
        _ => {
            return Err(ClientError::Config(format!("method must be GET, POST, PUT, PATCH or DELETE, got {method:?}")))
        }
    };
    let path_and_query = path::resolve(origin, path, query)?;
    Ok(ApiRequest { method, path_and_query, json_body, accept })
}

pub async fn send(api: &ApiClient, request: &ApiRequest, call: &Call) -> Result<Reply, ClientError> {
    let body = api.request(request, call).await?;
    let text = body.body.text;
    let json = body.body.says_json && !text.is_empty();
    if json {
        if !body.valid_utf8 {
            return Err(ClientError::invalid_json(SUBJECT, body.status, &text));
        }
        match check_json(&text) {
            Ok(()) => {}
            Err(JsonProblem::Syntax) => return Err(ClientError::invalid_json(SUBJECT, body.status, &text)),
            Err(JsonProblem::TooDeep) => {
                return Err(ClientError::api(format!(
                    "{SUBJECT} returned JSON nested deeper than {MAX_NESTING} levels"
                )))
            }
        }
    }
    Ok(Reply { status: body.status, text, json })
}
