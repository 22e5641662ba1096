'use strict';

// Fault injection: an ordered list of one-shot (or n-shot) overrides that take a request
// before normal routing, and the code that plays each kind of misbehaving server.

function validate(match, response) {
  if (match === null || typeof match !== 'object') throw new TypeError('inject(match, response): match must be an object');
  const { path, method, times = 1, after = 0 } = match;
  if (path !== undefined && typeof path !== 'string' && !(path instanceof RegExp)) {
    throw new TypeError('inject: match.path must be a string or a RegExp');
  }
  if (method !== undefined && typeof method !== 'string') throw new TypeError('inject: match.method must be a string');
  if (!(times === Infinity || (Number.isInteger(times) && times > 0))) {
    throw new TypeError('inject: match.times must be a positive integer or Infinity');
  }
  if (!(Number.isInteger(after) && after >= 0)) throw new TypeError('inject: match.after must be a non-negative integer');
  if (response === null || typeof response !== 'object') throw new TypeError('inject(match, response): response must be an object');
  const { bytes, delayMs, status } = response;
  // Two bytes is the smallest JSON array ("[]"); anything smaller could not be valid JSON.
  if (bytes !== undefined && !(Number.isSafeInteger(bytes) && bytes >= 2)) {
    throw new TypeError('inject: response.bytes must be an integer >= 2');
  }
  if (delayMs !== undefined && !(Number.isFinite(delayMs) && delayMs >= 0)) {
    throw new TypeError('inject: response.delayMs must be a non-negative number');
  }
  if (status !== undefined && !(Number.isInteger(status) && status >= 100 && status <= 999)) {
    throw new TypeError('inject: response.status must be an HTTP status code');
  }
  if (response.stream !== undefined) validateStreamFault(response.stream, 'inject: response.stream');
}

const STREAM_FAILURES = ['STORAGE_READ_FAILED', 'LICENSE_REQUIRED'];
const STREAM_FAULT_KEYS = ['cutAfter', 'cutAfterBytes', 'resetAfter', 'stallAfter', 'malformedAt', 'malformedLine', 'trickleMs', 'chunkBytes', 'fail'];

// A fault for the NDJSON endpoints: the request is routed normally and the stream is
// written with the fault applied (see testing/ndjson.js).
function validateStreamFault(fault, where) {
  if (fault === null || typeof fault !== 'object' || Array.isArray(fault)) throw new TypeError(`${where} must be an object`);
  for (const key of Object.keys(fault)) {
    if (!STREAM_FAULT_KEYS.includes(key)) throw new TypeError(`${where}: unknown field "${key}" (known: ${STREAM_FAULT_KEYS.join(', ')})`);
  }
  const count = (name, min) => {
    const v = fault[name];
    if (v !== undefined && !(Number.isSafeInteger(v) && v >= min)) throw new TypeError(`${where}.${name} must be an integer >= ${min}`);
  };
  count('cutAfter', 0);
  count('cutAfterBytes', 0);
  count('resetAfter', 0);
  count('stallAfter', 0);
  count('malformedAt', 1);
  count('chunkBytes', 1);
  if (fault.trickleMs !== undefined && !(Number.isFinite(fault.trickleMs) && fault.trickleMs >= 0)) {
    throw new TypeError(`${where}.trickleMs must be a non-negative number`);
  }
  if (fault.malformedLine !== undefined && (typeof fault.malformedLine !== 'string' || /[\r\n]/.test(fault.malformedLine))) {
    throw new TypeError(`${where}.malformedLine must be a string without line breaks`);
  }
  if (fault.fail !== undefined && !STREAM_FAILURES.includes(fault.fail)) {
    throw new TypeError(`${where}.fail must be one of ${STREAM_FAILURES.join(', ')}`);
  }
}

class Injections {
  #list = [];

  add(match, response) {
    validate(match, response);
    const handle = {
      match: { ...match },
      response,
      remaining: match.times ?? 1,
      skipped: 0,
      hits: 0,
    };
    this.#list.push(handle);
    return handle;
  }

