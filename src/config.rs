//! Client options: where the credentials come from, the origin rules of the contract,
//! the `owox_key_` form, and the transport defaults.

use std::fmt;
use std::time::Duration;

use base64::alphabet::URL_SAFE;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine;

use crate::error::ClientError;

pub const DEFAULT_TIMEOUT_MS: f64 = 60_000.0;
pub const DEFAULT_MAX_RETRIES: u32 = 2;
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 64 * 1024 * 1024;
/// A single JSON response beyond this could not become one JavaScript string anyway.
const MAX_RESPONSE_BYTES_LIMIT: u64 = 1024 * 1024 * 1024;
/// Retrying more often than this only hammers a server that is already struggling.
const MAX_RETRIES_LIMIT: u32 = 10;
/// Timers above about 24 days overflow in many runtimes; nobody means that as a timeout.
const MAX_TIMEOUT_MS: f64 = 2_147_483_647.0;

/// A value that must never be printed: `Debug` and `Display` show a placeholder.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: String) -> Self {
        Secret(value)
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// What the JavaScript side hands over: the constructor options and the variables of
/// `process.env` that matter (read there, because worker threads have their own copy).
#[derive(Default, Debug)]
pub struct RawOptions {
    pub api_key: Option<Secret>,
    pub api_origin: Option<String>,
    pub api_key_id: Option<String>,
    pub api_key_secret: Option<Secret>,
    pub env_api_key: Option<Secret>,
    pub env_api_origin: Option<String>,
    pub env_api_key_id: Option<String>,
    pub env_api_key_secret: Option<Secret>,
    pub timeout_ms: Option<f64>,
    pub max_retries: Option<f64>,
    pub max_response_bytes: Option<f64>,
    pub user_agent: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    pub origin: String,
    pub key_id: String,
    pub secret: Secret,
}

#[derive(Debug, Clone)]
pub struct ClientConfig {
    pub credentials: Credentials,
    pub transport: TransportSettings,
}

/// Limits of one call; the client's values are the defaults of every call.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CallSettings {
    pub timeout: Duration,
    pub max_retries: u32,
}

#[derive(Debug, Clone)]
pub struct TransportSettings {
    pub call: CallSettings,
    pub max_response_bytes: u64,
    pub user_agent_suffix: Option<String>,
}

pub fn resolve(raw: RawOptions) -> Result<ClientConfig, ClientError> {
    let credentials = resolve_credentials(&raw)?;
    let call = CallSettings {
        timeout: timeout_from_ms(raw.timeout_ms.unwrap_or(DEFAULT_TIMEOUT_MS), "timeout")?,
        max_retries: max_retries_from(raw.max_retries.unwrap_or(DEFAULT_MAX_RETRIES as f64), "maxRetries")?,
    };
    let max_response_bytes = match raw.max_response_bytes {
        None => DEFAULT_MAX_RESPONSE_BYTES,
        Some(n) if n.is_finite() && n >= 1.0 && n.fract() == 0.0 && n <= MAX_RESPONSE_BYTES_LIMIT as f64 => n as u64,
        Some(_) => {
            return Err(config(&format!(
                "maxResponseBytes must be a whole number of bytes from 1 to {MAX_RESPONSE_BYTES_LIMIT}"
            )))
        }
    };
    let user_agent_suffix = match raw.user_agent {
        Some(ua) if ua.chars().any(|c| c.is_control()) => {
            return Err(config("userAgent must not contain control characters"))
        }
        Some(ua) if ua.trim().is_empty() => None,
        other => other.map(|ua| ua.trim().to_string()),
    };
    Ok(ClientConfig { credentials, transport: TransportSettings { call, max_response_bytes, user_agent_suffix } })
}

/// A per-call override on top of the client's settings.
pub fn call_settings(
    base: CallSettings,
    timeout_ms: Option<f64>,
    max_retries: Option<f64>,
) -> Result<CallSettings, ClientError> {
    Ok(CallSettings {
        timeout: match timeout_ms {
            Some(ms) => timeout_from_ms(ms, "timeout")?,
            None => base.timeout,
        },
        max_retries: match max_retries {
            Some(n) => max_retries_from(n, "maxRetries")?,
            None => base.max_retries,
        },
    })
}

fn timeout_from_ms(ms: f64, name: &str) -> Result<Duration, ClientError> {
    if ms.is_finite() && ms > 0.0 && ms <= MAX_TIMEOUT_MS {
        Ok(Duration::from_secs_f64(ms / 1000.0))
    } else {
        Err(config(&format!("{name} must be a positive number of milliseconds (at most {MAX_TIMEOUT_MS})")))
    }
}

