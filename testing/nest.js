'use strict';

// The real server's error bodies (NestJS, as captured from server 0.35) and the
// class-validator messages its request validation produces. Handlers throw HttpError; the
// server turns it into a response with the request's path and the current time.

const REASONS = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  424: 'Failed Dependency',
};

/** A response body waiting for its `path` and `timestamp`. `build(path, now)` makes it. */
class HttpError extends Error {
  constructor(status, build) {
    super(`HTTP ${status}`);
    this.status = status;
    this.build = build;
  }
}

// NestJS' HttpException (BadRequest, NotFound, Conflict): { message, error, statusCode, ... }.
function httpException(status, message) {
  return new HttpError(status, (path, timestamp) => ({ message, error: REASONS[status], statusCode: status, timestamp, path }));
}

const badRequest = (message) => httpException(400, message);
const notFound = (message) => httpException(404, message);
const conflict = (message) => httpException(409, message);

// The global validation pipe: 400 with every failed constraint in details.errors.
function validationFailed(messages) {
  return new HttpError(400, (path, timestamp) => ({
    message: 'Request validation failed',
    error: 'Bad Request',
    statusCode: 400,
    details: { errors: messages.map((message) => ({ message })) },
    timestamp,
    path,
  }));
}

// Guards (401, 403): { statusCode, message, timestamp, path }.
function guardError(status, message) {
  return new HttpError(status, (path, timestamp) => ({ statusCode: status, message, timestamp, path }));
}

// Express' fallback for a path no controller serves.
function routeNotFound(method) {
  return new HttpError(404, (path, timestamp) => ({ statusCode: 404, message: `Cannot ${method} ${path}`, error: 'Not Found', timestamp, path }));
}

// The data-read endpoints' own filter: { statusCode, timestamp, path, message, errorDetails? }.
function dataReadError(status, message, errorDetails) {
  return new HttpError(status, (path, timestamp) => {
    const body = { statusCode: status, timestamp, path, message };
    if (errorDetails !== undefined) body.errorDetails = errorDetails;
    return body;
  });
}

// Coded failures of a dependency: { code, message, details, statusCode, timestamp, path }.
function codedError(status, code, message, details) {
  return new HttpError(status, (path, timestamp) => ({ code, message, details, statusCode: status, timestamp, path }));
}

const LICENSE_MESSAGE =
  'Report Runs require an active OWOX Data Marts Cloud license. Open https://app.owox.com and create a managed license key in Project Settings, then set it as LICENSE_KEY to enable execution.';

function licenseRequired() {
  return dataReadError(400, LICENSE_MESSAGE, { blockedReasons: ['LICENSE_REQUIRED'] });
}

function storageReadFailed(storageType = 'AWS_REDSHIFT', providerName = 'AWS Redshift') {
  const providerMessage = 'DataMart storage config must be provided';
  return codedError(424, 'STORAGE_READ_FAILED', `Storage dependency failed while reading this Data Mart data: ${providerName} returned an error: ${providerMessage}`, {
    dependency: 'storage',
    providerMessage,
    providerName,
    storageType,
  });
}

// ---- class-validator over a JSON body or a query ------------------------------------------

const isRecord = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Checks `value` against `rules` ({ name: rule }) with the global pipe's whitelist: an
 * unknown property is "property X should not exist". A rule is
 * { type: 'string'|'boolean'|'number'|'integer'|'object'|'stringArray', optional, nullable,
 *   minLength, maxLength, min, max, enum }.
 * Query values arrive as strings and are converted first, as the pipe's transform does.
 * Returns the messages (empty when valid).
 */
function check(value, rules, { query = false } = {}) {
  const errors = [];
  const input = isRecord(value) ? value : {};
  for (const key of Object.keys(input)) {
    if (!Object.hasOwn(rules, key)) errors.push(`property ${key} should not exist`);
  }
  for (const [name, rule] of Object.entries(rules)) {
    let v = Object.hasOwn(input, name) ? input[name] : undefined;
    if (v === undefined || (v === null && rule.nullable)) {
      if (v === undefined && !rule.optional) errors.push(...missing(name, rule));
      continue;
    }
    if (query) v = fromQuery(v, rule);
    errors.push(...checkOne(name, v, rule));
  }
  return errors;
}

function fromQuery(v, rule) {
  if (Array.isArray(v) && rule.type !== 'stringArray') v = v[v.length - 1];
  if (rule.type === 'number' || rule.type === 'integer') return v === '' ? NaN : Number(v);
  if (rule.type === 'boolean') return v === 'true' ? true : v === 'false' ? false : v;
  if (rule.type === 'stringArray' && typeof v === 'string') return v.split(',');
  return v;
}

function missing(name, rule) {
  return checkOne(name, undefined, rule);
}

function checkOne(name, v, rule) {
  const out = [];
  switch (rule.type) {
    case 'string':
      if (typeof v !== 'string') {
        if (rule.enum) out.push(`${name} must be one of the following values: ${rule.enum.join(', ')}`);
        out.push(`${name} must be a string`);
        return rule.enum ? out.slice(0, 1) : out;
      }
      if (rule.enum && !rule.enum.includes(v)) out.push(`${name} must be one of the following values: ${rule.enum.join(', ')}`);
      if (rule.minLength !== undefined && v.length < rule.minLength) out.push(`${name} must be longer than or equal to ${rule.minLength} characters`);
      if (rule.maxLength !== undefined && v.length > rule.maxLength) out.push(`${name} must be shorter than or equal to ${rule.maxLength} characters`);
      return out;
    case 'boolean':
      if (typeof v !== 'boolean') out.push(`${name} must be a boolean value`);
      return out;
    case 'number':
    case 'integer':
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        out.push(rule.type === 'integer' ? `${name} must be an integer number` : `${name} must be a number conforming to the specified constraints`);
        return out;
      }
      if (rule.type === 'integer' && !Number.isInteger(v)) out.push(`${name} must be an integer number`);
      if (rule.min !== undefined && v < rule.min) out.push(`${name} must not be less than ${rule.min}`);
      if (rule.max !== undefined && v > rule.max) out.push(`${name} must not be greater than ${rule.max}`);
      return out;
    case 'object':
      if (!isRecord(v)) out.push(`${name} must be an object`);
      return out;
    case 'stringArray':
      if (!Array.isArray(v)) return [`${name} must be an array`];
      if (rule.enum && !v.every((x) => rule.enum.includes(x))) out.push(`each value in ${name} must be one of the following values: ${rule.enum.join(', ')}`);
      else if (!v.every((x) => typeof x === 'string')) out.push(`each value in ${name} must be a string`);
      return out;
    default:
      throw new Error(`unknown rule type ${rule.type}`);
  }
}

/** Throws the validation error when `check` finds anything. */
function validate(value, rules, options) {
  const errors = check(value, rules, options);
  if (errors.length > 0) throw validationFailed(errors);
}

module.exports = {
  HttpError,
  httpException,
  badRequest,
  notFound,
  conflict,
  validationFailed,
  guardError,
  routeNotFound,
  dataReadError,
  codedError,
  licenseRequired,
  storageReadFailed,
  LICENSE_MESSAGE,
  check,
  validate,
  isRecord,
};
