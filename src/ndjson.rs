//! NDJSON lines: bytes as they arrive from the network are split into lines, each line is
//! checked to be one JSON object, and rows are batched into JSON array texts, so JavaScript
//! does one `JSON.parse` per batch and no decoding or splitting at all.
//!
//! Line numbers count non-blank lines, as the original client does; a blank line (also a
//! lone `\r`) is skipped. A line ends at `\n`; a `\r` before it is dropped.

use serde_json::value::RawValue;

use crate::ascii::push_ascii_json;
use crate::body::{nesting_depth, MAX_NESTING};
use crate::error::{json_string, ApiFailure, ClientError};

/// How long a preview of a malformed line may be, in characters.
const PREVIEW_CHARS: usize = 200;

/// Rows ready for JavaScript: a JSON array text, built up row by row.
#[derive(Debug, Default)]
pub struct Batch {
    text: String,
    rows: u64,
}

impl Batch {
    #[cfg(test)]
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Bytes of row text so far.
    pub fn len(&self) -> usize {
        self.text.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }

    fn push(&mut self, row: &str) {
        self.text.push(if self.rows == 0 { '[' } else { ',' });
        // ASCII, so V8 keeps the batch one byte per character and parses it faster.
        push_ascii_json(&mut self.text, row);
        self.rows += 1;
    }

    /// The JSON array text, or `None` for an empty batch; the batch starts over.
    pub fn take(&mut self) -> Option<String> {
        if self.rows == 0 {
            return None;
        }
        self.rows = 0;
        let mut text = std::mem::take(&mut self.text);
        text.push(']');
        Some(text)
    }
}

/// A sink for checked rows: the batch for JavaScript, or a file writer.
pub trait Rows {
    /// One checked row (a JSON object's text) and its line number.
    fn row(&mut self, row: &str, line_number: u64) -> Result<(), ClientError>;
}

impl Rows for Batch {
    fn row(&mut self, row: &str, _line_number: u64) -> Result<(), ClientError> {
        self.push(row);
        Ok(())
    }
}

/// Splits a byte stream into checked rows.
pub struct LineReader {
    /// The start of a line whose end has not arrived yet.
    partial: Vec<u8>,
    line_number: u64,
    max_line_bytes: u64,
    /// `OWOX Data Mart` or `OWOX report`: named in messages.
    subject: String,
}

impl LineReader {
    pub fn new(subject: &str, max_line_bytes: u64) -> Self {
        LineReader { partial: Vec::new(), line_number: 0, max_line_bytes, subject: subject.to_string() }
    }

    /// Feeds one network chunk. Every complete row before a bad line reaches `rows` first;
    /// then the bad line is the error.
    pub fn feed(&mut self, chunk: &[u8], rows: &mut impl Rows) -> Result<(), ClientError> {
        let mut rest = chunk;
        while let Some(end) = rest.iter().position(|&b| b == b'\n') {
            let (line, after) = rest.split_at(end);
            rest = &after[1..];
            if self.partial.is_empty() {
                self.line(line, rows)?;
            } else {
                let mut whole = std::mem::take(&mut self.partial);
                whole.extend_from_slice(line);
                self.check_length(whole.len())?;
                self.line(&whole, rows)?;
            }
        }
        if !rest.is_empty() {
            self.check_length(self.partial.len() + rest.len())?;
            self.partial.extend_from_slice(rest);
        }
        Ok(())
    }

    /// The body ended cleanly: a last line without `\n` is a row too.
    pub fn finish(&mut self, rows: &mut impl Rows) -> Result<(), ClientError> {
        let last = std::mem::take(&mut self.partial);
        self.line(&last, rows)
    }

    /// Whether part of a line is waiting for its end (a cut now would cut a row).
    pub fn mid_line(&self) -> bool {
        !self.partial.is_empty()
    }

