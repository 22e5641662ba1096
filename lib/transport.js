'use strict';
// How a request leaves the client, and the original's low-level methods over it.
//
// An exchange is `(request, callOptions) => Promise<body>`, with request
// `{ method, path, query?, body?, accept? }`. The default one is the native request path
// (safe-path check, token, retries by method, typed errors: lib/http.js). The other is a
// caller-supplied transport, `new OWOXApiClient({ transport })`, as the original's plugin
// SDK uses it: an object with `getJson(path, query?)`, `postJson(path, body, accept?)`,
// `putJson(path, body)`, and optionally `patchJson(path, body)`, `deleteJson(path)` and
// `authenticate()`; it holds its own credentials and the client holds none, and every path
// passes the native path's safe-path check (checkApiPath) before it reaches the transport.

const { checkApiPath } = require('./binding.js');
const { send } = require('./http.js');
const { OWOXConfigError, abortError } = require('./errors.js');
const { callOptions, checkArgumentCount } = require('./options.js');
const { isPlainObject, jsonText, refuse } = require('./arguments.js');

/** The transport method each HTTP method maps to, and where its arguments go. */
const TRANSPORT_METHODS = {
  GET: { name: 'getJson', args: (r) => [r.path, r.query] },
  POST: { name: 'postJson', args: (r) => [r.path, r.body, r.accept] },
  PUT: { name: 'putJson', args: (r) => [r.path, r.body] },
  PATCH: { name: 'patchJson', args: (r) => [r.path, r.body] },
  DELETE: { name: 'deleteJson', args: (r) => [r.path] },
};

/** The methods a transport must have; the others are optional, as in the original. */
const REQUIRED_TRANSPORT_METHODS = ['getJson', 'postJson', 'putJson'];

function nativeExchange(native) {
  const exchange = (request, options) => send(native, request, options);
  // Errors built in JavaScript from a server's answer are scrubbed of credentials too.
  exchange.redact = (value) => (value === undefined ? value : JSON.parse(native.redact(JSON.stringify(value))));
  return exchange;
}

/**
 * The caller's transport when `options` is the `{ transport }` form, else undefined.
 * Credentials and transport settings cannot come with it: the transport owns them.
 */
function suppliedTransport(options) {
  if (!isPlainObject(options) || !Object.hasOwn(options, 'transport')) return undefined;
  const { transport, ...others } = options;
  const what = 'new OWOXApiClient({ transport })';
  if (Object.keys(others).length > 0) {
    throw new OWOXConfigError(
      `${what} takes no other option: the transport carries its own credentials and settings`,
    );
  }
  const missing = REQUIRED_TRANSPORT_METHODS.filter((name) => typeof transport?.[name] !== 'function');
  if (typeof transport !== 'object' || transport === null || missing.length > 0) {
    throw new OWOXConfigError(
      `${what}: transport must be an object with the methods ${REQUIRED_TRANSPORT_METHODS.join(', ')} ` +
        '(patchJson, deleteJson and authenticate are optional)',
    );
  }
  return transport;
}

/** Rejects with the signal's reason as soon as it aborts, whatever `promise` does. */
function raceAbort(promise, signal) {
  if (!signal) return promise;
  let onAbort;
  const aborted = new Promise((_, reject) => {
    onAbort = () => reject(abortError(signal));
    signal.addEventListener('abort', onAbort, { once: true });
  });
  return Promise.race([promise, aborted]).finally(() => signal.removeEventListener('abort', onAbort));
}

/**
 * The native path's safe-path rules (CONTRACT.md "Safe paths": an absolute `/api/` path, no
 * `.`/`..` segment, no encoded `%`, `/` or `\`, at most 2048 characters), for requests that
 * do not take the native path. A caller's transport holds a credential too, so a path that
 * could lead it elsewhere never reaches it. Same message as the native path.
 */
function checkSafePath(path) {
  try {
    checkApiPath(path);
  } catch (error) {
    throw new OWOXConfigError(error.message);
  }
}

/** The call options a transport gets as its extra last argument: only those set, or none. */
function setOptions({ signal, timeout, maxRetries }) {
  const set = Object.entries({ signal, timeout, maxRetries }).filter(([, value]) => value !== undefined);
  return set.length === 0 ? undefined : Object.fromEntries(set);
}

/**
 * Requests over a caller-supplied transport. The path passes the safe-path check first;
 * bodies reach the transport as JSON values (what the native path would send), and call
 * options, when any are set, as one extra last argument.
 */
function transportExchange(transport) {
  return async (request, options) => {
    const { signal } = options;
    if (signal?.aborted) throw abortError(signal);
    checkSafePath(request.path);
    const { name, args } = TRANSPORT_METHODS[request.method];
    if (typeof transport[name] !== 'function') {
      throw new OWOXConfigError(`Injected OWOX transport does not support ${name}()`);
    }
    const text = request.body === undefined ? undefined : jsonText(request.body, `${name}()`);
    const plain = { ...request, body: text === undefined ? undefined : JSON.parse(text) };
    const positional = args(plain);
    const extra = setOptions(options);
    if (extra) {
      positional.push(extra);
    } else {
      while (positional.length > 1 && positional.at(-1) === undefined) positional.pop();
    }
    return raceAbort(Promise.resolve(transport[name](...positional)), signal);
  };
}

