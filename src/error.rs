//! The one error type of the client, and the contract's rules for turning an HTTP error
//! response into `status`, `code`, `details` and a message.

use std::collections::HashMap;

use serde_json::value::RawValue;

use crate::body;

/// Everything that can go wrong in a call. `Api` becomes `OWOXApiError` (or `OWOXAuthError`
/// when `auth` is set) in JavaScript, `Config` becomes `OWOXConfigError`, `Aborted` an
/// `AbortError`.
#[derive(Debug, Clone, thiserror::Error)]
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

    /// The origin's TLS certificate was refused: retrying cannot help, and the message says
    /// what to fix rather than "unable to reach".
    pub fn certificate(origin: &str, cause: String) -> Self {
        let message = format!(
            "The TLS certificate of OWOX Data Marts API at {origin} is not trusted ({}). If a proxy or private \
             CA signs it, add the CA with NODE_EXTRA_CA_CERTS.",
            certificate_problem(&cause)
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
        let mut message = format!("{subject} returned a response that is not valid JSON");
        if looks_like_html(None, body) {
            message = format!("{message}. {NOT_THE_API}");
        }
        ClientError::from(ApiFailure {
            message,
            status: Some(status),
            code: Some(INVALID_RESPONSE.into()),
            details_json: Some(json_string(&body::bounded(body, MAX_TEXT_DETAILS))),
            attempts: 1,
            ..Default::default()
        })
    }

    pub fn with_attempts(mut self, attempts: u32) -> Self {
        if let ClientError::Api(failure) = &mut self {
            failure.attempts = attempts;
            if attempts > 1 {
                failure.append(&format!(" (after {attempts} attempts)"));
            }
        }
        self
    }
}

/// The certificate problem in a few words, from rustls' text in the error chain.
fn certificate_problem(cause: &str) -> &'static str {
    let lower = cause.to_ascii_lowercase();
    if lower.contains("unknownissuer") || lower.contains("unknown issuer") {
        "issued by an unknown certificate authority"
    } else if lower.contains("notvalidforname") || lower.contains("not valid for name") {
        "issued for another host name"
    } else if lower.contains("expired") {
        "expired"
    } else if lower.contains("notvalidyet") {
        "not valid yet"
    } else if lower.contains("revoked") {
        "revoked"
    } else {
        "refused by certificate verification"
    }
}

impl ApiFailure {
    /// Adds `text` to the end of the message (and of its exact JSON form).
    pub fn append(&mut self, text: &str) {
        self.message.push_str(text);
        if let Some(json) = &mut self.message_json {
            let literal = json_string(text);
            json.insert_str(json.len() - 1, &literal[1..literal.len() - 1]);
        }
    }

    /// Replaces every occurrence of each secret in every string that came from the server
    /// or the network, so a server that echoes the request cannot leak a credential.
    pub fn redact(&mut self, secrets: &[&str]) {
        for secret in secrets.iter().filter(|s| s.len() >= 4) {
            let escaped = json_string(secret);
            let escaped = &escaped[1..escaped.len() - 1];
            let fields = [&mut self.message_json, &mut self.code_json, &mut self.details_json, &mut self.cause];
            for text in fields.into_iter().flatten() {
                redact_in(text, secret, escaped);
            }
            redact_in(&mut self.message, secret, escaped);
            if let Some(code) = &mut self.code {
                redact_in(code, secret, escaped);
            }
        }
    }
}

const REDACTED: &str = "[redacted]";

