//! The access token: exchanged for the API key on first use, shared by every call of one
//! client (one exchange even when many calls start together), refreshed shortly before
//! it expires, and kept in memory only.

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use reqwest::header::{HeaderMap, HeaderValue, ACCEPT, CONTENT_TYPE};
use reqwest::Method;
use serde::Deserialize;
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;

use crate::body;
use crate::config::{Credentials, Secret};
use crate::error::{from_http_error, json_string, ApiFailure, ClientError, MAX_TEXT_DETAILS, NOT_THE_API, REFUSED_KEY};
use crate::secrets::Secrets;
use crate::transport::{until_cancelled, Call, Outgoing, Repeat, Transport};

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

type Outcome = Result<IssuedToken, ClientError>;

/// The one exchange in flight: every call that needs a token meanwhile waits for its
/// outcome, success or failure alike.
struct Flight {
    id: u64,
    outcome: watch::Receiver<Option<Outcome>>,
    /// Calls waiting for it, each with its abort token. When the last one leaves (aborted,
    /// timed out), the exchange is cancelled, so an abandoned exchange holds no socket. A
    /// waiter whose call is already aborted counts as gone even before its task notices:
    /// a new call never joins an exchange only aborted calls wanted.
    waiters: Vec<(u64, CancellationToken)>,
    cancel: CancellationToken,
}

#[derive(Default)]
struct TokenState {
    current: Option<CachedToken>,
    generation: u64,
    flight: Option<Flight>,
    flights: u64,
    /// Numbers waiters, so each one leaves its own place.
    joins: u64,
}

/// What an exchange needs, shared with the task that runs it.
pub struct Exchanger {
    pub credentials: Credentials,
    pub transport: Arc<Transport>,
    /// Told every token issued, so no error can carry one back to JavaScript.
    pub secrets: Arc<Secrets>,
    /// Cancelled when the JavaScript environment that owns the client goes away.
    pub shutdown: CancellationToken,
}

pub struct TokenCache {
    // Guards the cached state only; the network call runs outside it, in its own task.
    state: Arc<Mutex<TokenState>>,
    exchanger: Arc<Exchanger>,
}

impl TokenCache {
    pub fn new(exchanger: Exchanger) -> Self {
        TokenCache { state: Arc::default(), exchanger: Arc::new(exchanger) }
    }

    /// A valid token, exchanging the key first when there is none or it is about to expire.
    pub async fn token(&self, call: &Call) -> Outcome {
        let flight = {
            let mut state = lock(&self.state);
            if let Some(cached) = &state.current {
                if cached.refresh_at.is_none_or(|at| Instant::now() < at) {
                    return Ok(cached.issued.clone());
                }
            }
            self.join_or_start(&mut state, call)
        };
        self.wait(flight, call).await
    }

    /// Exchanges the key now, whatever is cached (`client.authenticate()`); an exchange
    /// already in flight is as new as it gets, so it is joined.
    pub async fn force(&self, call: &Call) -> Outcome {
        let flight = {
            let mut state = lock(&self.state);
            state.current = None;
            self.join_or_start(&mut state, call)
        };
        self.wait(flight, call).await
    }

    /// Forgets `token` after the server refused it, unless it was already replaced.
    pub fn reject(&self, token: &IssuedToken) {
        let mut state = lock(&self.state);
        if state.current.as_ref().is_some_and(|c| c.issued.generation == token.generation) {
            state.current = None;
        }
    }

    /// Joins the exchange in flight, or starts one with the limits of `call` (its timeout
    /// and retries; not its abort, which only ends its own wait).
    fn join_or_start(&self, state: &mut TokenState, call: &Call) -> Joined {
        state.joins += 1;
        let waiter = (state.joins, call.cancel.clone());
        if let Some(flight) = &mut state.flight {
            flight.waiters.retain(|(_, cancel)| !cancel.is_cancelled());
            if !flight.waiters.is_empty() {
                flight.waiters.push(waiter);
                return Joined { flight: flight.id, waiter: state.joins, outcome: flight.outcome.clone() };
            }
            flight.cancel.cancel();
        }
        state.flights += 1;
        let id = state.flights;
        let (sender, receiver) = watch::channel(None);
        let cancel = self.exchanger.shutdown.child_token();
        let joined = Joined { flight: id, waiter: state.joins, outcome: receiver.clone() };
        state.flight = Some(Flight { id, outcome: receiver, waiters: vec![waiter], cancel: cancel.clone() });
        let (shared, exchanger, settings) = (self.state.clone(), self.exchanger.clone(), call.settings);
        tokio::spawn(async move {
            let call = Call { settings, cancel };
            let result = exchange(&exchanger.credentials, &exchanger.transport, &call).await;
            let outcome = {
                let mut state = lock(&shared);
                if state.flight.as_ref().is_some_and(|f| f.id == id) {
                    state.flight = None;
                }
                result.map(|(value, lifetime)| {
                    exchanger.secrets.remember_token(value.expose());
                    state.generation += 1;
                    let issued = IssuedToken { value, generation: state.generation };
                    let refresh_at = lifetime.map(|life| Instant::now() + life.saturating_sub(refresh_margin(life)));
                    state.current = Some(CachedToken { issued: issued.clone(), refresh_at });
                    issued
                })
            };
            let _ = sender.send(Some(outcome));
        });
        joined
    }

