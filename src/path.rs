//! Safe API paths: a caller-supplied path is checked before any token exchange, so that a
//! token never travels anywhere but the configured origin's `/api/` tree. The rules are the
//! original client's (CONTRACT.md "Safe paths"); the URL resolution is WHATWG's.

use url::Url;

use crate::error::ClientError;

const API_PREFIX: &str = "/api/";
/// Keeps authenticated paths within the URL size every server and proxy accepts.
const MAX_PATH_LENGTH: usize = 2048;

pub const UNSAFE_PATH: &str = "OWOX API path must be an absolute /api/ path without traversal or encoded separators";

fn unsafe_path() -> ClientError {
    ClientError::Config(UNSAFE_PATH.into())
}

/// Resolves `path` (which may carry its own query) against `origin` and appends `query`
/// (already `application/x-www-form-urlencoded`). Returns what goes after the origin:
/// the path and the query, never a fragment.
pub fn resolve(origin: &str, path: &str, query: Option<&str>) -> Result<String, ClientError> {
    let before_query = path.split(['?', '#']).next().unwrap_or_default();
    if path.chars().count() > MAX_PATH_LENGTH || !before_query.starts_with(API_PREFIX) || before_query.contains('\\') {
        return Err(unsafe_path());
    }
    check_segments(before_query)?;
    let base = Url::parse(origin).map_err(|_| unsafe_path())?;
    let mut url = base.join(path).map_err(|_| unsafe_path())?;
    if url.origin() != base.origin() || !url.path().starts_with(API_PREFIX) {
        return Err(unsafe_path());
    }
    let decoded = check_segments(url.path())?;
    if decoded.contains('\\') {
        return Err(unsafe_path());
    }
    url.set_fragment(None);
    if let Some(extra) = query.filter(|q| !q.is_empty()) {
        let joined = match url.query() {
            Some(existing) if !existing.is_empty() => format!("{existing}&{extra}"),
            _ => extra.to_string(),
        };
        url.set_query(Some(&joined));
    }
    Ok(url[url::Position::BeforePath..url::Position::AfterQuery].to_string())
}

/// Checks every percent escape (two hex digits; never an encoded `%`, `/` or `\`), decodes
/// once, and refuses `.` and `..` segments. Returns the decoded path.
fn check_segments(path: &str) -> Result<String, ClientError> {
    let bytes = path.as_bytes();
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%' {
            let hex = |i: usize| bytes.get(i).and_then(|b| (*b as char).to_digit(16));
            let (Some(high), Some(low)) = (hex(index + 1), hex(index + 2)) else {
                return Err(unsafe_path());
            };
            if matches!(high * 16 + low, 0x25 | 0x2f | 0x5c) {
                return Err(unsafe_path());
            }
            index += 3;
        } else {
            index += 1;
        }
    }
    let decoded: Vec<u8> = percent_decode(bytes);
    // decodeURIComponent refuses escapes that are not UTF-8.
    let decoded = String::from_utf8(decoded).map_err(|_| unsafe_path())?;
    if decoded.split('/').any(|segment| segment == "." || segment == "..") {
        return Err(unsafe_path());
    }
    Ok(decoded)
}

fn percent_decode(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let hex = |i: usize| bytes.get(i).and_then(|b| (*b as char).to_digit(16));
        match (bytes[index], hex(index + 1), hex(index + 2)) {
            (b'%', Some(high), Some(low)) => {
                out.push((high * 16 + low) as u8);
                index += 3;
            }
            (byte, _, _) => {
                out.push(byte);
                index += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const ORIGIN: &str = "https://app.owox.com";

    fn ok(path: &str) -> String {
        resolve(ORIGIN, path, None).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    fn refused(path: &str) {
        assert!(resolve(ORIGIN, path, None).is_err(), "{path} must be refused");
    }

    #[test]
    fn plain_paths_pass_and_queries_are_appended() {
        assert_eq!(ok("/api/data-marts"), "/api/data-marts");
        assert_eq!(ok("/api/data-marts/a%20b"), "/api/data-marts/a%20b");
        assert_eq!(ok("/api/search?q=1#frag"), "/api/search?q=1");
        assert_eq!(resolve(ORIGIN, "/api/x", Some("a=1&b=%2F")).unwrap(), "/api/x?a=1&b=%2F");
        assert_eq!(resolve(ORIGIN, "/api/x?z=0", Some("a=1")).unwrap(), "/api/x?z=0&a=1");
        assert_eq!(ok("/api/a b"), "/api/a%20b");
    }

    #[test]
    fn every_rule_refuses_its_case() {
        refused("api/data-marts");
        refused("/apix/data-marts");
        refused("/api");
        refused("https://evil.example/api/x");
        refused("//evil.example/api/x");
        refused("/api/..//x");
        refused("/api/../x");
        refused("/api/./x");
        refused("/api/%2e%2e/x");
        refused("/api/%2E/x");
        refused("/api/a\\b");
        refused("/api/a%5cb");
        refused("/api/a%2Fb");
        refused("/api/a%252e%252e/b");
        refused("/api/a%zz");
        refused("/api/a%4");
        refused("/api/%ff");
        refused(&format!("/api/{}", "a".repeat(2048)));
    }

    #[test]
    fn a_long_but_allowed_path_passes() {
        let path = format!("/api/{}", "a".repeat(2043));
        assert_eq!(path.len(), 2048);
        assert_eq!(ok(&path), path);
    }
}
