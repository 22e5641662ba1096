//! NDJSON data streams: opened on the generic request path (token, 401 rule, retries only
//! before the first byte of the body), then read only as JavaScript asks, so a consumer
//! that stops holds no more than one network chunk and one batch. No total timeout: an
//! idle timeout between reads instead. A body that ends without its terminating chunk is
//! an error, never the end of the rows.

use std::time::Duration;

use crate::api::{ApiClient, ApiRequest};
use crate::error::{ApiFailure, ClientError};
use crate::ndjson::{Batch, LineReader, Rows};
use crate::transport::{error_chain, until_cancelled, Call};

/// A batch is handed to JavaScript once it holds this many bytes of rows (or when no more
/// bytes are ready yet): big enough that one `JSON.parse` per batch is cheap, small enough
/// to stay in V8's young generation.
const BATCH_BYTES: usize = 64 * 1024;

/// How long a batch that has rows waits for more before it is handed over.
const BATCH_GRACE: Duration = Duration::from_millis(2);

/// Raw bytes for `getStream` are handed over in pieces of at most about this size: enough
/// to spare a round trip per tiny chunk, small enough that the buffers V8 has not yet
/// collected stay few.
const RAW_BYTES: usize = 16 * 1024;

pub const STREAM_INTERRUPTED: &str = "STREAM_INTERRUPTED";
const NDJSON_TYPE: &str = "application/x-ndjson";

/// Polls `future` once; `None` if it is not ready. Dropping a pending body read loses
/// nothing: the next read polls the body again.
fn poll_once<F: std::future::Future>(future: F) -> Option<F::Output> {
    let mut future = std::pin::pin!(future);
    let mut context = std::task::Context::from_waker(std::task::Waker::noop());
    match future.as_mut().poll(&mut context) {
        std::task::Poll::Ready(value) => Some(value),
        std::task::Poll::Pending => None,
    }
}

/// What the stream is of, for messages: `OWOX Data Mart` or `OWOX report`.
pub struct Opened {
    pub stream: RowStream,
    pub status: u16,
    pub run_id: Option<String>,
    pub content_type: Option<String>,
}

/// Where the body stands. Stopped (cancelled, or after a failure) is never an end: a read
/// then fails, so nothing after a `cancel()` can pass for a complete stream.
enum Source {
    Open(reqwest::Response),
    Ended,
    Stopped,
}

pub struct RowStream {
    source: Source,
    lines: LineReader,
    call: Call,
    origin: String,
    subject: String,
    /// A failure found after rows that were handed out first.
    pending: Option<ClientError>,
}

/// Opens the stream. `raw` skips the content-type check (`getStream` hands bytes on).
pub async fn open(
    api: &ApiClient,
    request: &ApiRequest,
    subject: &str,
    raw: bool,
    call: Call,
) -> Result<Opened, ClientError> {
    let head = api.open(request, &call).await?;
    let header = |name: &str| head.headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
    let run_id = header("x-owox-run-id");
    let content_type = head.content_type.clone();
    let is_ndjson = content_type
        .as_deref()
        .is_some_and(|ct| ct.split(';').next().unwrap_or_default().trim().eq_ignore_ascii_case(NDJSON_TYPE));
    if !raw && !is_ndjson {
        let details = serde_json::json!({ "contentType": content_type }).to_string();
        return Err(ClientError::from(ApiFailure {
            message: format!("{subject} data stream returned an unexpected content type"),
            status: Some(head.status),
            details_json: Some(details),
            attempts: head.attempts,
            ..Default::default()
        }));
    }
    let stream = RowStream {
        source: Source::Open(head.body),
        lines: LineReader::new(subject, api.max_response_bytes()),
        call,
        origin: api.origin().to_string(),
        subject: subject.to_string(),
        pending: None,
    };
    Ok(Opened { stream, status: head.status, run_id, content_type })
}

impl RowStream {
    /// The next batch of rows as a JSON array text, or `None` at the end.
    pub async fn next_batch(&mut self) -> Result<Option<String>, ClientError> {
        let mut batch = Batch::default();
        self.fill(&mut batch, BATCH_BYTES).await?;
        Ok(batch.take())
    }

    /// The next raw bytes of the body, or `None` at the end (`getStream`): the chunks
    /// already received, up to `RAW_BYTES`, so a body of one small chunk per row does
    /// not cost one JavaScript round trip per row.
    pub async fn next_bytes(&mut self) -> Result<Option<Vec<u8>>, ClientError> {
        if let Some(error) = self.pending.take() {
            return Err(error);
        }
        let Some(first) = self.read().await? else {
            return Ok(None);
        };
        let mut bytes = first.to_vec();
        let grace = tokio::time::sleep(BATCH_GRACE);
        tokio::pin!(grace);
        while bytes.len() < RAW_BYTES {
            match self.read_within(grace.as_mut()).await {
                Ok(Some(chunk)) => bytes.extend_from_slice(&chunk),
                Ok(None) => break,
                // Hand over what arrived; the failure ends the next read.
                Err(error) => {
                    self.pending = Some(error);
                    break;
                }
            }
        }
        Ok(Some(bytes))
    }