fn max_retries_from(n: f64, name: &str) -> Result<u32, ClientError> {
    if n.is_finite() && n >= 0.0 && n.fract() == 0.0 && n <= MAX_RETRIES_LIMIT as f64 {
        Ok(n as u32)
    } else {
        Err(config(&format!("{name} must be a whole number from 0 to {MAX_RETRIES_LIMIT}")))
    }
}

fn config(message: &str) -> ClientError {
    ClientError::Config(message.to_string())
}

/// Explicit options win over the environment; `apiKey` wins over the three-value form,
/// as in the original client.
fn resolve_credentials(raw: &RawOptions) -> Result<Credentials, ClientError> {
    if let Some(key) = &raw.api_key {
        return parse_api_key(key.expose());
    }
    let explicit = raw.api_origin.is_some() || raw.api_key_id.is_some() || raw.api_key_secret.is_some();
    if explicit {
        return from_parts(raw.api_origin.as_deref(), raw.api_key_id.as_deref(), raw.api_key_secret.as_ref());
    }
    if let Some(key) = raw.env_api_key.as_ref().filter(|k| !k.expose().trim().is_empty()) {
        return parse_api_key(key.expose());
    }
    let env_any = raw.env_api_origin.is_some() || raw.env_api_key_id.is_some() || raw.env_api_key_secret.is_some();
    if env_any {
        return from_parts(
            raw.env_api_origin.as_deref(),
            raw.env_api_key_id.as_deref(),
            raw.env_api_key_secret.as_ref(),
        );
    }
    Err(config(
        "OWOX credentials are missing: set OWOX_API_KEY (the owox_key_... value), or OWOX_API_ORIGIN, \
         OWOX_API_KEY_ID and OWOX_API_KEY_SECRET, or pass { apiKey } or { apiOrigin, apiKeyId, apiKeySecret } \
         to new OWOXApiClient()",
    ))
}

fn from_parts(origin: Option<&str>, key_id: Option<&str>, secret: Option<&Secret>) -> Result<Credentials, ClientError> {
    let origin = normalize_origin(origin.unwrap_or(""))?;
    let key_id =
        key_id.map(str::trim).filter(|s| !s.is_empty()).ok_or_else(|| config("OWOX API key id is required"))?;
    let secret = secret
        .map(|s| s.expose().trim())
        .filter(|s| !s.is_empty())
        .ok_or_else(|| config("OWOX API key secret is required"))?;
    Ok(Credentials { origin, key_id: key_id.to_string(), secret: Secret::new(secret.to_string()) })
}

/// Why an origin was refused; each variant maps to one message of the contract.
#[derive(Debug, PartialEq, Eq)]
enum OriginProblem {
    Blank,
    NotUrl,
    NotHttp,
    NotBare,
}

fn check_origin(input: &str) -> Result<String, OriginProblem> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err(OriginProblem::Blank);
    }
    let url = url::Url::parse(trimmed).map_err(|_| OriginProblem::NotUrl)?;
    if url.scheme() != "http" && url.scheme() != "https" {
        return Err(OriginProblem::NotHttp);
    }
    // WHATWG URL treats an empty `?` or `#` as no query or fragment at all.
    let has_query = url.query().is_some_and(|q| !q.is_empty());
    let has_fragment = url.fragment().is_some_and(|f| !f.is_empty());
    if !url.username().is_empty() || url.password().is_some() || has_query || has_fragment || url.path() != "/" {
        return Err(OriginProblem::NotBare);
    }
    if url.host().is_none() {
        return Err(OriginProblem::NotUrl);
    }
    Ok(url.origin().ascii_serialization())
}

pub fn normalize_origin(input: &str) -> Result<String, ClientError> {
    check_origin(input).map_err(|problem| {
        config(match problem {
            OriginProblem::Blank => "OWOX API origin is required",
            OriginProblem::NotUrl => "OWOX API origin must be a valid http or https URL",
            OriginProblem::NotHttp => "OWOX API origin must use http or https",
            OriginProblem::NotBare => "OWOX API origin must include only scheme, host, and optional port",
        })
    })
}

const KEY_PREFIX: &str = "owox_key_";

/// Unpadded base64url that, like the original client, tolerates non-zero trailing bits.
const LENIENT_BASE64URL: GeneralPurpose = GeneralPurpose::new(
    &URL_SAFE,
    GeneralPurposeConfig::new()
        .with_decode_allow_trailing_bits(true)
        .with_decode_padding_mode(DecodePaddingMode::RequireNone),
);

