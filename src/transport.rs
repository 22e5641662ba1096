//! One logical HTTP request: the reqwest client, per-attempt timeouts, retries with
//! backoff, cancellation, the response-size cap and the request log line.

use std::time::{Duration, Instant, SystemTime};

use reqwest::header::{HeaderMap, HeaderValue, CONTENT_TYPE, LOCATION, RETRY_AFTER};
use reqwest::Method;
use tokio_util::sync::CancellationToken;

use crate::config::{CallSettings, TransportSettings};
use crate::error::{ClientError, HttpError};
use crate::retry::{backoff, is_retryable_status, parse_retry_after, RetryAfter};

/// Long enough for a slow TLS handshake across the world, short enough that a black-holed
/// address fails before most per-call timeouts would.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Up-front buffer for a response body, whatever its Content-Length claims.
const PREALLOCATE_AT_MOST: u64 = 1024 * 1024;
/// Idle keep-alive sockets are closed after this; they never keep Node's event loop alive.
const POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogLevel {
    Off,
    Info,
    Debug,
}

impl LogLevel {
    pub fn parse(value: Option<&str>) -> Self {
        match value.map(|v| v.trim().to_ascii_lowercase()).as_deref() {
            Some("debug") | Some("trace") => LogLevel::Debug,
            Some("info") => LogLevel::Info,
            _ => LogLevel::Off,
        }
    }
}

/// The limits and the cancellation of one call (which may be several HTTP requests).
#[derive(Clone)]
pub struct Call {
    pub settings: CallSettings,
    pub cancel: CancellationToken,
}

pub struct Outgoing<'a> {
    pub method: Method,
    /// Path and query, always starting with `/api/`; joined to the configured origin only,
    /// so no request (and no token) ever goes anywhere else.
    pub path: &'a str,
    pub headers: HeaderMap,
    pub body: Option<String>,
}

#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub content_type: Option<String>,
    /// The status line's reason phrase, when the server sent one other than the standard.
    pub reason: Option<String>,
    pub body: Vec<u8>,
    /// The `Location` header of a 3xx, named in its error (redirects are never followed).
    pub location: Option<String>,
    /// The raw `Retry-After` header, for the retry decision.
    pub retry_after: Option<String>,
    pub attempts: u32,
}

impl Response {
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    pub fn error_parts(&self) -> HttpError<'_> {
        HttpError {
            status: self.status,
            reason: self.reason.as_deref(),
            location: self.location.as_deref(),
            content_type: self.content_type.as_deref(),
            body: &self.body,
        }
    }
}

/// What one logical request produced.
pub enum Answer {
    /// The whole response (any status).
    Complete(Response),
    /// A 2xx whose body is still to be read (`open` only).
    Streaming(StreamHead),
}

/// A 2xx response whose body has not been read yet.
pub struct StreamHead {
    pub status: u16,
    pub content_type: Option<String>,
    pub headers: HeaderMap,
    pub body: reqwest::Response,
    pub attempts: u32,
}

pub struct Transport {
    http: reqwest::Client,
    origin: String,
    max_response_bytes: u64,
    log: LogLevel,
}

impl Transport {
    pub fn new(
        origin: String,
        settings: &TransportSettings,
        node_version: &str,
        extra_ca_pem: Option<&[u8]>,
        log: LogLevel,
    ) -> Result<Self, ClientError> {
        let mut user_agent = format!("@owox/api-client/{} node/{}", env!("CARGO_PKG_VERSION"), node_version);
        if let Some(suffix) = &settings.user_agent_suffix {
            user_agent = format!("{user_agent} {suffix}");
        }
        let http = reqwest::Client::builder()
            .user_agent(user_agent)
            // Credentials must not travel to another place: a 3xx is reported, never followed.
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(CONNECT_TIMEOUT)
            .pool_idle_timeout(POOL_IDLE_TIMEOUT)
            .tcp_nodelay(true)
            .tls_backend_preconfigured(crate::tls::client_config(extra_ca_pem)?)
            // Proxies from the JavaScript side's environment (curl's rules), never reqwest's own reading.
            .no_proxy()
            .proxy(settings.proxy.to_reqwest())
            .build()
            .map_err(|e| ClientError::Config(format!("Unable to set up the HTTP client: {}", error_chain(&e))))?;
        Ok(Transport { http, origin, max_response_bytes: settings.max_response_bytes, log })
    }

    pub fn origin(&self) -> &str {
        &self.origin
    }

    pub fn max_response_bytes(&self) -> u64 {
        self.max_response_bytes
    }

    /// Sends the request, retrying what `repeat` allows while attempts remain. Any HTTP
    /// status is an `Ok`; the caller decides what a status means.
    pub async fn send(&self, request: &Outgoing<'_>, call: &Call, repeat: Repeat) -> Result<Response, ClientError> {
        match self.exchange(request, call, repeat, false).await? {
            Answer::Complete(response) => Ok(response),
            Answer::Streaming(_) => {
                Err(ClientError::api("@owox/api-client: a streamed answer where none was asked for"))
            }
        }
    }

