'use strict';
// HttpNdjsonTraversal: the rows of one NDJSON data stream (a data mart's or a report's),
// read, split, checked and batched in Rust. JavaScript receives each batch as one JSON
// array text and parses it with one `JSON.parse`, so this thread never decodes or splits
// bytes, and Rust reads from the socket only when JavaScript asks for the next batch.
//
// A traversal is consumed once, by exactly one of rowChunks(), row-by-row iteration,
// toReadable() or saveTo(). Failures in the body (a cut stream, a malformed line, an idle
// timeout) surface where the rows are read, after every complete row before them.

const fs = require('node:fs');
const nodePath = require('node:path');
const { fileURLToPath } = require('node:url');
const { OWOXApiError, OWOXConfigError, abortError, fromFailure } = require('./errors.js');
const { checkArgumentCount } = require('./options.js');
const { isPlainObject, isRecord } = require('./arguments.js');

/** Who a stream belongs to: the key of its id in `error.details`, and its label in messages. */
const DATA_MART_SOURCE = Object.freeze({ idKey: 'dataMartId', label: 'OWOX Data Mart' });
const REPORT_SOURCE = Object.freeze({ idKey: 'reportId', label: 'OWOX report' });

const SAVE_FORMATS = ['ndjson', 'csv'];
// How long a stopped saveTo() waits for the native side to remove its temporary file.
const SAVE_CLEANUP_WAIT_MS = 2000;

/** Resolves when `promise` settles or after `ms`, whichever is first. */
/** The value `promise` resolves with within `ms`, else undefined (a rejection too). */
function settledWithin(promise, ms) {
  let timer;
  const bound = new Promise((resolve) => {
    timer = setTimeout(resolve, ms);
    timer.unref?.();
  });
  return Promise.race([promise.catch(() => undefined), bound]).finally(() => clearTimeout(timer));
}

// A batch at least this long (JSON text) means rows arrive faster than they are taken.
const READ_AHEAD_MIN_CHARS = 48 * 1024;

// Only the data-stream calls can make a traversal: it wraps a native stream that they opened.
const CREATED_BY_CLIENT = Symbol('HttpNdjsonTraversal');

/**
 * `error` with `{ <idKey>: id, runId }` at the front of its details, as the original's
 * `withSourceContext` puts them. Errors that are not the client's own (an abort reason) are
 * left as they are: an abort rejects with the signal's reason untouched, as `fetch` does.
 */
function withSourceContext(error, source, sourceId, runId) {
  if (!(error instanceof OWOXApiError)) return error;
  const context = { [source.idKey]: sourceId, ...(runId === undefined ? {} : { runId }) };
  if (isRecord(error.details)) {
    error.details = { ...context, ...error.details };
  } else {
    error.details = error.details === undefined ? context : { ...context, details: error.details };
  }
  return error;
}

/** `saveTo`'s path: a non-empty string or a `file:` URL, made absolute here (Rust sees the same cwd, but say it once). */
function savePath(path) {
  const what = 'saveTo()';
  let text = path;
  if (path instanceof URL) {
    if (path.protocol !== 'file:') throw new OWOXConfigError(`${what}: a URL path must be a file: URL`);
    text = fileURLToPath(path);
  }
  if (typeof text !== 'string' || text.trim() === '') {
    throw new OWOXConfigError(`${what}: path must be a non-empty string (a file name or path) or a file: URL`);
  }
  if (text.includes('\0')) throw new OWOXConfigError(`${what}: path must not contain a NUL character`);
  const absolute = nodePath.resolve(text);
  // A directory cannot be replaced by a file; say so before reading the stream.
  let stat;
  try {
    stat = fs.statSync(absolute);
  } catch {
    stat = undefined;
  }
  if (stat?.isDirectory()) throw new OWOXConfigError(`${what}: ${text} is a directory; pass a file path`);
  return absolute;
}

function saveFormat(options) {
  const what = 'saveTo()';
  if (options === undefined || options === null) return 'ndjson';
  if (!isPlainObject(options)) throw new OWOXConfigError(`${what} takes an options object ({ format })`);
  const unknown = Object.keys(options).filter((name) => name !== 'format');
  if (unknown.length > 0) throw new OWOXConfigError(`${what} takes only the option format ('ndjson' or 'csv')`);
  const format = options.format ?? 'ndjson';
  if (!SAVE_FORMATS.includes(format)) {
    throw new OWOXConfigError(`${what}: format must be 'ndjson' or 'csv'`);
  }
  return format;
}

