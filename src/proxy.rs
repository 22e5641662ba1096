//! Which proxy a request goes through: the proxy variables of the JavaScript side's
//! `process.env` (worker threads have their own copy, so Rust never reads its own), read
//! the way curl documents them.
//!
//! - `http_proxy`/`HTTP_PROXY` for http:// origins, `https_proxy`/`HTTPS_PROXY` for
//!   https:// ones, else `all_proxy`/`ALL_PROXY`. The lower-case name wins, as in curl.
//! - A variable that is set but empty (or blank) counts as unset, as curl's `curl_getenv`
//!   does, so `HTTPS_PROXY=` never hides `https_proxy=...`.
//! - `HTTP_PROXY` (upper case) is ignored when `REQUEST_METHOD` is set: in a CGI program it
//!   can come from a request's `Proxy:` header ("httpoxy"). curl never reads it at all; most
//!   other tools read it outside CGI, and so does this client.
//! - `no_proxy`/`NO_PROXY`: entries separated by commas or blanks; `*` is everything (IP
//!   origins included); a name matches itself and every subdomain, with or without a
//!   leading `.` (or `*.`); IPv4/IPv6 addresses and CIDR ranges match IP origins; `host:port`
//!   and `[v6]:port` match that port only.
//!
//! reqwest's own environment reading hides a lower-case variable behind an empty upper-case
//! one and does not apply `*` to IP addresses; the `no-proxy` crate treats `example.com` as
//! an exact name and has no port form. Neither follows curl, so the rules live here.

use std::collections::HashMap;
use std::fmt;
use std::net::IpAddr;

use url::{Host, Url};

use crate::error::ClientError;

/// Where each request goes: a proxy per scheme, and the hosts that bypass it.
#[derive(Clone, Default)]
pub struct ProxySettings {
    http: Option<ProxyChoice>,
    https: Option<ProxyChoice>,
    bypass: NoProxy,
}

/// The proxy a variable names, or why it cannot be used (reported only if it is needed).
#[derive(Clone)]
struct ProxyChoice {
    variable: &'static str,
    target: Result<Url, ProxyProblem>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum ProxyProblem {
    NotUrl,
    /// The scheme, which is safe to show (URL schemes hold no credentials).
    Unsupported(String),
}

impl ProxySettings {
    /// Reads the variables out of `env` (the names and values of `process.env`).
    pub fn from_env(env: &HashMap<String, String>) -> Self {
        let var = |name: &'static str| -> Option<(&'static str, &str)> {
            env.get(name).map(|v| v.trim()).filter(|v| !v.is_empty()).map(|v| (name, v))
        };
        let cgi = var("REQUEST_METHOD").is_some();
        let all = || var("all_proxy").or_else(|| var("ALL_PROXY"));
        let http = var("http_proxy").or_else(|| if cgi { None } else { var("HTTP_PROXY") }).or_else(all);
        let https = var("https_proxy").or_else(|| var("HTTPS_PROXY")).or_else(all);
        let choice = |found: Option<(&'static str, &str)>| {
            found.map(|(variable, value)| ProxyChoice { variable, target: parse_proxy(value) })
        };
        let no_proxy = var("no_proxy").or_else(|| var("NO_PROXY")).map_or("", |(_, value)| value);
        ProxySettings { http: choice(http), https: choice(https), bypass: NoProxy::parse(no_proxy) }
    }

    /// The proxy for a request to `url`, or `None` to connect directly.
    pub fn proxy_for(&self, url: &Url) -> Option<&Url> {
        let choice = match url.scheme() {
            "http" => self.http.as_ref(),
            "https" => self.https.as_ref(),
            _ => None,
        }?;
        if self.bypass.matches(url) {
            return None;
        }
        choice.target.as_ref().ok()
    }

