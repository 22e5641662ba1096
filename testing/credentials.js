'use strict';

const { randomBytes } = require('node:crypto');

// Same lengths as real keys: 16 random bytes -> 22 base64url chars, 32 -> 43.
function generateApiKeyId() {
  return 'pmk_' + randomBytes(16).toString('base64url');
}

function generateApiKeySecret() {
  return randomBytes(32).toString('base64url');
}

// The copyable single-value form; Node's base64url output is already unpadded.
function encodeApiKey({ apiOrigin, apiKeyId, apiKeySecret }) {
  const payload = JSON.stringify({ apiOrigin, apiKeyId, apiKeySecret });
  return 'owox_key_' + Buffer.from(payload, 'utf8').toString('base64url');
}

module.exports = { generateApiKeyId, generateApiKeySecret, encodeApiKey };
