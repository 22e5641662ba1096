// Shared bits for the NDJSON stream suites (__test__/stream-*.test.mjs): the bundled server
// with a published data mart, seeded rows and a report over it, a look at the server's own
// record of a read (its run), and a few small readers.

import http from 'node:http';
import { createRequire } from 'node:module';
import { startTestServer } from '@owox/api-client/testing';
import { OWOXApiClient } from '@owox/api-client';

const require = createRequire(import.meta.url);
// Rows that exist as JSON text only (exact big integers, `__proto__` keys, a million rows
// without memory): the server's own row source.
const { RowSource, generateRows } = require('../../testing/fixtures.js');

export { RowSource, generateRows };

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Rows given as their exact JSON lines. */
export const rowLines = (lines) => new RowSource(lines.length, (i) => lines[i]);

export const REPORT_ID = 'report-over-the-published-mart';

/**
 * A bundled server whose first published data mart serves `rows` (an array of row objects,
 * a RowSource, or the captured sample rows when left out), with a report over it, and a
 * client for it. `t.after` closes the server.
 */
export async function streamSetup(t, { rows, server: serverOptions = {}, client: clientOptions = {}, report = {} } = {}) {
  const server = await startTestServer(serverOptions);
  t.after(() => server.close());
  const martId = await publishedMartId(server);
  if (rows !== undefined) server.seed({ rows: { [martId]: rows } });
  server.seed({
    reports: [{ id: REPORT_ID, title: 'Export', dataMart: { id: martId, title: 'Mart' }, ...report }],
  });
  const client = new OWOXApiClient({ ...server.credentials, maxRetries: 0, ...clientOptions });
  return { server, client, martId, reportId: REPORT_ID };
}

/** What an authenticated GET of `path` on the server answers (plain fetch, not the client under test). */
export async function serverGet(server, path) {
  const exchange = await fetch(`${server.origin}/api/auth/api-keys/exchange`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-owox-api-key-id': server.apiKeyId },
    body: JSON.stringify({ apiKeySecret: server.apiKeySecret }),
  });
  const { accessToken } = await exchange.json();
  const response = await fetch(`${server.origin}${path}`, {
    headers: { 'x-owox-api-key-id': server.apiKeyId, 'x-owox-authorization': `Bearer ${accessToken}` },
  });
  return response.json();
}

async function publishedMartId(server) {
  const page = await serverGet(server, '/api/data-marts');
  const mart = page.items.find((item) => item.status === 'PUBLISHED');
  if (!mart) throw new Error('the sample data has no published data mart');
  return mart.id;
}

/**
 * Waits until the server's run of this read is no longer RUNNING and returns its status:
 * INTERRUPTED once the server saw the client close the socket, SUCCESS when it sent
 * everything, FAILED when it cut the stream.
 */
export async function settledRunStatus(server, martId, runId, ms = 10_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const run = await serverGet(server, `/api/data-marts/${martId}/runs/${runId}`);
    if (run.status !== 'RUNNING' || Date.now() > deadline) return run.status;
    await sleep(25);
  }
}

/** Every row of a traversal, through rowChunks(). */
export async function allRows(traversal) {
  const rows = [];
  for await (const chunk of traversal.rowChunks()) rows.push(...chunk);
  return rows;
}

/** Reads rows until the traversal fails; returns `{ rows, error }` (error undefined when it ended). */
export async function rowsUntilFailure(traversal) {
  const rows = [];
  try {
    for await (const chunk of traversal.rowChunks()) rows.push(...chunk);
  } catch (error) {
    return { rows, error };
  }
  return { rows, error: undefined };
}

/** Runs `fn`, expecting a rejection; returns the error. */
export async function rejectionOf(fn) {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection, but it resolved');
}

/** A value as `JSON.stringify` writes it, keys in order: equal texts mean equal rows, key order included. */
export const exact = (value) => JSON.stringify(value);

/** Parses CSV text by RFC 4180 (quoted fields with "" escapes, CRLF or LF record ends). */
export function parseCsv(text) {
  const records = [];
  let record = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\n' || (c === '\r' && text[i + 1] === '\n')) {
      if (c === '\r') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else {
      field += c;
    }
  }
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}

/**
 * A small node:http server on 127.0.0.1 for streams the bundled server cannot play (a cut in
 * the middle of a line, an endless body): the token exchange always succeeds and every
 * other request goes to `handler(req, res)`. `t.after` closes it.
 */
export async function startRawStreamServer(t, handler) {
  const sockets = new Set();
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.method === 'POST' && req.url === '/api/auth/api-keys/exchange') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ accessToken: 'raw-stream-token', accessTokenExpiresIn: 900 }));
        return;
      }
      handler(req, res);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;
  t.after(() => {
    for (const socket of sockets) socket.destroy();
    return new Promise((resolve) => server.close(() => resolve()));
  });
  return {
    origin,
    credentials: { apiOrigin: origin, apiKeyId: 'pmk_AAAAAAAAAAAAAAAAAAAAAA', apiKeySecret: 'x'.repeat(43) },
  };
}
