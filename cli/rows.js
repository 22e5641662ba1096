'use strict';
// Writing the rows of a data-mart or report traversal: NDJSON (one JSON object per line,
// owox-ctl's output) or CSV, to stdout as they arrive, or to a file through the client's
// native file writer (traversal.saveTo).

const path = require('node:path');
const { Option } = require('commander');
const { Progress } = require('./progress.js');

function outputOption() {
  return new Option('-o, --output <file>', 'write the rows to this file (replaced only once complete) instead of stdout');
}

/** NDJSON lines of `rows`. */
function ndjson(rows) {
  let text = '';
  for (const row of rows) text += `${JSON.stringify(row)}\n`;
  return text;
}

// RFC 4180 quoting, as the native CSV writer does it: only fields that need it.
const NEEDS_QUOTES = /[",\r\n]/;

function csvField(value) {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * CSV like the native writer's: the first row's columns make the header (the server's
 * column order); null is empty, nested values are JSON; a later row with a column the
 * first did not have is an error, since CSV cannot show it.
 */
class Csv {
  #columns;
  #row = 0;

  lines(rows) {
    let text = '';
    for (const row of rows) {
      this.#row += 1;
      if (this.#columns === undefined) {
        this.#columns = Object.keys(row);
        text += `${this.#columns.map(csvField).join(',')}\n`;
      }
      const extra = Object.keys(row).find((name) => !this.#columns.includes(name));
      if (extra !== undefined) {
        throw new Error(`Row ${this.#row} has a column ${JSON.stringify(extra)} that the first row did not have; CSV needs the same columns in every row`);
      }
      text += `${this.#columns.map((name) => csvField(row[name])).join(',')}\n`;
    }
    return text;
  }
}

/**
 * Opens the traversal (`open()`), then writes its rows to stdout, or to --output through
 * `traversal.saveTo` and prints `{ output, format, rows, bytes, runId }`. Stops, and
 * cancels the transfer, when the reader of stdout goes away.
 */
async function streamRows(ctx, idName, id, open) {
  const traversal = await open();
  const file = ctx.options.output;
  if (file !== undefined) {
    const output = path.resolve(file);
    const saved = await traversal.saveTo(output, { format: ctx.format });
    return { [idName]: id, runId: traversal.runId, output, format: ctx.format, rows: saved?.rows, bytes: saved?.bytes };
  }
  const format = ctx.format === 'csv' ? new Csv() : { lines: ndjson };
  const progress = new Progress(ctx.output);
  try {
    for await (const rows of traversal.rowChunks()) {
      if (ctx.output.closed) break;
      const text = format.lines(rows);
      await ctx.output.write(text);
      progress.add(rows.length, Buffer.byteLength(text));
    }
  } finally {
    progress.done();
    if (ctx.output.closed || ctx.signal.aborted) traversal.cancel?.();
  }
  return undefined;
}

module.exports = { outputOption, streamRows };
