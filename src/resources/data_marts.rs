//! `GET /api/data-marts`, page by page. The pager walks `nextOffset` with the repeated-offset
//! guard and may fetch the pages it expects next while the caller is busy with the current
//! one; a prediction is only ever used when the server's own `nextOffset` confirms it.

use std::collections::VecDeque;
use std::sync::Arc;

use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;
use tokio::task::JoinHandle;

use super::{body_text, JsonBody};
use crate::api::ApiClient;
use crate::ascii::push_ascii_json;
use crate::error::ClientError;
use crate::pagination::PageCursor;
use crate::transport::Call;

const PATH: &str = "/api/data-marts";
const SUBJECT: &str = "OWOX Data Marts API";
/// Items are handed to JavaScript in pieces of about this many bytes, so no single
/// `JSON.parse` holds the event loop for long, and each piece's string stays small enough
/// for V8's young generation instead of its large-object space.
const CHUNK_BYTES: usize = 32 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OwnerFilter {
    HasOwners,
    NoOwners,
}

impl OwnerFilter {
    pub fn parse(value: &str) -> Result<Self, ClientError> {
        match value {
            "has_owners" => Ok(OwnerFilter::HasOwners),
            "no_owners" => Ok(OwnerFilter::NoOwners),
            _ => Err(ClientError::Config("ownerFilter must be 'has_owners' or 'no_owners'".into())),
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            OwnerFilter::HasOwners => "has_owners",
            OwnerFilter::NoOwners => "no_owners",
        }
    }
}

/// How the caller uses the marts: it decides how far ahead pages are fetched here, and how
/// chunk texts become JavaScript strings in `lib.rs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Consumption {
    /// `list()`: every mart is kept, so every page is wanted as early as possible.
    RetainAll,
    /// `iterate()`: marts are used and dropped one by one; memory must stay bounded.
    OneByOne,
}

impl Consumption {
    /// Predicted pages in flight at once.
    fn prefetch(self) -> usize {
        match self {
            Consumption::RetainAll => 3,
            Consumption::OneByOne => 1,
        }
    }
}

/// One page: its items as JSON array texts (in order), and where the next page starts.
#[derive(Debug)]
pub struct Page {
    pub chunks: Vec<String>,
    pub count: u64,
    /// `total` when it is a whole number; only used to predict further pages.
    pub total: Option<u64>,
    pub next_offset: Option<u64>,
}

#[derive(Deserialize)]
struct PageShape<'a> {
    #[serde(borrow)]
    items: Vec<&'a RawValue>,
    total: f64,
    // Missing and null differ: a missing nextOffset is a wrong shape, null means the end.
    #[serde(rename = "nextOffset", default, deserialize_with = "present")]
    next_offset: Option<Option<f64>>,
}

fn present<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Option<f64>>, D::Error> {
    Option::<f64>::deserialize(deserializer).map(Some)
}

/// A JSON number that can be an offset or a count: a whole, non-negative, exact integer.
fn whole(n: f64) -> Option<u64> {
    (n.is_finite() && n >= 0.0 && n.fract() == 0.0 && n <= 9_007_199_254_740_991.0).then_some(n as u64)
}

/// Checks the page's shape and splits its items into chunks without parsing them.
fn parse_page(json: &JsonBody) -> Result<Page, ClientError> {
    let (text, status) = (json.text.as_str(), json.status);
    let shape_error = || ClientError::shape(SUBJECT, status, text);
    let shape: PageShape = json.parse(SUBJECT)?;
    if !json.is_object() {
        return Err(shape_error());
    }
    // The contract asks only for a number here; an odd one just disables prediction.
    let total = whole(shape.total);
    let Some(next_offset) = shape.next_offset else {
        return Err(shape_error());
    };
    let next_offset = match next_offset {
        None => None,
        Some(n) => Some(whole(n).ok_or_else(shape_error)?),
    };
    Ok(Page { chunks: chunk_items(text, &shape.items), count: shape.items.len() as u64, total, next_offset })
}

