'use strict';
// Writing to stdout and stderr so the output is safe to pipe: JSON by default, a table for
// people, and a reader that goes away (`| head`) ends the command quietly instead of
// crashing with EPIPE.

const { once } = require('node:events');
const { renderTable, renderKeyValues } = require('./table.js');
const { redact } = require('./errors.js');

/** JSON as owox-ctl prints it: two-space indentation, one trailing newline. */
function renderJson(value) {
  return `${JSON.stringify(value, null, 2)}\n`;
}

class Output {
  #stdout;
  #stderr;
  #onClosed;
  #closed = false;

  /**
   * @param {{ stdout: import('node:stream').Writable, stderr: import('node:stream').Writable,
   *   onStdoutClosed: () => void }} streams `onStdoutClosed` runs once when the reader of
   *   stdout has gone (EPIPE and the like).
   */
  constructor({ stdout, stderr, onStdoutClosed }) {
    this.#stdout = stdout;
    this.#stderr = stderr;
    this.#onClosed = onStdoutClosed;
    stdout.on('error', (error) => this.#stdoutFailed(error));
    // stderr may be a closed pipe too; a diagnostic that cannot be shown is dropped.
    stderr.on('error', () => {});
  }

  /** True once the reader of stdout has gone: stop producing output. */
  get closed() {
    return this.#closed;
  }

  get stderrIsTTY() {
    return Boolean(this.#stderr.isTTY);
  }

  #stdoutFailed(error) {
    if (this.#closed) return;
    this.#closed = true;
    if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') this.warn(`stdout failed: ${error.message}`);
    this.#onClosed();
  }

  /** Writes `text` to stdout, waiting while the reader is slower than us (backpressure). */
  async write(text) {
    if (this.#closed || text === '') return;
    if (this.#stdout.write(text)) return;
    await Promise.race([once(this.#stdout, 'drain'), once(this.#stdout, 'close')]).catch(() => {});
  }

  writeJson(value) {
    return this.write(renderJson(value));
  }

  /** A list as a table (`columns`), anything else as `key  value` lines. */
  writeTable(value, columns) {
    if (Array.isArray(value)) return this.write(`${renderTable(value, columns)}\n`);
    return this.write(`${renderKeyValues(value)}\n`);
  }

  /** One line on stderr, for people (progress, hints, --debug); never a secret. */
  warn(line) {
    this.#stderr.write(`${redact(line)}\n`);
  }

  /** The `{"error": ...}` body on stderr; never a secret. */
  writeError(body) {
    this.#stderr.write(redact(renderJson({ error: body })));
  }

  /** Rewrites the current stderr line (a progress line on a terminal). */
  status(line) {
    this.#stderr.write(`\r\x1b[2K${line}`);
  }
}

module.exports = { Output, renderJson };