  clear() {
    for (const handle of this.#list) handle.remaining = 0;
    this.#list.length = 0;
  }

  // Returns the response to play for this request, consuming one use, or null.
  take(method, path) {
    const list = this.#list;
    for (let i = 0; i < list.length; i++) {
      const handle = list[i];
      const { match } = handle;
      if (match.method !== undefined && match.method.toUpperCase() !== method) continue;
      if (match.path !== undefined && !pathMatches(match.path, path)) continue;
      if (handle.skipped < (match.after ?? 0)) {
        handle.skipped++;
        continue;
      }
      handle.hits++;
      handle.remaining--;
      if (handle.remaining <= 0) list.splice(i, 1);
      return handle.response;
    }
    return null;
  }
}

function pathMatches(pattern, path) {
  if (typeof pattern === 'string') return pattern === path;
  // A /g or /y RegExp carries lastIndex between calls and would match every other time.
  pattern.lastIndex = 0;
  return pattern.test(path);
}

function lowerCaseKeys(headers) {
  const out = {};
  if (headers) for (const key of Object.keys(headers)) out[key.toLowerCase()] = headers[key];
  return out;
}

function isPlainResponse(response) {
  return response.status !== undefined || response.body !== undefined || response.headers !== undefined;
}

// Plays `response` on (req, res). `route(streamFault?)` runs the normal handler; `timers` is the server's
// set of pending timers, cleared by close() so a delayed answer cannot outlive the server.
function play(req, res, response, route, timers) {
  if (response.delayMs > 0) {
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!res.destroyed) playNow(req, res, response, route);
    }, response.delayMs);
    timers.add(timer);
    return;
  }
  playNow(req, res, response, route);
}

function playNow(req, res, response, route) {
  if (response.reset) {
    const socket = req.socket;
    // An RST (ECONNRESET on the client) rather than a clean FIN where the platform allows it.
    if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
    else socket.destroy();
    return;
  }
  // The socket stays registered with the server, so close() still destroys it.
  if (response.hang) return;
  if (response.stall) return stall(res, response);
  if (response.bytes !== undefined) return streamBytes(res, response.bytes);
  if (response.stream !== undefined) return route(response.stream);
  if (response.passthrough || !isPlainResponse(response)) return route();
  sendPlain(res, response);
}

function sendPlain(res, { status = 200, headers, body }) {
  const head = lowerCaseKeys(headers);
  let payload;
  if (body === undefined) {
    payload = null;
  } else if (typeof body === 'string' || Buffer.isBuffer(body)) {
    payload = body;
    if (head['content-type'] === undefined) head['content-type'] = 'text/plain; charset=utf-8';
  } else {
    payload = JSON.stringify(body);
    if (head['content-type'] === undefined) head['content-type'] = 'application/json; charset=utf-8';
  }
  if (payload !== null && head['content-length'] === undefined && head['transfer-encoding'] === undefined) {
    head['content-length'] = Buffer.byteLength(payload);
  }
  res.writeHead(status, head);
  res.end(payload ?? undefined);
}

function stall(res, { status = 200, headers, partialBody }) {
  const head = lowerCaseKeys(headers);
  if (head['content-type'] === undefined) head['content-type'] = 'application/json; charset=utf-8';
  res.writeHead(status, head);
  if (partialBody !== undefined && partialBody !== '') res.write(partialBody);
  // Without a body write the head would sit in Node's buffer; the client must see it.
  else res.flushHeaders();
}

const CHUNK_SIZE = 64 * 1024;
// One complete array element plus its comma, reused for every chunk: a 100 MB answer
// costs 64 KiB of memory.
const ELEMENT_CHUNK = Buffer.from('"' + 'x'.repeat(CHUNK_SIZE - 3) + '",');

// Exactly `total` bytes of a valid JSON array of strings, written with backpressure.
function streamBytes(res, total) {
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': total });
  let inner = total - 2;
  res.write('[');
  const pump = () => {
    // Keep at least one chunk's worth for the final element, which must not end in a comma.
    while (inner > 2 * CHUNK_SIZE) {
      inner -= CHUNK_SIZE;
      if (!res.write(ELEMENT_CHUNK)) {
        if (!res.destroyed) res.once('drain', pump);
        return;
      }
    }
    // A string needs two quote bytes; a single leftover byte becomes JSON whitespace.
    const tail = inner >= 2 ? '"' + 'x'.repeat(inner - 2) + '"' : ' '.repeat(inner);
    res.end(tail + ']');
  };
  pump();
}

module.exports = { Injections, play, pathMatches, validateStreamFault };