/**
 * `authenticate(options)` over a caller's transport: its own `authenticate()` when it has one
 * (given the call options when any are set), and the abort rule of every other call: an
 * aborted signal rejects with its reason, at once if it is already aborted.
 */
async function authenticateOver(transport, options) {
  const { signal } = options;
  if (signal?.aborted) throw abortError(signal);
  if (typeof transport.authenticate !== 'function') return;
  const extra = setOptions(options);
  const started = Promise.resolve(extra ? transport.authenticate(extra) : transport.authenticate());
  await raceAbort(started, signal);
}

/**
 * `getStream` over a caller's transport (lib/data-streams.js hands it to
 * `transport.getStream`), held to the rules of the other transport calls: a string path
 * passes the safe-path check first, and an aborted signal rejects with its reason (at once
 * when already aborted; a Response that arrives after the abort has its body cancelled).
 */
function guardedTransportStream(getStream) {
  return async function getStreamOverTransport(...args) {
    const [path, , options] = args;
    const { signal } = callOptions(options, 'getStream');
    if (signal?.aborted) throw abortError(signal);
    if (typeof path === 'string') checkSafePath(path);
    const response = getStream(...args);
    if (!signal) return response;
    response.then((late) => (signal.aborted ? late?.body?.cancel?.() : undefined)).catch(() => {});
    return raceAbort(response, signal);
  };
}

function checkPath(path, what) {
  if (typeof path !== 'string') refuse(what, 'path must be a string such as /api/data-marts');
}

/** A query as the original takes it: a plain object of strings (numbers and booleans are written out) or URLSearchParams. */
function checkQuery(query, what) {
  if (query === undefined || query === null || query instanceof URLSearchParams) return;
  const scalar = (value) => value === undefined || ['string', 'number', 'boolean'].includes(typeof value);
  if (!isPlainObject(query) || !Object.values(query).every(scalar)) {
    refuse(
      what,
      'query must be a plain object of strings or a URLSearchParams; call options go in the last argument, ' +
        'e.g. getJson(path, undefined, { signal })',
    );
  }
}

function checkBody(body, what) {
  if (body !== undefined) jsonText(body, what);
}

/**
 * The original's low-level methods over `exchange`, each also taking a last options object
 * `{ signal, timeout, maxRetries }`. The path must be a safe `/api/` path, checked before any
 * token exchange or transport call; on the native path POST and PATCH are not repeated once sent.
 */
function lowLevelMethods(exchange) {
  return {
    async getJson(...args) {
      checkArgumentCount(args, 'getJson', ['path', 'query?', 'options?']);
      const [path, query, options] = args;
      checkPath(path, 'getJson()');
      checkQuery(query, 'getJson()');
      return exchange({ method: 'GET', path, query: query ?? undefined }, callOptions(options, 'getJson'));
    },
    async postJson(...args) {
      checkArgumentCount(args, 'postJson', ['path', 'body', 'accept?', 'options?']);
      // `postJson(path, body, { signal })`: the accept header may be left out before the options.
      const skipsAccept = args.length === 3 && isPlainObject(args[2]);
      const [path, body, accept, options] = skipsAccept ? [args[0], args[1], undefined, args[2]] : args;
      checkPath(path, 'postJson()');
      checkBody(body, 'postJson()');
      if (accept !== undefined && typeof accept !== 'string') refuse('postJson()', 'accept must be a string such as text/html');
      return exchange({ method: 'POST', path, body, accept }, callOptions(options, 'postJson'));
    },
    async putJson(...args) {
      checkArgumentCount(args, 'putJson', ['path', 'body', 'options?']);
      const [path, body, options] = args;
      checkPath(path, 'putJson()');
      checkBody(body, 'putJson()');
      return exchange({ method: 'PUT', path, body }, callOptions(options, 'putJson'));
    },
    async patchJson(...args) {
      checkArgumentCount(args, 'patchJson', ['path', 'body', 'options?']);
      const [path, body, options] = args;
      checkPath(path, 'patchJson()');
      checkBody(body, 'patchJson()');
      return exchange({ method: 'PATCH', path, body }, callOptions(options, 'patchJson'));
    },
    async deleteJson(...args) {
      checkArgumentCount(args, 'deleteJson', ['path', 'options?']);
      const [path, options] = args;
      checkPath(path, 'deleteJson()');
      return exchange({ method: 'DELETE', path }, callOptions(options, 'deleteJson'));
    },
  };
}

module.exports = {
  nativeExchange,
  transportExchange,
  authenticateOver,
  guardedTransportStream,
  suppliedTransport,
  lowLevelMethods,
  checkSafePath,
};
