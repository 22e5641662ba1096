//! The napi surface, and nothing else: JavaScript values in, plain Rust calls, replies out.
//! Every async method resolves (never rejects) with a reply that is either JSON text or a
//! structured failure; `lib/errors.js` turns failures into the exported error classes.

#![deny(clippy::all)]

mod api;
mod ascii;
mod auth;
mod body;
mod cancel;
mod config;
mod error;
mod ndjson;
mod pagination;
mod path;
mod proxy;
mod resources;
mod retry;
mod save;
mod secrets;
mod stream;
mod teardown;
mod tls;
mod transport;

use std::future::Future;
use std::sync::Arc;

use napi::bindgen_prelude::*;
use napi::{JsString, JsStringLatin1};
use napi_derive::napi;

use api::ApiClient;
use cancel::CallRegistry;
use config::{call_settings, RawOptions, Secret};
use error::{json_string, ClientError};
use resources::data_marts::{Consumption, DataMartPager, OwnerFilter};
use resources::{auth_context, generic, lists};
use secrets::Secrets;
use transport::{Call, LogLevel};

/// Constructor options, already type-checked by `index.js`, plus what it read from
/// `process.env` and `process.version`.
#[napi(object)]
pub struct NativeOptions {
    pub api_key: Option<String>,
    pub api_origin: Option<String>,
    pub api_key_id: Option<String>,
    pub api_key_secret: Option<String>,
    pub env_api_key: Option<String>,
    pub env_api_origin: Option<String>,
    pub env_api_key_id: Option<String>,
    pub env_api_key_secret: Option<String>,
    pub timeout: Option<f64>,
    pub max_retries: Option<f64>,
    pub max_response_bytes: Option<f64>,
    pub user_agent: Option<String>,
    pub node_version: String,
    pub log_level: Option<String>,
    pub extra_ca_certs_path: Option<String>,
    /// The proxy variables of `process.env` by name (`HTTP_PROXY`, `no_proxy`, ...).
    pub proxy_env: Option<std::collections::HashMap<String, String>>,
}

#[napi(object)]
pub struct NativeCallOptions {
    /// From `beginCall()`, when the call has an `AbortSignal`.
    pub call_id: Option<u32>,
    pub timeout: Option<f64>,
    pub max_retries: Option<f64>,
}

#[napi(object)]
pub struct NativeFailure {
    /// `api`, `auth`, `config` or `abort`.
    pub kind: String,
    /// The message as a JSON string literal (exact even for strings Rust cannot hold).
    pub message_json: String,
    pub status: Option<u32>,
    /// The code as a JSON string literal.
    pub code_json: Option<String>,
    pub details_json: Option<String>,
    pub cause: Option<String>,
    pub attempts: Option<u32>,
}

/// Either `text` or `failure`. `text` is one JSON value for the named native calls; for
/// `request()` it is the decoded body, JSON when `json` is set.
#[napi(object)]
pub struct NativeReply {
    pub text: Option<String>,
    pub json: Option<bool>,
    pub status: Option<u32>,
    pub failure: Option<NativeFailure>,
}

impl NativeReply {
    fn json(text: String) -> Self {
        NativeReply { text: Some(text), json: Some(true), status: None, failure: None }
    }

    fn failed(secrets: &Secrets, error: ClientError) -> Self {
        NativeReply { text: None, json: None, status: None, failure: Some(failure(secrets, error)) }
    }
}

impl From<generic::Reply> for NativeReply {
    fn from(reply: generic::Reply) -> Self {
        NativeReply { text: Some(reply.text), json: Some(reply.json), status: Some(reply.status.into()), failure: None }
    }
}

/// One request of the generic path. `query` is already form-encoded (`URLSearchParams`);
/// `body` is JSON text.
#[napi(object)]
pub struct NativeRequest {
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    pub body: Option<String>,
    pub accept: Option<String>,
}

/// The parts of an `owox_key_...` value. Throws the contract's message when it is not one.
#[napi(object)]
pub struct NativeApiKey {
    pub api_origin: String,
    pub api_key_id: String,
    pub api_key_secret: String,
}

