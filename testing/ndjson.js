'use strict';

// The NDJSON data endpoints (`/api/external/http-data/{data-marts,reports}/{id}.ndjson`):
// query checks, the row pipeline over seeded rows, and the writer that sends the real
// wire format (one JSON line per HTTP chunk, x-owox-run-id, no terminating summary) or
// one of the injectable stream faults.

const { RowSource } = require('./fixtures');
const { dataReadError } = require('./nest');

const NDJSON_TYPE = 'application/x-ndjson; charset=utf-8';
const RULES_MAX = 8192;
const RULE_PARAMS = ['filter', 'sort', 'aggregation', 'dateTrunc'];
const MART_PARAMS = new Set(['columns', 'column', ...RULE_PARAMS, 'limit']);
const DEFAULT_MALFORMED_LINE = '{"id":1,"title":"cut in the mi';

const bad = (message) => dataReadError(400, message);
const last = (v) => (Array.isArray(v) ? v[v.length - 1] : v);

function parseLimit(raw, { integer }) {
  const text = last(raw);
  const n = typeof text === 'string' && text.trim() !== '' ? Number(text) : NaN;
  if (!Number.isFinite(n) || (integer && !Number.isInteger(n))) throw bad(`limit: limit must be ${integer ? 'an integer' : 'a number'}`);
  if (n < 1) throw bad('limit: limit must be ≥ 1');
  return Math.floor(n);
}

function decodeRules(name, raw) {
  const text = last(raw);
  if (typeof text !== 'string' || text.length < 1 || text.length > RULES_MAX) throw bad(`${name}: must be 1 to ${RULES_MAX} characters`);
  if (!/^[A-Za-z0-9_-]+$/.test(text)) throw bad(`${name}: must be base64url-encoded JSON`);
  let value;
  try {
    value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw bad(`${name}: must be base64url-encoded JSON`);
  }
  if (!Array.isArray(value) || !value.every((rule) => rule !== null && typeof rule === 'object' && typeof rule.column === 'string')) {
    throw bad(`${name}: must be an array of rules, each with a column`);
  }
  return value;
}

/** The data-mart stream's query: { columns, column, filter, sort, aggregation, dateTrunc, limit }. */
function parseMartQuery(query) {
  const unknown = Object.keys(query).filter((key) => !MART_PARAMS.has(key));
  if (unknown.length > 0) throw bad(`Unrecognized key(s) in object: ${unknown.map((k) => `'${k}'`).join(', ')}`);
  const out = {};
  if (query.columns !== undefined) {
    const columns = last(query.columns);
    if (columns !== '*' && columns !== '**') throw bad(`columns: Invalid enum value. Expected '*' | '**', received '${columns}'`);
    out.columns = columns;
  }
  if (query.column !== undefined) {
    const column = Array.isArray(query.column) ? query.column : [query.column];
    if (column.some((c) => c === '')) throw bad('column: column names must not be empty');
    if (out.columns === '**') throw bad('columns "**" cannot be combined with exact column values');
    out.column = column;
  }
  for (const name of RULE_PARAMS) if (query[name] !== undefined) out[name] = decodeRules(name, query[name]);
  if (query.limit !== undefined) out.limit = parseLimit(query.limit, { integer: true });
  return out;
}

/** The report stream's query: { limit } only. */
function parseReportQuery(query) {
  const unknown = Object.keys(query).filter((key) => key !== 'limit');
  if (unknown.length > 0) throw bad(`Unrecognized key(s) in object: ${unknown.map((k) => `'${k}'`).join(', ')}`);
  return query.limit === undefined ? {} : { limit: parseLimit(query.limit, { integer: false }) };
}

// ---- the row pipeline -------------------------------------------------------------------

const str = (v) => (v === null || v === undefined ? '' : String(v));

function matches(row, rule) {
  const v = row[rule.column];
  const x = rule.value;
  switch (rule.operator) {
    case 'eq': return v === x;
    case 'neq': return v !== x;
    case 'contains': return str(v).includes(str(x));
    case 'not_contains': return !str(v).includes(str(x));
    case 'starts_with': return str(v).startsWith(str(x));
    case 'ends_with': return str(v).endsWith(str(x));
    case 'gt': return v !== null && v > x;
    case 'lt': return v !== null && v < x;
    case 'gte': return v !== null && v >= x;
    case 'lte': return v !== null && v <= x;
    case 'in': return Array.isArray(x) && x.includes(v);
    case 'not_in': return Array.isArray(x) && !x.includes(v);
    case 'between': return v !== null && v >= x?.from && v <= x?.to;
    case 'is_null': return v === null || v === undefined;
    case 'is_not_null': return v !== null && v !== undefined;
    case 'is_empty': return v === null || v === undefined || v === '';
    case 'is_not_empty': return !(v === null || v === undefined || v === '');
    case 'is_true': return v === true;
    case 'is_false': return v === false;
    case 'regex': return new RegExp(str(x)).test(str(v));
    case 'not_regex': return !new RegExp(str(x)).test(str(v));
    // relative_date needs a clock and a time zone; the bundled server keeps every row.
    default: return true;
  }
}

