'use strict';

// THE BASELINE. This is the client a user would write by hand with Node's own `fetch` and
// `JSON.parse`, following the same wire contract as the native client.
// The comparison is only fair if it does the same work on the success path: token exchange,
// the same headers, redirects refused, pagination with the repeated-offset guard, shape
// checks, and an error on every non-2xx. It leaves out retries and per-attempt timeouts:
// retries cost nothing when nothing fails and timers cost a little, so leaving them out can
// only flatter the baseline.

class BaselineApiError extends Error {
  constructor(message, { status, code, details, cause } = {}) {
    super(message, { cause });
    this.name = 'BaselineApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

class BaselineAuthError extends BaselineApiError {
  constructor(message, fields) {
    super(message, fields);
    this.name = 'BaselineAuthError';
  }
}

const isObject = (value) => value !== null && typeof value === 'object' && !Array.isArray(value);
const nonEmptyString = (value) => typeof value === 'string' && value !== '';

function isDataMartsPage(body) {
  return (
    isObject(body) &&
    Array.isArray(body.items) &&
    typeof body.total === 'number' &&
    (body.nextOffset === null || typeof body.nextOffset === 'number')
  );
}

function shapeError(what, body) {
  return new BaselineApiError(`OWOX ${what} returned an unexpected response shape`, { details: body });
}

async function httpError(response, ErrorClass) {
  const text = await response.text();
  let body = text === '' ? undefined : text;
  if (body !== undefined && /json/i.test(response.headers.get('content-type') ?? '')) {
    try {
      body = JSON.parse(text);
    } catch {
      // A JSON content type with a broken body still deserves the error with its text.
    }
  }
  const fields = isObject(body) ? body : {};
  const code = nonEmptyString(fields.code) ? fields.code : nonEmptyString(fields.error) ? fields.error : undefined;
  const details = 'details' in fields ? fields.details : 'errorDetails' in fields ? fields.errorDetails : body;
  const statusText = response.statusText || 'HTTP error';
  const suffix = nonEmptyString(fields.message) ? `: ${fields.message}` : '';
  return new ErrorClass(`OWOX API request failed with ${response.status} ${statusText}${suffix}`, {
    status: response.status,
    code,
    details,
  });
}

/**
 * A data-mart row stream as a careful user reads it on `fetch`, the way the original client
 * does: the body's bytes through a streaming `TextDecoder`, `split('\n')`, one `JSON.parse`
 * per line and an object check; one array of rows per network read. A body cut off without
 * its terminating chunk surfaces as undici's "terminated" error, so the baseline does not get
 * to skip that check either.
 */
class BaselineTraversal {
  #response;

  constructor(response) {
    this.#response = response;
    this.runId = response.headers.get('x-owox-run-id') ?? undefined;
  }

  async cancel() {
    await this.#response.body?.cancel().catch(() => {});
  }

  async *rowChunks() {
    const reader = this.#response.body.getReader();
    const decoder = new TextDecoder();
    let pending = '';
    let lineNumber = 0;
    let ended = false;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        ended = done;
        pending += decoder.decode(value, { stream: !done });
        const lines = pending.split('\n');
        pending = done ? '' : lines.pop();
        const rows = [];
        for (const line of lines) {
          if (line.length === 0) continue;
          lineNumber++;
          rows.push(parseRow(line, lineNumber));
        }
        if (rows.length > 0) yield rows;
        if (done) return;
      }
    } finally {
      if (!ended) await reader.cancel().catch(() => {});
    }
  }

  /**
   * The same NDJSON in a file, each line checked as the traversal checks it (a user does not
   * save what they have not read), written in blocks of 64 KiB or more through a file
   * stream with its backpressure (one write per row would be a strawman).
   */
  async saveTo(path) {
    const { createWriteStream } = require('node:fs');
    const { once } = require('node:events');
    const out = createWriteStream(path);
    const reader = this.#response.body.getReader();
    const decoder = new TextDecoder();
    let pending = '';
    let lineNumber = 0;
    let rows = 0;
    let bytes = 0;
    let block = [];
    let blockLength = 0;
    const flush = async () => {
      const text = block.join('');
      block = [];
      blockLength = 0;
      bytes += Buffer.byteLength(text);
      if (!out.write(text)) await once(out, 'drain');
    };
    for (;;) {
      const { done, value } = await reader.read();
      pending += decoder.decode(value, { stream: !done });
      const lines = pending.split('\n');
      pending = done ? '' : lines.pop();
      for (const line of lines) {
        if (line.length === 0) continue;
        lineNumber++;
        parseRow(line, lineNumber);
        block.push(line, '\n');
        blockLength += line.length + 1;
        rows++;
      }
      if (blockLength >= 64 * 1024 || (done && blockLength > 0)) await flush();
      if (done) break;
    }
    out.end();
    await once(out, 'finish');
    return { rows, bytes };
  }
}