/// Throws the safe-path message when `path` is not a safe `/api/...` path: the same check
/// the native request path makes, for paths handed to a caller-supplied transport.
#[napi(catch_unwind)]
pub fn check_api_path(path: String) -> Result<()> {
    path::resolve("http://localhost", &path, None)
        .map(|_| ())
        .map_err(|e| Error::new(Status::InvalidArg, e.to_string()))
}

#[napi(catch_unwind)]
pub fn parse_api_key(value: String) -> Result<NativeApiKey> {
    let credentials = config::parse_api_key(&value).map_err(|e| Error::new(Status::InvalidArg, e.to_string()))?;
    Ok(NativeApiKey {
        api_origin: credentials.origin,
        api_key_id: credentials.key_id,
        api_key_secret: credentials.secret.expose().to_string(),
    })
}

/// A data-mart page (`page`), the end of the list (neither field), or `failure`.
#[napi(object, object_from_js = false)]
pub struct NativePageReply {
    pub page: Option<NativePage>,
    pub failure: Option<NativeFailure>,
}

/// The items of one page as JSON array texts, handed out one at a time: each becomes a
/// JavaScript string only when it is about to be parsed, so a page's worth of strings never
/// sits in V8's heap at once.
#[napi]
pub struct NativePage {
    chunks: std::vec::IntoIter<String>,
    consumption: Consumption,
}

#[napi]
impl NativePage {
    /// The next chunk's JSON text, or nothing after the last. Chunks are ASCII, so they
    /// cross as Latin-1, without UTF-8 decoding.
    #[napi(catch_unwind)]
    pub fn next_chunk<'env>(&mut self, env: &'env Env) -> Result<Option<JsString<'env>>> {
        let Some(chunk) = self.chunks.next() else {
            return Ok(None);
        };
        match self.consumption {
            // For `list()`, the text stays in native memory and V8 reads it in place: the
            // strings never fill V8's young generation, which then collects (and copies the
            // retained marts) a third less often.
            Consumption::RetainAll => JsStringLatin1::from_data(env, chunk.into_bytes()).map(|s| Some(s.into_value())),
            // For `iterate()`, a plain copy: external strings are freed only when V8 gets
            // round to finalizing them, which lets a long walk's memory grow.
            Consumption::OneByOne => env.create_string_latin1(chunk.as_bytes()).map(Some),
        }
    }
}

/// The failure as JavaScript gets it: scrubbed of every credential first.
fn failure(secrets: &Secrets, error: ClientError) -> NativeFailure {
    match secrets.redact(error) {
        ClientError::Config(message) => plain_failure("config", message),
        error @ ClientError::Aborted => plain_failure("abort", error.to_string()),
        ClientError::Api(f) => NativeFailure {
            kind: if f.auth { "auth" } else { "api" }.into(),
            message_json: f.message_json.unwrap_or_else(|| json_string(&f.message)),
            status: f.status.map(u32::from),
            code_json: f.code_json.or_else(|| f.code.as_deref().map(json_string)),
            details_json: f.details_json,
            cause: f.cause,
            attempts: Some(f.attempts),
        },
    }
}

fn plain_failure(kind: &str, message: String) -> NativeFailure {
    NativeFailure {
        kind: kind.into(),
        message_json: json_string(&message),
        status: None,
        code_json: None,
        details_json: None,
        cause: None,
        attempts: None,
    }
}

#[napi]
pub struct NativeClient {
    api: Arc<ApiClient>,
    calls: Arc<CallRegistry>,
}

