'use strict';
// client.request(route, params, options): any operation of the server that accepts an API
// key, named by its OpenAPI route ('GET /api/data-marts/{id}'). The generated route table
// says what each route takes; this file checks `params` against it, fills the path (a value
// that would make it unsafe is refused by name) and hands the request to the exchange: the
// one generic request path (lib/http.js), which applies the safe-path rules, the token,
// retries by method and the error mapping, or a caller's transport (lib/transport.js).
//
// params = { ...pathParams, query?: { name: value }, body?: <JSON value> }

const { API_KEY_ROUTES, NOT_OFFERED } = require('./routes.generated.js');
const { OWOXConfigError } = require('./errors.js');
const { callOptions } = require('./options.js');
const { send } = require('./http.js');
const { checkSafePath } = require('./transport.js');

const ROUTES = new Map(Object.entries(API_KEY_ROUTES));
const NOT_OFFERED_ROUTES = new Map(Object.entries(NOT_OFFERED));
const PLACEHOLDER = /\{([^}]+)\}/g;
const ROUTE_FORM =
  "Routes are 'METHOD /path' exactly as in the server's OpenAPI document, with {placeholders}, " +
  "e.g. 'GET /api/data-marts/{id}'";

/** A caller's value in a message: quoted, and short even when the value is not. */
function shown(value) {
  const text = String(value);
  return `'${text.length > 200 ? `${text.slice(0, 200)}...` : text}'`;
}

function isPlainObject(value) {
  if (value === null || typeof value !== 'object') return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** Route templates as patterns, to recognize a filled path ('GET /api/data-marts/abc') in a message. */
let templatePatterns;
function templateFor(method, path) {
  templatePatterns ??= [...ROUTES.keys()].map((route) => {
    const [routeMethod, template] = route.split(' ');
    const parts = template.split(PLACEHOLDER).map((part, i) => (i % 2 ? '[^/]+' : part.replace(/[.*+?^$()|[\]\\]/g, '\\$&')));
    return { route, method: routeMethod, pattern: new RegExp(`^${parts.join('')}$`) };
  });
  return templatePatterns.find((t) => t.method === method && t.pattern.test(path))?.route;
}

/** What to do instead, for a route string that names no API-key operation. */
function hint(route) {
  const [method = '', path = ''] = route.trim().split(/\s+/);
  const normalized = `${method.toUpperCase()} ${path}`;
  if (normalized !== route && ROUTES.has(normalized)) return `Did you mean '${normalized}'?`;
  const template = templateFor(method.toUpperCase(), path.split('?')[0]);
  if (template) return `Name the route by its template, '${template}', and pass the path values in params.`;
  return `${ROUTE_FORM}.`;
}

/** The table entry of `route`; any other route is refused before a request is made. */
function routeSpec(route) {
  if (typeof route !== 'string') {
    throw new OWOXConfigError(`client.request(): route must be a string. ${ROUTE_FORM}.`);
  }
  const spec = ROUTES.get(route);
  if (spec) return spec;
  const reason = NOT_OFFERED_ROUTES.get(route);
  if (reason === 'refuses-api-key') {
    throw new OWOXConfigError(
      `client.request(): ${shown(route)} does not accept API keys (the server answers 403 "API key ` +
        'authentication is not allowed for this endpoint"), so request() does not offer it.',
    );
  }
  if (reason === 'public') {
    throw new OWOXConfigError(
      `client.request(): ${shown(route)} is a public endpoint without authentication; request() offers only ` +
        'the operations that accept an API key.',
    );
  }
  throw new OWOXConfigError(
    `client.request(): ${shown(route)} is not an operation of the OWOX API that accepts an API key. ${hint(route)}`,
  );
}

/** Whether `path` passes the safe-path rules of the native request path. */
function isSafePath(path) {
  try {
    checkSafePath(path);
    return true;
  } catch (error) {
    if (error instanceof OWOXConfigError) return false;
    throw error;
  }
}

/** `template` with each {placeholder} replaced by `values[name]` (already encoded). */
const fill = (template, values) => template.replace(PLACEHOLDER, (_, name) => values[name]);

/**
 * The path with each {placeholder} replaced by its percent-encoded value from params. A value
 * that makes the path unsafe ('..', or one holding '/', '\\' or '%', which stay encoded) is
 * refused here, naming the parameter, before the request path refuses the whole path.
 */
function filledPath(route, spec, params) {
  const encoded = {};
  for (const [, name] of spec.path.matchAll(PLACEHOLDER)) {
    const value = params[name];
    if (value === undefined || value === null) {
      throw new OWOXConfigError(`client.request(${shown(route)}): params.${name} is required (the {${name}} of the path).`);
    }
    const usable = (typeof value === 'string' && value !== '') || (typeof value === 'number' && Number.isFinite(value));
    if (!usable) {
      throw new OWOXConfigError(`client.request(${shown(route)}): params.${name} must be a non-empty string or a finite number.`);
    }
    try {
      encoded[name] = encodeURIComponent(String(value));
    } catch {
      // encodeURIComponent throws URIError for a lone surrogate.
      throw new OWOXConfigError(`client.request(${shown(route)}): params.${name} must be well-formed Unicode text.`);
    }
  }
  const path = fill(spec.path, encoded);
  if (isSafePath(path)) return path;
  // Which value is to blame: the first that makes the path unsafe with every other value harmless.
  const harmless = Object.fromEntries(Object.keys(encoded).map((name) => [name, 'x']));
  const culprit = Object.keys(encoded).find((name) => !isSafePath(fill(spec.path, { ...harmless, [name]: encoded[name] })));
  const what = culprit === undefined ? 'the path values' : `params.${culprit}`;
  throw new OWOXConfigError(
    `client.request(${shown(route)}): ${what} would make an unsafe path: a path value cannot be '.' or '..', ` +
      "hold '/', '\\' or '%', or make the path longer than 2048 characters (OWOX API path must be an absolute /api/ " +
      'path without traversal or encoded separators).',
  );
}

function queryValue(route, name, value) {
  const scalar = typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
  if (!scalar) {
    throw new OWOXConfigError(
      `client.request(${shown(route)}): params.query.${name} must be a string, a finite number, a boolean, or an array of them.`,
    );
  }
  return String(value);
}

/**
 * The query as URLSearchParams. An array is one `name=value` per item (OpenAPI's default),
 * or one comma-joined value where the operation declares `explode: false`.
 */
function queryParams(route, spec, query) {
  if (query === undefined || query === null) return undefined;
  if (!isPlainObject(query)) {
    throw new OWOXConfigError(`client.request(${shown(route)}): params.query must be a plain object of query parameters.`);
  }
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    if (!Array.isArray(value)) {
      params.append(name, queryValue(route, name, value));
    } else if (spec.commaSeparated?.includes(name)) {
      if (value.length > 0) params.append(name, value.map((item) => queryValue(route, name, item)).join(','));
    } else {
      for (const item of value) params.append(name, queryValue(route, name, item));
    }
  }
  return params;
}

