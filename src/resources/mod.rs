//! The endpoints of the API. Each returns JSON text that JavaScript turns into values with
//! one `JSON.parse`, so callers get exactly what `JSON.parse` of the server's body gives.

pub mod auth_context;
pub mod data_marts;
pub mod generic;
pub mod lists;

use serde::Deserialize;

use crate::api::Body;
use crate::body::{nesting_depth, MAX_NESTING};
use crate::error::ClientError;

/// A 2xx body as text.
struct JsonBody {
    status: u16,
    text: String,
}

/// The body as text, through the one body decoder; a body that is not UTF-8 cannot be
/// the JSON an endpoint promises.
fn body_text(body: Body, subject: &str) -> Result<JsonBody, ClientError> {
    if !body.valid_utf8 {
        return Err(ClientError::invalid_json(subject, body.status, &body.body.text));
    }
    Ok(JsonBody { status: body.status, text: body.body.text })
}

impl JsonBody {
    /// Parses the body as `T` in one pass: a syntax error means the body is not JSON at
    /// all, a type mismatch means JSON of the wrong shape. Nesting is bounded too.
    fn parse<'a, T: Deserialize<'a>>(&'a self, subject: &str) -> Result<T, ClientError> {
        let value = serde_json::from_str::<T>(&self.text).map_err(|e| match e.classify() {
            serde_json::error::Category::Data => ClientError::shape(subject, self.status, &self.text),
            _ => ClientError::invalid_json(subject, self.status, &self.text),
        })?;
        if nesting_depth(&self.text) > MAX_NESTING {
            return Err(ClientError::api(format!("{subject} returned JSON nested deeper than {MAX_NESTING} levels")));
        }
        Ok(value)
    }

    /// Whether the (valid JSON) body is an object. serde would also read a struct from an
    /// array of its fields, which the contract does not allow.
    fn is_object(&self) -> bool {
        self.text.trim_start().starts_with('{')
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::body::decode;

    fn check(bytes: &[u8]) -> Result<(), ClientError> {
        let (body, valid_utf8) = decode(bytes.to_vec(), Some("application/json"));
        let json = body_text(Body { status: 200, body, valid_utf8 }, "X")?;
        json.parse::<&serde_json::value::RawValue>("X").map(|_| ())
    }

    #[test]
    fn valid_json_passes_with_or_without_a_byte_order_mark() {
        assert!(check(br#" {"a":[1,2.50,"\u00e9"],"__proto__":{}} "#).is_ok());
        assert!(check("\u{feff}[1]".as_bytes()).is_ok());
    }

    #[test]
    fn truncated_html_invalid_utf8_and_too_deep_bodies_are_refused() {
        for bad in [&br#"{"items":[1,"#[..], b"<html>oops</html>", b"", b"[1] [2]", b"[\"\xff\"]"] {
            assert!(check(bad).is_err(), "{bad:?}");
        }
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(check(deep.as_bytes()).is_err());
        let fine = format!("{}{}", "[".repeat(100), "]".repeat(100));
        assert!(check(fine.as_bytes()).is_ok());
    }
}