#[napi]
impl NativeClient {
    /// Throws with the `OWOXConfigError` message when the options are not usable.
    #[napi(constructor, catch_unwind)]
    pub fn new(env: Env, options: NativeOptions) -> Result<Self> {
        let extra_ca = options.extra_ca_certs_path.as_deref().filter(|p| !p.is_empty()).and_then(|path| {
            std::fs::read(path)
                .map_err(|e| {
                    transport::diagnostic(format_args!(
                        "owox: NODE_EXTRA_CA_CERTS could not be read ({e}); ignoring it"
                    ))
                })
                .ok()
        });
        let shutdown = teardown::environment_token(&env)?;
        let log = LogLevel::parse(options.log_level.as_deref());
        let node_version = options.node_version.clone();
        let raw = RawOptions {
            api_key: options.api_key.map(Secret::new),
            api_origin: options.api_origin,
            api_key_id: options.api_key_id,
            api_key_secret: options.api_key_secret.map(Secret::new),
            env_api_key: options.env_api_key.map(Secret::new),
            env_api_origin: options.env_api_origin,
            env_api_key_id: options.env_api_key_id,
            env_api_key_secret: options.env_api_key_secret.map(Secret::new),
            timeout_ms: options.timeout,
            max_retries: options.max_retries,
            max_response_bytes: options.max_response_bytes,
            user_agent: options.user_agent,
            proxy_env: options.proxy_env.unwrap_or_default(),
        };
        let api = config::resolve(raw)
            .and_then(|config| ApiClient::new(config, &node_version, extra_ca.as_deref(), log, shutdown.clone()))
            .map_err(|e| Error::new(Status::InvalidArg, e.to_string()))?;
        Ok(NativeClient { api: Arc::new(api), calls: Arc::new(CallRegistry::new(shutdown)) })
    }

    /// The normalized origin (safe to show: it holds no credential).
    #[napi(getter, catch_unwind)]
    pub fn origin(&self) -> String {
        self.api.origin().to_string()
    }

    /// `text` with the secret and every token this client was issued replaced, for errors
    /// JavaScript builds from a server's answer (an envelope check).
    #[napi(catch_unwind)]
    pub fn redact(&self, text: String) -> String {
        self.api.secrets().redact_text(text)
    }

    /// Registers an abortable call and returns its id.
    #[napi(catch_unwind)]
    pub fn begin_call(&self) -> u32 {
        self.calls.begin()
    }

    /// Aborts call `id`: its in-flight request is dropped (closing the socket) and no
    /// retry or backoff sleep follows.
    #[napi(catch_unwind)]
    pub fn cancel(&self, call_id: u32) {
        self.calls.cancel(call_id);
    }

