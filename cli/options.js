'use strict';
// Parsers for option values. Each refuses a bad value with commander's
// InvalidArgumentError, so the message names the option and the exit code is 2.

const { InvalidArgumentError } = require('commander');

/** A whole number >= `min` (e.g. `--timeout 5000`, `--limit 10`). */
function integerAtLeast(min) {
  return (text) => {
    if (!/^\d+$/.test(text.trim())) throw new InvalidArgumentError(`expected a whole number, got ${JSON.stringify(text)}`);
    const value = Number(text);
    if (!Number.isSafeInteger(value) || value < min) throw new InvalidArgumentError(`expected a whole number of at least ${min}, got ${text}`);
    return value;
  };
}

/**
 * A whole number from `min` to `max` (`--max-retries 3`). The client checks the same range,
 * but its message names its option (maxRetries); checked here, the message names the flag.
 */
function integerBetween(min, max) {
  return (text) => {
    if (!/^\d+$/.test(text.trim())) throw new InvalidArgumentError(`expected a whole number, got ${JSON.stringify(text)}`);
    const value = Number(text);
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}, got ${text.trim()}`);
    }
    return value;
  };
}

/** Repeatable option: every value, in order (`--column a --column b`). */
function collect(value, previous) {
  return previous === undefined ? [value] : [...previous, value];
}

/** A JSON text (`--filter '[...]'`), parsed; `shape` 'array' or 'object' if it must be one. */
function json(shape) {
  return (text) => {
    let value;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new InvalidArgumentError(`must be valid JSON (${error.message})`);
    }
    if (shape === 'array' && !Array.isArray(value)) throw new InvalidArgumentError('must be a JSON array');
    if (shape === 'object' && (value === null || typeof value !== 'object' || Array.isArray(value))) {
      throw new InvalidArgumentError('must be a JSON object');
    }
    return value;
  };
}

/** Repeatable `name=value` (`--param id=42`): an object, later values winning. */
function keyValue(text, previous = {}) {
  const at = text.indexOf('=');
  if (at <= 0) throw new InvalidArgumentError(`expected name=value, got ${JSON.stringify(text)}`);
  return { ...previous, [text.slice(0, at)]: text.slice(at + 1) };
}

/** Repeatable `name=value` where a repeated name collects its values in an array (`--query id=1 --query id=2`). */
function keyValues(text, previous = {}) {
  const at = text.indexOf('=');
  if (at <= 0) throw new InvalidArgumentError(`expected name=value, got ${JSON.stringify(text)}`);
  const name = text.slice(0, at);
  const value = text.slice(at + 1);
  const before = Object.hasOwn(previous, name) ? previous[name] : undefined;
  const next = before === undefined ? value : [...(Array.isArray(before) ? before : [before]), value];
  return { ...previous, [name]: next };
}

module.exports = { integerAtLeast, integerBetween, collect, json, keyValue, keyValues };