fn redact_in(text: &mut String, secret: &str, escaped: &str) {
    if text.contains(secret) {
        *text = text.replace(secret, REDACTED);
    }
    if escaped != secret && text.contains(escaped) {
        *text = text.replace(escaped, REDACTED);
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
    /// Where a 3xx pointed.
    pub location: Option<&'a str>,
    pub body: &'a [u8],
}

/// Error details quote a non-JSON body up to this size.
pub const MAX_TEXT_DETAILS: usize = 8 * 1024;
/// A plain-text error body this short is a message, and its first line goes into ours.
const SHORT_TEXT: usize = 300;

/// The contract's mapping of a non-2xx response. `auth` marks failures of the token
/// exchange and of the final 401, which surface as `OWOXAuthError`.
pub fn from_http_error(response: HttpError<'_>, auth: bool) -> ApiFailure {
    let HttpError { status, reason, content_type, location, body } = response;
    let standard = || reqwest::StatusCode::from_u16(status).ok().and_then(|s| s.canonical_reason());
    let status_text = match reason {
        Some(reason) => Some(reason).filter(|r| !r.trim().is_empty()),
        None => standard(),
    }
    .unwrap_or("HTTP error");
    let (decoded, _) = body::decode(body.to_vec(), content_type);
    let text = decoded.text.as_str();
    let mut failure = ApiFailure { auth, status: Some(status), attempts: 1, ..Default::default() };
    // The server's message as the inside of a JSON string literal, spliced as is.
    let mut server_message: Option<String> = None;

    if text.is_empty() {
        // No body: no details.
    } else if let Some(value) = decoded.says_json.then(|| json_value(text)).flatten() {
        match serde_json::from_str::<HashMap<String, &RawValue>>(value.get()) {
            Ok(fields) => {
                let string_field =
                    |name: &str| fields.get(name).map(|raw| raw.get()).filter(|raw| is_non_empty_string(raw));
                if let Some(code) = string_field("code").or_else(|| string_field("error")) {
                    failure.code = Some(body::decode_json_string(code).into_owned());
                    failure.code_json = Some(code.to_string());
                }
                server_message = string_field("message")
                    .map(|literal| literal[1..literal.len() - 1].to_string())
                    .or_else(|| fields.get("message").and_then(|raw| joined_strings(raw.get())));
                let details = fields.get("details").or_else(|| fields.get("errorDetails")).copied().unwrap_or(value);
                failure.details_json = Some(details.get().to_string());
                // A validation failure says what was wrong only in details.errors: a few of
                // those messages belong in the message, which is what people read.
                if let (Some(message), Some(reasons)) = (&server_message, validation_reasons(details.get())) {
                    server_message = Some(format!("{message}: {reasons}"));
                }
            }
            Err(_) => failure.details_json = Some(value.get().to_string()),
        }
    } else {
        failure.details_json = Some(json_string(&body::bounded(text, MAX_TEXT_DETAILS)));
        // A short plain-text body is a message; a body that claims JSON or looks like
        // JSON or HTML is data, and stays in the details only.
        let starts_like_data = text.trim_start().starts_with(['{', '[', '<']);
        if !decoded.says_json && !starts_like_data && !looks_like_html(content_type, text) && text.len() <= SHORT_TEXT {
            let first_line = text.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or_default();
            if !first_line.is_empty() {
                let literal = json_string(first_line);
                server_message = Some(literal[1..literal.len() - 1].to_string());
            }
        }
    }

    let mut message_json = json_string(&format!("OWOX API request failed with {status} {status_text}"));
    message_json.pop();
    if let Some(inside) = server_message {
        message_json.push_str(": ");
        message_json.push_str(&inside);
    }
    let hint = if (300..400).contains(&status) {
        Some(redirect_hint(location))
    } else if looks_like_html(content_type, text) {
        Some(NOT_THE_API.to_string())
    } else {
        None
    };
    if let Some(hint) = hint {
        let literal = json_string(&hint);
        message_json.push_str(". ");
        message_json.push_str(&literal[1..literal.len() - 1]);
    }
    message_json.push('"');
    // A lone surrogate becomes U+FFFD here; the exact form reaches JavaScript as message_json.
    failure.message = body::decode_json_string(&message_json).into_owned();
    failure.message_json = Some(message_json);
    failure
}

pub const NOT_THE_API: &str =
    "The server answered with an HTML page: the API origin does not look like the OWOX Data Marts API (check it, and any proxy or captive portal on the way)";
pub const REFUSED_KEY: &str =
    "The token exchange refused the API key: check the API key id and secret (OWOX_API_KEY, or OWOX_API_KEY_ID and OWOX_API_KEY_SECRET)";

/// Where a redirect pointed, without its query (which may carry anything).
fn redirect_hint(location: Option<&str>) -> String {
    match location.map(|l| l.split(['?', '#']).next().unwrap_or_default().trim()).filter(|l| !l.is_empty()) {
        Some(target) => {
            format!("The server redirected to {target}; redirects are not followed, so check the API origin")
        }
        None => "The server answered with a redirect; redirects are not followed, so check the API origin".into(),
    }
}

/// The first few `errors[].message` strings of a validation failure's details, joined
/// (as the inside of a JSON string literal), at most about 300 bytes.
fn validation_reasons(details: &str) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Details<'a> {
        #[serde(borrow)]
        errors: Vec<&'a RawValue>,
    }
    #[derive(serde::Deserialize)]
    struct Reason<'a> {
        #[serde(borrow)]
        message: &'a RawValue,
    }
    const MOST: usize = 3;
    const BYTES: usize = 300;
    let parsed: Details = serde_json::from_str(details).ok()?;
    let messages: Vec<&str> = parsed
        .errors
        .iter()
        .filter_map(|e| serde_json::from_str::<Reason>(e.get()).ok())
        .map(|r| r.message.get())
        .filter(|m| is_non_empty_string(m))
        .map(|m| &m[1..m.len() - 1])
        .collect();
    if messages.is_empty() {
        return None;
    }
    let mut joined = String::new();
    let mut taken = 0;
    for inside in messages.iter().take(MOST) {
        if taken > 0 && joined.len() + inside.len() > BYTES {
            break;
        }
        if taken > 0 {
            joined.push_str("; ");
        }
        joined.push_str(inside);
        taken += 1;
    }
    let more = messages.len() - taken;
    if more > 0 {
        joined.push_str(&format!(" (and {more} more in details.errors)"));
    }
    Some(joined)
}