/// Slices of the body, each a JSON array of consecutive items, about `CHUNK_BYTES` long.
fn chunk_items(text: &str, items: &[&RawValue]) -> Vec<String> {
    let base = text.as_ptr() as usize;
    let start_of = |item: &RawValue| item.get().as_ptr() as usize - base;
    let end_of = |item: &RawValue| start_of(item) + item.get().len();
    let mut chunks = Vec::new();
    let mut first = 0;
    while first < items.len() {
        let chunk_start = start_of(items[first]);
        let mut last = first;
        while last + 1 < items.len() && end_of(items[last + 1]) - chunk_start <= CHUNK_BYTES {
            last += 1;
        }
        let slice = &text[chunk_start..end_of(items[last])];
        let mut chunk = String::with_capacity(slice.len() + 2);
        chunk.push('[');
        push_ascii_json(&mut chunk, slice);
        chunk.push(']');
        chunks.push(chunk);
        first = last + 1;
    }
    chunks
}

fn page_path(offset: Option<u64>, filter: Option<OwnerFilter>) -> String {
    let mut query = Vec::new();
    if let Some(offset) = offset {
        query.push(format!("offset={offset}"));
    }
    if let Some(filter) = filter {
        query.push(format!("ownerFilter={}", filter.as_str()));
    }
    if query.is_empty() {
        PATH.to_string()
    } else {
        format!("{PATH}?{}", query.join("&"))
    }
}

async fn fetch_page(
    api: &ApiClient,
    offset: Option<u64>,
    filter: Option<OwnerFilter>,
    call: &Call,
) -> Result<Page, ClientError> {
    let json = body_text(api.get(&page_path(offset, filter), call).await?, SUBJECT)?;
    parse_page(&json)
}

struct Prefetch {
    offset: u64,
    task: JoinHandle<Result<Page, ClientError>>,
}

pub struct DataMartPager {
    api: Arc<ApiClient>,
    call: Call,
    filter: Option<OwnerFilter>,
    /// The contract's first request has no query string unless the caller chose an offset.
    bare_first_request: bool,
    cursor: PageCursor,
    ahead: VecDeque<Prefetch>,
    consumption: Consumption,
}

impl DataMartPager {
    pub fn new(
        api: Arc<ApiClient>,
        call: Call,
        offset: Option<u64>,
        filter: Option<OwnerFilter>,
        consumption: Consumption,
    ) -> Self {
        DataMartPager {
            api,
            call,
            filter,
            bare_first_request: offset.is_none(),
            cursor: PageCursor::new(offset.unwrap_or(0)),
            ahead: VecDeque::new(),
            consumption,
        }
    }

    /// The next page, or `None` after the last one.
    pub async fn next(&mut self) -> Result<Option<Page>, ClientError> {
        let Some(offset) = self.cursor.pending() else {
            return Ok(None);
        };
        let result = match self.take_prefetched(offset) {
            Some(task) => {
                task.await.unwrap_or_else(|_| Err(ClientError::api("OWOX Data Marts page fetch stopped unexpectedly")))
            }
            None => {
                let query_offset = (!self.bare_first_request).then_some(offset);
                fetch_page(&self.api, query_offset, self.filter, &self.call).await
            }
        };
        let page = match result.and_then(|page| self.cursor.advance(page.next_offset, page.count).map(|()| page)) {
            Ok(page) => page,
            Err(error) => {
                self.cursor.stop();
                self.cancel_ahead();
                return Err(error);
            }
        };
        self.bare_first_request = false;
        self.schedule_ahead(&page);
        Ok(Some(page))
    }

    /// The prefetch for `offset`, if the front of the queue is it; otherwise every
    /// prediction was wrong and is dropped.
    fn take_prefetched(&mut self, offset: u64) -> Option<JoinHandle<Result<Page, ClientError>>> {
        match self.ahead.pop_front() {
            Some(prefetch) if prefetch.offset == offset => Some(prefetch.task),
            Some(prefetch) => {
                prefetch.task.abort();
                self.cancel_ahead();
                None
            }
            None => None,
        }
    }

    /// Starts fetching the pages expected after `page`: `nextOffset`, then steps of the
    /// page's length, up to `total` and `depth` in flight.
    fn schedule_ahead(&mut self, page: &Page) {
        let Some(next) = page.next_offset else {
            self.cancel_ahead();
            return;
        };
        if page.count == 0 {
            return;
        }
        let mut offset = self.ahead.back().map_or(next, |last| last.offset + page.count);
        while self.ahead.len() < self.consumption.prefetch() && page.total.is_some_and(|total| offset < total) {
            let (api, call, filter) = (self.api.clone(), self.call.clone(), self.filter);
            let task = tokio::spawn(async move { fetch_page(&api, Some(offset), filter, &call).await });
            self.ahead.push_back(Prefetch { offset, task });
            offset += page.count;
        }
    }

