//! Client options: where the credentials come from, the origin rules of the contract,
//! the `owox_key_` form, and the transport defaults.

use std::collections::HashMap;
use std::fmt;
use std::time::Duration;

use base64::alphabet::URL_SAFE;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine;

use crate::error::ClientError;
use crate::proxy::ProxySettings;

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
    /// The proxy variables of `process.env` (`HTTP_PROXY`, `no_proxy`, ...), by name.
    pub proxy_env: HashMap<String, String>,
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
    pub proxy: ProxySettings,
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
    let proxy = ProxySettings::from_env(&raw.proxy_env);
    proxy.check(&credentials.origin)?;
    Ok(ClientConfig {
        credentials,
        transport: TransportSettings { call, max_response_bytes, user_agent_suffix, proxy },
    })
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

/// Where a credential value was found, so a message can say what to fix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    Option,
    Env,
}

/// One of the three values of the three-value form, and where each of its spellings lives.
struct PartName {
    what: &'static str,
    option: &'static str,
    variable: &'static str,
}

const ORIGIN: PartName = PartName { what: "origin", option: "apiOrigin", variable: "OWOX_API_ORIGIN" };
const KEY_ID: PartName = PartName { what: "key id", option: "apiKeyId", variable: "OWOX_API_KEY_ID" };
const SECRET: PartName = PartName { what: "key secret", option: "apiKeySecret", variable: "OWOX_API_KEY_SECRET" };

/// Which credentials the client uses:
///
/// 1. `apiKey` alone. It already holds the origin, key id and secret, so passing it together
///    with `apiOrigin`, `apiKeyId` or `apiKeySecret` is refused: either value could be the
///    one meant, and sending the secret to an origin it was not issued for is not a guess
///    to make silently.
/// 2. Any of `apiOrigin`, `apiKeyId`, `apiKeySecret`: each one not passed is read from its
///    own variable (`OWOX_API_ORIGIN`, ...), the way openai-node's `baseURL` and `apiKey`
///    options each default to their variable. `OWOX_API_KEY` cannot fill a gap (it carries
///    its own origin), so that mix is refused with a message saying so.
/// 3. No credential option: `OWOX_API_KEY`, else the three variables.
fn resolve_credentials(raw: &RawOptions) -> Result<Credentials, ClientError> {
    let passed: Vec<&str> = [
        (raw.api_origin.is_some(), ORIGIN.option),
        (raw.api_key_id.is_some(), KEY_ID.option),
        (raw.api_key_secret.is_some(), SECRET.option),
    ]
    .into_iter()
    .filter_map(|(given, name)| given.then_some(name))
    .collect();
    if let Some(key) = &raw.api_key {
        if !passed.is_empty() {
            return Err(config(&format!(
                "Pass either apiKey or apiOrigin, apiKeyId and apiKeySecret, not both: apiKey already holds the \
                 origin, key id and secret (got apiKey together with {})",
                join_and(&passed)
            )));
        }
        return parse_key(key.expose(), Source::Option);
    }
    let env_key = raw.env_api_key.as_ref().filter(|k| !k.expose().trim().is_empty());
    if !passed.is_empty() {
        let origin = part(raw.api_origin.as_deref(), raw.env_api_origin.as_deref());
        let key_id = part(raw.api_key_id.as_deref(), raw.env_api_key_id.as_deref());
        let secret =
            part(raw.api_key_secret.as_ref().map(Secret::expose), raw.env_api_key_secret.as_ref().map(Secret::expose));
        let missing = missing_parts(&origin, &key_id, &secret);
        if env_key.is_some() && !missing.is_empty() {
            let missing_options: Vec<&str> = missing.iter().map(|p| p.option).collect();
            let missing_vars: Vec<&str> = missing.iter().map(|p| p.variable).collect();
            return Err(config(&format!(
                "{} passed without {}, and OWOX_API_KEY cannot fill the gap (it holds its own origin, key id and \
                 secret): pass {} too (or set {}), or pass no credential options so that OWOX_API_KEY is used",
                passed_phrase(&passed),
                join_and(&missing_options),
                join_and(&missing_options),
                join_and(&missing_vars)
            )));
        }
        return from_parts(origin, key_id, secret, Source::Option);
    }
    if let Some(key) = env_key {
        return parse_key(key.expose(), Source::Env);
    }
    let env_any = raw.env_api_origin.is_some() || raw.env_api_key_id.is_some() || raw.env_api_key_secret.is_some();
    if env_any {
        return from_parts(
            part(None, raw.env_api_origin.as_deref()),
            part(None, raw.env_api_key_id.as_deref()),
            part(None, raw.env_api_key_secret.as_ref().map(Secret::expose)),
            Source::Env,
        );
    }
    Err(config(
        "OWOX credentials are missing: set OWOX_API_KEY (the owox_key_... value), or OWOX_API_ORIGIN, \
         OWOX_API_KEY_ID and OWOX_API_KEY_SECRET, or pass { apiKey } or { apiOrigin, apiKeyId, apiKeySecret } \
         to new OWOXApiClient()",
    ))
}

