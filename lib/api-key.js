'use strict';
// `parseOWOXApiKey(value)` and `API_KEY_PREFIX`, as the original exports them. Parsing is
// the native core's (the same code the constructor uses), so both accept and refuse the
// same keys with the same messages; none of them ever contains the key.

const binding = require('./binding.js');
const { OWOXConfigError } = require('./errors.js');

const API_KEY_PREFIX = 'owox_key_';

/**
 * Splits an `owox_key_...` value into `{ apiOrigin, apiKeyId, apiKeySecret }` (origin
 * normalized, values trimmed). Throws OWOXConfigError with the contract's message.
 */
function parseOWOXApiKey(value) {
  if (typeof value !== 'string') {
    throw new OWOXConfigError(`OWOX_API_KEY is required and must start with ${API_KEY_PREFIX}`);
  }
  let parsed;
  try {
    parsed = binding.parseApiKey(value);
  } catch (error) {
    throw new OWOXConfigError(error.message);
  }
  const { apiOrigin, apiKeyId, apiKeySecret } = parsed;
  return { apiOrigin, apiKeyId, apiKeySecret };
}

module.exports = { API_KEY_PREFIX, parseOWOXApiKey };
