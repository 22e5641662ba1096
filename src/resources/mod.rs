//! The endpoints of the API. Each returns JSON text that JavaScript turns into values with
//! one `JSON.parse`, so callers get exactly what `JSON.parse` of the server's body gives.

pub mod auth_context;
pub mod data_marts;
pub mod lists;

use serde::Deserialize;

use crate::api::Body;
use crate::error::ClientError;

/// Deeper than any real API object; a body nesting further is refused before JavaScript
/// would build it.
const MAX_NESTING: usize = 256;

/// A 2xx body as text.
struct JsonBody {
    status: u16,
    text: String,
}

/// The body as text; a UTF-8 byte order mark is dropped, as `fetch`'s `.json()` does.
fn body_text(body: Body, subject: &str) -> Result<JsonBody, ClientError> {
    let status = body.status;
    let mut text = String::from_utf8(body.bytes)
        .map_err(|e| ClientError::invalid_json(subject, status, &String::from_utf8_lossy(e.as_bytes())))?;
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    Ok(JsonBody { status, text })
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

/// The deepest array/object nesting of valid JSON text (brackets inside strings ignored).
fn nesting_depth(json: &str) -> usize {
    let (mut depth, mut deepest, mut in_string, mut escaped) = (0usize, 0usize, false, false);
    for byte in json.bytes() {
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str) -> Result<(), ClientError> {
        let json = body_text(Body { status: 200, bytes: text.as_bytes().to_vec() }, "X")?;
        json.parse::<&serde_json::value::RawValue>("X").map(|_| ())
    }

    #[test]
    fn a_byte_order_mark_is_dropped() {
        let json = body_text(Body { status: 200, bytes: "\u{feff}[1]".as_bytes().to_vec() }, "X").unwrap();
        assert_eq!(json.text, "[1]");
    }

    #[test]
    fn valid_json_passes() {
        assert!(check(r#" {"a":[1,2.50,"\u00e9"],"__proto__":{}} "#).is_ok());
    }

    #[test]
    fn truncated_html_and_too_deep_bodies_are_refused() {
        for bad in [r#"{"items":[1,"#, "<html>oops</html>", "", "[1] [2]"] {
            assert!(check(bad).is_err(), "{bad}");
        }
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(check(&deep).is_err());
        let fine = format!("{}{}", "[".repeat(100), "]".repeat(100));
        assert!(check(&fine).is_ok());
    }

    #[test]
    fn nesting_ignores_brackets_in_strings() {
        assert_eq!(nesting_depth(r#"{"a":"[[[{\"[","b":[[1]]}"#), 3);
        assert_eq!(nesting_depth("1"), 0);
    }
}
