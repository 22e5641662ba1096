'use strict';

// The OWOX-compatible server the benchmark talks to, in its own process so that serving and
// serializing are never charged to the client being measured.
//   node bench/server.js <dataMarts>
// Prints {apiOrigin, apiKeyId, apiKeySecret} as one JSON line once it listens. Under
// `fork` it answers {count: {path?, method?}} messages with the number of requests seen
// that match, and exits when the parent goes away, so a crashed harness never leaves it behind.

const { startTestServer, generateDataMarts } = require('../testing');

async function main() {
  const dataMarts = Number(process.argv[2]);
  if (!Number.isInteger(dataMarts) || dataMarts < 0) throw new Error('usage: node bench/server.js <dataMarts>');

  const server = await startTestServer({
    dataMarts: generateDataMarts(dataMarts),
    // Recording every request would grow the server's memory and CPU with the run.
    recordRequests: false,
    // Tokens never expire, as on a self-hosted server: refreshes are not what is measured.
    tokenExpiresIn: null,
  });
  const { origin: apiOrigin, apiKeyId, apiKeySecret } = server;
  process.stdout.write(`${JSON.stringify({ apiOrigin, apiKeyId, apiKeySecret })}\n`);

  process.on('message', (message) => {
    if (message?.count) process.send({ count: server.count(message.count) });
  });
  process.on('disconnect', () => {
    server.close().then(() => process.exit(0));
  });
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
