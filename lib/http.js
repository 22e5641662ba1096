'use strict';
// The one generic request: every named call and every low-level method goes through here
// to the native request path (safe-path check, token, 401 rule, retries by method,
// timeouts, limits, the error mapping, one body decoder).

const { run } = require('./call.js');

/** A query as the original takes it: a plain object (each key set once) or URLSearchParams (appended). */
function queryString(query) {
  if (query === undefined || query === null) return undefined;
  const params = query instanceof URLSearchParams ? query : new URLSearchParams();
  if (!(query instanceof URLSearchParams)) {
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined) params.set(key, String(value));
    }
  }
  const text = params.toString();
  return text === '' ? undefined : text;
}

/**
 * Sends one authenticated request and returns the response body the way the original's
 * `readResponseBody` does: `undefined` when empty, the parsed value when the content type
 * says JSON, else the text.
 *
 * @param {object} native the NativeClient
 * @param {{ method: string, path: string, query?: object, body?: unknown, accept?: string }} request
 * @param {{ signal?: AbortSignal, timeout?: number, maxRetries?: number }} options already checked
 */
async function send(native, request, options) {
  const reply = await run(native, options, (call) =>
    native.request(
      {
        method: request.method,
        path: request.path,
        query: queryString(request.query),
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        accept: request.accept,
      },
      call,
    ),
  );
  return bodyValue(reply);
}

/** The value of a native reply: the decoder in Rust already checked that JSON text is JSON. */
function bodyValue(reply) {
  if (reply.text === undefined || reply.text === null || reply.text === '') return undefined;
  return reply.json ? JSON.parse(reply.text) : reply.text;
}

module.exports = { send, queryString, bodyValue };
