//! When to try a request again and how long to wait first: the retry policy in one place.

use std::time::{Duration, SystemTime};

/// First backoff; it doubles with every attempt.
const BASE_DELAY: Duration = Duration::from_millis(500);
const MAX_DELAY: Duration = Duration::from_secs(8);
/// A server asking for a longer pause than this gets its error reported instead: a script
/// that silently sleeps for minutes looks hung.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

/// Statuses that say "try again later" rather than "this request is wrong".
pub fn is_retryable_status(status: u16) -> bool {
    matches!(status, 408 | 429 | 500 | 502 | 503 | 504)
}

/// Exponential backoff with jitter: a random point in the upper half of the window, so
/// clients that failed together do not come back together.
pub fn backoff(retry_number: u32, random_unit: f64) -> Duration {
    let window = BASE_DELAY.saturating_mul(1u32 << retry_number.min(16)).min(MAX_DELAY);
    window.mul_f64(0.5 + 0.5 * random_unit.clamp(0.0, 1.0))
}

/// What a `Retry-After` header asks for.
#[derive(Debug, PartialEq, Eq)]
pub enum RetryAfter {
    Wait(Duration),
    /// Longer than `MAX_RETRY_AFTER`: do not retry.
    TooLong,
}

/// Parses `Retry-After` as delta-seconds or as an HTTP date; `None` when absent or invalid.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<RetryAfter> {
    let value = value.trim();
    // RFC 9110: delay-seconds is 1*DIGIT, however many; a number too big for u64 is
    // still a (very) long delay, not an invalid header to ignore.
    let wait = if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        value.parse::<u64>().map(Duration::from_secs).unwrap_or(Duration::MAX)
    } else {
        let when = httpdate::parse_http_date(value).ok()?;
        when.duration_since(now).unwrap_or(Duration::ZERO)
    };
    Some(if wait > MAX_RETRY_AFTER { RetryAfter::TooLong } else { RetryAfter::Wait(wait) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_is_capped_and_jittered() {
        assert_eq!(backoff(0, 1.0), Duration::from_millis(500));
        assert_eq!(backoff(0, 0.0), Duration::from_millis(250));
        assert_eq!(backoff(1, 1.0), Duration::from_millis(1000));
        assert_eq!(backoff(3, 1.0), Duration::from_millis(4000));
        assert_eq!(backoff(10, 1.0), MAX_DELAY);
        assert_eq!(backoff(u32::MAX, 1.0), MAX_DELAY);
    }

    #[test]
    fn retry_after_seconds_and_dates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(parse_retry_after("0", now), Some(RetryAfter::Wait(Duration::ZERO)));
        assert_eq!(parse_retry_after(" 3 ", now), Some(RetryAfter::Wait(Duration::from_secs(3))));
        assert_eq!(parse_retry_after("3600", now), Some(RetryAfter::TooLong));
        assert_eq!(parse_retry_after("99999999999999999999999", now), Some(RetryAfter::TooLong));
        assert_eq!(parse_retry_after("+5", now), None);
        assert_eq!(parse_retry_after("1.5", now), None);
        let in_five = httpdate::fmt_http_date(now + Duration::from_secs(5));
        assert_eq!(parse_retry_after(&in_five, now), Some(RetryAfter::Wait(Duration::from_secs(5))));
        let past = httpdate::fmt_http_date(now - Duration::from_secs(5));
        assert_eq!(parse_retry_after(&past, now), Some(RetryAfter::Wait(Duration::ZERO)));
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-1", now), None);
    }

    #[test]
    fn retryable_statuses() {
        for s in [408, 429, 500, 502, 503, 504] {
            assert!(is_retryable_status(s));
        }
        for s in [400, 401, 403, 404, 409, 422, 424, 501, 302] {
            assert!(!is_retryable_status(s));
        }
    }
}