/// The parts with no value, in the order origin, key id, secret.
fn missing_parts(
    origin: &Option<(&str, Source)>,
    key_id: &Option<(&str, Source)>,
    secret: &Option<(&str, Source)>,
) -> Vec<&'static PartName> {
    [(origin.is_none(), &ORIGIN), (key_id.is_none(), &KEY_ID), (secret.is_none(), &SECRET)]
        .into_iter()
        .filter_map(|(missing, name)| missing.then_some(name))
        .collect()
}

/// The option's value when it was passed, else the variable's.
fn part<'a>(option: Option<&'a str>, variable: Option<&'a str>) -> Option<(&'a str, Source)> {
    option.map(|v| (v, Source::Option)).or_else(|| variable.map(|v| (v, Source::Env)))
}

fn join_and(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => one.to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

fn passed_phrase(passed: &[&str]) -> String {
    format!("{} {}", join_and(passed), if passed.len() == 1 { "was" } else { "were" })
}

/// Checks the three values; `path` says whether options or only the environment were used,
/// which decides what a message tells the user to set.
fn from_parts(
    origin: Option<(&str, Source)>,
    key_id: Option<(&str, Source)>,
    secret: Option<(&str, Source)>,
    path: Source,
) -> Result<Credentials, ClientError> {
    let missing = missing_parts(&origin, &key_id, &secret);
    if !missing.is_empty() {
        let whats: Vec<&str> = missing.iter().map(|p| p.what).collect();
        let options: Vec<&str> = missing.iter().map(|p| p.option).collect();
        let variables: Vec<&str> = missing.iter().map(|p| p.variable).collect();
        let verb = if missing.len() == 1 { "is" } else { "are" };
        let fix = match path {
            Source::Option => format!("pass {} or set {}", join_and(&options), join_and(&variables)),
            Source::Env => format!("set {}", join_and(&variables)),
        };
        return Err(config(&format!("OWOX API {} {verb} required: {fix}", join_and(&whats))));
    }
    let (Some((origin, origin_source)), Some(key_id), Some(secret)) = (origin, key_id, secret) else {
        return Err(config("OWOX API origin, key id and key secret are required"));
    };
    // The origin first, as before the environment could fill gaps.
    if origin.trim().is_empty() {
        return Err(blank(&ORIGIN, origin_source));
    }
    let variable = (origin_source == Source::Env).then_some(ORIGIN.variable);
    let origin =
        check_origin(origin).map_err(|problem| origin_error(origin, problem, variable, Some(secret.0.trim())))?;
    let key_id = non_blank(key_id, &KEY_ID)?;
    let secret = non_blank(secret, &SECRET)?;
    Ok(Credentials { origin, key_id: key_id.to_string(), secret: Secret::new(secret.to_string()) })
}

fn non_blank<'a>((value, source): (&'a str, Source), name: &PartName) -> Result<&'a str, ClientError> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        Err(blank(name, source))
    } else {
        Ok(trimmed)
    }
}

fn blank(name: &PartName, source: Source) -> ClientError {
    match source {
        Source::Option => config(&format!("OWOX API {} is required: the {} option is blank", name.what, name.option)),
        Source::Env => config(&format!("OWOX API {} is required: {} is blank", name.what, name.variable)),
    }
}

/// Why an origin was refused; each variant maps to one message of the contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OriginProblem {
    Blank,
    NotUrl,
    NotHttp,
    NotBare,
}

impl OriginProblem {
    fn message(self) -> &'static str {
        match self {
            OriginProblem::Blank => "OWOX API origin is required",
            OriginProblem::NotUrl => "OWOX API origin must be a valid http or https URL",
            OriginProblem::NotHttp => "OWOX API origin must use http or https",
            OriginProblem::NotBare => "OWOX API origin must include only scheme, host, and optional port",
        }
    }
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

