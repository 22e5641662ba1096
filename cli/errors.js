'use strict';
// How a failure leaves the CLI: the JSON body on stderr (the shape owox-ctl prints) and the
// exit code. Exit codes: 0 success, 1 API or network error, 2 usage or configuration
// error, 130 interrupted (Ctrl-C).

const { OWOXApiError, OWOXConfigError } = require('../index.js');

const EXIT = Object.freeze({ OK: 0, API: 1, USAGE: 2, INTERRUPTED: 130 });

/** A command line the CLI cannot run: a bad flag value, a missing argument, a bad file. */
class UsageError extends Error {}
Object.defineProperty(UsageError.prototype, 'name', { value: 'UsageError', writable: true, configurable: true });

/** The body of `{"error": ...}`: message, status, code, name, details (absent ones omitted). */
function errorBody(error) {
  if (error instanceof OWOXApiError) {
    return { message: error.message, status: error.status, code: error.code, name: error.name, details: error.details };
  }
  if (error instanceof UsageError) return { message: error.message, code: 'USAGE_ERROR', name: error.name };
  if (error instanceof Error) return { message: error.message, name: error.name };
  return { message: String(error) };
}

/** The exit code for `error`; `interrupted` when the user pressed Ctrl-C meanwhile. */
function exitCodeOf(error, { interrupted = false } = {}) {
  if (interrupted) return EXIT.INTERRUPTED;
  if (error instanceof UsageError || error instanceof OWOXConfigError) return EXIT.USAGE;
  return EXIT.API;
}

// A key pasted where a command or a flag value was expected comes back in commander's
// message ("unknown command 'owox_key_...'"). Whatever the source, no secret is printed:
// the owox_key_ form by its shape, the environment's secrets by their values.
const API_KEY_SHAPE = /owox_key_[A-Za-z0-9_-]+/g;
const SECRET_VARIABLES = ['OWOX_API_KEY', 'OWOX_API_KEY_SECRET'];

/** `text` with every API key and every secret value of `env` replaced by `<redacted>`. */
function redact(text, env = process.env) {
  let safe = text.replace(API_KEY_SHAPE, '<redacted>');
  for (const name of SECRET_VARIABLES) {
    const secret = env[name]?.trim();
    if (secret && secret.length >= 4) safe = safe.replaceAll(secret, '<redacted>');
  }
  return safe;
}

module.exports = { EXIT, UsageError, errorBody, exitCodeOf, redact };