    /// Like `send`, but a 2xx answer comes back as soon as its headers do, with the body
    /// still to read: retries happen only before that point. Other statuses are read whole.
    pub async fn open(&self, request: &Outgoing<'_>, call: &Call, repeat: Repeat) -> Result<Answer, ClientError> {
        self.exchange(request, call, repeat, true).await
    }

    async fn exchange(
        &self,
        request: &Outgoing<'_>,
        call: &Call,
        repeat: Repeat,
        stream: bool,
    ) -> Result<Answer, ClientError> {
        let max_attempts = call.settings.max_retries + 1;
        let mut attempt = 1;
        loop {
            let started = Instant::now();
            let outcome =
                match until_cancelled(&call.cancel, self.attempt(request, call.settings.timeout, stream)).await? {
                    Ok(Answer::Streaming(head)) => {
                        self.log_line(request, &head.status.to_string(), attempt, started.elapsed());
                        return Ok(Answer::Streaming(StreamHead { attempts: attempt, ..head }));
                    }
                    Ok(Answer::Complete(response)) => Ok(response),
                    Err(failure) => Err(failure),
                };
            self.log_attempt(request, &outcome, attempt, started.elapsed());
            let wait = match &outcome {
                Ok(response) if repeat == Repeat::Idempotent && is_retryable_status(response.status) => {
                    retry_wait(response, attempt)
                }
                Ok(_) => None,
                Err(failure) if repeat.allows(failure.stage) => Some(backoff(attempt - 1, fastrand::f64())),
                Err(_) => None,
            };
            match wait {
                Some(delay) if attempt < max_attempts => {
                    if self.log == LogLevel::Debug {
                        diagnostic(format_args!(
                            "owox: retrying {} {} in {} ms",
                            request.method,
                            request.path,
                            delay.as_millis()
                        ));
                    }
                    until_cancelled(&call.cancel, tokio::time::sleep(delay)).await?;
                    attempt += 1;
                }
                _ => {
                    return match outcome {
                        Ok(response) => Ok(Answer::Complete(Response { attempts: attempt, ..response })),
                        Err(failure) => Err(failure.error.with_attempts(attempt)),
                    }
                }
            }
        }
    }

    async fn attempt(&self, request: &Outgoing<'_>, timeout: Duration, stream: bool) -> Result<Answer, AttemptFailure> {
        let exchange = async {
            let url = format!("{}{}", self.origin, request.path);
            let mut builder = self.http.request(request.method.clone(), url).headers(request.headers.clone());
            if let Some(body) = &request.body {
                builder = builder.body(body.clone());
            }
            let mut response = builder.send().await.map_err(|e| self.transport_error(e, timeout))?;
            let status = response.status().as_u16();
            let header =
                |name| response.headers().get(name).and_then(|v: &HeaderValue| v.to_str().ok()).map(str::to_string);
            let content_type = header(CONTENT_TYPE);
            let retry_after = header(RETRY_AFTER);
            let location = header(LOCATION);
            let reason = response
                .extensions()
                .get::<hyper::ext::ReasonPhrase>()
                .map(|r| String::from_utf8_lossy(r.as_bytes()).into_owned());
            if stream && (200..300).contains(&status) {
                return Ok(Answer::Streaming(StreamHead {
                    status,
                    content_type,
                    headers: response.headers().clone(),
                    body: response,
                    attempts: 1,
                }));
            }
            let limit = self.max_response_bytes;
            let declared = response.content_length().unwrap_or(0);
            if declared > limit {
                return Err(AttemptFailure::hopeless(ClientError::too_large(limit)));
            }
            // The declared length is the server's word: reserve at most a little up front.
            let mut body = Vec::with_capacity(declared.min(PREALLOCATE_AT_MOST) as usize);
            while let Some(chunk) = response.chunk().await.map_err(|e| self.transport_error(e, timeout))? {
                if (body.len() + chunk.len()) as u64 > limit {
                    return Err(AttemptFailure::hopeless(ClientError::too_large(limit)));
                }
                body.extend_from_slice(&chunk);
            }
            Ok(Answer::Complete(Response { status, content_type, reason, location, body, retry_after, attempts: 1 }))
        };
        match tokio::time::timeout(timeout, exchange).await {
            Ok(result) => result,
            // Whether the request left is unknown: it counts as sent.
            Err(_) => Err(AttemptFailure::sent(ClientError::timeout(&self.origin, timeout.as_millis()))),
        }
    }

    fn transport_error(&self, error: reqwest::Error, timeout: Duration) -> AttemptFailure {
        let chain = error_chain(&error);
        if error.is_connect() && is_certificate_problem(&chain) {
            AttemptFailure::hopeless(ClientError::certificate(&self.origin, chain))
        } else if error.is_connect() && is_proxy_auth_refused(&chain) {
            AttemptFailure::hopeless(ClientError::network(&self.origin, chain))
        } else if error.is_timeout() && error.is_connect() {
            AttemptFailure::unsent(ClientError::connect_timeout(&self.origin, CONNECT_TIMEOUT.as_millis()))
        } else if error.is_connect() {
            AttemptFailure::unsent(ClientError::network(&self.origin, chain))
        } else if error.is_timeout() {
            AttemptFailure::sent(ClientError::timeout(&self.origin, timeout.as_millis()))
        } else {
            AttemptFailure::sent(ClientError::network(&self.origin, chain))
        }
    }