    fn cancel_ahead(&mut self) {
        for prefetch in self.ahead.drain(..) {
            prefetch.task.abort();
        }
    }
}

impl Drop for DataMartPager {
    fn drop(&mut self) {
        self.cancel_ahead();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(text: &str) -> Result<Page, ClientError> {
        parse_page(&JsonBody { status: 200, text: text.to_string() })
    }

    fn reparse(chunks: &[String]) -> Vec<serde_json::Value> {
        chunks.iter().flat_map(|c| serde_json::from_str::<Vec<serde_json::Value>>(c).unwrap()).collect()
    }

    #[test]
    fn page_shape_is_checked() {
        let ok = page(r#"{"items":[{"a":1},{"b":[2]}],"total":5,"nextOffset":2}"#).unwrap();
        assert_eq!((ok.count, ok.total, ok.next_offset), (2, Some(5), Some(2)));
        let odd_total = page(r#"{"items":[],"total":1.5,"nextOffset":null}"#).unwrap();
        assert_eq!(odd_total.total, None);
        let last = page(r#"{"items":[],"total":0,"nextOffset":null}"#).unwrap();
        assert_eq!(last.next_offset, None);
        assert!(last.chunks.is_empty());
        for bad in [
            r#"[]"#,
            r#"[[], 0, null]"#,
            r#"{"items":{},"total":1,"nextOffset":null}"#,
            r#"{"items":[],"total":"1","nextOffset":null}"#,
            r#"{"items":[],"total":1}"#,
            r#"{"items":[],"total":1,"nextOffset":"2"}"#,
            r#"{"total":1,"nextOffset":null}"#,
        ] {
            let error = page(bad).unwrap_err();
            assert_eq!(error.to_string(), "OWOX Data Marts API returned an unexpected response shape", "{bad}");
        }
    }

    #[test]
    fn chunks_keep_every_item_in_order_and_byte_for_byte() {
        let items: Vec<String> =
            (0..500).map(|i| format!(r#"{{"i":{i},"pad":"{}","n":1.0e2}}"#, "x".repeat(i * 7))).collect();
        let body = format!(r#"{{ "items" : [ {} ], "total": 500, "nextOffset": null }}"#, items.join(" ,\n"));
        let page = page(&body).unwrap();
        assert!(page.chunks.len() > 1);
        assert!(page.chunks.iter().all(|c| c.len() <= CHUNK_BYTES + 2 || !c[1..].contains("},")));
        let expected: Vec<serde_json::Value> = items.iter().map(|i| serde_json::from_str(i).unwrap()).collect();
        assert_eq!(reparse(&page.chunks), expected);
        assert!(page.chunks[0].contains("1.0e2"), "numbers are passed through as written");
    }

    #[test]
    fn chunks_are_ascii_and_parse_to_the_same_unicode() {
        let body = r#"{"items":[{"t":"Продажи 売上 😀 \u00e9 \ud800"}],"total":1,"nextOffset":null}"#;
        let page = page(body).unwrap();
        assert!(page.chunks[0].is_ascii(), "{}", page.chunks[0]);
        assert!(page.chunks[0].contains(r"\ud83d\ude00"), "astral characters become surrogate pairs");
        assert!(page.chunks[0].contains(r"\ud800"), "escapes already in the body are kept as written");
        let expected: serde_json::Value =
            serde_json::from_str(r#"[{"t":"Продажи 売上 😀 \u00e9 \ud800"}]"#.replace(r" \ud800", "").as_str())
                .unwrap();
        let ours: serde_json::Value = serde_json::from_str(&page.chunks[0].replace(r" \ud800", "")).unwrap();
        assert_eq!(ours, expected);
    }

    #[test]
    fn paths_carry_offset_and_filter() {
        assert_eq!(page_path(None, None), "/api/data-marts");
        assert_eq!(page_path(Some(1000), None), "/api/data-marts?offset=1000");
        assert_eq!(page_path(Some(0), Some(OwnerFilter::NoOwners)), "/api/data-marts?offset=0&ownerFilter=no_owners");
        assert_eq!(page_path(None, Some(OwnerFilter::HasOwners)), "/api/data-marts?ownerFilter=has_owners");
        assert!(OwnerFilter::parse("all").is_err());
    }
}
