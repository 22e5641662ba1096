//! The one body decoder: every response the client reads (the token exchange, data, error
//! bodies) becomes text the same way. A UTF-8 byte order mark is dropped (as `fetch`'s
//! `.text()` does), and a body whose content type says JSON is checked to be one JSON value
//! of bounded nesting, so JavaScript's single `JSON.parse` cannot fail or run away.

use std::borrow::Cow;

use serde_json::value::RawValue;

/// Deeper than any real API object; a body nesting further is refused before JavaScript
/// would build it.
pub const MAX_NESTING: usize = 256;

/// A decoded body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    /// The content type says JSON (`application/json`, `…+json`).
    pub says_json: bool,
}

/// Why a body that says JSON is not usable as JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonProblem {
    /// Not one JSON value (an HTML page, a cut-off body, invalid UTF-8).
    Syntax,
    TooDeep,
}

/// Whether a `Content-Type` value names JSON.
pub fn is_json_type(content_type: Option<&str>) -> bool {
    content_type.is_some_and(|ct| {
        let essence = ct.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
        essence == "application/json" || essence.ends_with("+json") || essence == "text/json"
    })
}

/// The body as text: UTF-8 without a leading byte order mark. Invalid UTF-8 becomes
/// U+FFFD, as `fetch`'s `.text()` does; `valid_utf8` tells whether that happened.
pub fn decode(bytes: Vec<u8>, content_type: Option<&str>) -> (Decoded, bool) {
    let says_json = is_json_type(content_type);
    let (mut text, valid_utf8) = match String::from_utf8(bytes) {
        Ok(text) => (text, true),
        Err(e) => (String::from_utf8_lossy(e.as_bytes()).into_owned(), false),
    };
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    (Decoded { text, says_json }, valid_utf8)
}

/// Checks that `text` is exactly one JSON value nested at most `MAX_NESTING` deep.
pub fn check_json(text: &str) -> Result<(), JsonProblem> {
    serde_json::from_str::<&RawValue>(text).map_err(|_| JsonProblem::Syntax)?;
    if nesting_depth(text) > MAX_NESTING {
        return Err(JsonProblem::TooDeep);
    }
    Ok(())
}

/// The deepest array/object nesting of valid JSON text (brackets inside strings ignored).
pub fn nesting_depth(json: &str) -> usize {
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

/// At most `limit` bytes of `text`, cut at a character boundary, with a note of the cut:
/// error details quote bodies, and a whole HTML page or log dump helps nobody.
pub fn bounded(text: &str, limit: usize) -> String {
    if text.len() <= limit {
        return text.to_string();
    }
    let mut end = limit;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}… ({} bytes in all)", &text[..end], text.len())
}

/// A JSON string literal as text. A lone surrogate escape, which `JSON.parse` keeps but
/// UTF-8 cannot hold, becomes U+FFFD.
pub fn decode_json_string(literal: &str) -> Cow<'_, str> {
    if let Ok(text) = serde_json::from_str::<Cow<'_, str>>(literal) {
        return text;
    }
    let mut out = String::with_capacity(literal.len());
    let inside = literal.get(1..literal.len().saturating_sub(1)).unwrap_or_default();
    let mut chars = inside.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('u') => {
                let hex: String = chars.by_ref().take(4).collect();
                let unit = u32::from_str_radix(&hex, 16).unwrap_or(0xFFFD);
                if (0xD800..0xDC00).contains(&unit) {
                    // A high surrogate: a pair only if a low one follows.
                    let mut ahead = chars.clone();
                    let low = (ahead.next() == Some('\\') && ahead.next() == Some('u'))
                        .then(|| u32::from_str_radix(&ahead.by_ref().take(4).collect::<String>(), 16).ok())
                        .flatten()
                        .filter(|low| (0xDC00..0xE000).contains(low));
                    match low {
                        Some(low) => {
                            chars = ahead;
                            out.push(
                                char::from_u32(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))
                                    .unwrap_or('\u{FFFD}'),
                            );
                        }
                        None => out.push('\u{FFFD}'),
                    }
                } else {
                    out.push(char::from_u32(unit).unwrap_or('\u{FFFD}'));
                }
            }
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('b') => out.push('\u{8}'),
            Some('f') => out.push('\u{c}'),
            Some(other) => out.push(other),
            None => {}
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn json_content_types() {
        for ct in
            ["application/json", "application/json; charset=utf-8", "Application/JSON", "application/problem+json"]
        {
            assert!(is_json_type(Some(ct)), "{ct}");
        }
        for ct in ["text/html", "application/x-ndjson", "application/jsonl", "text/plain; a=json"] {
            assert!(!is_json_type(Some(ct)), "{ct}");
        }
        assert!(!is_json_type(None));
    }

    #[test]
    fn a_byte_order_mark_is_dropped_once() {
        let (d, valid) = decode("\u{feff}\u{feff}[1]".as_bytes().to_vec(), Some("application/json"));
        assert!(valid);
        assert_eq!(d.text, "\u{feff}[1]");
        assert!(d.says_json);
    }

    #[test]
    fn checks() {
        assert!(check_json(r#" {"a":[1,2.50,"\u00e9"],"__proto__":{}} "#).is_ok());
        for bad in [r#"{"items":[1,"#, "<html>oops</html>", "", "[1] [2]"] {
            assert_eq!(check_json(bad), Err(JsonProblem::Syntax), "{bad}");
        }
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert_eq!(check_json(&deep), Err(JsonProblem::TooDeep));
        assert_eq!(nesting_depth(r#"{"a":"[[[{\"[","b":[[1]]}"#), 3);
    }

    #[test]
    fn bounded_cuts_at_a_character() {
        assert_eq!(bounded("abc", 5), "abc");
        assert_eq!(bounded("ééé", 3), "é… (6 bytes in all)");
    }

    proptest! {
        #[test]
        fn any_bytes_decode_without_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512), json in any::<bool>()) {
            let ct = if json { Some("application/json") } else { Some("text/plain") };
            let (decoded, valid) = decode(bytes.clone(), ct);
            prop_assert_eq!(valid, std::str::from_utf8(&bytes).is_ok());
            let _ = check_json(&decoded.text);
            let _ = bounded(&decoded.text, 7);
        }

        #[test]
        fn accepted_json_is_what_serde_reads(value in arb_json()) {
            let text = value.to_string();
            prop_assert!(check_json(&text).is_ok());
            let (decoded, _) = decode(format!("\u{feff}{text}").into_bytes(), Some("application/json"));
            let back: serde_json::Value = serde_json::from_str(&decoded.text).unwrap();
            prop_assert_eq!(back, value);
        }
    }

    fn arb_json() -> impl Strategy<Value = serde_json::Value> {
        let leaf = prop_oneof![
            Just(serde_json::Value::Null),
            any::<bool>().prop_map(serde_json::Value::from),
            any::<i64>().prop_map(serde_json::Value::from),
            ".*".prop_map(serde_json::Value::from),
        ];
        leaf.prop_recursive(4, 32, 6, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::from),
                proptest::collection::hash_map(".*", inner, 0..6)
                    .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
            ]
        })
    }
}
