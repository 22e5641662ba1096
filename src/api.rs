//! An authenticated client: credentials, transport and token cache together, and the one
//! way to GET an `/api/...` path with the contract's 401 rule.

use reqwest::header::{HeaderMap, HeaderValue, ACCEPT};
use reqwest::Method;

use crate::auth::{header_value, TokenCache, KEY_ID_HEADER};
use crate::config::{CallSettings, ClientConfig};
use crate::error::{from_http_error, ClientError};
use crate::transport::{Call, LogLevel, Outgoing, Transport};

const AUTHORIZATION_HEADER: &str = "x-owox-authorization";

pub struct ApiClient {
    config: ClientConfig,
    key_id_header: HeaderValue,
    transport: Transport,
    tokens: TokenCache,
}

/// A successful (2xx) response body.
pub struct Body {
    pub status: u16,
    pub bytes: Vec<u8>,
}

impl ApiClient {
    pub fn new(
        config: ClientConfig,
        node_version: &str,
        extra_ca_pem: Option<&[u8]>,
        log: LogLevel,
    ) -> Result<Self, ClientError> {
        let key_id_header = header_value(&config.credentials.key_id)?;
        let transport =
            Transport::new(config.credentials.origin.clone(), &config.transport, node_version, extra_ca_pem, log)?;
        Ok(ApiClient { config, key_id_header, transport, tokens: TokenCache::default() })
    }

    pub fn call_defaults(&self) -> CallSettings {
        self.config.transport.call
    }

    pub fn origin(&self) -> &str {
        self.transport.origin()
    }

    pub async fn authenticate(&self, call: &Call) -> Result<(), ClientError> {
        self.tokens.force(&self.config.credentials, &self.transport, call).await.map(|_| ())
    }

    /// GETs `path` with a token; a 401 costs one new exchange and one retry, a second 401
    /// is an `OWOXAuthError`. Any other non-2xx is an `OWOXApiError`.
    pub async fn get(&self, path: &str, call: &Call) -> Result<Body, ClientError> {
        let credentials = &self.config.credentials;
        let mut refused_once = false;
        loop {
            let token = self.tokens.token(credentials, &self.transport, call).await?;
            let mut headers = HeaderMap::new();
            headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
            headers.insert(KEY_ID_HEADER, self.key_id_header.clone());
            let mut bearer = HeaderValue::from_str(&format!("Bearer {}", token.value.expose())).map_err(|_| {
                ClientError::auth(
                    "OWOX authentication response included an access token that is not a valid header value",
                )
            })?;
            bearer.set_sensitive(true);
            headers.insert(AUTHORIZATION_HEADER, bearer);
            let request = Outgoing { method: Method::GET, path, headers, body: None };
            let response = self.transport.send(&request, call, true).await?;
            if response.is_success() {
                return Ok(Body { status: response.status, bytes: response.body });
            }
            if response.status == 401 && !refused_once {
                refused_once = true;
                self.tokens.reject(&token, &self.transport, call).await?;
                continue;
            }
            let failure = from_http_error(response.error_parts(), response.status == 401);
            return Err(ClientError::from(failure).with_attempts(response.attempts));
        }
    }
}
