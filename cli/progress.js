'use strict';
// The progress line of a long stream: rows, bytes and rate, rewritten in place on stderr.
// Only when stderr is a terminal: in a pipe, a log file or an agent's capture it would be
// noise, so there it stays silent.

// A terminal redraw every quarter second is plenty and costs nothing measurable.
const REDRAW_MS = 250;

const count = (n) => n.toLocaleString('en-US');

function size(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
}

class Progress {
  #output;
  #enabled;
  #rows = 0;
  #bytes = 0;
  #started = Date.now();
  #drawn = this.#started;
  #shown = false;

  constructor(output) {
    this.#output = output;
    this.#enabled = output.stderrIsTTY;
  }

  /** Counts `rows` rows of `bytes` bytes written; draws at most every REDRAW_MS (a short stream never). */
  add(rows, bytes) {
    this.#rows += rows;
    this.#bytes += bytes;
    if (this.#enabled && Date.now() - this.#drawn >= REDRAW_MS) this.#draw();
  }

  #draw() {
    this.#shown = true;
    this.#drawn = Date.now();
    const seconds = Math.max((this.#drawn - this.#started) / 1000, 0.001);
    this.#output.status(`${count(this.#rows)} rows, ${size(this.#bytes)}, ${count(Math.round(this.#rows / seconds))} rows/s`);
  }

  /** Draws the final numbers and ends the line. */
  done() {
    if (!this.#shown) return;
    this.#draw();
    this.#output.warn('');
  }
}

module.exports = { Progress };