    /// The generic request: method, a safe API path (checked here, before any token
    /// exchange), query, JSON body and accept. Resolves with the decoded body.
    #[napi(ts_return_type = "Promise<NativeReply>", catch_unwind)]
    pub fn request<'env>(
        &self,
        env: &'env Env,
        request: NativeRequest,
        options: NativeCallOptions,
    ) -> Result<PromiseRaw<'env, NativeReply>> {
        let NativeRequest { method, path, query, body, accept } = request;
        match generic::prepare(self.api.origin(), &method, &path, query.as_deref(), body, accept) {
            Ok(prepared) => self.spawn_reply(env, options, |api, call| async move {
                generic::send(&api, &prepared, &call).await.map(NativeReply::from)
            }),
            Err(error) => {
                self.calls.finish(options.call_id);
                let secrets = self.api.secrets();
                env.spawn_future(async move { Ok(NativeReply::failed(&secrets, error)) })
            }
        }
    }

    /// Opens an NDJSON stream (retries only before the first byte of the body).
    #[napi(ts_return_type = "Promise<NativeStreamReply>", catch_unwind)]
    pub fn open_stream<'env>(
        &self,
        env: &'env Env,
        request: NativeStreamRequest,
        options: NativeCallOptions,
    ) -> Result<PromiseRaw<'env, NativeStreamReply>> {
        let NativeStreamRequest { path, query, subject, raw } = request;
        let accept = Some("application/x-ndjson".to_string());
        let prepared = generic::prepare(self.api.origin(), "GET", &path, query.as_deref(), None, accept)
            .and_then(|prepared| self.call(&options).map(|call| (prepared, call)));
        let (api, calls, call_id) = (self.api.clone(), self.calls.clone(), options.call_id);
        let secrets = api.secrets();
        env.spawn_future(async move {
            let (prepared, call) = match prepared {
                Ok(ready) => ready,
                Err(error) => {
                    calls.finish(call_id);
                    return Ok(NativeStreamReply::failed(&secrets, error));
                }
            };
            let cancel = call.cancel.clone();
            let opened = contained(async move { stream::open(&api, &prepared, &subject, raw, call).await }).await;
            Ok(match opened {
                Ok(opened) => NativeStreamReply {
                    status: Some(opened.status.into()),
                    // A header is server-provided text too.
                    run_id: opened.run_id.map(|id| secrets.redact_text(id)),
                    content_type: opened.content_type,
                    stream: Some(NativeRowStream {
                        stream: Arc::new(tokio::sync::Mutex::new(opened.stream)),
                        raw,
                        cancel,
                        calls,
                        call_id,
                        secrets,
                    }),
                    failure: None,
                },
                Err(error) => {
                    calls.finish(call_id);
                    NativeStreamReply::failed(&secrets, error)
                }
            })
        })
    }

    #[napi(ts_return_type = "Promise<NativeReply>", catch_unwind)]
    pub fn authenticate<'env>(
        &self,
        env: &'env Env,
        options: NativeCallOptions,
    ) -> Result<PromiseRaw<'env, NativeReply>> {
        self.spawn(env, options, |api, call| async move { api.authenticate(&call).await.map(|()| "null".to_string()) })
    }

    #[napi(ts_return_type = "Promise<NativeReply>", catch_unwind)]
    pub fn list_storages<'env>(
        &self,
        env: &'env Env,
        options: NativeCallOptions,
    ) -> Result<PromiseRaw<'env, NativeReply>> {
        self.spawn(env, options, |api, call| async move { lists::list(&api, &lists::STORAGES, &call).await })
    }

    #[napi(ts_return_type = "Promise<NativeReply>", catch_unwind)]
    pub fn list_destinations<'env>(
        &self,
        env: &'env Env,
        options: NativeCallOptions,
    ) -> Result<PromiseRaw<'env, NativeReply>> {
        self.spawn(env, options, |api, call| async move { lists::list(&api, &lists::DESTINATIONS, &call).await })
    }

    #[napi(ts_return_type = "Promise<NativeReply>", catch_unwind)]
    pub fn auth_context<'env>(
        &self,
        env: &'env Env,
        options: NativeCallOptions,
    ) -> Result<PromiseRaw<'env, NativeReply>> {
        self.spawn(env, options, |api, call| async move { auth_context::get(&api, &call).await })
    }

    /// A pager over data marts. `retainAll` says the caller keeps every mart (`list()`)
    /// rather than dropping them as it goes (`iterate()`). Throws the `OWOXConfigError`
    /// message for bad arguments.
    #[napi(catch_unwind)]
    pub fn data_marts(
        &self,
        offset: Option<f64>,
        owner_filter: Option<String>,
        retain_all: bool,
        options: NativeCallOptions,
    ) -> Result<NativeDataMartPager> {
        let invalid = |e: ClientError| {
            // The call never starts, so its id is forgotten here.
            self.calls.finish(options.call_id);
            Error::new(Status::InvalidArg, e.to_string())
        };
        let offset = match offset {
            Some(n) if n.is_finite() && n >= 0.0 && n.fract() == 0.0 && n <= 9_007_199_254_740_991.0 => Some(n as u64),
            Some(_) => return Err(invalid(ClientError::Config("offset must be a non-negative whole number".into()))),
            None => None,
        };
        let filter = owner_filter.as_deref().map(OwnerFilter::parse).transpose().map_err(invalid)?;
        let call = self.call(&options).map_err(invalid)?;
        let consumption = if retain_all { Consumption::RetainAll } else { Consumption::OneByOne };
        let pager = DataMartPager::new(self.api.clone(), call, offset, filter, consumption);
        Ok(NativeDataMartPager {
            secrets: self.api.secrets(),
            consumption,
            pager: Arc::new(tokio::sync::Mutex::new(pager)),
            calls: self.calls.clone(),
            call_id: options.call_id,
        })
    }
}

