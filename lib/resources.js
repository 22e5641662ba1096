'use strict';
// Builds the resource objects (`runs`, `project`, `models`, ...) from the endpoint table.
// Every named call does the same four steps: check the arguments (nothing is sent when
// one is wrong), build the request, hand it to the exchange (the native request path, or
// a caller-supplied transport), and check the answer's envelope.

const { ENDPOINTS, SCOPES } = require('./endpoints.js');
const { OWOXApiError } = require('./errors.js');
const { callOptions, checkArgumentCount } = require('./options.js');
const { isPlainObject } = require('./arguments.js');

/** `runs.forDataMart.get` reads `runs.forDataMart(dataMartId).get` in messages. */
function displayName(name) {
  const parts = name.split('.');
  if (parts.length === 2) return name;
  const scope = parts.slice(0, 2).join('.');
  return `${scope}(${SCOPES[scope].name}).${parts[2]}`;
}

/**
 * Splits a call's arguments into checked values and its call options. An optional scalar
 * argument may be left out when the options object follows, e.g.
 * `models.getDataMarts(storageId, { signal })`.
 */
function bindArguments(entry, args, display) {
  const what = `${display}()`;
  const optionsArg = entry.args.find((arg) => arg.in === 'options');
  const positional = entry.args.filter((arg) => arg.in !== 'options');
  let given = args;
  let rawOptions = args[positional.length];
  const last = args.length - 1;
  if (!optionsArg && last < positional.length && positional[last]?.scalar && isPlainObject(args[last])) {
    rawOptions = args[last];
    given = args.slice(0, last);
  }

  const values = {};
  positional.forEach((arg, index) => {
    const value = given[index];
    if (value === undefined && arg.optional) return;
    arg.check(value, what, arg.name);
    values[arg.name] = value;
  });

  const fields = optionsArg ? optionsArg.fields : {};
  const { signal, timeout, maxRetries, ...extras } = callOptions(rawOptions, display, Object.keys(fields));
  for (const [name, value] of Object.entries(extras)) {
    fields[name].check(value, what, name);
    values[name] = value;
  }
  return { values, options: { signal, timeout, maxRetries } };
}

/** The query of a call, in the order the entry declares its arguments; undefined when empty. */
function queryOf(entry, values) {
  const query = {};
  for (const arg of entry.args) {
    const sources =
      arg.in === 'options'
        ? Object.entries(arg.fields).map(([name, { toQuery }]) => [name, toQuery])
        : arg.in === 'query'
          ? [[arg.name, String]]
          : [];
    for (const [name, toQuery] of sources) {
      if (values[name] === undefined) continue;
      const text = toQuery(values[name]);
      if (text !== undefined) query[name] = text;
    }
  }
  return Object.keys(query).length === 0 ? undefined : query;
}

function requestOf(entry, values) {
  return {
    method: entry.method,
    path: entry.path.replace(/\{(\w+)\}/g, (_, name) => encodeURIComponent(values[name])),
    query: queryOf(entry, values),
    body: entry.body ? entry.body(values) : undefined,
    accept: entry.accept,
  };
}

function resultOf(entry, body, exchange) {
  if (entry.returnsNothing) return undefined;
  if (entry.shape && !entry.shape(body)) {
    const message = entry.shapeError ?? `${entry.subject} returned an unexpected response shape`;
    throw new OWOXApiError(message, { details: exchange.redact ? exchange.redact(body) : body });
  }
  return entry.result ? entry.result(body) : body;
}

/** One named call as a method. `bound` holds what its scope fixed (e.g. the data-mart id). */
function namedCall(name, entry, exchange, bound = {}) {
  const display = displayName(name);
  const parameters = entry.args.map((arg) => (arg.optional || arg.in === 'options' ? `${arg.name}?` : arg.name));
  if (!entry.args.some((arg) => arg.in === 'options')) parameters.push('options?');
  return async function call(...args) {
    checkArgumentCount(args, display, parameters);
    const { values, options } = bindArguments(entry, args, display);
    const body = await exchange(requestOf(entry, { ...bound, ...values }), options);
    return resultOf(entry, body, exchange);
  };
}

/** A scope's factory, e.g. `runs.forDataMart(dataMartId)`; the id is checked at once. */
function scopeFactory(scopeName, calls, exchange) {
  const param = SCOPES[scopeName];
  return function scope(...args) {
    checkArgumentCount(args, scopeName, [param.name]);
    param.check(args[0], `${scopeName}()`, param.name);
    const bound = { [param.name]: args[0] };
    const methods = {};
    for (const [method, name, entry] of calls) methods[method] = namedCall(name, entry, exchange, bound);
    return methods;
  };
}

/**
 * The resource objects of every table entry, over `exchange(request, callOptions)`.
 * `{ skipNativeFastPath: true }` leaves out the calls a native client serves itself.
 */
function buildResources(exchange, { skipNativeFastPath = false } = {}) {
  const resources = {};
  const scoped = {};
  for (const [name, entry] of Object.entries(ENDPOINTS)) {
    if (skipNativeFastPath && entry.nativeFastPath) continue;
    const parts = name.split('.');
    if (parts.length === 3) {
      const scopeName = `${parts[0]}.${parts[1]}`;
      (scoped[scopeName] ??= []).push([parts[2], name, entry]);
      continue;
    }
    resources[parts[0]] ??= {};
    resources[parts[0]][parts[1]] = namedCall(name, entry, exchange);
  }
  for (const [scopeName, calls] of Object.entries(scoped)) {
    const [resource, method] = scopeName.split('.');
    resources[resource] ??= {};
    resources[resource][method] = scopeFactory(scopeName, calls, exchange);
  }
  return resources;
}

module.exports = { buildResources };
