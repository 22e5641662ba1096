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

  async #authorizedGet(path) {
    return this.#fetch(path, {
      headers: {
        accept: 'application/json',
        'x-owox-api-key-id': this.#apiKeyId,
        'x-owox-authorization': `Bearer ${await this.#accessToken()}`,
      },
    });
  }

  async #getJson(path) {
    let response = await this.#authorizedGet(path);
    if (response.status === 401) {
      await response.body?.cancel();
      this.#token = null;
      response = await this.#authorizedGet(path);
      if (response.status === 401) throw await httpError(response, BaselineAuthError);
    }
    if (!response.ok) throw await httpError(response, BaselineApiError);
    return JSON.parse(await response.text());
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