    /// Reads into `rows` until `enough` bytes of rows are there, no more arrive within the
    /// grace, or the body ends. A failure after some rows is kept for the next call.
    async fn fill(&mut self, rows: &mut Batch, enough: usize) -> Result<(), ClientError> {
        if let Some(error) = self.pending.take() {
            return Err(error);
        }
        // With rows in hand, more are taken only while they keep coming within a short
        // grace (one timer per batch, not per chunk): a slow server must not hold back rows
        // that arrived, and a fast one fills the batch instead of crossing a row at a time.
        let grace = tokio::time::sleep(BATCH_GRACE);
        tokio::pin!(grace);
        loop {
            let chunk = if rows.is_empty() { self.read().await } else { self.read_within(grace.as_mut()).await };
            let result = match chunk {
                Ok(Some(chunk)) => self.lines.feed(&chunk, rows),
                Ok(None) if self.ended() => self.lines.finish(rows),
                Ok(None) => return Ok(()), // nothing ready yet
                Err(error) => Err(error),
            };
            match result {
                Err(error) if !rows.is_empty() => {
                    self.stop();
                    self.pending = Some(error);
                    return Ok(());
                }
                Err(error) => {
                    self.stop();
                    return Err(error);
                }
                Ok(()) if self.ended() || rows.len() >= enough => return Ok(()),
                Ok(()) => {}
            }
        }
    }

    /// Writes every remaining row to `sink` (the file writer).
    pub async fn drain_into(&mut self, sink: &mut impl Rows) -> Result<(), ClientError> {
        if let Some(error) = self.pending.take() {
            return Err(error);
        }
        while let Some(chunk) = self.read().await? {
            if let Err(error) = self.lines.feed(&chunk, sink) {
                self.stop();
                return Err(error);
            }
        }
        self.lines.finish(sink)
    }

    /// The next chunk, waiting at most the idle timeout; `None` once the body ended cleanly.
    async fn read(&mut self) -> Result<Option<bytes::Bytes>, ClientError> {
        // Most chunks are already here when asked for: take those without arming the idle
        // timer or registering for cancellation (both cost locks, per chunk).
        if let Some(chunk) = self.read_ready()? {
            return Ok(Some(chunk));
        }
        let Source::Open(body) = &mut self.source else {
            return Ok(None);
        };
        let idle = self.call.settings.timeout;
        let read = tokio::time::timeout(idle, body.chunk());
        let outcome = until_cancelled(&self.call.cancel, read).await;
        self.settle(outcome, idle)
    }

    /// A chunk if one arrives before `grace` ends (`Ok(None)` with the body still open
    /// otherwise).
    async fn read_within(
        &mut self,
        grace: std::pin::Pin<&mut tokio::time::Sleep>,
    ) -> Result<Option<bytes::Bytes>, ClientError> {
        if let Some(chunk) = self.read_ready()? {
            return Ok(Some(chunk));
        }
        let Source::Open(body) = &mut self.source else {
            return Ok(None);
        };
        let result = tokio::select! {
            biased;
            result = body.chunk() => result,
            () = grace => return Ok(None),
        };
        self.settle(Ok(Ok(result)), self.call.settings.timeout)
    }

    /// A chunk only if one is ready now (`Ok(None)` with the body still open otherwise).
    fn read_ready(&mut self) -> Result<Option<bytes::Bytes>, ClientError> {
        let body = match &mut self.source {
            Source::Open(body) => body,
            Source::Ended => return Ok(None),
            Source::Stopped => return Err(ClientError::Aborted),
        };
        if self.call.cancel.is_cancelled() {
            self.stop();
            return Err(ClientError::Aborted);
        }
        match poll_once(body.chunk()) {
            None => Ok(None),
            Some(result) => self.settle(Ok(Ok(result)), self.call.settings.timeout),
        }
    }

    fn settle(
        &mut self,
        outcome: Result<Result<reqwest::Result<Option<bytes::Bytes>>, tokio::time::error::Elapsed>, ClientError>,
        idle: Duration,
    ) -> Result<Option<bytes::Bytes>, ClientError> {
        let result = match outcome {
            Err(aborted) => Err(aborted),
            Ok(Err(_elapsed)) => Err(self.idle_timeout(idle)),
            Ok(Ok(Ok(Some(chunk)))) => return Ok(Some(chunk)),
            Ok(Ok(Ok(None))) => {
                self.source = Source::Ended;
                return Ok(None);
            }
            Ok(Ok(Err(error))) => Err(self.interrupted(&error)),
        };
        self.stop();
        result
    }

    /// Closes the connection (the server sees the socket close); later reads fail.
    pub fn stop(&mut self) {
        if !self.ended() {
            self.source = Source::Stopped;
        }
    }

    fn ended(&self) -> bool {
        matches!(self.source, Source::Ended)
    }

    fn idle_timeout(&self, idle: Duration) -> ClientError {
        let mut error = ClientError::timeout(&self.origin, idle.as_millis());
        if let ClientError::Api(failure) = &mut error {
            failure.message =
                format!("{} data stream from {} sent nothing for {} ms", self.subject, self.origin, idle.as_millis());
        }
        error
    }

    fn interrupted(&self, error: &reqwest::Error) -> ClientError {
        let where_ = if self.lines.mid_line() { " in the middle of a line" } else { "" };
        ClientError::from(ApiFailure {
            message: format!(
                "{} data stream ended before it was complete{where_}: the server or the network cut it off, so the rows received are not all the rows",
                self.subject
            ),
            code: Some(STREAM_INTERRUPTED.into()),
            cause: Some(error_chain(error)),
            attempts: 1,
            ..Default::default()
        })
    }
}