    /// Waits for the flight's outcome; the wait obeys this call's own timeout and abort.
    async fn wait(&self, joined: Joined, call: &Call) -> Outcome {
        let Joined { flight, waiter, mut outcome } = joined;
        // Leaves the flight however this wait ends, even when the call's future is dropped.
        let _leave = Leave { state: &self.state, flight, waiter };
        let transport = &self.exchanger.transport;
        let waited = tokio::time::timeout(call.settings.timeout, outcome.wait_for(Option::is_some));
        // Bound, not returned directly: the borrow of `outcome` must end before locals drop.
        let result = match until_cancelled(&call.cancel, waited).await? {
            Err(_) => Err(ClientError::timeout(transport.origin(), call.settings.timeout.as_millis())),
            Ok(Ok(ready)) => ready.clone().unwrap_or(Err(ClientError::Aborted)),
            // The exchange task ended without an outcome (the runtime is shutting down).
            Ok(Err(_closed)) => Err(ClientError::Aborted),
        };
        result
    }
}

/// A call's place in a flight: which flight, which waiter, and where its outcome comes.
struct Joined {
    flight: u64,
    waiter: u64,
    outcome: watch::Receiver<Option<Outcome>>,
}

/// One waiter leaving its flight; the last one out cancels an exchange still running.
struct Leave<'a> {
    state: &'a Mutex<TokenState>,
    flight: u64,
    waiter: u64,
}

impl Drop for Leave<'_> {
    fn drop(&mut self) {
        let mut state = lock(self.state);
        let Some(flight) = state.flight.as_mut().filter(|f| f.id == self.flight) else {
            return;
        };
        flight.waiters.retain(|(waiter, _)| *waiter != self.waiter);
        if flight.waiters.is_empty() {
            flight.cancel.cancel();
            state.flight = None;
        }
    }
}

fn lock(state: &Mutex<TokenState>) -> MutexGuard<'_, TokenState> {
    // Every update leaves the state consistent, so a poisoned lock is still usable.
    state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
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
    // The exchange changes nothing on the server, so it may be repeated like a GET.
    let response = transport.send(&request, call, Repeat::Idempotent).await?;
    if !response.is_success() {
        let mut failure = from_http_error(response.error_parts(), true);
        if matches!(response.status, 401 | 403) {
            failure.append(&format!(". {REFUSED_KEY}"));
        }
        return Err(ClientError::from(failure).with_attempts(response.attempts));
    }
    let (decoded, _) = body::decode(response.body, response.content_type.as_deref());
    let reply = body::check_json(&decoded.text)
        .ok()
        .filter(|()| decoded.text.trim_start().starts_with('{'))
        .and_then(|()| serde_json::from_str::<ExchangeReply>(&decoded.text).ok());
    let token = match reply.as_ref().and_then(|r| r.access_token.as_ref()) {
        Some(serde_json::Value::String(t)) if !t.is_empty() => Secret::new(t.clone()),
        _ => return Err(no_token(response.status, &decoded.text, reply.is_some())),
    };
    let lifetime = reply
        .and_then(|r| r.expires_in)
        .and_then(|v| v.as_f64())
        .filter(|s| s.is_finite() && *s > 0.0)
        .map(|s| Duration::from_secs_f64(s.min(u32::MAX as f64)));
    Ok((token, lifetime))
}

/// A 2xx exchange reply without a token: its status and (bounded) body are the details,
/// as for any error built from a response.
fn no_token(status: u16, text: &str, was_json: bool) -> ClientError {
    let mut failure = ApiFailure {
        auth: true,
        message: "OWOX authentication response did not include an access token".into(),
        status: Some(status),
        attempts: 1,
        ..Default::default()
    };
    failure.details_json = Some(match was_json {
        true => text.trim().to_string(),
        false if text.is_empty() => "null".into(),
        false => json_string(&body::bounded(text, MAX_TEXT_DETAILS)),
    });
    if !was_json && text.trim_start().starts_with('<') {
        failure.append(&format!(". {NOT_THE_API}"));
    }
    ClientError::from(failure)
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
