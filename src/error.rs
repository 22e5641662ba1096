//! The one error type of the client, and the contract's rules for turning an HTTP error
//! response into `status`, `code`, `details` and a message.

use std::collections::HashMap;

use serde_json::value::RawValue;

/// Everything that can go wrong in a call. `Api` becomes `OWOXApiError` (or `OWOXAuthError`
/// when `auth` is set) in JavaScript, `Config` becomes `OWOXConfigError`, `Aborted` an
/// `AbortError`.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("{0}")]
    Config(String),
    #[error("The operation was aborted")]
    Aborted,
    // Boxed: failures are rare, and a small `Result` keeps every happy path cheap.
    #[error("{}", .0.message)]
    Api(Box<ApiFailure>),
}

impl From<ApiFailure> for ClientError {
    fn from(failure: ApiFailure) -> Self {
        ClientError::Api(Box::new(failure))
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ApiFailure {
    pub auth: bool,
    pub message: String,
    /// The message as a JSON string literal when it quotes the server: spliced from the
    /// body's own text, so JavaScript gets the server's string exactly, even one that
    /// Rust cannot hold (a lone UTF-16 surrogate escape).
    pub message_json: Option<String>,
    pub status: Option<u16>,
    pub code: Option<String>,
    /// The server's code as the JSON string literal it sent, for the same reason.
    pub code_json: Option<String>,
    /// `details` as JSON text, so JavaScript gets exactly what `JSON.parse` would give.
    pub details_json: Option<String>,
    /// The underlying transport error, for `cause`.
    pub cause: Option<String>,
    pub attempts: u32,
}

pub const NETWORK_ERROR: &str = "NETWORK_ERROR";
pub const TIMEOUT: &str = "TIMEOUT";
pub const RESPONSE_TOO_LARGE: &str = "RESPONSE_TOO_LARGE";
pub const INVALID_RESPONSE: &str = "INVALID_RESPONSE";

impl ClientError {
    pub fn api(message: impl Into<String>) -> Self {
        ClientError::from(ApiFailure { message: message.into(), attempts: 1, ..Default::default() })
    }

    pub fn auth(message: impl Into<String>) -> Self {
        ClientError::from(ApiFailure { auth: true, message: message.into(), attempts: 1, ..Default::default() })
    }

    /// A failure of the client's own making (no HTTP status), marked with one of its codes.
    fn coded(code: &str, message: String) -> ApiFailure {
        ApiFailure { message, code: Some(code.into()), attempts: 1, ..Default::default() }
    }

    pub fn network(origin: &str, cause: String) -> Self {
        let message = format!(
            "Unable to reach OWOX Data Marts API at {origin}. Check the origin, your network and proxy settings."
        );
        ClientError::from(ApiFailure { cause: Some(cause), ..Self::coded(NETWORK_ERROR, message) })
    }

    pub fn timeout(origin: &str, timeout_ms: u128) -> Self {
        let message = format!("OWOX Data Marts API at {origin} did not answer within {timeout_ms} ms");
        ClientError::from(Self::coded(TIMEOUT, message))
    }

    pub fn connect_timeout(origin: &str, timeout_ms: u128) -> Self {
        let message = format!("Could not connect to OWOX Data Marts API at {origin} within {timeout_ms} ms");
        ClientError::from(Self::coded(TIMEOUT, message))
    }

    pub fn too_large(limit: u64) -> Self {
        let message = format!("OWOX Data Marts API response is larger than maxResponseBytes ({limit} bytes)");
        ClientError::from(Self::coded(RESPONSE_TOO_LARGE, message))
    }

    /// A 2xx answer whose body is not what the endpoint promises.
    pub fn shape(subject: &str, status: u16, body_json: &str) -> Self {
        ClientError::from(ApiFailure {
            message: format!("{subject} returned an unexpected response shape"),
            status: Some(status),
            details_json: Some(body_json.to_string()),
            attempts: 1,
            ..Default::default()
        })
    }

    /// A 2xx answer that is not JSON at all (an HTML page from a proxy, a cut-off body).
    pub fn invalid_json(subject: &str, status: u16, body: &str) -> Self {
        ClientError::from(ApiFailure {
            message: format!("{subject} returned a response that is not valid JSON"),
            status: Some(status),
            code: Some(INVALID_RESPONSE.into()),
            details_json: Some(json_string(body)),
            attempts: 1,
            ..Default::default()
        })
    }

    /// Whether another attempt may succeed: the transport's retry rules.
    pub fn is_transient(&self) -> bool {
        matches!(self, ClientError::Api(f) if matches!(f.code.as_deref(), Some(NETWORK_ERROR) | Some(TIMEOUT)))
    }

    pub fn with_attempts(mut self, attempts: u32) -> Self {
        if let ClientError::Api(failure) = &mut self {
            failure.attempts = attempts;
            if attempts > 1 {
                let suffix = format!(" (after {attempts} attempts)");
                failure.message.push_str(&suffix);
                if let Some(json) = &mut failure.message_json {
                    json.insert_str(json.len() - 1, &suffix);
                }
            }
        }
        self
    }
}

/// Serializes a string as a JSON string literal.
pub fn json_string(text: &str) -> String {
    serde_json::to_string(text).expect("a string always serializes")
}

/// What the contract needs of a non-2xx response.
pub struct HttpError<'a> {
    pub status: u16,
    /// The reason phrase the server sent, when it was not the standard one for the status.
    pub reason: Option<&'a str>,
    pub content_type: Option<&'a str>,
    pub body: &'a [u8],
}

/// The contract's mapping of a non-2xx response. `auth` marks failures of the token
/// exchange and of the final 401, which surface as `OWOXAuthError`.
pub fn from_http_error(response: HttpError<'_>, auth: bool) -> ApiFailure {
    let HttpError { status, reason, content_type, body } = response;
    let standard = || reqwest::StatusCode::from_u16(status).ok().and_then(|s| s.canonical_reason());
    let status_text = match reason {
        Some(reason) => Some(reason).filter(|r| !r.trim().is_empty()),
        None => standard(),
    }
    .unwrap_or("HTTP error");
    let text = String::from_utf8_lossy(body);
    let says_json = content_type.is_some_and(|ct| ct.to_ascii_lowercase().contains("json"));
    let mut failure = ApiFailure { auth, status: Some(status), attempts: 1, ..Default::default() };
    let mut server_message = None;

    if text.is_empty() {
        // No body: no details.
    } else if let Some(value) = says_json.then(|| serde_json::from_str::<&RawValue>(&text).ok()).flatten() {
        match serde_json::from_str::<HashMap<String, &RawValue>>(value.get()) {
            Ok(fields) => {
                let string_field =
                    |name: &str| fields.get(name).map(|raw| raw.get()).filter(|raw| is_non_empty_string(raw));
                if let Some(code) = string_field("code").or_else(|| string_field("error")) {
                    failure.code = Some(decode_string(code));
                    failure.code_json = Some(code.to_string());
                }
                server_message = string_field("message");
                let details = fields.get("details").or_else(|| fields.get("errorDetails")).copied().unwrap_or(value);
                failure.details_json = Some(details.get().to_string());
            }
            Err(_) => failure.details_json = Some(value.get().to_string()),
        }
    } else {
        failure.details_json = Some(json_string(&text));
    }

    let prefix = format!("OWOX API request failed with {status} {status_text}");
    match server_message {
        Some(literal) => {
            // The literal's inside is already valid JSON string content: splice it as is.
            let message_json = format!("\"{prefix}: {}\"", &literal[1..literal.len() - 1]);
            failure.message = decode_string(&message_json);
            failure.message_json = Some(message_json);
        }
        None => failure.message = prefix,
    }
    failure
}

/// Whether a JSON value's text is a string with at least one character.
fn is_non_empty_string(raw: &str) -> bool {
    raw.len() > 2 && raw.starts_with('"')
}

/// A JSON string literal as Rust text; a lone surrogate escape becomes U+FFFD here (the
/// exact form still reaches JavaScript through the `_json` fields).
fn decode_string(literal: &str) -> String {
    serde_json::from_str::<String>(literal).unwrap_or_else(|_| {
        let lossy = literal.replace("\\u", "\\\\u");
        serde_json::from_str::<String>(&lossy).unwrap_or_default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const JSON: Option<&str> = Some("application/json; charset=utf-8");

    /// A response with the standard reason phrase.
    fn map(status: u16, content_type: Option<&str>, body: &[u8], auth: bool) -> ApiFailure {
        from_http_error(HttpError { status, reason: None, content_type, body }, auth)
    }

    #[test]
    fn nest_validation_body_gives_code_details_and_message() {
        let body = br#"{"message":"Request validation failed","error":"Bad Request","statusCode":400,"details":{"errors":[{"message":"x"}]}}"#;
        let f = map(400, JSON, body, false);
        assert_eq!(f.message, "OWOX API request failed with 400 Bad Request: Request validation failed");
        assert_eq!(f.code.as_deref(), Some("Bad Request"));
        assert_eq!(f.details_json.as_deref(), Some(r#"{"errors":[{"message":"x"}]}"#));
        assert_eq!(f.status, Some(400));
    }

    #[test]
    fn code_wins_over_error_and_error_details_is_the_fallback() {
        let body = br#"{"code":"STORAGE_ACCESS","error":"Failed Dependency","message":"nope","errorDetails":[1, 2]}"#;
        let f = map(424, JSON, body, false);
        assert_eq!(f.code.as_deref(), Some("STORAGE_ACCESS"));
        assert_eq!(f.details_json.as_deref(), Some("[1, 2]"));
    }

    #[test]
    fn whole_body_is_details_when_no_details_field() {
        let body = br#"{"statusCode":401,"message":"Unauthorized","code":""}"#;
        let f = map(401, JSON, body, true);
        assert_eq!(f.code, None);
        assert_eq!(f.details_json.as_deref(), Some(std::str::from_utf8(body).unwrap()));
        assert!(f.auth);
    }

    #[test]
    fn non_json_and_empty_bodies() {
        let html = b"<html><body>502 Bad Gateway</body></html>";
        let f = map(502, Some("text/html"), html, false);
        assert_eq!(f.message, "OWOX API request failed with 502 Bad Gateway");
        assert_eq!(f.details_json.as_deref(), Some(r#""<html><body>502 Bad Gateway</body></html>""#));
        assert_eq!(f.code, None);

        let f = map(503, JSON, b"", false);
        assert_eq!(f.details_json, None);
        assert_eq!(f.message, "OWOX API request failed with 503 Service Unavailable");

        // JSON content type with a cut-off body: the text is the details.
        let f = map(500, JSON, br#"{"message":"bo"#, false);
        assert_eq!(f.details_json.as_deref(), Some(r#""{\"message\":\"bo""#));
        assert_eq!(f.message, "OWOX API request failed with 500 Internal Server Error");
    }

    #[test]
    fn json_without_json_content_type_is_text() {
        let f = from_http_error(
            HttpError { status: 400, reason: None, content_type: Some("text/plain"), body: br#"{"message":"m"}"# },
            false,
        );
        assert_eq!(f.message, "OWOX API request failed with 400 Bad Request");
        assert_eq!(f.details_json.as_deref(), Some(r#""{\"message\":\"m\"}""#));
    }

    #[test]
    fn the_servers_own_reason_phrase_is_used_and_an_empty_one_reads_http_error() {
        let with = |reason| {
            from_http_error(HttpError { status: 400, reason: Some(reason), content_type: None, body: b"" }, false)
                .message
        };
        assert_eq!(with("Validation Failed"), "OWOX API request failed with 400 Validation Failed");
        assert_eq!(with(""), "OWOX API request failed with 400 HTTP error");
    }

    #[test]
    fn unknown_status_reads_http_error() {
        let f = map(599, None, b"", false);
        assert_eq!(f.message, "OWOX API request failed with 599 HTTP error");
    }

    #[test]
    fn server_strings_keep_their_exact_json_form() {
        let body = br#"{"message":"bad \ud800 input","code":"E\udfff"}"#;
        let f = map(400, JSON, body, false);
        assert_eq!(
            f.message_json.as_deref(),
            Some(r#""OWOX API request failed with 400 Bad Request: bad \ud800 input""#)
        );
        assert_eq!(f.code_json.as_deref(), Some(r#""E\udfff""#));
        assert!(f.message.starts_with("OWOX API request failed with 400 Bad Request: bad "));
        let f = ClientError::from(f).with_attempts(2);
        let ClientError::Api(f) = f else { unreachable!() };
        assert!(f.message_json.unwrap().ends_with(r#"input (after 2 attempts)""#));
    }

    #[test]
    fn attempts_are_counted_in_the_message() {
        let e = ClientError::timeout("http://127.0.0.1:1", 50).with_attempts(3);
        match e {
            ClientError::Api(f) => {
                assert_eq!(f.attempts, 3);
                assert!(f.message.ends_with("(after 3 attempts)"), "{}", f.message);
            }
            other => panic!("{other:?}"),
        }
    }
}