/// One JSON value of bounded nesting, or `None`.
fn json_value(text: &str) -> Option<&RawValue> {
    body::check_json(text).ok()?;
    serde_json::from_str::<&RawValue>(text).ok()
}

/// A NestJS validation `message` is an array of strings: joined with "; " as one message.
fn joined_strings(raw: &str) -> Option<String> {
    let items: Vec<&RawValue> = serde_json::from_str(raw).ok()?;
    let inside: Vec<&str> =
        items.iter().map(|i| i.get()).filter(|i| is_non_empty_string(i)).map(|i| &i[1..i.len() - 1]).collect();
    (!inside.is_empty() && inside.len() == items.len()).then(|| inside.join("; "))
}

fn looks_like_html(content_type: Option<&str>, text: &str) -> bool {
    content_type.is_some_and(|ct| ct.to_ascii_lowercase().contains("html"))
        || text.trim_start().get(..15).is_some_and(|start| {
            let start = start.to_ascii_lowercase();
            start.starts_with("<!doctype html") || start.starts_with("<html")
        })
}

/// Whether a JSON value's text is a string with at least one character.
fn is_non_empty_string(raw: &str) -> bool {
    raw.len() > 2 && raw.starts_with('"')
}

#[cfg(test)]
mod tests {
    use super::*;

    const JSON: Option<&str> = Some("application/json; charset=utf-8");

    /// A response with the standard reason phrase.
    fn map(status: u16, content_type: Option<&str>, body: &[u8], auth: bool) -> ApiFailure {
        from_http_error(HttpError { status, reason: None, content_type, location: None, body }, auth)
    }