impl NativeClient {
    fn call(&self, options: &NativeCallOptions) -> std::result::Result<Call, ClientError> {
        let settings = call_settings(self.api.call_defaults(), options.timeout, options.max_retries)?;
        Ok(Call { settings, cancel: self.calls.token(options.call_id) })
    }

    /// Starts one call on the async runtime and returns its promise. The future owns what
    /// it uses (no borrow of `self`), because a worker thread can be terminated, and its
    /// objects finalized, while calls are still in flight.
    fn spawn<'env, F, Fut>(
        &self,
        env: &'env Env,
        options: NativeCallOptions,
        work: F,
    ) -> Result<PromiseRaw<'env, NativeReply>>
    where
        F: FnOnce(Arc<ApiClient>, Call) -> Fut,
        Fut: Future<Output = std::result::Result<String, ClientError>> + Send + 'static,
    {
        self.spawn_reply(env, options, |api, call| {
            let work = work(api, call);
            async move { work.await.map(NativeReply::json) }
        })
    }

    fn spawn_reply<'env, F, Fut>(
        &self,
        env: &'env Env,
        options: NativeCallOptions,
        work: F,
    ) -> Result<PromiseRaw<'env, NativeReply>>
    where
        F: FnOnce(Arc<ApiClient>, Call) -> Fut,
        Fut: Future<Output = std::result::Result<NativeReply, ClientError>> + Send + 'static,
    {
        let started = self.call(&options).map(|call| work(self.api.clone(), call));
        let (calls, call_id, secrets) = (self.calls.clone(), options.call_id, self.api.secrets());
        env.spawn_future(async move {
            let result = match started {
                Ok(work) => contained(work).await,
                Err(error) => Err(error),
            };
            calls.finish(call_id);
            Ok(result.unwrap_or_else(|error| NativeReply::failed(&secrets, error)))
        })
    }
}

/// Runs `work` as its own task, so that even a bug that panics becomes an error reply
/// instead of unwinding into Node.
async fn contained<T: Send + 'static>(
    work: impl Future<Output = std::result::Result<T, ClientError>> + Send + 'static,
) -> std::result::Result<T, ClientError> {
    tokio::spawn(work)
        .await
        .unwrap_or_else(|_| Err(ClientError::api("@owox/api-client stopped a call after an internal error")))
}

/// An NDJSON stream to open: `subject` names it in messages (`OWOX Data Mart`,
/// `OWOX report`); `raw` hands on bytes without the content-type check (`getStream`).
#[napi(object)]
pub struct NativeStreamRequest {
    pub path: String,
    pub query: Option<String>,
    pub subject: String,
    pub raw: bool,
}

/// An opened `stream` with its status and `x-owox-run-id`, or `failure`.
#[napi(object, object_from_js = false)]
pub struct NativeStreamReply {
    pub stream: Option<NativeRowStream>,
    pub status: Option<u32>,
    pub run_id: Option<String>,
    pub content_type: Option<String>,
    pub failure: Option<NativeFailure>,
}

impl NativeStreamReply {
    fn failed(secrets: &Secrets, error: ClientError) -> Self {
        NativeStreamReply {
            stream: None,
            status: None,
            run_id: None,
            content_type: None,
            failure: Some(failure(secrets, error)),
        }
    }
}

/// Rows as a JSON array text (`text`), raw body bytes (`bytes`), `failure`, or none of
/// them at the end.
#[napi(object, object_from_js = false)]
pub struct NativeStreamChunk {
    pub text: Option<String>,
    pub bytes: Option<Buffer>,
    pub failure: Option<NativeFailure>,
}

#[napi(object, object_from_js = false)]
pub struct NativeSaveReply {
    pub rows: Option<f64>,
    pub bytes: Option<f64>,
    pub failure: Option<NativeFailure>,
}