/// Parses the `owox_key_<base64url JSON>` form. No message mentions the key's content.
pub fn parse_api_key(key: &str) -> Result<Credentials, ClientError> {
    let payload = key
        .trim()
        .strip_prefix(KEY_PREFIX)
        .ok_or_else(|| config("OWOX_API_KEY is required and must start with owox_key_"))?;
    if payload.is_empty() || !payload.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
        return Err(config("OWOX_API_KEY must contain a valid base64url payload"));
    }
    let invalid_json = || config("OWOX_API_KEY must contain a valid JSON payload");
    let bytes = LENIENT_BASE64URL.decode(payload).map_err(|_| invalid_json())?;
    let value: serde_json::Value = serde_json::from_slice(&bytes).map_err(|_| invalid_json())?;
    let object = value.as_object().ok_or_else(|| config("OWOX_API_KEY must contain a JSON object"))?;
    let field = |name: &str| {
        object.get(name).and_then(|v| v.as_str()).map(str::trim).filter(|s| !s.is_empty()).map(str::to_string)
    };
    let (Some(origin), Some(key_id), Some(secret)) = (field("apiOrigin"), field("apiKeyId"), field("apiKeySecret"))
    else {
        return Err(config("OWOX_API_KEY must include apiOrigin, apiKeyId, and apiKeySecret"));
    };
    let origin =
        check_origin(&origin).map_err(|_| config("OWOX_API_KEY apiOrigin must be a valid http or https origin"))?;
    Ok(Credentials { origin, key_id, secret: Secret::new(secret) })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(result: Result<impl fmt::Debug, ClientError>) -> String {
        match result {
            Err(ClientError::Config(m)) => m,
            other => panic!("expected a config error, got {other:?}"),
        }
    }

    fn encode(json: &str) -> String {
        format!("owox_key_{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json))
    }

    #[test]
    fn origin_is_normalized_like_whatwg_url_origin() {
        assert_eq!(normalize_origin("  HTTPS://App.OWOX.com:443/ ").unwrap(), "https://app.owox.com");
        assert_eq!(normalize_origin("http://127.0.0.1:8080").unwrap(), "http://127.0.0.1:8080");
        assert_eq!(normalize_origin("http://[::1]:80").unwrap(), "http://[::1]");
        assert_eq!(normalize_origin("https://x.io?#").unwrap(), "https://x.io");
    }

    #[test]
    fn origin_rules_have_the_contract_messages() {
        assert_eq!(message(normalize_origin("  ")), "OWOX API origin is required");
        assert_eq!(message(normalize_origin("app.owox.com")), "OWOX API origin must be a valid http or https URL");
        assert_eq!(message(normalize_origin("http://")), "OWOX API origin must be a valid http or https URL");
        assert_eq!(message(normalize_origin("ftp://app.owox.com")), "OWOX API origin must use http or https");
        for bad in ["https://u:p@x.io", "https://x.io/api", "https://x.io?a=1", "https://x.io#top", "https://u@x.io"] {
            assert_eq!(
                message(normalize_origin(bad)),
                "OWOX API origin must include only scheme, host, and optional port",
                "{bad}"
            );
        }
    }

    #[test]
    fn api_key_form_round_trips() {
        let key = encode(r#"{"apiOrigin":" https://App.owox.com/ ","apiKeyId":" pmk_a ","apiKeySecret":"s3cret"}"#);
        let c = parse_api_key(&key).unwrap();
        assert_eq!(c.origin, "https://app.owox.com");
        assert_eq!(c.key_id, "pmk_a");
        assert_eq!(c.secret.expose(), "s3cret");
    }

    #[test]
    fn api_key_tolerates_trailing_bits_but_not_impossible_lengths() {
        let key = encode(r#"{"apiOrigin":"https://a.io","apiKeyId":"i","apiKeySecret":"s"}"#);
        // Flip the low bits of the last char: still decodes to the same bytes.
        let mut tweaked = key.clone();
        let last = tweaked.pop().unwrap();
        let alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        let idx = alphabet.find(last).unwrap();
        tweaked.push(alphabet.as_bytes()[idx | 1] as char);
        assert!(parse_api_key(&tweaked).is_ok());
        assert_eq!(message(parse_api_key("owox_key_AAAAA")), "OWOX_API_KEY must contain a valid JSON payload");
    }

    #[test]
    fn api_key_failures_have_the_contract_messages_and_never_echo_the_key() {
        let cases = [
            ("", "OWOX_API_KEY is required and must start with owox_key_"),
            ("pmk_abc", "OWOX_API_KEY is required and must start with owox_key_"),
            ("owox_key_", "OWOX_API_KEY must contain a valid base64url payload"),
            ("owox_key_abc+def", "OWOX_API_KEY must contain a valid base64url payload"),
            ("owox_key_abc=", "OWOX_API_KEY must contain a valid base64url payload"),
            (&encode("not json") as &str, "OWOX_API_KEY must contain a valid JSON payload"),
            (&encode("[1,2]"), "OWOX_API_KEY must contain a JSON object"),
            (&encode("\"s\""), "OWOX_API_KEY must contain a JSON object"),
            (
                &encode(r#"{"apiOrigin":"https://a.io","apiKeyId":"i"}"#),
                "OWOX_API_KEY must include apiOrigin, apiKeyId, and apiKeySecret",
            ),
            (
                &encode(r#"{"apiOrigin":"https://a.io","apiKeyId":"i","apiKeySecret":"  "}"#),
                "OWOX_API_KEY must include apiOrigin, apiKeyId, and apiKeySecret",
            ),
            (
                &encode(r#"{"apiOrigin":"https://a.io","apiKeyId":7,"apiKeySecret":"s"}"#),
                "OWOX_API_KEY must include apiOrigin, apiKeyId, and apiKeySecret",
            ),
            (
                &encode(r#"{"apiOrigin":"https://a.io/x","apiKeyId":"i","apiKeySecret":"topsecret"}"#),
                "OWOX_API_KEY apiOrigin must be a valid http or https origin",
            ),
            (
                &encode(r#"{"apiOrigin":"ftp://a.io","apiKeyId":"i","apiKeySecret":"topsecret"}"#),
                "OWOX_API_KEY apiOrigin must be a valid http or https origin",
            ),
        ];
        for (key, expected) in cases {
            let m = message(parse_api_key(key));
            assert_eq!(m, expected, "{key}");
            assert!(!m.contains("topsecret"));
        }
    }

    #[test]
    fn explicit_options_win_then_env_key_then_env_triple() {
        let env_key = encode(r#"{"apiOrigin":"https://env-key.io","apiKeyId":"k","apiKeySecret":"s"}"#);
        let mut raw = RawOptions {
            env_api_key: Some(Secret::new(env_key)),
            env_api_origin: Some("https://env-triple.io".into()),
            env_api_key_id: Some("id".into()),
            env_api_key_secret: Some(Secret::new("sec".into())),
            ..Default::default()
        };
        raw.api_origin = Some("https://explicit.io".into());
        raw.api_key_id = Some("pmk_x".into());
        raw.api_key_secret = Some(Secret::new("y".into()));
        assert_eq!(resolve_credentials(&raw).unwrap().origin, "https://explicit.io");
        raw.api_origin = None;
        raw.api_key_id = None;
        raw.api_key_secret = None;
        assert_eq!(resolve_credentials(&raw).unwrap().origin, "https://env-key.io");
        raw.env_api_key = None;
        assert_eq!(resolve_credentials(&raw).unwrap().origin, "https://env-triple.io");
    }

    #[test]
    fn missing_credentials_name_the_variables() {
        let m = message(resolve(RawOptions::default()).map(|_| ()));
        for var in ["OWOX_API_KEY", "OWOX_API_ORIGIN", "OWOX_API_KEY_ID", "OWOX_API_KEY_SECRET"] {
            assert!(m.contains(var), "{m}");
        }
    }

    #[test]
    fn transport_options_are_checked() {
        let base = || RawOptions {
            api_origin: Some("http://127.0.0.1:1".into()),
            api_key_id: Some("i".into()),
            api_key_secret: Some(Secret::new("s".into())),
            ..Default::default()
        };
        let ok = resolve(base()).unwrap();
        assert_eq!(ok.transport.call, CallSettings { timeout: Duration::from_secs(60), max_retries: 2 });
        for bad in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            assert!(resolve(RawOptions { timeout_ms: Some(bad), ..base() }).is_err());
        }
        for bad in [-1.0, 1.5, 11.0] {
            assert!(resolve(RawOptions { max_retries: Some(bad), ..base() }).is_err());
        }
        assert!(resolve(RawOptions { user_agent: Some("a\r\nb".into()), ..base() }).is_err());
        for bad in [0.0, 1.5, 2f64.powi(53), 2f64.powi(64)] {
            assert!(resolve(RawOptions { max_response_bytes: Some(bad), ..base() }).is_err());
        }
        let call = call_settings(ok.transport.call, Some(250.0), Some(0.0)).unwrap();
        assert_eq!(call, CallSettings { timeout: Duration::from_millis(250), max_retries: 0 });
    }

    #[test]
    fn secrets_do_not_print() {
        let c = Credentials { origin: "o".into(), key_id: "i".into(), secret: Secret::new("hunter2".into()) };
        assert!(!format!("{c:?}").contains("hunter2"));
    }
}
