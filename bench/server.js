'use strict';

// The OWOX-compatible server the benchmark talks to, in its own process so that serving and
// serializing are never charged to the client being measured.
//   node bench/server.js <dataMarts> [rows [chunkBytes]]
// With `rows`, the first published data mart streams that many generated rows of about 200
// bytes (one HTTP chunk per row, as the real server sends them, or re-cut into chunks of
// `chunkBytes`). Prints {apiOrigin, apiKeyId, apiKeySecret, dataMartId?} as one JSON line
// once it listens. Under `fork` it answers {count: {path?, method?}} messages with the
// number of requests seen that match, and exits when the parent goes away, so a crashed
// harness never leaves it behind.

const { startTestServer, generateDataMarts } = require('../testing');
// The row generator streams rows from a count and a function: a million rows cost no memory.
const { generateRows } = require('../testing/fixtures');

function positiveInteger(text, name) {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw new Error(`usage: node bench/server.js <dataMarts> [rows [chunkBytes]] (${name})`);
  return value;
}

async function main() {
  const dataMarts = positiveInteger(process.argv[2], 'dataMarts');
  const rows = process.argv[3] === undefined ? undefined : positiveInteger(process.argv[3], 'rows');
  const chunkBytes = process.argv[4] === undefined ? undefined : positiveInteger(process.argv[4], 'chunkBytes');

  const marts = generateDataMarts(dataMarts);
  const server = await startTestServer({
    dataMarts: marts,
    // Recording every request would grow the server's memory and CPU with the run.
    recordRequests: false,
    // Tokens never expire, as on a self-hosted server: refreshes are not what is measured.
    tokenExpiresIn: null,
    ...(chunkBytes === undefined ? {} : { streamChunkBytes: chunkBytes }),
  });
  let dataMartId;
  if (rows !== undefined) {
    dataMartId = marts.find((mart) => mart.status === 'PUBLISHED')?.id;
    if (dataMartId === undefined) throw new Error('bench server: no published data mart to stream rows from');
    server.seed({ rows: { [dataMartId]: generateRows(rows) } });
  }
  const { origin: apiOrigin, apiKeyId, apiKeySecret } = server;
  process.stdout.write(`${JSON.stringify({ apiOrigin, apiKeyId, apiKeySecret, dataMartId })}\n`);

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
