//! The access token: exchanged for the API key on first use, shared by every call of one
//! client (one exchange even when many calls start together), refreshed shortly before
//! it expires, and kept in memory only.

use std::time::{Duration, Instant};

use reqwest::header::{HeaderMap, HeaderValue, ACCEPT, CONTENT_TYPE};
use reqwest::Method;
use serde::Deserialize;
use tokio::sync::{Mutex, MutexGuard};

use crate::config::{Credentials, Secret};
use crate::error::{from_http_error, ClientError};
use crate::transport::{until_cancelled, Call, Outgoing, Transport};

pub const EXCHANGE_PATH: &str = "/api/auth/api-keys/exchange";
pub const KEY_ID_HEADER: &str = "x-owox-api-key-id";

/// A token handed to a request, with the generation it belongs to, so a 401 only throws
/// away the token that failed and not a newer one another call already fetched.
#[derive(Clone)]
pub struct IssuedToken {
    pub value: Secret,
    pub generation: u64,
}

struct CachedToken {
    issued: IssuedToken,
    refresh_at: Option<Instant>,
}

#[derive(Default)]
pub struct TokenCache {
    // An async mutex is the single flight: the first caller exchanges while holding it,
    // the others wait and then find the fresh token.
    state: Mutex<TokenState>,
}

#[derive(Default)]
struct TokenState {
    current: Option<CachedToken>,
    generation: u64,
}

impl TokenCache {
    /// A valid token, exchanging the key first when there is none or it is about to expire.
    pub async fn token(
        &self,
        credentials: &Credentials,
        transport: &Transport,
        call: &Call,
    ) -> Result<IssuedToken, ClientError> {
        let mut state = self.lock(transport, call).await?;
        if let Some(cached) = &state.current {
            if cached.refresh_at.is_none_or(|at| Instant::now() < at) {
                return Ok(cached.issued.clone());
            }
        }
        Self::renew(&mut state, credentials, transport, call).await
    }

    /// Exchanges the key now, whatever is cached (`client.authenticate()`).
    pub async fn force(
        &self,
        credentials: &Credentials,
        transport: &Transport,
        call: &Call,
    ) -> Result<IssuedToken, ClientError> {
        let mut state = self.lock(transport, call).await?;
        Self::renew(&mut state, credentials, transport, call).await
    }

    /// Waits for the token state while another call may be exchanging; the wait counts
    /// against this call's own timeout and ends when this call is aborted.
    async fn lock(&self, transport: &Transport, call: &Call) -> Result<MutexGuard<'_, TokenState>, ClientError> {
        let wait = tokio::time::timeout(call.settings.timeout, self.state.lock());
        until_cancelled(&call.cancel, wait)
            .await?
            .map_err(|_| ClientError::timeout(transport.origin(), call.settings.timeout.as_millis()))
    }

    /// Forgets `token` after the server refused it, unless it was already replaced.
    pub async fn reject(&self, token: &IssuedToken, transport: &Transport, call: &Call) -> Result<(), ClientError> {
        let mut state = self.lock(transport, call).await?;
        if state.current.as_ref().is_some_and(|c| c.issued.generation == token.generation) {
            state.current = None;
        }
        Ok(())
    }

    async fn renew(
        state: &mut TokenState,
        credentials: &Credentials,
        transport: &Transport,
        call: &Call,
    ) -> Result<IssuedToken, ClientError> {
        state.current = None;
        let (value, lifetime) = exchange(credentials, transport, call).await?;
        state.generation += 1;
        let issued = IssuedToken { value, generation: state.generation };
        let refresh_at = lifetime.map(|life| Instant::now() + life.saturating_sub(refresh_margin(life)));
        state.current = Some(CachedToken { issued: issued.clone(), refresh_at });
        Ok(issued)
    }
}

/// How long before expiry to fetch a new token: a tenth of its life, at most a minute, so
/// a request never sets out with a token that dies on the way.
fn refresh_margin(lifetime: Duration) -> Duration {
    (lifetime / 10).min(Duration::from_secs(60))
}

#[derive(Deserialize)]
struct ExchangeReply {
    #[serde(rename = "accessToken")]
    access_token: Option<serde_json::Value>,
    #[serde(rename = "accessTokenExpiresIn")]
    expires_in: Option<serde_json::Value>,
}

async fn exchange(
    credentials: &Credentials,
    transport: &Transport,
    call: &Call,
) -> Result<(Secret, Option<Duration>), ClientError> {
    let mut headers = HeaderMap::new();
    headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers.insert(KEY_ID_HEADER, header_value(&credentials.key_id)?);
    // The server rejects any field beside the secret, so the body is exactly this object.
    let body = serde_json::json!({ "apiKeySecret": credentials.secret.expose() }).to_string();
    let request = Outgoing { method: Method::POST, path: EXCHANGE_PATH, headers, body: Some(body) };
    let response = transport.send(&request, call, true).await?;
    if !response.is_success() {
        let failure = from_http_error(response.error_parts(), true);
        return Err(ClientError::from(failure).with_attempts(response.attempts));
    }
    let missing = || ClientError::auth("OWOX authentication response did not include an access token");
    // serde would also fill the struct from an array; the contract's reply is an object.
    if !response.body.trim_ascii_start().starts_with(b"{") {
        return Err(missing());
    }
    let reply: ExchangeReply = serde_json::from_slice(&response.body).map_err(|_| missing())?;
    let token = match reply.access_token {
        Some(serde_json::Value::String(t)) if !t.is_empty() => Secret::new(t),
        _ => return Err(missing()),
    };
    let lifetime = reply
        .expires_in
        .and_then(|v| v.as_f64())
        .filter(|s| s.is_finite() && *s > 0.0)
        .map(|s| Duration::from_secs_f64(s.min(u32::MAX as f64)));
    Ok((token, lifetime))
}

pub fn header_value(value: &str) -> Result<HeaderValue, ClientError> {
    HeaderValue::from_str(value)
        .map_err(|_| ClientError::Config("OWOX API key id contains characters not allowed in an HTTP header".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refresh_margin_is_a_tenth_capped_at_a_minute() {
        assert_eq!(refresh_margin(Duration::from_secs(900)), Duration::from_secs(60));
        assert_eq!(refresh_margin(Duration::from_secs(300)), Duration::from_secs(30));
        assert_eq!(refresh_margin(Duration::from_secs(2)), Duration::from_millis(200));
    }
}