function parseRow(line, lineNumber) {
  let row;
  try {
    row = JSON.parse(line);
  } catch (cause) {
    throw new BaselineApiError(`Malformed NDJSON line ${lineNumber}`, { cause });
  }
  if (!isObject(row)) throw new BaselineApiError(`NDJSON line ${lineNumber} is not a JSON object`);
  return row;
}

class BaselineClient {
  #origin;
  #apiKeyId;
  #apiKeySecret;
  #token = null;

  constructor({ apiOrigin, apiKeyId, apiKeySecret }) {
    this.#origin = new URL(apiOrigin).origin;
    this.#apiKeyId = apiKeyId;
    this.#apiKeySecret = apiKeySecret;

    this.dataMarts = {
      list: () => this.#listDataMarts(),
      iterate: () => this.#iterateDataMarts(),
      traverseData: (id, options) => this.#traverseData(id, options),
    };
    this.storages = { list: () => this.#getArray('/api/data-storages', 'Data Storages API') };
    this.destinations = { list: () => this.#getArray('/api/data-destinations', 'Data Destinations API') };
  }

  async #fetch(path, init) {
    try {
      return await fetch(this.#origin + path, { ...init, redirect: 'manual' });
    } catch (cause) {
      throw new BaselineApiError(`Unable to reach OWOX Data Marts API at ${this.#origin}.`, {
        code: 'NETWORK_ERROR',
        cause,
      });
    }
  }

  async #exchange() {
    const response = await this.#fetch('/api/auth/api-keys/exchange', {
      method: 'POST',
      headers: {
        accept: 'application/json',
        'content-type': 'application/json',
        'x-owox-api-key-id': this.#apiKeyId,
      },
      body: JSON.stringify({ apiKeySecret: this.#apiKeySecret }),
    });
    if (!response.ok) throw await httpError(response, BaselineAuthError);
    const body = JSON.parse(await response.text());
    if (!isObject(body) || !nonEmptyString(body.accessToken)) {
      throw new BaselineAuthError('OWOX authentication response did not include an access token');
    }
    return body.accessToken;
  }

  // Deliberately the naive pattern hand-written clients use: any call that finds no token
  // starts its own exchange, so concurrent first calls each exchange.
  async #accessToken() {
    if (this.#token === null) this.#token = await this.#exchange();
    return this.#token;
  }

  async #authorizedGet(path, accept = 'application/json') {
    return this.#fetch(path, {
      headers: {
        accept,
        'x-owox-api-key-id': this.#apiKeyId,
        'x-owox-authorization': `Bearer ${await this.#accessToken()}`,
      },
    });
  }

  async #getJson(path) {
    return JSON.parse(await (await this.#authorizedResponse(path)).text());
  }

  /** A 2xx response to an authenticated GET (one re-exchange on a 401), else the error. */
  async #authorizedResponse(path, accept) {
    let response = await this.#authorizedGet(path, accept);
    if (response.status === 401) {
      await response.body?.cancel();
      this.#token = null;
      response = await this.#authorizedGet(path, accept);
      if (response.status === 401) throw await httpError(response, BaselineAuthError);
    }
    if (!response.ok) throw await httpError(response, BaselineApiError);
    return response;
  }

  /** The raw response of an authenticated GET, as `fetch` gives it. */
  async getStream(path) {
    return this.#authorizedResponse(path, 'application/x-ndjson');
  }

  async #traverseData(id, { limit } = {}) {
    const query = limit === undefined ? '' : `?limit=${limit}`;
    const response = await this.#authorizedResponse(
      `/api/external/http-data/data-marts/${encodeURIComponent(id)}.ndjson${query}`,
      'application/x-ndjson',
    );
    if (!/^application\/x-ndjson/i.test(response.headers.get('content-type') ?? '')) {
      await response.body?.cancel();
      throw new BaselineApiError('OWOX Data Mart data stream returned an unexpected content type');
    }
    return new BaselineTraversal(response);
  }

  async #getArray(path, what) {
    const body = await this.#getJson(path);
    if (!Array.isArray(body)) throw shapeError(what, body);
    return body;
  }

  async *#pages() {
    const requested = new Set([0]);
    let path = '/api/data-marts';
    for (;;) {
      const page = await this.#getJson(path);
      if (!isDataMartsPage(page)) throw shapeError('Data Marts API', page);
      yield page.items;
      if (page.nextOffset === null) return;
      if (requested.has(page.nextOffset)) {
        throw new BaselineApiError(`OWOX Data Marts API returned repeated nextOffset ${page.nextOffset}`);
      }
      requested.add(page.nextOffset);
      path = `/api/data-marts?offset=${page.nextOffset}`;
    }
  }

  async #listDataMarts() {
    const all = [];
    for await (const items of this.#pages()) all.push(...items);
    return all;
  }

  async *#iterateDataMarts() {
    for await (const items of this.#pages()) yield* items;
  }
}

module.exports = { BaselineClient, BaselineApiError, BaselineAuthError };
