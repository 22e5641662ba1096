'use strict';
// How the named calls check their arguments before anything is sent. Each check is the
// original client's rule for that argument, refused as an OWOXConfigError whose message
// names the call and says what is expected; a value is never echoed (it could be a secret
// pasted into the wrong place).

const { OWOXConfigError } = require('./errors.js');

const isRecord = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A plain `{...}` object: what an options or request argument must be. */
function isPlainObject(value) {
  if (!isRecord(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === null || Object.getPrototypeOf(prototype) === null;
}

function refuse(what, message) {
  throw new OWOXConfigError(`${what}: ${message}`);
}

/**
 * An id that becomes one path segment. The original's rule: a non-blank string, not `.` or
 * `..`, without `/`, `\` or `%` (it is percent-encoded on the way, and these could still
 * change which resource the path names).
 */
function pathId(label) {
  return (value, what) => {
    const valid =
      typeof value === 'string' &&
      value.trim() !== '' &&
      value.trim() !== '.' &&
      value.trim() !== '..' &&
      !/[\\/%]/.test(value);
    if (!valid) {
      refuse(what, `Invalid OWOX ${label} ID: it must be a non-blank string other than "." or "..", without "/", "\\" or "%"`);
    }
  };
}

function string(value, what, name) {
  if (typeof value !== 'string') refuse(what, `${name} must be a string`);
}

function nonEmptyString(value, what, name) {
  if (typeof value !== 'string' || value.trim() === '') refuse(what, `${name} must be a non-empty string`);
}

function stringOrNull(value, what, name) {
  if (value !== null && typeof value !== 'string') refuse(what, `${name} must be a string or null`);
}

function positiveInteger(value, what, name) {
  if (!Number.isSafeInteger(value) || value <= 0) refuse(what, `${name} must be a positive integer`);
}

function nonNegativeInteger(value, what, name) {
  if (!Number.isSafeInteger(value) || value < 0) refuse(what, `${name} must be a non-negative integer`);
}

function boolean(value, what, name) {
  if (typeof value !== 'boolean') refuse(what, `${name} must be a boolean`);
}

function stringArray(value, what, name) {
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    refuse(what, `${name} must be an array of strings`);
  }
}

function plainObject(value, what, name) {
  if (!isPlainObject(value)) refuse(what, `${name} must be a plain object`);
}

/** A plain object whose listed fields pass their checks (unlisted fields are sent as given). */
function objectWith(fields) {
  return (value, what, name) => {
    plainObject(value, what, name);
    for (const [field, check] of Object.entries(fields)) check(value[field], what, `${name}.${field}`);
  };
}

const optional = (check) => (value, what, name) => {
  if (value !== undefined) check(value, what, name);
};

/** The JSON text of a request body, or an OWOXConfigError when it has none (a BigInt, a cycle). */
function jsonText(body, what) {
  try {
    return JSON.stringify(body);
  } catch (error) {
    return refuse(what, `the request body must be JSON-serializable (${error.message})`);
  }
}

module.exports = {
  isRecord,
  isPlainObject,
  refuse,
  pathId,
  string,
  nonEmptyString,
  stringOrNull,
  positiveInteger,
  nonNegativeInteger,
  boolean,
  stringArray,
  plainObject,
  objectWith,
  optional,
  jsonText,
};