/// The contract's message, where the value came from when it was the environment, and a
/// suggestion when one is clear. `secret` keeps a pasted secret out of a suggestion.
fn origin_error(input: &str, problem: OriginProblem, variable: Option<&str>, secret: Option<&str>) -> ClientError {
    let mut message = problem.message().to_string();
    if let Some(variable) = variable {
        message.push_str(&format!(" (read from {variable})"));
    }
    let trimmed = input.trim();
    if trimmed.starts_with(KEY_PREFIX) {
        message.push_str("; that value is an owox_key_... API key: pass it as apiKey (or set OWOX_API_KEY)");
    } else if let Some(suggestion) = suggest_origin(trimmed) {
        // A secret pasted into the origin field must not come back as a host name.
        let pasted_secret = secret.is_some_and(|s| !s.is_empty() && trimmed.to_lowercase().contains(&s.to_lowercase()));
        if !pasted_secret {
            message.push_str(&format!("; did you mean {suggestion}?"));
        }
    }
    config(&message)
}

/// The origin a refused value most likely meant: `app.owox.com` -> `https://app.owox.com`,
/// `localhost:3000` -> `http://localhost:3000`, `https://app.owox.com/api` ->
/// `https://app.owox.com`. Only for something that reads as a host name (it has a dot, is
/// `localhost` or is an IP address), so random text is never echoed as a host.
fn suggest_origin(input: &str) -> Option<String> {
    let with_scheme = if let Some(rest) = input.strip_prefix("//") {
        format!("https://{rest}")
    } else if input.contains("://") {
        input.to_string()
    } else {
        format!("https://{input}")
    };
    let mut url = url::Url::parse(&with_scheme).ok()?;
    if url.scheme() != "http" && url.scheme() != "https" {
        return None;
    }
    let host = url.host()?.to_owned();
    let local = match &host {
        url::Host::Domain(name) => {
            let name = name.trim_end_matches('.');
            if name != "localhost" && !name.ends_with(".localhost") && !name.contains('.') {
                return None;
            }
            name == "localhost" || name.ends_with(".localhost")
        }
        url::Host::Ipv4(ip) => ip.is_loopback() || ip.is_private() || ip.is_link_local() || ip.is_unspecified(),
        url::Host::Ipv6(ip) => ip.is_loopback() || ip.is_unspecified(),
    };
    // A value typed without a scheme: loopback and private addresses (and port 80) are
    // usually plain http, anything else the https of a hosted server.
    if !input.contains("://") && (local || url.port() == Some(80)) && url.port() != Some(443) {
        url.set_scheme("http").ok()?;
    }
    let origin = url.origin().ascii_serialization();
    (origin != "null").then_some(origin)
}

const KEY_PREFIX: &str = "owox_key_";

/// Unpadded base64url that, like the original client, tolerates non-zero trailing bits.
const LENIENT_BASE64URL: GeneralPurpose = GeneralPurpose::new(
    &URL_SAFE,
    GeneralPurposeConfig::new()
        .with_decode_allow_trailing_bits(true)
        .with_decode_padding_mode(DecodePaddingMode::RequireNone),
);

/// Parses the `owox_key_<base64url JSON>` form with the contract's messages, which name
/// `OWOX_API_KEY` (as the original client's `parseOWOXApiKey` does).
pub fn parse_api_key(key: &str) -> Result<Credentials, ClientError> {
    parse_key(key, Source::Env)
}

/// Why a key was refused; each variant maps to one message of the contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KeyProblem {
    Prefix,
    Base64,
    Json,
    NotObject,
    Fields,
    Origin,
}

/// The contract's message for the variable; for the `apiKey` option the same sentence
/// names the option, so a bad option never sends the user looking at `OWOX_API_KEY`.
fn key_error(problem: KeyProblem, source: Source) -> ClientError {
    let name = match source {
        Source::Env => "OWOX_API_KEY",
        Source::Option => "The apiKey option",
    };
    config(&match (problem, source) {
        (KeyProblem::Prefix, Source::Env) => "OWOX_API_KEY is required and must start with owox_key_".to_string(),
        (KeyProblem::Prefix, Source::Option) => {
            "The apiKey option must be the whole owox_key_... value and start with owox_key_".to_string()
        }
        (KeyProblem::Base64, _) => format!("{name} must contain a valid base64url payload"),
        (KeyProblem::Json, _) => format!("{name} must contain a valid JSON payload"),
        (KeyProblem::NotObject, _) => format!("{name} must contain a JSON object"),
        (KeyProblem::Fields, _) => format!("{name} must include apiOrigin, apiKeyId, and apiKeySecret"),
        (KeyProblem::Origin, Source::Env) => "OWOX_API_KEY apiOrigin must be a valid http or https origin".to_string(),
        (KeyProblem::Origin, Source::Option) => {
            "The apiKey option's apiOrigin must be a valid http or https origin".to_string()
        }
    })
}