function checkedBody(route, spec, body) {
  if (body === undefined) {
    if (spec.body === 'required') {
      throw new OWOXConfigError(`client.request(${shown(route)}): params.body is required: the operation takes a JSON body.`);
    }
    return undefined;
  }
  if (!spec.body) {
    throw new OWOXConfigError(
      `client.request(${shown(route)}): the operation takes no body; remove params.body (postJson/putJson send any body).`,
    );
  }
  // Serialized here once to turn a value JSON cannot hold (a BigInt, a cycle, a function)
  // into an OWOXConfigError before the request; the request path serializes it again.
  let text;
  try {
    text = JSON.stringify(body);
  } catch (error) {
    throw new OWOXConfigError(`client.request(${shown(route)}): params.body cannot be sent as JSON: ${error.message}`);
  }
  if (text === undefined) {
    throw new OWOXConfigError(`client.request(${shown(route)}): params.body cannot be sent as JSON.`);
  }
  return body;
}

/** The request `route` with `params` describes, or an OWOXConfigError saying what to fix. */
function requestFor(route, params) {
  const spec = routeSpec(route);
  if (params !== undefined && params !== null && !isPlainObject(params)) {
    throw new OWOXConfigError(`client.request(${shown(route)}): params must be a plain object.`);
  }
  const given = params ?? {};
  const known = [...(spec.pathParams ?? []), 'query', ...(spec.body ? ['body'] : [])];
  for (const key of Object.keys(given)) {
    if (key === 'body' && !spec.body) continue; // checkedBody says why
    if (!known.includes(key)) {
      throw new OWOXConfigError(
        `client.request(${shown(route)}): unknown params key ${shown(key)}; this route takes ${known.join(', ')}.`,
      );
    }
  }
  return {
    method: spec.method,
    path: filledPath(route, spec, given),
    query: queryParams(route, spec, given.query),
    body: checkedBody(route, spec, given.body),
    accept: spec.accept,
  };
}

/**
 * Sends the operation `route` names ('GET /api/data-marts/{id}') over `exchange`
 * (`(request, callOptions) => Promise<body>`: the native path, or a caller's transport in
 * the `{ transport }` form) and resolves to what it resolves to: on the native path,
 * `JSON.parse` of a JSON body, the text of other content, `undefined` when empty.
 * Rejects with OWOXConfigError, before any request, for a route that does not accept API
 * keys or for params or options that do not fit it.
 *
 * @param {(request: object, options: object) => Promise<unknown>} exchange
 * @param {string} route
 * @param {{ [pathParam: string]: unknown, query?: object, body?: unknown }} [params]
 * @param {{ signal?: AbortSignal, timeout?: number, maxRetries?: number }} [options]
 */
async function requestRouteOver(exchange, route, params, options) {
  const request = requestFor(route, params);
  return exchange(request, callOptions(options, 'request'));
}

/** `requestRouteOver` on the native request path of `native` (a NativeClient). */
async function requestRoute(native, route, params, options) {
  return requestRouteOver((request, checked) => send(native, request, checked), route, params, options);
}

module.exports = { requestRoute, requestRouteOver };
