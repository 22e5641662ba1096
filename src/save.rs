//! `saveTo`: the rest of a data stream written straight to a file, natively, with no
//! JavaScript object per row. Rows go to a temporary file beside the target, renamed over
//! it only when the stream ended complete; on any failure the temporary file is removed,
//! so the target is either the whole export or what the user had before.

use std::borrow::Cow;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::de::{Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

use crate::body::decode_json_string;
use crate::error::ClientError;
use crate::ndjson::Rows;
use crate::stream::RowStream;

const WRITE_BUFFER: usize = 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Ndjson,
    Csv,
}

impl Format {
    pub fn parse(value: &str) -> Result<Self, ClientError> {
        match value {
            "ndjson" => Ok(Format::Ndjson),
            "csv" => Ok(Format::Csv),
            other => Err(ClientError::Config(format!("format must be 'ndjson' or 'csv', got {other:?}"))),
        }
    }
}

/// What was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Saved {
    pub rows: u64,
    pub bytes: u64,
}

/// Writes the rest of `stream` to `target` in `format`.
pub async fn save(stream: &mut RowStream, target: &Path, format: Format) -> Result<Saved, ClientError> {
    let temporary = temporary_path(target);
    let file = File::create(&temporary).map_err(|e| file_error("create", &temporary, &e))?;
    let mut sink = FileRows::new(BufWriter::with_capacity(WRITE_BUFFER, file), format);
    let result = async {
        stream.drain_into(&mut sink).await?;
        let (rows, bytes) = sink.finish()?;
        std::fs::rename(&temporary, target).map_err(|e| file_error("rename the finished export to", target, &e))?;
        Ok(Saved { rows, bytes })
    }
    .await;
    if result.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    result
}

/// A name beside the target that no export in progress shares.
fn temporary_path(target: &Path) -> PathBuf {
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "export".into());
    let unique = format!(".{name}.{}-{:08x}.partial", std::process::id(), fastrand::u32(..));
    target.with_file_name(unique)
}

fn file_error(action: &str, path: &Path, error: &std::io::Error) -> ClientError {
    ClientError::api(format!("Could not {action} {}: {error}", path.display()))
}

/// Counts the bytes that reach the file.
struct Counting<W> {
    inner: W,
    bytes: u64,
}

impl<W: Write> Write for Counting<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let written = self.inner.write(buf)?;
        self.bytes += written as u64;
        Ok(written)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

enum Writer {
    Ndjson(Counting<BufWriter<File>>),
    // Boxed: the CSV writer carries its own buffer state, the NDJSON one is a pointer.
    Csv { writer: Box<csv::Writer<Counting<BufWriter<File>>>>, columns: Option<Vec<String>> },
}

struct FileRows {
    writer: Writer,
    rows: u64,
}

impl FileRows {
    fn new(file: BufWriter<File>, format: Format) -> Self {
        let counting = Counting { inner: file, bytes: 0 };
        let writer = match format {
            Format::Ndjson => Writer::Ndjson(counting),
            Format::Csv => Writer::Csv { writer: Box::new(csv::Writer::from_writer(counting)), columns: None },
        };
        FileRows { writer, rows: 0 }
    }

    /// Flushes to disk and returns (rows, bytes).
    fn finish(self) -> Result<(u64, u64), ClientError> {
        let write_error = |e: std::io::Error| ClientError::api(format!("Could not write the export: {e}"));
        let counting = match self.writer {
            Writer::Ndjson(counting) => counting,
            Writer::Csv { writer, .. } => writer.into_inner().map_err(|e| write_error(e.into_error()))?,
        };
        let mut counting = counting;
        counting.flush().map_err(write_error)?;
        let file = counting.inner.into_inner().map_err(|e| write_error(e.into_error()))?;
        file.sync_all().map_err(write_error)?;
        Ok((self.rows, counting.bytes))
    }
}

impl Rows for FileRows {
    fn row(&mut self, row: &str, line_number: u64) -> Result<(), ClientError> {
        let write_error = |e: std::io::Error| ClientError::api(format!("Could not write the export: {e}"));
        self.rows += 1;
        match &mut self.writer {
            Writer::Ndjson(out) => {
                out.write_all(row.as_bytes()).and_then(|()| out.write_all(b"\n")).map_err(write_error)
            }
            Writer::Csv { writer, columns } => {
                let fields = ordered_fields(row);
                let header = columns.get_or_insert_with(|| distinct_keys(&fields));
                if self.rows == 1 {
                    writer.write_record(header.iter()).map_err(|e| write_error(e.into()))?;
                }
                let record = csv_record(header, &fields, line_number)?;
                writer.write_record(record.iter().map(|c| c.as_ref())).map_err(|e| write_error(e.into()))
            }
        }
    }
}

