'use strict';
// Type checks at the JavaScript boundary. Values are checked for range and meaning in
// Rust; here we only make sure each option has a type Rust can receive, so a wrong type
// is an OWOXConfigError with a clear message rather than a conversion failure.

const { OWOXConfigError } = require('./errors.js');

function checkObject(value, what) {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object') throw new OWOXConfigError(`${what} must be an object`);
  return value;
}

function optional(options, name, type) {
  const value = options[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== type) throw new OWOXConfigError(`${name} must be a ${type}`);
  return value;
}

function checkSignal(signal) {
  if (signal === undefined || signal === null) return undefined;
  const looksLikeSignal =
    typeof signal === 'object' &&
    typeof signal.aborted === 'boolean' &&
    typeof signal.addEventListener === 'function' &&
    typeof signal.removeEventListener === 'function';
  if (!looksLikeSignal) {
    throw new OWOXConfigError('signal must be an AbortSignal');
  }
  return signal;
}

/** The per-call options every method takes: `{ signal, timeout, maxRetries }`. */
function callOptions(options) {
  const checked = checkObject(options, 'options');
  return {
    signal: checkSignal(checked.signal),
    timeout: optional(checked, 'timeout', 'number'),
    maxRetries: optional(checked, 'maxRetries', 'number'),
  };
}

/** `dataMarts.list` / `iterate` options: the call options plus `offset` and `ownerFilter`. */
function dataMartOptions(options) {
  const checked = checkObject(options, 'options');
  return {
    ...callOptions(checked),
    offset: optional(checked, 'offset', 'number'),
    ownerFilter: optional(checked, 'ownerFilter', 'string'),
  };
}

/** Constructor options, with the environment the native core needs (workers have their own `process.env`). */
function clientOptions(options) {
  const checked = checkObject(options, 'OWOXApiClient options');
  const env = process.env;
  return {
    apiKey: optional(checked, 'apiKey', 'string'),
    apiOrigin: optional(checked, 'apiOrigin', 'string'),
    apiKeyId: optional(checked, 'apiKeyId', 'string'),
    apiKeySecret: optional(checked, 'apiKeySecret', 'string'),
    timeout: optional(checked, 'timeout', 'number'),
    maxRetries: optional(checked, 'maxRetries', 'number'),
    maxResponseBytes: optional(checked, 'maxResponseBytes', 'number'),
    userAgent: optional(checked, 'userAgent', 'string'),
    envApiKey: env.OWOX_API_KEY || undefined,
    envApiOrigin: env.OWOX_API_ORIGIN || undefined,
    envApiKeyId: env.OWOX_API_KEY_ID || undefined,
    envApiKeySecret: env.OWOX_API_KEY_SECRET || undefined,
    nodeVersion: process.version,
    logLevel: env.OWOX_LOG || undefined,
    extraCaCertsPath: env.NODE_EXTRA_CA_CERTS || undefined,
  };
}

module.exports = { callOptions, dataMartOptions, clientOptions };