    #[test]
    fn nest_validation_body_gives_code_details_and_message() {
        let body = br#"{"message":"Request validation failed","error":"Bad Request","statusCode":400,"details":{"errors":[{"message":"x"}]}}"#;
        let f = map(400, JSON, body, false);
        assert_eq!(f.message, "OWOX API request failed with 400 Bad Request: Request validation failed: x");
        let many = br#"{"message":"Request validation failed","details":{"errors":[{"message":"a"},{"message":"b \"q\""},{"message":"c"},{"message":"d"},{"path":"e"}]}}"#;
        let several = map(400, JSON, many, false);
        assert_eq!(
            several.message,
            r#"OWOX API request failed with 400 Bad Request: Request validation failed: a; b "q"; c (and 1 more in details.errors)"#
        );
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
        assert_eq!(f.message, format!("OWOX API request failed with 502 Bad Gateway. {NOT_THE_API}"));
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
            HttpError {
                status: 400,
                reason: None,
                content_type: Some("text/plain"),
                location: None,
                body: br#"{"message":"m"}"#,
            },
            false,
        );
        assert_eq!(f.message, "OWOX API request failed with 400 Bad Request");
        assert_eq!(f.details_json.as_deref(), Some(r#""{\"message\":\"m\"}""#));
    }

    #[test]
    fn the_servers_own_reason_phrase_is_used_and_an_empty_one_reads_http_error() {
        let with = |reason| {
            from_http_error(
                HttpError { status: 400, reason: Some(reason), content_type: None, location: None, body: b"" },
                false,
            )
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

    #[test]
    fn hints_name_redirect_targets_and_short_text_bodies_become_the_message() {
        let f = from_http_error(
            HttpError { status: 301, reason: None, content_type: None, location: Some("/login?next=x#y"), body: b"" },
            false,
        );
        assert!(f
            .message
            .ends_with("The server redirected to /login; redirects are not followed, so check the API origin"));
        let f = map(429, Some("text/plain; charset=utf-8"), b"\n  Too many requests, slow down  \nsecond", false);
        assert_eq!(f.message, "OWOX API request failed with 429 Too Many Requests: Too many requests, slow down");
        let f = map(400, JSON, br#"{"message":["a \"b\"","c"]}"#, false);
        assert_eq!(f.message, r#"OWOX API request failed with 400 Bad Request: a "b"; c"#);
        assert_eq!(f.message_json.as_deref(), Some(r#""OWOX API request failed with 400 Bad Request: a \"b\"; c""#));
    }

    #[test]
    fn redaction_reaches_every_server_string() {
        let body = br#"{"message":"got s3cr3t-value","code":"s3cr3t-value","details":{"echo":"s3cr3t-value"}}"#;
        let mut f = map(400, JSON, body, true);
        f.cause = Some("tls: s3cr3t-value".into());
        f.redact(&["s3cr3t-value"]);
        let all = format!("{f:?}");
        assert!(!all.contains("s3cr3t-value"), "{all}");
        assert_eq!(f.code.as_deref(), Some("[redacted]"));
    }

    proptest::proptest! {
        #[test]
        fn any_response_maps_without_panic_to_exact_json_or_text(
            status in 100u16..1000,
            body in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..300),
            content_type in proptest::option::of("(application/json|text/html|text/plain|application/problem\\+json)(; charset=utf-8)?"),
            reason in proptest::option::of(".{0,20}"),
        ) {
            let f = from_http_error(
                HttpError { status, reason: reason.as_deref(), content_type: content_type.as_deref(), location: None, body: &body },
                false,
            );
            proptest::prop_assert_eq!(f.status, Some(status));
            // Every JSON text handed to JavaScript parses.
            let message: String = serde_json::from_str(f.message_json.as_deref().unwrap()).unwrap();
            let prefix = format!("OWOX API request failed with {} ", status);
            proptest::prop_assert!(message.starts_with(&prefix), "{}", message);
            if let Some(details) = &f.details_json {
                let value: serde_json::Value = serde_json::from_str(details).unwrap();
                let (decoded, _) = body::decode(body.clone(), content_type.as_deref());
                if let Ok(parsed) = serde_json::from_str::<serde_json::Value>(&decoded.text) {
                    if decoded.says_json && !parsed.is_object() {
                        proptest::prop_assert_eq!(value, parsed);
                    }
                }
            }
            if let Some(code) = &f.code_json {
                let _: String = serde_json::from_str(code).unwrap();
            }
        }
    }
}