    /// Refuses a proxy variable that the client would need for `origin` but cannot use, so
    /// the client never silently goes direct. The message names the variable, never its
    /// value (it may hold a user name and password).
    pub fn check(&self, origin: &str) -> Result<(), ClientError> {
        let Ok(url) = Url::parse(origin) else { return Ok(()) };
        let choice = match url.scheme() {
            "http" => self.http.as_ref(),
            "https" => self.https.as_ref(),
            _ => None,
        };
        let Some(ProxyChoice { variable, target: Err(problem) }) = choice else { return Ok(()) };
        if self.bypass.matches(&url) {
            return Ok(());
        }
        let message = match problem {
            ProxyProblem::NotUrl => format!(
                "The proxy in {variable} is not a valid URL (expected http://[user:password@]host[:port]); \
                 fix it, or list the origin's host in NO_PROXY"
            ),
            ProxyProblem::Unsupported(scheme) => format!(
                "The proxy in {variable} uses {scheme}://, which @owox/api-client does not support \
                 (use an http:// or https:// proxy), or list the origin's host in NO_PROXY"
            ),
        };
        Err(ClientError::Config(message))
    }

    /// A reqwest proxy that asks these rules for every request.
    pub fn to_reqwest(&self) -> reqwest::Proxy {
        let rules = self.clone();
        reqwest::Proxy::custom(move |url| rules.proxy_for(url).cloned())
    }
}

/// Names and hosts only: a proxy's user name and password never print.
impl fmt::Debug for ProxySettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let show = |choice: &Option<ProxyChoice>| match choice {
            None => "direct".to_string(),
            Some(ProxyChoice { variable, target: Ok(url) }) => {
                format!("{variable} -> {}://{}", url.scheme(), host_and_port(url))
            }
            Some(ProxyChoice { variable, target: Err(problem) }) => format!("{variable} unusable ({problem:?})"),
        };
        f.debug_struct("ProxySettings")
            .field("http", &show(&self.http))
            .field("https", &show(&self.https))
            .field("bypass", &self.bypass)
            .finish()
    }
}

fn host_and_port(url: &Url) -> String {
    match (url.host_str(), url.port_or_known_default()) {
        (Some(host), Some(port)) => format!("{host}:{port}"),
        (Some(host), None) => host.to_string(),
        _ => String::new(),
    }
}

/// `[scheme://][user:password@]host[:port][/...]`, like curl: no scheme means http, a path
/// is ignored. Only HTTP proxies (plain or over TLS) are supported.
fn parse_proxy(value: &str) -> Result<Url, ProxyProblem> {
    let url = if value.contains("://") { Url::parse(value) } else { Url::parse(&format!("http://{value}")) }
        .map_err(|_| ProxyProblem::NotUrl)?;
    if url.scheme() != "http" && url.scheme() != "https" {
        return Err(ProxyProblem::Unsupported(url.scheme().to_string()));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(ProxyProblem::NotUrl);
    }
    let mut proxy = url;
    proxy.set_path("");
    proxy.set_query(None);
    proxy.set_fragment(None);
    Ok(proxy)
}

/// The parsed `NO_PROXY` list.
#[derive(Clone, Debug, Default)]
struct NoProxy {
    rules: Vec<Rule>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Rule {
    Everything,
    /// One address, on any port or on one port.
    Address {
        ip: IpAddr,
        port: Option<u16>,
    },
    /// A CIDR range such as `10.0.0.0/8` or `fd00::/8`.
    Network {
        ip: IpAddr,
        prefix: u8,
    },
    /// A name and all its subdomains (lower-case ASCII, no leading or trailing dot).
    Domain {
        name: String,
        port: Option<u16>,
    },
}

impl NoProxy {
    fn parse(list: &str) -> Self {
        let entries = list.split(|c: char| c == ',' || c.is_whitespace()).filter(|e| !e.is_empty());
        NoProxy { rules: entries.filter_map(parse_rule).collect() }
    }

