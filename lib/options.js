'use strict';
// Checks at the JavaScript boundary. Values are checked for range and meaning in Rust;
// here each call refuses what it would otherwise silently ignore (an unknown option name,
// an option another call takes, an extra positional argument, something that is not an
// options object) and makes sure each option has a type Rust can receive. Every refusal
// is an OWOXConfigError that names the call and lists what it accepts.

const { OWOXConfigError } = require('./errors.js');

/** The options every call takes. */
const CALL_OPTION_NAMES = ['signal', 'timeout', 'maxRetries'];

/** The constructor's options. */
const CLIENT_OPTION_NAMES = [
  'apiKey',
  'apiOrigin',
  'apiKeyId',
  'apiKeySecret',
  'timeout',
  'maxRetries',
  'maxResponseBytes',
  'userAgent',
];

/** JavaScript types of the options whose type is the same wherever they appear. */
const OPTION_TYPES = {
  timeout: 'number',
  maxRetries: 'number',
  offset: 'number',
  limit: 'number',
  ownerFilter: 'string',
  apiKey: 'string',
  apiOrigin: 'string',
  apiKeyId: 'string',
  apiKeySecret: 'string',
  maxResponseBytes: 'number',
  userAgent: 'string',
};

// An option name is shown only when it reads like one: a long or odd key could be a value
// pasted in the wrong place (an API key used as a property name), and no message may echo
// a secret.
const SHOWABLE_NAME = /^[A-Za-z_$][\w$]{0,39}$/;

function showName(name) {
  return SHOWABLE_NAME.test(name) ? `'${name}'` : `with a name that is not an option name (${name.length} characters)`;
}

/** What a value is, in words, for messages; never the value itself (it may be a secret). */
function describe(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value !== 'object') return withArticle(typeof value);
  const constructorName = Object.getPrototypeOf(value)?.constructor?.name;
  return constructorName ? withArticle(constructorName) : 'an object';
}

const withArticle = (noun) => (/^[aeiouAEIOU]/.test(noun) ? `an ${noun}` : `a ${noun}`);

// A plain object has a root prototype (Object.prototype of any realm) or none. Anything
// else (an AbortSignal passed in place of the options, an array, a class instance) would
// have its options read from the wrong place, or not at all.
function isPlainObject(value) {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === null || Object.getPrototypeOf(prototype) === null;
}

/**
 * Returns `options` when it is an options object (or `{}` for undefined/null); throws an
 * OWOXConfigError naming every option it has that `accepted` does not list.
 */
function checkNames(options, what, accepted) {
  if (options === undefined || options === null) return {};
  const accepts = `it accepts: ${accepted.join(', ')}`;
  if (!isPlainObject(options)) {
    throw new OWOXConfigError(`${what} takes a plain options object ({ ${accepted.join(', ')} }), not ${describe(options)}`);
  }
  const unknown = Object.keys(options).filter((name) => !accepted.includes(name));
  if (unknown.length === 1) {
    throw new OWOXConfigError(`${what} does not take the option ${showName(unknown[0])}; ${accepts}`);
  }
  if (unknown.length > 1) {
    throw new OWOXConfigError(`${what} does not take the options ${unknown.map(showName).join(', ')}; ${accepts}`);
  }
  return options;
}

function checkType(options, name, what) {
  const value = options[name];
  if (value === undefined || value === null) return undefined;
  const type = OPTION_TYPES[name];
  if (type !== undefined && typeof value !== type) {
    throw new OWOXConfigError(`${what}: ${name} must be a ${type}, not ${describe(value)}`);
  }
  return value;
}

function checkSignal(signal, what) {
  if (signal === undefined || signal === null) return undefined;
  const looksLikeSignal =
    typeof signal === 'object' &&
    typeof signal.aborted === 'boolean' &&
    typeof signal.addEventListener === 'function' &&
    typeof signal.removeEventListener === 'function';
  if (!looksLikeSignal) {
    throw new OWOXConfigError(`${what}: signal must be an AbortSignal, not ${describe(signal)}`);
  }
  return signal;
}

/**
 * Checks the options of one call: `{ signal, timeout, maxRetries }` plus `extraNames`
 * (e.g. `callOptions(options, 'runs.list', ['limit', 'offset'])`). Anything else is an
 * OWOXConfigError that names the option and the call and lists the accepted names.
 * Returns `{ signal, timeout, maxRetries, ...extras }`, with only the extras that are set.
 */
function callOptions(options, callName, extraNames = []) {
  const what = `${callName}()`;
  const checked = checkNames(options, what, [...CALL_OPTION_NAMES, ...extraNames]);
  const result = {
    signal: checkSignal(checked.signal, what),
    timeout: checkType(checked, 'timeout', what),
    maxRetries: checkType(checked, 'maxRetries', what),
  };
  for (const name of extraNames) {
    const value = checkType(checked, name, what);
    if (value !== undefined) result[name] = value;
  }
  return result;
}

/**
 * Refuses positional arguments a call does not take, such as
 * `dataMarts.list(undefined, { signal })`, where the signal would otherwise be ignored.
 * `args` is the call's `arguments`; `parameters` names the ones it takes, e.g. `['options?']`.
 */
function checkArgumentCount(args, callName, parameters) {
  if (args.length <= parameters.length) return;
  const given = args.length === 1 ? '1 argument' : `${args.length} arguments`;
  throw new OWOXConfigError(
    `${callName}(${parameters.join(', ')}) takes at most ${parameters.length} argument${parameters.length === 1 ? '' : 's'} ` +
      `but was given ${given}; pass every option in the one options object`,
  );
}

// The proxy variables the native core reads, in both spellings curl knows (REQUEST_METHOD
// marks a CGI environment, where HTTP_PROXY may come from a request header and is not used).
const PROXY_VARIABLES = ['http_proxy', 'HTTP_PROXY', 'https_proxy', 'HTTPS_PROXY', 'all_proxy', 'ALL_PROXY', 'no_proxy', 'NO_PROXY', 'REQUEST_METHOD'];

/** Constructor options, with the environment the native core needs (workers have their own `process.env`). */
function clientOptions(options) {
  const what = 'new OWOXApiClient()';
  if (typeof options === 'string') {
    throw new OWOXConfigError(`${what} takes an options object; pass a key as { apiKey }`);
  }
  const checked = checkNames(options, what, CLIENT_OPTION_NAMES);
  const env = process.env;
  const resolved = {};
  for (const name of CLIENT_OPTION_NAMES) resolved[name] = checkType(checked, name, what);
  return {
    ...resolved,
    envApiKey: env.OWOX_API_KEY || undefined,
    envApiOrigin: env.OWOX_API_ORIGIN || undefined,
    envApiKeyId: env.OWOX_API_KEY_ID || undefined,
    envApiKeySecret: env.OWOX_API_KEY_SECRET || undefined,
    nodeVersion: process.version,
    logLevel: env.OWOX_LOG || undefined,
    extraCaCertsPath: env.NODE_EXTRA_CA_CERTS || undefined,
    proxyEnv: Object.fromEntries(PROXY_VARIABLES.filter((name) => env[name] !== undefined).map((name) => [name, env[name]])),
  };
}

module.exports = { callOptions, checkArgumentCount, clientOptions };