class HttpNdjsonTraversal {
  /** The server's `x-owox-run-id` for this read, when it sent one. */
  runId;

  #stream;
  #native;
  #callId;
  #signal;
  #guard;
  #source;
  #sourceId;
  #consumed = false;
  #finished = false;
  #stopRequested = false;
  /** Ends the read in progress (with undefined) when the stream is stopped. */
  #wake;

  /**
   * Made by `dataMarts.traverseData()` and `reports.traverseData()`; exported for
   * `instanceof` checks and types, not for construction.
   */
  constructor(token, opened) {
    if (token !== CREATED_BY_CLIENT) {
      throw new OWOXConfigError(
        'HttpNdjsonTraversal is created by client.dataMarts.traverseData() or client.reports.traverseData()',
      );
    }
    const { stream, native, callId, signal, guard, source, sourceId, runId } = opened;
    this.#stream = stream;
    this.#native = native;
    this.#callId = callId;
    this.#signal = signal;
    this.#guard = guard;
    this.#source = source;
    this.#sourceId = sourceId;
    this.runId = runId;
    // An abort while nobody reads still stops the transfer at once (the guard cancels the
    // native call); the next read then rejects with the signal's reason.
    guard.aborted.catch(() => this.#stop());
  }

  /**
   * Stops the transfer now: the socket is closed and the server sees it. A read in
   * progress ends as if the stream had ended; a later traversal throws. Returns a promise,
   * as the original's `cancel()` does.
   */
  cancel() {
    this.#consumed = true;
    this.#stop();
    this.#guard.dispose();
    return Promise.resolve();
  }

  /** Row arrays, one per batch the native reader hands over, in server order. */
  rowChunks() {
    checkArgumentCount(arguments, 'rowChunks', []);
    return this.#batches();
  }

  /** Rows one by one: `for await (const row of traversal)`. */
  async *[Symbol.asyncIterator]() {
    for await (const rows of this.#batches()) {
      for (const row of rows) {
        // The loop body may have awaited its own work since the last row: an abort or a
        // cancel() since then ends the rows here, not after the rest of the batch.
        this.#throwIfAborted();
        if (this.#stopRequested) return;
        yield row;
      }
    }
  }

  /**
   * A Node object-mode `Readable` of the rows, for `stream.pipeline()`. Destroying it stops
   * the transfer; a failure of the stream destroys it with the error.
   */
  toReadable() {
    checkArgumentCount(arguments, 'toReadable', []);
    const batches = this.#batches();
    const traversal = this;
    let reading = false;
    // Loaded on first use: node:stream costs ~2 ms of every require of the package.
    const { Readable } = require('node:stream');
    return new Readable({
      objectMode: true,
      // One batch at a time: the next is asked for only once the rows of the last have
      // been read, so a failure (which destroys the stream) never discards rows that came
      // before it, and a paused pipeline holds one batch.
      highWaterMark: 1,
      read() {
        if (reading) return;
        reading = true;
        batches.next().then(
          ({ done, value }) => {
            reading = false;
            if (done) {
              this.push(null);
              return;
            }
            for (const row of value) this.push(row);
          },
          (error) => {
            reading = false;
            this.destroy(error);
          },
        );
      },
      destroy(error, callback) {
        // Close the socket first: a read may be waiting on it, and `return()` would queue behind it.
        traversal.#stop();
        batches.return(undefined).then(
          () => callback(error),
          () => callback(error),
        );
      },
    });
  }

  /**
   * Writes the rest of the stream to `path` natively (no JavaScript object per row) and
   * resolves to `{ rows, bytes }`. The file is written under a temporary name beside `path`
   * and renamed at the end; on failure the temporary file is removed and `path` untouched.
   */
  async saveTo(path, options) {
    checkArgumentCount(arguments, 'saveTo', ['path', 'options?']);
    const target = savePath(path);
    const format = saveFormat(options);
    this.#claim();
    try {
      this.#throwIfAborted();
      const saving = this.#stream.saveTo(target, format);
      let reply;
      let interruption;
      try {
        reply = await this.#race(saving);
      } catch (error) {
        interruption = error; // the signal's reason
      }
      if (reply === undefined) {
        // Stopped or aborted: the native side either finished first (the file is complete
        // and in place) or is removing its temporary file. Wait for whichever it was, so
        // the result says what is on disk and no partial file outlives the promise.
        const settled = await settledWithin(saving, SAVE_CLEANUP_WAIT_MS);
        if (settled === undefined || settled.failure) {
          if (interruption !== undefined) throw interruption;
          throw new OWOXApiError(`${this.#source.label} data stream was cancelled before it was saved`, {
            code: 'STREAM_CANCELLED',
            details: this.#context(),
          });
        }
        reply = settled;
      }
      if (reply.failure) throw this.#error(reply.failure);
      this.#finished = true;
      return { rows: reply.rows, bytes: reply.bytes };
    } finally {
      this.#release();
    }
  }

  toJSON() {
    return { [this.#source.idKey]: this.#sourceId, runId: this.runId };
  }

  async *#batches() {
    this.#claim();
    try {
      // One read ahead: while JavaScript parses and the caller handles a batch, Rust
      // already reads the next one. Without it the two sides take turns and neither is
      // ever busy; with it the buffer ahead of the caller is still one batch.
      let next = this.#read();
      for (;;) {
        this.#throwIfAborted();
        const reply = await this.#race(next);
        // Cancelled while waiting: the caller asked for the end.
        if (reply === undefined) return;
        if (reply.failure) throw this.#error(reply.failure);
        if (reply.text === undefined || reply.text === null) {
          this.#finished = true;
          return;
        }
        // Read ahead only after a full batch: the server is sending faster than the caller
        // takes rows. After a short one (the reader is level with the server), asking later
        // lets the next batch fill up instead of crossing over a few rows at a time.
        next = reply.text.length >= READ_AHEAD_MIN_CHARS ? this.#read() : undefined;
        yield JSON.parse(reply.text);
        if (this.#stopRequested) return;
        next ??= this.#read();
      }
    } finally {
      this.#release();
    }
  }

  /** Starts the next native read; a read the caller never awaits (it stopped) cannot reject unhandled. */
  #read() {
    const read = this.#stream.next();
    read.catch(() => {});
    return read;
  }

  /** Marks the traversal consumed, or throws the original's "only once" error. */
  #claim() {
    if (this.#consumed) {
      throw new OWOXApiError(`${this.#source.label} data stream can only be traversed once`, {
        details: this.#context(),
      });
    }
    this.#consumed = true;
  }

  /** After the last read: a stream that did not end cleanly is stopped (the socket closed). */
  #release() {
    if (!this.#finished) this.#stop();
    this.#guard.dispose();
  }

  /**
   * Awaits a native read, or undefined once cancel() is called or the signal aborts (then
   * the signal's reason is thrown). Not `Promise.race` against a long-lived promise: each
   * race would leave a reaction on it holding that read's reply, so a long stream would
   * keep every batch it ever read.
   */
  async #race(read) {
    if (this.#stopRequested) {
      read.catch(() => {});
      this.#throwIfAborted();
      return undefined;
    }
    const reply = await new Promise((resolve, reject) => {
      this.#wake = resolve;
      read.then(resolve, reject);
    });
    this.#wake = undefined;
    this.#throwIfAborted();
    return reply;
  }

  #stop() {
    if (this.#stopRequested) return;
    this.#stopRequested = true;
    this.#stream.cancel();
    if (this.#callId !== undefined) this.#native.cancel(this.#callId);
    this.#wake?.(undefined);
  }

  #throwIfAborted() {
    if (this.#signal?.aborted) throw abortError(this.#signal);
  }

  #error(failure) {
    return withSourceContext(fromFailure(failure), this.#source, this.#sourceId, this.runId);
  }

  #context() {
    return { [this.#source.idKey]: this.#sourceId, ...(this.runId === undefined ? {} : { runId: this.runId }) };
  }
}

module.exports = {
  HttpNdjsonTraversal,
  DataMartDataTraversal: HttpNdjsonTraversal,
  DATA_MART_SOURCE,
  REPORT_SOURCE,
  CREATED_BY_CLIENT,
  withSourceContext,
};