/// The row's fields in the server's order (the requested column order). The row was
/// already checked to be one JSON object.
fn ordered_fields(row: &str) -> Vec<(String, &RawValue)> {
    struct Ordered<'a>(Vec<(&'a RawValue, &'a RawValue)>);
    impl<'de> serde::Deserialize<'de> for Ordered<'de> {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            struct Fields;
            impl<'de> Visitor<'de> for Fields {
                type Value = Ordered<'de>;
                fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                    f.write_str("a JSON object")
                }
                fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                    let mut fields = Vec::new();
                    while let Some(key) = map.next_key::<&'de RawValue>()? {
                        fields.push((key, map.next_value::<&'de RawValue>()?));
                    }
                    Ok(Ordered(fields))
                }
            }
            deserializer.deserialize_map(Fields)
        }
    }
    // Keys are taken raw: a key with a lone surrogate escape must not fail the export.
    serde_json::from_str::<Ordered>(row)
        .map(|o| o.0.into_iter().map(|(k, v)| (decode_json_string(k.get()).into_owned(), v)).collect())
        .unwrap_or_default()
}

/// The keys of the first row, each once, in order: `JSON.parse` keeps one value per key.
fn distinct_keys(fields: &[(String, &RawValue)]) -> Vec<String> {
    let mut keys: Vec<String> = Vec::with_capacity(fields.len());
    for (key, _) in fields {
        if !keys.contains(key) {
            keys.push(key.clone());
        }
    }
    keys
}

/// One CSV record in `header` order: strings as they are, `null` empty, numbers and
/// booleans as written, nested values as JSON text; a repeated key's last value wins,
/// as in `JSON.parse`.
fn csv_record<'a>(
    header: &[String],
    fields: &'a [(String, &'a RawValue)],
    line_number: u64,
) -> Result<Vec<Cow<'a, str>>, ClientError> {
    if let Some((extra, _)) = fields.iter().find(|(k, _)| !header.contains(k)) {
        let mut error = ClientError::api(format!(
            "NDJSON line {line_number} has a column {extra:?} that the first row did not have; CSV needs the same columns in every row"
        ));
        if let ClientError::Api(failure) = &mut error {
            failure.code = Some(CSV_COLUMNS.into());
            failure.details_json = Some(format!(r#"{{"lineNumber":{line_number}}}"#));
        }
        return Err(error);
    }
    Ok(header
        .iter()
        .map(|column| match fields.iter().rev().find(|(k, _)| k == column) {
            None => Cow::Borrowed(""),
            Some((_, value)) => {
                let raw = value.get();
                match raw.as_bytes().first() {
                    Some(b'"') => decode_json_string(raw),
                    _ if raw == "null" => Cow::Borrowed(""),
                    _ => Cow::Borrowed(raw),
                }
            }
        })
        .collect())
}

/// A row whose columns differ from the first row's cannot be written as CSV.
pub const CSV_COLUMNS: &str = "CSV_COLUMNS_CHANGED";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_records_follow_the_first_rows_columns() {
        let fields = ordered_fields(r#"{"b":"x, \"y\"","a":null,"n":1.50,"o":{"k":[1]}}"#);
        let header = distinct_keys(&fields);
        assert_eq!(header, ["b", "a", "n", "o"]);
        let record = csv_record(&header, &fields, 1).unwrap();
        assert_eq!(record, ["x, \"y\"", "", "1.50", r#"{"k":[1]}"#]);
        let other = ordered_fields(r#"{"z":1}"#);
        let error = csv_record(&header, &other, 7).unwrap_err();
        assert!(error.to_string().starts_with("NDJSON line 7 has a column \"z\""), "{error}");
    }

    #[test]
    fn repeated_keys_keep_one_column_and_lone_surrogates_become_replacement_characters() {
        let fields = ordered_fields(r#"{"k":1,"k":2,"s":"a\ud800b\ud83d\ude00\n"}"#);
        let header = distinct_keys(&fields);
        assert_eq!(header, ["k", "s"]);
        assert_eq!(csv_record(&header, &fields, 1).unwrap(), ["2", "a\u{FFFD}b😀\n"]);
        let fields = ordered_fields(r#"{"\udc00":"x"}"#);
        assert_eq!(distinct_keys(&fields), ["\u{FFFD}"]);
    }

    #[test]
    fn formats() {
        assert_eq!(Format::parse("csv").unwrap(), Format::Csv);
        assert!(Format::parse("xlsx").is_err());
    }
}
