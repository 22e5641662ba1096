//! What must never reach JavaScript in an error: the API key secret and the access tokens
//! this client was issued. Every failure crosses the napi boundary through `redact`, so a
//! server that echoes a credential back, in an error body, a 2xx body that fails its check,
//! an NDJSON line or a header, cannot leak it.

use std::collections::VecDeque;
use std::sync::Mutex;

use crate::error::ClientError;

/// Tokens older than this many exchanges are long expired; nobody echoes them.
const REMEMBERED_TOKENS: usize = 4;

pub struct Secrets {
    secret: String,
    tokens: Mutex<VecDeque<String>>,
}

impl Secrets {
    pub fn new(secret: &str) -> Self {
        Secrets { secret: secret.to_string(), tokens: Mutex::default() }
    }

    /// Records a token the exchange just issued.
    pub fn remember_token(&self, token: &str) {
        let mut tokens = self.tokens.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if tokens.len() == REMEMBERED_TOKENS {
            tokens.pop_front();
        }
        tokens.push_back(token.to_string());
    }

    /// `error` with every known credential replaced in every server-provided string.
    pub fn redact(&self, mut error: ClientError) -> ClientError {
        if let ClientError::Api(failure) = &mut error {
            let tokens = self.tokens.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            let mut all: Vec<&str> = tokens.iter().map(String::as_str).collect();
            all.push(&self.secret);
            failure.redact(&all);
        }
        error
    }

    /// `text` with every known credential replaced.
    pub fn redact_text(&self, text: String) -> String {
        let tokens = self.tokens.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        std::iter::once(&self.secret).chain(tokens.iter()).filter(|s| s.len() >= 4).fold(text, |text, secret| {
            if text.contains(secret.as_str()) {
                text.replace(secret.as_str(), "[redacted]")
            } else {
                text
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_secret_and_recent_tokens_are_redacted() {
        let secrets = Secrets::new("the-secret-value");
        for n in 0..6 {
            secrets.remember_token(&format!("token-number-{n}"));
        }
        let error = ClientError::api("saw the-secret-value and token-number-5 and token-number-2");
        assert_eq!(secrets.redact(error).to_string(), "saw [redacted] and [redacted] and [redacted]");
        assert_eq!(secrets.redact_text("run token-number-4".into()), "run [redacted]");
    }
}