/// No message mentions the key's content.
fn parse_key(key: &str, source: Source) -> Result<Credentials, ClientError> {
    let fail = |problem| key_error(problem, source);
    let payload = key.trim().strip_prefix(KEY_PREFIX).ok_or_else(|| fail(KeyProblem::Prefix))?;
    if payload.is_empty() || !payload.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
        return Err(fail(KeyProblem::Base64));
    }
    let bytes = LENIENT_BASE64URL.decode(payload).map_err(|_| fail(KeyProblem::Json))?;
    let value: serde_json::Value = serde_json::from_slice(&bytes).map_err(|_| fail(KeyProblem::Json))?;
    let object = value.as_object().ok_or_else(|| fail(KeyProblem::NotObject))?;
    let field = |name: &str| {
        object.get(name).and_then(|v| v.as_str()).map(str::trim).filter(|s| !s.is_empty()).map(str::to_string)
    };
    let (Some(origin), Some(key_id), Some(secret)) = (field("apiOrigin"), field("apiKeyId"), field("apiKeySecret"))
    else {
        return Err(fail(KeyProblem::Fields));
    };
    let origin = check_origin(&origin).map_err(|_| fail(KeyProblem::Origin))?;
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

    /// An origin checked on its own: the contract's message and a suggestion, no source.
    fn normalize_origin(input: &str) -> Result<String, ClientError> {
        check_origin(input).map_err(|problem| origin_error(input, problem, None, None))
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
        assert_eq!(message(normalize_origin("http://")), "OWOX API origin must be a valid http or https URL");
        assert_eq!(message(normalize_origin("ftp://app.owox.com")), "OWOX API origin must use http or https");
        for bad in ["https://u:p@x.io", "https://x.io/api", "https://x.io?a=1", "https://x.io#top", "https://u@x.io"] {
            let m = message(normalize_origin(bad));
            assert!(m.starts_with("OWOX API origin must include only scheme, host, and optional port"), "{m}");
            assert!(m.ends_with("; did you mean https://x.io?") && !m.contains("u:p") && !m.contains("a=1"), "{m}");
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

    fn triple(origin: &str) -> RawOptions {
        RawOptions {
            api_origin: Some(origin.into()),
            api_key_id: Some("pmk_x".into()),
            api_key_secret: Some(Secret::new("s3cr3t-value".into())),
            ..Default::default()
        }
    }

    #[test]
    fn an_origin_without_a_scheme_suggests_one() {
        let cases = [
            ("app.owox.com", "OWOX API origin must be a valid http or https URL; did you mean https://app.owox.com?"),
            ("app.owox.com/", "OWOX API origin must be a valid http or https URL; did you mean https://app.owox.com?"),
            ("//app.owox.com", "OWOX API origin must be a valid http or https URL; did you mean https://app.owox.com?"),
            ("localhost:3000", "OWOX API origin must use http or https; did you mean http://localhost:3000?"),
            (
                "127.0.0.1:8080",
                "OWOX API origin must be a valid http or https URL; did you mean http://127.0.0.1:8080?",
            ),
            ("owox.example.com:443", "OWOX API origin must use http or https; did you mean https://owox.example.com?"),
            ("owox.example.com:80", "OWOX API origin must use http or https; did you mean http://owox.example.com?"),
            (
                "https://app.owox.com/api",
                "OWOX API origin must include only scheme, host, and optional port; did you mean https://app.owox.com?",
            ),
            (
                "https://user:pw@app.owox.com",
                "OWOX API origin must include only scheme, host, and optional port; did you mean https://app.owox.com?",
            ),
        ];
        for (input, expected) in cases {
            assert_eq!(message(resolve(triple(input)).map(|_| ())), expected, "{input}");
        }
        // Nothing that does not read as a host is echoed back.
        for input in ["pmk_notahost", "s3cr3t-value.x", "ftp://app.owox.com", "https://exa mple.com", "   "] {
            assert!(!message(resolve(triple(input)).map(|_| ())).contains("did you mean"), "{input}");
        }
        let pasted_secret = RawOptions { api_origin: Some("s3cr3t-value.example.com".into()), ..triple("x") };
        let m = message(resolve(pasted_secret).map(|_| ()));
        assert!(!m.contains("s3cr3t-value"), "{m}");
        let pasted_key = encode(r#"{"apiOrigin":"https://a.io","apiKeyId":"i","apiKeySecret":"s"}"#);
        let m = message(resolve(triple(&pasted_key)).map(|_| ()));
        assert!(m.contains("pass it as apiKey") && !m.contains(&pasted_key), "{m}");
    }

    #[test]
    fn messages_name_the_variable_when_the_environment_was_used() {
        let env = |origin: Option<&str>, id: Option<&str>, secret: Option<&str>| RawOptions {
            env_api_origin: origin.map(Into::into),
            env_api_key_id: id.map(Into::into),
            env_api_key_secret: secret.map(|s| Secret::new(s.into())),
            ..Default::default()
        };
        let m = message(resolve(env(Some("https://a.io"), Some("pmk_x"), None)).map(|_| ()));
        assert_eq!(m, "OWOX API key secret is required: set OWOX_API_KEY_SECRET");
        let m = message(resolve(env(Some("https://a.io"), None, Some("s"))).map(|_| ()));
        assert_eq!(m, "OWOX API key id is required: set OWOX_API_KEY_ID");
        let m = message(resolve(env(None, Some("pmk_x"), Some("s"))).map(|_| ()));
        assert_eq!(m, "OWOX API origin is required: set OWOX_API_ORIGIN");
        let m = message(resolve(env(Some("https://a.io"), None, None)).map(|_| ()));
        assert_eq!(m, "OWOX API key id and key secret are required: set OWOX_API_KEY_ID and OWOX_API_KEY_SECRET");
        let m = message(resolve(env(Some("https://a.io"), Some("pmk_x"), Some("  "))).map(|_| ()));
        assert_eq!(m, "OWOX API key secret is required: OWOX_API_KEY_SECRET is blank");
        let m = message(resolve(env(Some("app.owox.com"), Some("pmk_x"), Some("s"))).map(|_| ()));
        assert_eq!(
            m,
            "OWOX API origin must be a valid http or https URL (read from OWOX_API_ORIGIN); did you mean \
             https://app.owox.com?"
        );
        // Options: the option names, and the variable that could have supplied the value.
        let m = message(resolve(RawOptions { api_key_secret: None, ..triple("https://a.io") }).map(|_| ()));
        assert_eq!(m, "OWOX API key secret is required: pass apiKeySecret or set OWOX_API_KEY_SECRET");
        let m = message(resolve(RawOptions { api_key_id: Some(" ".into()), ..triple("https://a.io") }).map(|_| ()));
        assert_eq!(m, "OWOX API key id is required: the apiKeyId option is blank");
        let m = message(resolve(triple("")).map(|_| ()));
        assert_eq!(m, "OWOX API origin is required: the apiOrigin option is blank");
    }

    #[test]
    fn a_bad_api_key_option_names_the_option_and_the_variable_keeps_the_contract_message() {
        let bad_keys = [
            ("pmk_abc".to_string(), KeyProblem::Prefix),
            ("owox_key_a+b".to_string(), KeyProblem::Base64),
            (encode("nope"), KeyProblem::Json),
            (encode("[1]"), KeyProblem::NotObject),
            (encode(r#"{"apiOrigin":"https://a.io"}"#), KeyProblem::Fields),
            (encode(r#"{"apiOrigin":"a.io","apiKeyId":"i","apiKeySecret":"s"}"#), KeyProblem::Origin),
        ];
        for (key, problem) in bad_keys {
            let option = message(
                resolve(RawOptions { api_key: Some(Secret::new(key.clone())), ..Default::default() }).map(|_| ()),
            );
            assert!(option.starts_with("The apiKey option"), "{option}");
            assert!(!option.contains("OWOX_API_KEY"), "{option}");
            let env = message(
                resolve(RawOptions { env_api_key: Some(Secret::new(key.clone())), ..Default::default() }).map(|_| ()),
            );
            assert_eq!(env, message(parse_api_key(&key).map(|_| ())), "the variable keeps the contract's message");
            assert_eq!(env, message(Err::<(), _>(key_error(problem, Source::Env))));
            assert!(env.starts_with("OWOX_API_KEY"), "{env}");
        }
    }

    #[test]
    fn missing_parts_of_the_three_value_form_come_from_their_variables() {
        let raw = RawOptions {
            api_origin: Some("http://localhost:3000".into()),
            env_api_key_id: Some("pmk_env".into()),
            env_api_key_secret: Some(Secret::new("env-secret".into())),
            env_api_origin: Some("https://ignored.io".into()),
            ..Default::default()
        };
        let c = resolve_credentials(&raw).unwrap();
        assert_eq!(
            (c.origin.as_str(), c.key_id.as_str(), c.secret.expose()),
            ("http://localhost:3000", "pmk_env", "env-secret")
        );
        let raw = RawOptions {
            api_key_id: Some("pmk_opt".into()),
            api_key_secret: Some(Secret::new("opt".into())),
            env_api_origin: Some("https://env.io".into()),
            env_api_key_id: Some("pmk_env".into()),
            ..Default::default()
        };
        let c = resolve_credentials(&raw).unwrap();
        assert_eq!((c.origin.as_str(), c.key_id.as_str(), c.secret.expose()), ("https://env.io", "pmk_opt", "opt"));
        let m =
            message(resolve_credentials(&RawOptions { api_origin: Some("https://a.io".into()), ..Default::default() }));
        assert_eq!(
            m,
            "OWOX API key id and key secret are required: pass apiKeyId and apiKeySecret or set OWOX_API_KEY_ID and \
             OWOX_API_KEY_SECRET"
        );
    }

    #[test]
    fn mixing_api_key_with_the_three_value_form_is_refused_with_what_was_mixed() {
        let key = encode(r#"{"apiOrigin":"https://key.io","apiKeyId":"i","apiKeySecret":"hunter2"}"#);
        let raw = RawOptions {
            api_key: Some(Secret::new(key.clone())),
            api_origin: Some("https://other.io".into()),
            ..Default::default()
        };
        let m = message(resolve_credentials(&raw));
        assert!(m.contains("apiKey together with apiOrigin") && m.contains("not both"), "{m}");
        assert!(!m.contains("hunter2") && !m.contains(&key));
        let raw = RawOptions { api_key_id: Some("pmk".into()), api_key_secret: Some(Secret::new("s".into())), ..raw };
        assert!(
            message(resolve_credentials(&raw)).contains("apiKey together with apiOrigin, apiKeyId and apiKeySecret")
        );
        // OWOX_API_KEY cannot fill a gap in the options: it carries its own origin.
        let raw = RawOptions {
            api_origin: Some("http://localhost:3000".into()),
            env_api_key: Some(Secret::new(key.clone())),
            ..Default::default()
        };
        let m = message(resolve_credentials(&raw));
        assert!(
            m.starts_with("apiOrigin was passed without apiKeyId and apiKeySecret, and OWOX_API_KEY cannot"),
            "{m}"
        );
        assert!(!m.contains("hunter2"));
        // ...but when the variables fill it, OWOX_API_KEY is not needed.
        let raw = RawOptions {
            env_api_key_id: Some("pmk_env".into()),
            env_api_key_secret: Some(Secret::new("env".into())),
            ..raw
        };
        assert_eq!(resolve_credentials(&raw).unwrap().origin, "http://localhost:3000");
        // The apiKey option alone ignores the environment entirely.
        let raw = RawOptions {
            api_key: Some(Secret::new(key)),
            env_api_origin: Some("https://env.io".into()),
            env_api_key: Some(Secret::new("garbage".into())),
            ..Default::default()
        };
        assert_eq!(resolve_credentials(&raw).unwrap().origin, "https://key.io");
    }

    #[test]
    fn an_unusable_proxy_for_the_origin_is_a_config_error() {
        let proxy_env = [("HTTPS_PROXY".to_string(), "socks5://u:pw@proxy:1080".to_string())].into();
        let m = message(resolve(RawOptions { proxy_env, ..triple("https://a.io") }).map(|_| ()));
        assert!(m.contains("HTTPS_PROXY") && !m.contains("pw@"), "{m}");
        let proxy_env = [("HTTPS_PROXY".to_string(), "socks5://u:pw@proxy:1080".to_string())].into();
        assert!(resolve(RawOptions { proxy_env, ..triple("http://a.io") }).is_ok());
    }

    #[test]
    fn secrets_do_not_print() {
        let c = Credentials { origin: "o".into(), key_id: "i".into(), secret: Secret::new("hunter2".into()) };
        assert!(!format!("{c:?}").contains("hunter2"));
    }
}