/// A data stream, read only as JavaScript asks for more.
#[napi]
pub struct NativeRowStream {
    stream: Arc<tokio::sync::Mutex<stream::RowStream>>,
    raw: bool,
    cancel: tokio_util::sync::CancellationToken,
    calls: Arc<CallRegistry>,
    call_id: Option<u32>,
    secrets: Arc<Secrets>,
}

#[napi]
impl NativeRowStream {
    /// The next rows (or bytes); none at the end.
    #[napi(ts_return_type = "Promise<NativeStreamChunk>", catch_unwind)]
    pub fn next<'env>(&self, env: &'env Env) -> Result<PromiseRaw<'env, NativeStreamChunk>> {
        let (stream, raw, secrets) = (self.stream.clone(), self.raw, self.secrets.clone());
        env.spawn_future(async move {
            let result = contained(async move {
                let mut stream = stream.lock_owned().await;
                if raw {
                    stream.next_bytes().await.map(|b| (None, b.map(Buffer::from)))
                } else {
                    stream.next_batch().await.map(|t| (t, None))
                }
            })
            .await;
            Ok(match result {
                Ok((text, bytes)) => NativeStreamChunk { text, bytes, failure: None },
                Err(error) => NativeStreamChunk { text: None, bytes: None, failure: Some(failure(&secrets, error)) },
            })
        })
    }

    /// Writes the rest of the stream to `path` as `format` (`ndjson` or `csv`).
    #[napi(ts_return_type = "Promise<NativeSaveReply>", catch_unwind)]
    pub fn save_to<'env>(
        &self,
        env: &'env Env,
        path: String,
        format: String,
    ) -> Result<PromiseRaw<'env, NativeSaveReply>> {
        let (stream, secrets) = (self.stream.clone(), self.secrets.clone());
        env.spawn_future(async move {
            let result = contained(async move {
                let format = save::Format::parse(&format)?;
                let mut stream = stream.lock_owned().await;
                save::save(&mut stream, std::path::Path::new(&path), format).await
            })
            .await;
            Ok(match result {
                Ok(saved) => {
                    NativeSaveReply { rows: Some(saved.rows as f64), bytes: Some(saved.bytes as f64), failure: None }
                }
                Err(error) => NativeSaveReply { rows: None, bytes: None, failure: Some(failure(&secrets, error)) },
            })
        })
    }

    /// Stops the transfer now: the socket is closed and a pending read ends as aborted.
    #[napi(catch_unwind)]
    pub fn cancel(&self) {
        self.cancel.cancel();
        if let Ok(mut stream) = self.stream.try_lock() {
            stream.stop();
        }
    }
}

impl Drop for NativeRowStream {
    fn drop(&mut self) {
        self.cancel.cancel();
        self.calls.finish(self.call_id);
    }
}

#[napi]
pub struct NativeDataMartPager {
    secrets: Arc<Secrets>,
    consumption: Consumption,
    pager: Arc<tokio::sync::Mutex<DataMartPager>>,
    calls: Arc<CallRegistry>,
    call_id: Option<u32>,
}

#[napi]
impl NativeDataMartPager {
    /// The next page, or neither page nor failure after the last one.
    #[napi(ts_return_type = "Promise<NativePageReply>", catch_unwind)]
    pub fn next<'env>(&self, env: &'env Env) -> Result<PromiseRaw<'env, NativePageReply>> {
        let (pager, consumption, secrets) = (self.pager.clone(), self.consumption, self.secrets.clone());
        env.spawn_future(async move {
            let result = contained(async move { pager.lock_owned().await.next().await }).await;
            Ok(match result {
                Ok(Some(page)) => {
                    let page = NativePage { chunks: page.chunks.into_iter(), consumption };
                    NativePageReply { page: Some(page), failure: None }
                }
                Ok(None) => NativePageReply { page: None, failure: None },
                Err(error) => NativePageReply { page: None, failure: Some(failure(&secrets, error)) },
            })
        })
    }
}

impl Drop for NativeDataMartPager {
    fn drop(&mut self) {
        self.calls.finish(self.call_id);
    }
}