    fn matches(&self, url: &Url) -> bool {
        let Some(host) = url.host() else { return false };
        let port = url.port_or_known_default();
        self.rules.iter().any(|rule| rule.matches(&host, port))
    }
}

/// One entry; `None` for an entry that can never match (it is ignored, as curl does).
fn parse_rule(entry: &str) -> Option<Rule> {
    if entry == "*" {
        return Some(Rule::Everything);
    }
    if let Some((address, bits)) = entry.split_once('/') {
        let ip: IpAddr = unbracket(address).parse().ok()?;
        let prefix: u8 = bits.parse().ok()?;
        let max = if ip.is_ipv4() { 32 } else { 128 };
        return (prefix <= max).then_some(Rule::Network { ip, prefix });
    }
    if let Ok(ip) = entry.parse::<IpAddr>() {
        return Some(Rule::Address { ip, port: None });
    }
    let (host, port) = split_port(entry)?;
    if let Ok(ip) = unbracket(host).parse::<IpAddr>() {
        return Some(Rule::Address { ip, port });
    }
    let name = host.strip_prefix("*.").unwrap_or(host);
    let name = name.strip_prefix('.').unwrap_or(name);
    let name = name.strip_suffix('.').unwrap_or(name);
    if name.is_empty() || name.contains(['*', '[', ']', ':']) {
        return None;
    }
    Some(Rule::Domain { name: ascii_domain(name), port })
}

/// Splits `host:port` or `[v6]:port`; `None` when a port is there but is not a port.
fn split_port(entry: &str) -> Option<(&str, Option<u16>)> {
    if entry.starts_with('[') {
        let end = entry.find(']')?;
        let (host, rest) = entry.split_at(end + 1);
        return match rest {
            "" => Some((host, None)),
            _ => Some((host, Some(rest.strip_prefix(':')?.parse().ok()?))),
        };
    }
    match entry.split_once(':') {
        None => Some((entry, None)),
        Some((host, port)) => Some((host, Some(port.parse().ok()?))),
    }
}

fn unbracket(host: &str) -> &str {
    host.strip_prefix('[').and_then(|h| h.strip_suffix(']')).unwrap_or(host)
}

/// The form URL hosts take: lower-case, and punycode for international names.
fn ascii_domain(name: &str) -> String {
    if name.is_ascii() {
        return name.to_ascii_lowercase();
    }
    match Host::parse(name) {
        Ok(Host::Domain(ascii)) => ascii,
        _ => name.to_lowercase(),
    }
}

impl Rule {
    fn matches(&self, host: &Host<&str>, port: Option<u16>) -> bool {
        let port_ok = |wanted: &Option<u16>| wanted.is_none() || *wanted == port;
        match self {
            Rule::Everything => true,
            Rule::Address { ip, port: wanted } => host_ip(host) == Some(*ip) && port_ok(wanted),
            Rule::Network { ip, prefix } => host_ip(host).is_some_and(|h| in_network(h, *ip, *prefix)),
            Rule::Domain { name, port: wanted } => match host {
                Host::Domain(domain) => {
                    let domain = domain.strip_suffix('.').unwrap_or(domain);
                    is_same_or_subdomain(domain, name) && port_ok(wanted)
                }
                _ => false,
            },
        }
    }
}

/// An IP origin's address; an IPv4-mapped IPv6 address counts as the IPv4 one.
fn host_ip(host: &Host<&str>) -> Option<IpAddr> {
    match host {
        Host::Ipv4(v4) => Some(IpAddr::V4(*v4)),
        Host::Ipv6(v6) => Some(v6.to_ipv4_mapped().map_or(IpAddr::V6(*v6), IpAddr::V4)),
        Host::Domain(_) => None,
    }
}

fn in_network(host: IpAddr, network: IpAddr, prefix: u8) -> bool {
    match (host, network) {
        (IpAddr::V4(h), IpAddr::V4(n)) => {
            let mask = u32::MAX.checked_shl(32 - u32::from(prefix)).unwrap_or(0);
            u32::from(h) & mask == u32::from(n) & mask
        }
        (IpAddr::V6(h), IpAddr::V6(n)) => {
            let mask = u128::MAX.checked_shl(128 - u32::from(prefix)).unwrap_or(0);
            u128::from(h) & mask == u128::from(n) & mask
        }
        _ => false,
    }
}

/// `example.com` matches `example.com` and `www.example.com`, not `notexample.com`.
fn is_same_or_subdomain(domain: &str, name: &str) -> bool {
    if domain.eq_ignore_ascii_case(name) {
        return true;
    }
    let (domain, name) = (domain.as_bytes(), name.as_bytes());
    domain.len() > name.len()
        && domain[domain.len() - name.len() - 1] == b'.'
        && domain[domain.len() - name.len()..].eq_ignore_ascii_case(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(vars: &[(&str, &str)]) -> ProxySettings {
        ProxySettings::from_env(&vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect())
    }

    fn route(s: &ProxySettings, url: &str) -> Option<String> {
        s.proxy_for(&Url::parse(url).unwrap()).map(|u| u.to_string())
    }

    fn bypassed(no_proxy: &str, url: &str) -> bool {
        NoProxy::parse(no_proxy).matches(&Url::parse(url).unwrap())
    }

    #[test]
    fn each_scheme_has_its_variable_and_all_proxy_is_the_fallback() {
        let s = settings(&[("HTTP_PROXY", "http://h:1"), ("HTTPS_PROXY", "http://s:2")]);
        assert_eq!(route(&s, "http://api.io").as_deref(), Some("http://h:1/"));
        assert_eq!(route(&s, "https://api.io").as_deref(), Some("http://s:2/"));
        let s = settings(&[("ALL_PROXY", "http://a:3"), ("HTTPS_PROXY", "http://s:2")]);
        assert_eq!(route(&s, "http://api.io").as_deref(), Some("http://a:3/"));
        assert_eq!(route(&s, "https://api.io").as_deref(), Some("http://s:2/"));
        assert_eq!(route(&settings(&[]), "https://api.io"), None);
        // HTTPS_PROXY never applies to http:// and HTTP_PROXY never to https://.
        assert_eq!(route(&settings(&[("HTTPS_PROXY", "http://s:2")]), "http://api.io"), None);
        assert_eq!(route(&settings(&[("HTTP_PROXY", "http://h:1")]), "https://api.io"), None);
    }

    #[test]
    fn lower_case_wins_and_empty_means_unset() {
        let s = settings(&[("HTTPS_PROXY", "http://upper:1"), ("https_proxy", "http://lower:2")]);
        assert_eq!(route(&s, "https://api.io").as_deref(), Some("http://lower:2/"));
        // The reported fault: an empty upper-case variable hid the lower-case one.
        let s = settings(&[("HTTPS_PROXY", ""), ("https_proxy", "http://u:p@proxy:8080")]);
        assert_eq!(route(&s, "https://api.io").as_deref(), Some("http://u:p@proxy:8080/"));
        let s = settings(&[("https_proxy", "  "), ("HTTPS_PROXY", "http://upper:1")]);
        assert_eq!(route(&s, "https://api.io").as_deref(), Some("http://upper:1/"));
        let s = settings(&[("https_proxy", ""), ("HTTPS_PROXY", ""), ("all_proxy", "http://all:3")]);
        assert_eq!(route(&s, "https://api.io").as_deref(), Some("http://all:3/"));
        let s = settings(&[("HTTP_PROXY", "http://h:1"), ("NO_PROXY", ""), ("no_proxy", "api.io")]);
        assert_eq!(route(&s, "http://api.io"), None);
        let s = settings(&[("HTTP_PROXY", "http://h:1"), ("no_proxy", ""), ("NO_PROXY", "api.io")]);
        assert_eq!(route(&s, "http://api.io"), None);
        let s = settings(&[("HTTP_PROXY", "http://h:1"), ("no_proxy", "other.io"), ("NO_PROXY", "api.io")]);
        assert_eq!(route(&s, "http://api.io").as_deref(), Some("http://h:1/"));
    }

    #[test]
    fn upper_case_http_proxy_is_ignored_under_cgi() {
        let s = settings(&[("HTTP_PROXY", "http://from-header:1"), ("REQUEST_METHOD", "GET")]);
        assert_eq!(route(&s, "http://api.io"), None);
        let s = settings(&[("http_proxy", "http://h:1"), ("REQUEST_METHOD", "GET")]);
        assert_eq!(route(&s, "http://api.io").as_deref(), Some("http://h:1/"));
    }

    #[test]
    fn proxy_values_are_read_like_curl() {
        let s = settings(&[("HTTP_PROXY", "proxy.corp:3128")]);
        assert_eq!(route(&s, "http://api.io").as_deref(), Some("http://proxy.corp:3128/"));
        let s = settings(&[("HTTP_PROXY", "u:p%40ss@proxy.corp:3128/some/path?x#y")]);
        assert_eq!(route(&s, "http://api.io").as_deref(), Some("http://u:p%40ss@proxy.corp:3128/"));
        let s = settings(&[("HTTPS_PROXY", "https://[::1]:8443")]);
        assert_eq!(route(&s, "https://api.io").as_deref(), Some("https://[::1]:8443/"));
    }

    #[test]
    fn unusable_proxies_are_refused_only_when_needed_and_never_echoed() {
        let s = settings(&[("HTTPS_PROXY", "socks5://user:hunter2@proxy:1080")]);
        let message = match s.check("https://api.io") {
            Err(ClientError::Config(m)) => m,
            other => panic!("{other:?}"),
        };
        assert!(message.contains("HTTPS_PROXY") && message.contains("socks5://"), "{message}");
        assert!(!message.contains("hunter2") && !message.contains("user"), "{message}");
        assert!(s.check("http://api.io").is_ok(), "HTTPS_PROXY is not used for http://");
        let s = settings(&[("HTTPS_PROXY", "socks5://user:hunter2@proxy:1080"), ("NO_PROXY", "api.io")]);
        assert!(s.check("https://api.io").is_ok(), "a bypassed origin needs no proxy");
        let s = settings(&[("http_proxy", "http://hunter2@[bad")]);
        match s.check("http://api.io") {
            Err(ClientError::Config(m)) => assert!(m.contains("http_proxy") && !m.contains("hunter2"), "{m}"),
            other => panic!("{other:?}"),
        }
        assert!(!format!("{s:?}").contains("hunter2"));
        let ok = settings(&[("HTTP_PROXY", "http://user:hunter2@proxy:8080")]);
        assert!(ok.check("http://api.io").is_ok());
        let shown = format!("{ok:?}");
        assert!(shown.contains("proxy:8080") && !shown.contains("hunter2") && !shown.contains("user"), "{shown}");
    }

    #[test]
    fn star_bypasses_everything_including_ip_origins() {
        for url in ["http://127.0.0.1:8080", "http://[::1]:3000", "https://app.owox.com", "http://localhost"] {
            assert!(bypassed("*", url), "{url}");
            assert!(bypassed(" example.com , * ", url), "{url}");
        }
        let s = settings(&[("HTTP_PROXY", "http://h:1"), ("NO_PROXY", "*")]);
        assert_eq!(route(&s, "http://127.0.0.1:9"), None);
    }

    #[test]
    fn names_match_themselves_and_subdomains_with_or_without_a_leading_dot() {
        for entry in ["example.com", ".example.com", "*.example.com", "EXAMPLE.com.", "  example.com  "] {
            assert!(bypassed(entry, "https://example.com"), "{entry}");
            assert!(bypassed(entry, "https://api.Example.com:8443"), "{entry}");
            assert!(bypassed(entry, "https://a.b.example.com"), "{entry}");
            assert!(!bypassed(entry, "https://notexample.com"), "{entry}");
            assert!(!bypassed(entry, "https://example.com.evil.io"), "{entry}");
            assert!(!bypassed(entry, "https://example.org"), "{entry}");
        }
        assert!(bypassed("localhost", "http://localhost:3000"));
        assert!(bypassed("münchen.de", "https://www.münchen.de"));
        assert!(!bypassed("localhost", "http://127.0.0.1:3000"), "no name resolution");
        assert!(!bypassed("com.", "https://example.org"));
        assert!(!bypassed("", "https://example.com"));
        assert!(!bypassed(".", "https://example.com"));
    }

    #[test]
    fn entries_are_separated_by_commas_or_blanks() {
        let list = "10.0.0.1,, intranet.corp  localhost\t.svc";
        assert!(bypassed(list, "http://localhost:1"));
        assert!(bypassed(list, "http://intranet.corp"));
        assert!(bypassed(list, "http://api.default.svc"));
        assert!(bypassed(list, "http://10.0.0.1"));
        assert!(!bypassed(list, "http://10.0.0.2"));
    }

    #[test]
    fn addresses_and_cidr_ranges_match_ip_origins() {
        assert!(bypassed("127.0.0.1", "http://127.0.0.1:8080"));
        assert!(!bypassed("127.0.0.1", "http://127.0.0.2"));
        assert!(bypassed("10.0.0.0/8", "http://10.20.30.40"));
        assert!(!bypassed("10.0.0.0/8", "http://11.0.0.1"));
        assert!(bypassed("192.168.1.77/24", "http://192.168.1.5"));
        assert!(bypassed("0.0.0.0/0", "http://8.8.8.8"));
        assert!(!bypassed("0.0.0.0/0", "http://[::1]"));
        assert!(bypassed("127.0.0.0/8", "http://[::ffff:127.0.0.1]"));
        assert!(bypassed("::1", "http://[::1]:3000"));
        assert!(bypassed("[::1]", "http://[::1]:3000"));
        assert!(bypassed("0:0::1", "http://[::1]"), "addresses compare as numbers, not text");
        assert!(bypassed("fd00::/8", "http://[fd12:3456::1]"));
        assert!(bypassed("[fd00::]/8", "http://[fd12:3456::1]"));
        assert!(!bypassed("fd00::/8", "http://[fe80::1]"));
        assert!(!bypassed("10.0.0.0/8", "http://10.example.com"));
        for ignored in ["10.0.0.0/33", "::/129", "10.0.0.0/x", "10.0.0/8", "/8"] {
            assert!(!bypassed(ignored, "http://10.0.0.1"), "{ignored}");
            assert!(!bypassed(ignored, "http://[::1]"), "{ignored}");
        }
    }

    #[test]
    fn host_port_entries_match_that_port_only() {
        assert!(bypassed("127.0.0.1:8080", "http://127.0.0.1:8080"));
        assert!(!bypassed("127.0.0.1:8080", "http://127.0.0.1:8081"));
        assert!(bypassed("example.com:443", "https://api.example.com"), "the scheme's default port");
        assert!(!bypassed("example.com:443", "http://api.example.com"));
        assert!(bypassed("[::1]:3000", "http://[::1]:3000"));
        assert!(!bypassed("[::1]:3000", "http://[::1]:3001"));
        assert!(bypassed("localhost:3000", "http://localhost:3000"));
        for ignored in ["localhost:", "localhost:x", "localhost:70000", "[::1]x", "[::1]:", "a:b:c", "[::1"] {
            assert!(!bypassed(ignored, "http://localhost:3000"), "{ignored}");
            assert!(!bypassed(ignored, "http://[::1]:3000"), "{ignored}");
        }
    }

    #[test]
    fn arbitrary_input_never_panics() {
        let samples = ["", ",", "*,*", "[", "]", "[]", "[]:1", ":", ":1", "/", "1/", "*.", "..", "\u{0}", "é:1", "[é]"];
        for a in samples {
            for b in samples {
                let list = format!("{a}{b}");
                for url in ["http://localhost:1", "http://[::1]", "http://10.0.0.1", "https://x.y"] {
                    let _ = bypassed(&list, url);
                }
                let s = settings(&[("HTTP_PROXY", &list), ("HTTPS_PROXY", &list), ("NO_PROXY", &list)]);
                let _ = s.check("http://x.y");
                let _ = s.check("https://x.y");
                let _ = format!("{s:?}");
            }
        }
    }
}