    fn log_attempt(
        &self,
        request: &Outgoing<'_>,
        outcome: &Result<Response, AttemptFailure>,
        attempt: u32,
        took: Duration,
    ) {
        if self.log == LogLevel::Off {
            return;
        }
        let result = match outcome {
            Ok(response) => response.status.to_string(),
            Err(AttemptFailure { error: ClientError::Api(failure), .. }) => {
                failure.code.clone().unwrap_or_else(|| "error".into())
            }
            Err(other) => other.error.to_string(),
        };
        self.log_line(request, &result, attempt, took);
    }

    fn log_line(&self, request: &Outgoing<'_>, result: &str, attempt: u32, took: Duration) {
        if self.log == LogLevel::Off {
            return;
        }
        diagnostic(format_args!(
            "owox: {} {} {} attempt={} {:.1}ms",
            request.method,
            request.path,
            result,
            attempt,
            took.as_secs_f64() * 1000.0
        ));
    }
}

/// What may be repeated after a failed attempt: derived from the HTTP method, because a
/// POST that reached the server may have done its work already.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Repeat {
    /// GET, HEAD, PUT, DELETE, OPTIONS (and the token exchange, which changes nothing):
    /// retried on connection failures, timeouts and the retryable statuses.
    Idempotent,
    /// POST, PATCH: retried only when the request provably never left this machine.
    OnlyUnsent,
}

impl Repeat {
    pub fn for_method(method: &Method) -> Self {
        match *method {
            Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS => Repeat::Idempotent,
            _ => Repeat::OnlyUnsent,
        }
    }

    fn allows(self, stage: Stage) -> bool {
        match stage {
            Stage::Unsent => true,
            Stage::Sent => self == Repeat::Idempotent,
            Stage::Hopeless => false,
        }
    }
}

/// How far a failed attempt got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    /// No connection was made: the server cannot have seen the request.
    Unsent,
    /// The request may have reached the server.
    Sent,
    /// Another attempt cannot succeed (an untrusted certificate, a refused proxy login,
    /// a response over the size limit).
    Hopeless,
}

struct AttemptFailure {
    error: ClientError,
    stage: Stage,
}

impl AttemptFailure {
    fn unsent(error: ClientError) -> Self {
        AttemptFailure { error, stage: Stage::Unsent }
    }
    fn sent(error: ClientError) -> Self {
        AttemptFailure { error, stage: Stage::Sent }
    }
    fn hopeless(error: ClientError) -> Self {
        AttemptFailure { error, stage: Stage::Hopeless }
    }
}

fn is_certificate_problem(chain: &str) -> bool {
    let lower = chain.to_ascii_lowercase();
    lower.contains("invalid peer certificate") || lower.contains("certificate verif")
}

fn is_proxy_auth_refused(chain: &str) -> bool {
    let lower = chain.to_ascii_lowercase();
    lower.contains("proxy auth") || lower.contains("407")
}

/// Writes one diagnostic line to stderr. A failed write (stderr closed by the parent) is
/// ignored: a log line is never worth a crash or a failed call.
pub fn diagnostic(line: std::fmt::Arguments<'_>) {
    use std::io::Write;
    let mut stderr = std::io::stderr().lock();
    let _ = stderr.write_fmt(line).and_then(|()| stderr.write_all(b"\n"));
}

/// How long to wait before retrying a retryable status, or `None` to give up now because
/// the server asked for a pause longer than we are willing to sleep.
fn retry_wait(response: &Response, attempt: u32) -> Option<Duration> {
    match response.retry_after.as_deref().and_then(|v| parse_retry_after(v, SystemTime::now())) {
        Some(RetryAfter::Wait(delay)) => Some(delay),
        Some(RetryAfter::TooLong) => None,
        None => Some(backoff(attempt - 1, fastrand::f64())),
    }
}

/// Runs `work` unless the call is cancelled first; dropping `work` closes its socket.
pub async fn until_cancelled<T>(
    cancel: &CancellationToken,
    work: impl std::future::Future<Output = T>,
) -> Result<T, ClientError> {
    tokio::select! {
        biased;
        _ = cancel.cancelled() => Err(ClientError::Aborted),
        value = work => Ok(value),
    }
}

/// The error and its sources in one line, e.g. "error sending request: tcp connect error:
/// Connection refused (os error 111)". Requests carry no secret in their URL, so this
/// text is safe to show.
pub fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(inner) = source {
        let part = inner.to_string();
        if !text.contains(&part) {
            text = format!("{text}: {part}");
        }
        source = inner.source();
    }
    text
}
