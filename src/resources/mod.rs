//! The endpoints of the API. Each returns JSON text that JavaScript turns into values with
//! one `JSON.parse`, so callers get exactly what `JSON.parse` of the server's body gives.

pub mod auth_context;
pub mod data_marts;
pub mod lists;

use serde_json::value::RawValue;

use crate::api::Body;
use crate::error::ClientError;

/// Deeper than any real API object; a body nesting further is refused before JavaScript
/// would build it.
const MAX_NESTING: usize = 256;

/// The body as text, checked to be one complete JSON value of bounded nesting.
fn json_body(body: Body, subject: &str) -> Result<String, ClientError> {
    let status = body.status;
    let text = String::from_utf8(body.bytes)
        .map_err(|e| ClientError::invalid_json(subject, status, &String::from_utf8_lossy(e.as_bytes())))?;
    if serde_json::from_str::<&RawValue>(&text).is_err() {
        return Err(ClientError::invalid_json(subject, status, &text));
    }
    if nesting_depth(&text) > MAX_NESTING {
        return Err(ClientError::api(format!("{subject} returned JSON nested deeper than {MAX_NESTING} levels")));
    }
    Ok(text)
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
            b']' | b'}' => depth -= 1,
            _ => {}
        }
    }
    deepest
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(text: &str) -> Body {
        Body { status: 200, bytes: text.as_bytes().to_vec() }
    }

    #[test]
    fn valid_json_passes_through_unchanged() {
        let text = r#" {"a":[1,2.50,"\u00e9"],"__proto__":{}} "#;
        assert_eq!(json_body(body(text), "X").unwrap(), text);
    }

    #[test]
    fn truncated_html_and_too_deep_bodies_are_refused() {
        for bad in [r#"{"items":[1,"#, "<html>oops</html>", "", "[1] [2]"] {
            assert!(json_body(body(bad), "X").is_err(), "{bad}");
        }
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(json_body(body(&deep), "X").is_err());
        let fine = format!("{}{}", "[".repeat(100), "]".repeat(100));
        assert!(json_body(body(&fine), "X").is_ok());
    }

    #[test]
    fn nesting_ignores_brackets_in_strings() {
        assert_eq!(nesting_depth(r#"{"a":"[[[{\"[","b":[[1]]}"#), 3);
        assert_eq!(nesting_depth("1"), 0);
    }
}
