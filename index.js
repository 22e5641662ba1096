'use strict';
// The CommonJS entry point; index.mjs re-exports these same objects, so there is one copy
// of each class and `instanceof` holds across import and require.

const { OWOXApiClient } = require('./lib/client.js');
const { OWOXApiError, OWOXAuthError, OWOXConfigError } = require('./lib/errors.js');
const { API_KEY_PREFIX, parseOWOXApiKey } = require('./lib/api-key.js');
const { HttpNdjsonTraversal, DataMartDataTraversal } = require('./lib/ndjson.js');

module.exports = {
  OWOXApiClient,
  OWOXApiError,
  OWOXAuthError,
  OWOXConfigError,
  API_KEY_PREFIX,
  parseOWOXApiKey,
  HttpNdjsonTraversal,
  DataMartDataTraversal,
};
