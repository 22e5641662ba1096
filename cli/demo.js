'use strict';
// `--demo`: the bundled OWOX-compatible server (@owox/api-client/testing) on 127.0.0.1 with
// its demo data, so anyone can try every command without credentials. Loaded only then.

async function startDemoServer() {
  const { startTestServer } = require('../testing/index.js');
  const server = await startTestServer();
  return { server, summary: { apiOrigin: server.origin, apiKeyId: server.apiKeyId } };
}

module.exports = { startDemoServer };