function compareBy(sort) {
  return (a, b) => {
    for (const { column, direction } of sort) {
      const x = a[column];
      const y = b[column];
      if (x === y) continue;
      // NULLs last ascending, first descending, as most warehouses order them.
      const order = x === null || x === undefined ? 1 : y === null || y === undefined ? -1 : x < y ? -1 : 1;
      return direction === 'desc' ? -order : order;
    }
    return 0;
  };
}

function project(row, columns) {
  const out = {};
  for (const c of columns) {
    Object.defineProperty(out, c, { value: Object.hasOwn(row, c) ? row[c] : null, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/**
 * The lines to send for `rows` (an array of objects or a RowSource) under `query`:
 * { count, lineAt(i) }. Without column, filter or sort the rows are not touched (a
 * RowSource's lines go out as generated); otherwise they are parsed, filtered, sorted and
 * projected. Aggregation and dateTrunc are checked but not applied.
 */
function selectLines(rows, query) {
  const limit = query.limit ?? Infinity;
  const transform = query.column !== undefined || query.filter !== undefined || query.sort !== undefined;
  if (!transform) {
    const count = Math.min(rows.length, limit);
    const lineAt = rows instanceof RowSource ? rows.lineAt : (i) => JSON.stringify(rows[i]);
    return { count, lineAt };
  }
  let list = rows instanceof RowSource ? Array.from(rows) : rows.slice();
  if (query.column !== undefined && list.length > 0) {
    const known = new Set(Object.keys(list[0]));
    const missing = query.column.filter((c) => !known.has(c));
    if (missing.length > 0) throw bad(`column: unknown column ${missing.map((c) => `"${c}"`).join(', ')}`);
  }
  if (query.filter) list = list.filter((row) => query.filter.every((rule) => matches(row, rule)));
  if (query.sort) list.sort(compareBy(query.sort));
  if (limit < list.length) list = list.slice(0, limit);
  if (query.column !== undefined) list = list.map((row) => project(row, query.column));
  return { count: list.length, lineAt: (i) => JSON.stringify(list[i]) };
}

// ---- the writer ------------------------------------------------------------------------------

// How much framed text to gather before one socket write (per-row chunks).
const BATCH_CHARS = 64 * 1024;

/**
 * One HTTP chunk per row, framed here and written to the socket in batches: the wire
 * carries exactly what `res.write(row)` per row would send, at a fraction of the cost, so a
 * million-row benchmark measures the client and not this server. Node's response object
 * still sends the head and, from `res.end()`, the terminating chunk.
 */
function rowChunks(res) {
  const socket = res.socket;
  let batch = '';
  const flush = (callback) => {
    const text = batch;
    batch = '';
    // An empty write still waits for every earlier one, so `callback` means "all sent".
    if (text !== '' || callback) return socket.write(text, callback);
    return true;
  };
  return {
    drains: socket,
    push(text) {
      if (typeof text !== 'string') {
        // Bytes (a line cut inside a UTF-8 character) cannot join the text batch.
        flush();
        return socket.write(Buffer.concat([Buffer.from(`${text.length.toString(16)}\r\n`), text, Buffer.from('\r\n')]));
      }
      batch += `${Buffer.byteLength(text).toString(16)}\r\n${text}\r\n`;
      return batch.length < BATCH_CHARS || flush();
    },
    flush,
  };
}

/** The body re-cut into chunks of exactly `size` bytes, each written with `res.write`. */
function fixedChunks(res, size) {
  let pending = [];
  let pendingBytes = 0;
  return {
    drains: res,
    push(text) {
      const bytes = typeof text === 'string' ? Buffer.from(text) : text;
      pending.push(bytes);
      pendingBytes += bytes.length;
      if (pendingBytes < size) return true;
      let all = Buffer.concat(pending, pendingBytes);
      let ok = true;
      while (all.length >= size) {
        ok = res.write(all.subarray(0, size)) && ok;
        all = all.subarray(size);
      }
      pending = all.length > 0 ? [all] : [];
      pendingBytes = all.length;
      return ok;
    },
    flush(callback) {
      const rest = Buffer.concat(pending, pendingBytes);
      pending = [];
      pendingBytes = 0;
      if (rest.length > 0) return res.write(rest, callback);
      if (callback) process.nextTick(callback);
      return true;
    },
  };
}

/** One `res.write` per row: for a response that has no socket of its own yet (a pipelined request). */
function nodeChunks(res) {
  return {
    drains: res,
    push: (text) => res.write(text),
    flush(callback) {
      if (callback) res.write('', callback);
      return true;
    },
  };
}

/**
 * Writes `lines` as the real server does, or with `fault` applied:
 *   chunkBytes   re-cut the body into chunks of exactly this many bytes (large chunks, or
 *                tiny ones that split lines and UTF-8 characters)
 *   cutAfter     after this many complete lines destroy the socket: no terminating chunk
 *   cutAfterBytes  after this many bytes of the body (mid-line, even mid-character) destroy the socket
 *   resetAfter   after this many complete lines reset the connection (TCP RST where supported)
 *   stallAfter   after this many lines send nothing more (the socket stays open)
 *   malformedAt  line number (1-based) replaced by `malformedLine` (default: a cut-off object)
 *   trickleMs    wait this long before each line
 * `onEnd(outcome)` gets 'completed', 'cut', 'stalled' or 'aborted'.
 */
function writeNdjson(res, { lines, runId, fault = {}, timers, onEnd = () => {} }) {
  res.writeHead(200, {
    'content-type': NDJSON_TYPE,
    'cache-control': 'no-store',
    pragma: 'no-cache',
    expires: '0',
    'x-accel-buffering': 'no',
    'x-owox-run-id': runId,
  });
  res.flushHeaders();

  const { count, lineAt } = lines;
  const within = (n) => (n !== undefined && n < count ? n : undefined);
  const cutAt = within(fault.cutAfter);
  const resetAt = within(fault.resetAfter);
  const stallAt = within(fault.stallAfter);
  const stopAt = Math.min(count, cutAt ?? Infinity, resetAt ?? Infinity, stallAt ?? Infinity);
  const byteLimit = fault.cutAfterBytes ?? Infinity;
  let sentBytes = 0;
  const { malformedAt, trickleMs } = fault;
  const malformedLine = fault.malformedLine ?? DEFAULT_MALFORMED_LINE;
  const sink = fault.chunkBytes !== undefined ? fixedChunks(res, fault.chunkBytes) : res.socket ? rowChunks(res) : nodeChunks(res);

  let i = 0;
  let ended = false;
  const end = (outcome) => {
    if (ended) return;
    ended = true;
    onEnd(outcome);
  };
  res.once('close', () => end('aborted'));
  const later = (fn) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, trickleMs);
    timers.add(timer);
  };

  // Only after the lines are handed to the kernel, so the client gets every byte sent and
  // then an end of stream (or a reset) without the terminating zero-length chunk.
  const cut = (reset = false) =>
    sink.flush(() => {
      const socket = res.socket;
      if (reset && typeof socket?.resetAndDestroy === 'function') socket.resetAndDestroy();
      else socket?.destroy();
      end('cut');
    });

  const finish = () => {
    if (sentBytes >= byteLimit || (cutAt !== undefined && i >= cutAt)) {
      cut();
    } else if (resetAt !== undefined && i >= resetAt) {
      cut(true);
    } else if (stallAt !== undefined && i >= stallAt) {
      sink.flush();
      end('stalled');
    } else {
      sink.flush();
      res.end(() => end('completed'));
    }
  };

  const pump = () => {
    if (res.destroyed || ended) return;
    let ok = true;
    while (i < stopAt && ok) {
      let line;
      try {
        line = i + 1 === malformedAt ? malformedLine : lineAt(i);
      } catch (error) {
        // A row that cannot be serialized (e.g. a BigInt) fails the stream the way the real
        // server fails one after rows were sent, instead of throwing out of a timer.
        process.stderr.write(`[owox-test-server] row ${i + 1} of the stream could not be serialized: ${error?.message ?? error}\n`);
        cut();
        return;
      }
      i++;
      const text = `${line}\n`;
      if (byteLimit !== Infinity) {
        const bytes = Buffer.from(text);
        if (sentBytes + bytes.length >= byteLimit) {
          const part = bytes.subarray(0, byteLimit - sentBytes);
          sentBytes = byteLimit;
          if (part.length > 0) sink.push(part);
          return finish();
        }
        sentBytes += bytes.length;
      }
      ok = sink.push(text);
      if (trickleMs !== undefined) {
        ok = sink.flush() && ok;
        break;
      }
    }
    if (i >= stopAt) return finish();
    if (!ok) sink.drains.once('drain', pump);
    else later(pump);
  };

  if (trickleMs !== undefined) later(pump);
  else pump();
}

module.exports = { parseMartQuery, parseReportQuery, selectLines, writeNdjson, NDJSON_TYPE };
