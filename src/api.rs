//! An authenticated client: credentials, transport and token cache together, and the one
//! generic request every call goes through, with the contract's 401 rule.

use std::sync::Arc;

use reqwest::header::{HeaderMap, HeaderValue, ACCEPT, CONTENT_TYPE};
use reqwest::Method;
use tokio_util::sync::CancellationToken;

use crate::auth::{header_value, Exchanger, TokenCache, KEY_ID_HEADER};
use crate::body::{self, Decoded};
use crate::config::{CallSettings, ClientConfig};
use crate::error::{from_http_error, ClientError};
use crate::secrets::Secrets;
use crate::transport::{Answer, Call, LogLevel, Outgoing, Repeat, StreamHead, Transport};

const AUTHORIZATION_HEADER: &str = "x-owox-authorization";
const JSON_TYPE: &str = "application/json";

pub struct ApiClient {
    config: ClientConfig,
    secrets: Arc<Secrets>,
    key_id_header: HeaderValue,
    transport: Arc<Transport>,
    tokens: TokenCache,
}

/// One request: a path already checked by `path::resolve` (path and query), an optional
/// JSON body, and what to accept.
pub struct ApiRequest {
    pub method: Method,
    pub path_and_query: String,
    pub json_body: Option<String>,
    pub accept: Option<String>,
}

impl ApiRequest {
    pub fn get(path_and_query: impl Into<String>) -> Self {
        ApiRequest { method: Method::GET, path_and_query: path_and_query.into(), json_body: None, accept: None }
    }
}

/// A successful (2xx) response, its body decoded.
pub struct Body {
    pub status: u16,
    pub body: Decoded,
    /// The body was valid UTF-8 (before any U+FFFD replacement).
    pub valid_utf8: bool,
}

impl ApiClient {
    pub fn new(
        config: ClientConfig,
        node_version: &str,
        extra_ca_pem: Option<&[u8]>,
        log: LogLevel,
        shutdown: CancellationToken,
    ) -> Result<Self, ClientError> {
        let key_id_header = header_value(&config.credentials.key_id)?;
        let transport = Arc::new(Transport::new(
            config.credentials.origin.clone(),
            &config.transport,
            node_version,
            extra_ca_pem,
            log,
        )?);
        let secrets = Arc::new(Secrets::new(config.credentials.secret.expose()));
        let tokens = TokenCache::new(Exchanger {
            credentials: config.credentials.clone(),
            transport: transport.clone(),
            secrets: secrets.clone(),
            shutdown,
        });
        Ok(ApiClient { config, secrets, key_id_header, transport, tokens })
    }

    /// What every failure is scrubbed of before it reaches JavaScript.
    pub fn secrets(&self) -> Arc<Secrets> {
        self.secrets.clone()
    }

    pub fn call_defaults(&self) -> CallSettings {
        self.config.transport.call
    }

    pub fn origin(&self) -> &str {
        self.transport.origin()
    }

    pub fn max_response_bytes(&self) -> u64 {
        self.transport.max_response_bytes()
    }

    pub async fn authenticate(&self, call: &Call) -> Result<(), ClientError> {
        self.tokens.force(call).await.map(|_| ())
    }

    /// GETs `path` (already safe: a constant of this crate plus an encoded query).
    pub async fn get(&self, path: &str, call: &Call) -> Result<Body, ClientError> {
        self.request(&ApiRequest::get(path), call).await
    }

    /// Sends `request` with a token; a 401 costs one new exchange and one retry, a second
    /// 401 is an `OWOXAuthError`. Any other non-2xx is an `OWOXApiError`. Retries follow the
    /// method. (Failures are scrubbed of credentials where they cross to JavaScript.)
    pub async fn request(&self, request: &ApiRequest, call: &Call) -> Result<Body, ClientError> {
        match self.answer(request, call, false).await? {
            Answer::Complete(response) => {
                let (body, valid_utf8) = body::decode(response.body, response.content_type.as_deref());
                Ok(Body { status: response.status, body, valid_utf8 })
            }
            Answer::Streaming(_) => {
                Err(ClientError::api("@owox/api-client: a streamed answer where none was asked for"))
            }
        }
    }

    /// Like `request`, but a 2xx comes back with its body unread, for streaming.
    pub async fn open(&self, request: &ApiRequest, call: &Call) -> Result<StreamHead, ClientError> {
        match self.answer(request, call, true).await? {
            Answer::Streaming(head) => Ok(head),
            Answer::Complete(response) => Err(ClientError::api(format!(
                "OWOX Data Marts API answered {} without a body to stream",
                response.status
            ))),
        }
    }

    /// The 2xx answer to `request`, after the 401 rule; any other status is the error.
    async fn answer(&self, request: &ApiRequest, call: &Call, stream: bool) -> Result<Answer, ClientError> {
        let mut refused_once = false;
        loop {
            let token = self.tokens.token(call).await?;
            let secret_token = token.value.expose();
            let outgoing = Outgoing {
                method: request.method.clone(),
                path: &request.path_and_query,
                headers: self.headers(request, secret_token)?,
                body: request.json_body.clone(),
            };
            let repeat = Repeat::for_method(&request.method);
            let sent = match stream {
                true => self.transport.open(&outgoing, call, repeat).await,
                false => self.transport.send(&outgoing, call, repeat).await.map(Answer::Complete),
            };
            let response = match sent? {
                Answer::Complete(response) if !response.is_success() => response,
                answer => return Ok(answer),
            };
            if response.status == 401 && !refused_once {
                refused_once = true;
                self.tokens.reject(&token);
                continue;
            }
            let failure = from_http_error(response.error_parts(), response.status == 401);
            let error = ClientError::from(failure).with_attempts(response.attempts);
            return Err(error);
        }
    }

    fn headers(&self, request: &ApiRequest, token: &str) -> Result<HeaderMap, ClientError> {
        let mut headers = HeaderMap::new();
        let accept = request.accept.as_deref().unwrap_or(JSON_TYPE);
        let accept = HeaderValue::from_str(accept)
            .map_err(|_| ClientError::Config("accept must be a valid HTTP header value".into()))?;
        headers.insert(ACCEPT, accept);
        headers.insert(KEY_ID_HEADER, self.key_id_header.clone());
        if request.json_body.is_some() {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static(JSON_TYPE));
        }
        let mut bearer = HeaderValue::from_str(&format!("Bearer {token}")).map_err(|_| {
            ClientError::auth("OWOX authentication response included an access token that is not a valid header value")
        })?;
        bearer.set_sensitive(true);
        headers.insert(AUTHORIZATION_HEADER, bearer);
        Ok(headers)
    }
}