    fn check_length(&self, len: usize) -> Result<(), ClientError> {
        if len as u64 > self.max_line_bytes {
            let mut error = ClientError::too_large(self.max_line_bytes);
            if let ClientError::Api(failure) = &mut error {
                failure.message = format!(
                    "NDJSON line {} in {} data stream is longer than maxResponseBytes ({} bytes)",
                    self.line_number + 1,
                    self.subject,
                    self.max_line_bytes
                );
                failure.details_json = Some(format!(r#"{{"lineNumber":{}}}"#, self.line_number + 1));
            }
            return Err(error);
        }
        Ok(())
    }

    fn line(&mut self, line: &[u8], rows: &mut impl Rows) -> Result<(), ClientError> {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.iter().all(|b| matches!(b, b' ' | b'\t' | b'\r')) {
            return Ok(());
        }
        self.line_number += 1;
        // As `TextDecoder` does: bytes that are not UTF-8 become U+FFFD.
        let text = String::from_utf8_lossy(line);
        let value = match serde_json::from_str::<&RawValue>(&text) {
            Ok(value) if nesting_depth(value.get()) <= MAX_NESTING => value,
            _ => return Err(self.malformed(&text)),
        };
        if !value.get().starts_with('{') {
            return Err(self.failure(format!("NDJSON line {} is not a JSON object", self.line_number), None));
        }
        rows.row(value.get(), self.line_number)
    }

    fn malformed(&self, text: &str) -> ClientError {
        let preview: String = text.chars().take(PREVIEW_CHARS).collect();
        let message = format!("Malformed NDJSON line {} in {} data stream", self.line_number, self.subject);
        self.failure(message, Some(preview))
    }

    fn failure(&self, message: String, preview: Option<String>) -> ClientError {
        let details = match preview {
            Some(preview) => {
                format!(r#"{{"lineNumber":{},"linePreview":{}}}"#, self.line_number, json_string(&preview))
            }
            None => format!(r#"{{"lineNumber":{}}}"#, self.line_number),
        };
        ClientError::from(ApiFailure { message, details_json: Some(details), attempts: 1, ..Default::default() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn read_all(chunks: &[&[u8]]) -> (Vec<serde_json::Value>, Option<String>) {
        let mut reader = LineReader::new("OWOX Data Mart", 1 << 20);
        let mut batch = Batch::default();
        let mut failure = None;
        for chunk in chunks {
            if let Err(e) = reader.feed(chunk, &mut batch) {
                failure = Some(e.to_string());
                break;
            }
        }
        if failure.is_none() {
            failure = reader.finish(&mut batch).err().map(|e| e.to_string());
        }
        let rows = batch.take().map(|t| serde_json::from_str(&t).unwrap()).unwrap_or_default();
        (rows, failure)
    }

    #[test]
    fn lines_split_across_chunks_crlf_blank_lines_and_a_last_line_without_newline() {
        let text = "{\"a\":1}\r\n\r\n\n{\"b\":\"é\"}\n  \n{\"c\":[1]}";
        let bytes = text.as_bytes();
        for cut in 0..bytes.len() {
            let (rows, failure) = read_all(&[&bytes[..cut], &bytes[cut..]]);
            assert_eq!(failure, None, "cut at {cut}");
            assert_eq!(rows, serde_json::json!([{"a":1},{"b":"é"},{"c":[1]}]).as_array().unwrap().clone());
        }
    }

    #[test]
    fn rows_before_a_malformed_line_come_first_and_the_error_has_its_number_and_preview() {
        let mut reader = LineReader::new("OWOX Data Mart", 1 << 20);
        let mut batch = Batch::default();
        let error = reader.feed(b"{\"a\":1}\n\n{\"b\":2}\n{oops\n{\"c\":3}\n", &mut batch).unwrap_err();
        assert_eq!(batch.rows(), 2);
        assert_eq!(error.to_string(), "Malformed NDJSON line 3 in OWOX Data Mart data stream");
        let ClientError::Api(failure) = error else { unreachable!() };
        assert_eq!(failure.details_json.as_deref(), Some(r#"{"lineNumber":3,"linePreview":"{oops"}"#));
    }

    #[test]
    fn a_line_that_is_not_an_object_is_refused() {
        let (rows, failure) = read_all(&[b"{\"a\":1}\n[1,2]\n"]);
        assert_eq!(rows.len(), 1);
        assert_eq!(failure.as_deref(), Some("NDJSON line 2 is not a JSON object"));
    }

    #[test]
    fn a_line_longer_than_the_limit_fails_without_buffering_the_rest() {
        let mut reader = LineReader::new("OWOX report", 16);
        let mut batch = Batch::default();
        reader.feed(b"{\"a\":1}\n{\"long\":", &mut batch).unwrap();
        let error = reader.feed(b"\"xxxxxxxxxxxxxxxxxxxxx", &mut batch).unwrap_err();
        assert!(error.to_string().contains("NDJSON line 2 in OWOX report data stream is longer than maxResponseBytes"));
        let ClientError::Api(failure) = error else { unreachable!() };
        assert_eq!(failure.code.as_deref(), Some("RESPONSE_TOO_LARGE"));
    }

    #[test]
    fn rows_keep_their_exact_text() {
        let line = r#"{"id":9007199254740993,"__proto__":{"x":1},"n":1.0e2,"s":"\ud800"}"#;
        let mut reader = LineReader::new("OWOX Data Mart", 1 << 20);
        let mut batch = Batch::default();
        reader.feed(format!("{line}\n").as_bytes(), &mut batch).unwrap();
        assert_eq!(batch.take().unwrap(), format!("[{line}]"));
        // Non-ASCII crosses as escapes: the same values, one byte per character in V8.
        reader.feed("{\"t\":\"é😀\"}\n".as_bytes(), &mut batch).unwrap();
        assert_eq!(batch.take().unwrap(), r#"[{"t":"\u00e9\ud83d\ude00"}]"#);
    }

    proptest! {
        #[test]
        fn any_bytes_in_any_chunks_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400), cut in 0usize..400) {
            let cut = cut.min(bytes.len());
            let _ = read_all(&[&bytes[..cut], &bytes[cut..]]);
        }

        #[test]
        fn objects_written_as_lines_come_back_equal(values in proptest::collection::vec(proptest::collection::hash_map("[a-z\u{e9}\u{1F600}]{0,4}", any::<i32>(), 0..4), 0..20), cut in 0usize..2000) {
            let text: String = values.iter().map(|v| serde_json::to_string(v).unwrap() + "\n").collect();
            let bytes = text.as_bytes();
            let cut = cut.min(bytes.len());
            let (rows, failure) = read_all(&[&bytes[..cut], &bytes[cut..]]);
            prop_assert_eq!(failure, None);
            let expected: Vec<serde_json::Value> = values.iter().map(|v| serde_json::to_value(v).unwrap()).collect();
            prop_assert_eq!(rows, expected);
        }
    }
}

#[cfg(test)]
mod speed {
    use super::*;

    /// `npm run test:rust -- --ignored --nocapture ndjson_speed`: per-row cost of splitting,
    /// checking and batching, without the network.
    #[test]
    #[ignore]
    fn ndjson_speed() {
        let line = r#"{"id":12345,"date":"2026-11-01","channel":"Paid Search","campaign":"Black Friday Ünïcode","country":"DE","sessions":4242,"revenue":1234.56,"currency":"EUR","isNew":true,"note":"row 12345 of 1000000"}"#;
        let body: String = (0..100_000).map(|_| format!("{line}\n")).collect();
        let started = std::time::Instant::now();
        let mut reader = LineReader::new("OWOX Data Mart", 1 << 20);
        let mut total = 0;
        for chunk in body.as_bytes().chunks(64 * 1024) {
            let mut batch = Batch::default();
            reader.feed(chunk, &mut batch).unwrap();
            total += batch.take().map_or(0, |t| t.len());
        }
        let per_row = started.elapsed().as_nanos() / 100_000;
        eprintln!("ndjson: {per_row} ns per row ({total} bytes)");
    }
}
