// The bundled test server's NDJSON data streams, read off raw TCP so the HTTP chunks
// themselves are visible: the real wire format, the query checks, the errors before the
// first row, and each injectable stream fault.

import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { test } from 'node:test';
import { generateRows, generateSampleData } from '@owox/api-client/testing';
import { serverFor, tokenOf, authHeaders, request, assertErrorEnvelope, waitFor } from './helpers/testing-http.mjs';

// The lines of the real server's captured stream (fixture ndjson-stream-ok.ndjson).
const CAPTURED_LINES = [
  '{"id":1,"title":"plain","score":1.5,"active":true}',
  '{"id":2,"title":"Ünïcödé 数据 🚀","score":0.1,"active":false}',
  '{"id":3,"title":"quote \\" backslash \\\\ newline \\n tab \\t","score":null,"active":true}',
  '{"id":4,"title":null,"score":-2e+21,"active":false}',
  '{"id":9007199254740992,"title":"big id","score":3,"active":true}',
];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/**
 * GET over a raw socket. Resolves { status, headers, chunks (Buffer[] of the HTTP chunk
 * payloads), body (Buffer), terminated (the zero-length chunk arrived), reads (number of
 * socket reads) } once the server closes the connection, or once `stopWhen(body)` holds
 * (then the socket is closed by us).
 */
function rawGet(server, path, headers, { stopWhen } = {}) {
  const { hostname, port } = new URL(server.origin);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname);
    const parts = [];
    let reads = 0;
    const lines = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
    socket.on('connect', () => socket.write(`GET ${path} HTTP/1.1\r\nhost: ${hostname}\r\nconnection: close\r\n${lines}\r\n`));
    const finish = () => {
      try {
        resolve({ ...parseResponse(Buffer.concat(parts)), reads });
      } catch (error) {
        reject(error);
      }
    };
    socket.on('data', (d) => {
      parts.push(d);
      reads++;
      if (stopWhen) {
        const partial = parseResponse(Buffer.concat(parts));
        if (stopWhen(partial.body)) {
          socket.destroy();
          finish();
        }
      }
    });
    socket.on('close', finish);
    socket.on('error', reject);
  });
}

function parseResponse(raw) {
  const headEnd = raw.indexOf('\r\n\r\n');
  if (headEnd === -1) return { status: 0, headers: {}, chunks: [], body: Buffer.alloc(0), terminated: false };
  const [statusLine, ...headerLines] = raw.subarray(0, headEnd).toString('latin1').split('\r\n');
  const headers = {};
  for (const line of headerLines) {
    const i = line.indexOf(':');
    headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
  }
  const status = Number(statusLine.split(' ')[1]);
  let rest = raw.subarray(headEnd + 4);
  if (headers['transfer-encoding'] !== 'chunked') return { status, headers, chunks: [rest], body: rest, terminated: true };
  const chunks = [];
  let terminated = false;
  for (;;) {
    const eol = rest.indexOf('\r\n');
    if (eol === -1) break;
    const size = parseInt(rest.subarray(0, eol).toString('latin1'), 16);
    if (size === 0) {
      terminated = true;
      break;
    }
    if (rest.length < eol + 2 + size + 2) break;
    chunks.push(rest.subarray(eol + 2, eol + 2 + size));
    rest = rest.subarray(eol + 2 + size + 2);
  }
  return { status, headers, chunks, body: Buffer.concat(chunks), terminated };
}

async function streamServer(t, options = {}) {
  const sample = generateSampleData({ dataMarts: 20 });
  const server = await serverFor(t, { ...sample, ...options });
  const token = await tokenOf(server);
  const marts = server.collection('dataMarts');
  const published = marts.find((m) => m.status === 'PUBLISHED');
  const draft = marts.find((m) => m.status === 'DRAFT');
  const get = (path, opts) => rawGet(server, path, authHeaders(server, token), opts);
  const martPath = (id, query = '') => `/api/external/http-data/data-marts/${id}.ndjson${query}`;
  return { server, token, published, draft, get, martPath };
}

const b64 = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
const linesOf = (body) => body.toString('utf8').split('\n');

test('the real wire format: headers, one HTTP chunk per row, a terminating chunk, never compressed', async (t) => {
  const { server, published, get, martPath } = await streamServer(t, { compression: true });
  const r = await get(martPath(published.id), { 'accept-encoding': 'gzip' });
  assert.equal(r.status, 200);
  assert.equal(r.headers['content-type'], 'application/x-ndjson; charset=utf-8');
  assert.equal(r.headers['cache-control'], 'no-store');
  assert.equal(r.headers['x-accel-buffering'], 'no');
  assert.equal(r.headers['transfer-encoding'], 'chunked');
  assert.equal(r.headers['content-length'], undefined);
  assert.equal(r.headers['content-encoding'], undefined);
  assert.match(r.headers['x-owox-run-id'], UUID);
  assert.deepEqual(r.chunks.map((c) => c.toString('utf8')), CAPTURED_LINES.map((line) => `${line}\n`), 'the captured rows, one chunk each');
  assert.equal(r.terminated, true);

  // The read is a run, as on the real server.
  const run = server.collection('runs').find((x) => x.id === r.headers['x-owox-run-id']);
  assert.equal(run.type, 'HTTP_DATA');
  assert.equal(run.dataMartId, published.id);
  await waitFor(() => run.status === 'SUCCESS');
  assert.equal(run.additionalParams.httpData.completed, true);
});

test('seeded rows: columns in the requested order, filter, sort and limit', async (t) => {
  const rows = [
    { id: 1, country: 'DE', revenue: 10, note: null },
    { id: 2, country: 'US', revenue: 30, note: 'x' },
    { id: 3, country: 'DE', revenue: 20, note: 'y' },
  ];
  const { server, published, get, martPath } = await streamServer(t);
  server.seed({ rows: { [published.id]: rows } });
  let r = await get(martPath(published.id));
  assert.deepEqual(linesOf(r.body), [...rows.map((row) => JSON.stringify(row)), '']);
  r = await get(martPath(published.id, '?column=revenue&column=id&limit=2'));
  assert.deepEqual(linesOf(r.body), ['{"revenue":10,"id":1}', '{"revenue":30,"id":2}', '']);
  const filter = b64([{ column: 'country', operator: 'eq', value: 'DE' }]);
  const sort = b64([{ column: 'revenue', direction: 'desc' }]);
  r = await get(martPath(published.id, `?filter=${filter}&sort=${sort}&column=id`));
  assert.deepEqual(linesOf(r.body), ['{"id":3}', '{"id":1}', '']);
  r = await get(martPath(published.id, `?columns=*&aggregation=${b64([{ column: 'revenue', function: 'SUM' }])}`));
  assert.equal(r.status, 200, 'aggregation is accepted (and not applied)');
});

test('query checks: limit >= 1 (real body), offset refused, "**" with column, rules that are not base64url JSON', async (t) => {
  const { published, get, martPath } = await streamServer(t);
  const cases = [
    ['?limit=0', 'limit: limit must be ≥ 1'],
    ['?limit=1.5', 'limit: limit must be an integer'],
    ['?offset=10', "Unrecognized key(s) in object: 'offset'"],
    ['?columns=**&column=a', 'columns "**" cannot be combined with exact column values'],
    ['?columns=all', "columns: Invalid enum value. Expected '*' | '**', received 'all'"],
    ['?filter=***', 'filter: must be base64url-encoded JSON'],
    [`?sort=${b64({ column: 'a' })}`, 'sort: must be an array of rules, each with a column'],
    ['?column=nope', 'column: unknown column "nope"'],
  ];
  for (const [query, message] of cases) {
    const path = martPath(published.id, query);
    const r = await get(path);
    assert.equal(r.status, 400, query);
    const body = JSON.parse(r.body.toString('utf8'));
    assert.deepEqual(Object.keys(body), ['statusCode', 'timestamp', 'path', 'message'], query);
    assert.equal(body.message, message, query);
    assertErrorEnvelope(assert, body, 400, path);
  }
});

test('errors before the first row: unknown and draft marts 404, community edition 400 LICENSE_REQUIRED, injected 424 STORAGE_READ_FAILED', async (t) => {
  const { server, published, draft, get, martPath } = await streamServer(t);
  assert.equal((await get(martPath('nope'))).status, 404);
  assert.equal((await get(martPath(draft.id))).status, 404);

  server.inject({ path: martPath(published.id) }, { stream: { fail: 'STORAGE_READ_FAILED' } });
  let r = await get(martPath(published.id));
  assert.equal(r.status, 424);
  assert.equal(r.headers['content-type'], 'application/json; charset=utf-8');
  let body = JSON.parse(r.body.toString('utf8'));
  assert.deepEqual(Object.keys(body), ['code', 'message', 'details', 'statusCode', 'timestamp', 'path']);
  assert.equal(body.code, 'STORAGE_READ_FAILED');
  assert.equal(body.details.dependency, 'storage');
  assert.equal(body.details.storageType, published.storage.type);

  server.inject({ path: martPath(published.id) }, { stream: { fail: 'LICENSE_REQUIRED' } });
  r = await get(martPath(published.id));
  assert.equal(r.status, 400);
  body = JSON.parse(r.body.toString('utf8'));
  assert.deepEqual(Object.keys(body), ['statusCode', 'timestamp', 'path', 'message', 'errorDetails']);
  assert.deepEqual(body.errorDetails, { blockedReasons: ['LICENSE_REQUIRED'] });
  assert.match(body.message, /^Report Runs require an active OWOX Data Marts Cloud license\./);

  const community = await streamServer(t, { licensed: false });
  r = await community.get(community.martPath(community.published.id));
  assert.equal(r.status, 400);
  assert.deepEqual(JSON.parse(r.body.toString('utf8')).errorDetails, { blockedReasons: ['LICENSE_REQUIRED'] });
  const report = community.server.collection('reports')[0];
  assert.equal((await community.get(`/api/external/http-data/reports/${report.id}.ndjson`)).status, 400);
});

test('cutAfter: K complete lines, then the socket is destroyed without the terminating chunk', async (t) => {
  const { server, published, get, martPath } = await streamServer(t);
  server.inject({ path: martPath(published.id) }, { stream: { cutAfter: 3 } });
  const r = await get(martPath(published.id));
  assert.equal(r.status, 200);
  assert.deepEqual(linesOf(r.body), [...CAPTURED_LINES.slice(0, 3), '']);
  assert.equal(r.terminated, false);
  const run = server.collection('runs').find((x) => x.id === r.headers['x-owox-run-id']);
  await waitFor(() => run.status === 'FAILED');
  // The next request on the same server is unaffected (the injection was used up).
  assert.equal((await get(martPath(published.id))).terminated, true);
});

test('malformedAt: that line is replaced, the others are intact, the stream ends normally', async (t) => {
  const { server, published, get, martPath } = await streamServer(t);
  server.inject({ path: martPath(published.id) }, { stream: { malformedAt: 2 } });
  let r = await get(martPath(published.id));
  const lines = linesOf(r.body);
  assert.equal(lines[0], CAPTURED_LINES[0]);
  assert.throws(() => JSON.parse(lines[1]));
  assert.deepEqual(lines.slice(2), [...CAPTURED_LINES.slice(2), '']);
  assert.equal(r.terminated, true);
  server.inject({ path: martPath(published.id) }, { stream: { malformedAt: 1, malformedLine: '[1,2]' } });
  r = await get(martPath(published.id));
  assert.equal(linesOf(r.body)[0], '[1,2]');
});

test('stallAfter: K lines, then nothing more while the connection stays open', async (t) => {
  const { server, published, get, martPath } = await streamServer(t);
  server.inject({ path: martPath(published.id) }, { stream: { stallAfter: 2 } });
  const r = await get(martPath(published.id), { stopWhen: (body) => linesOf(body).length === 3 });
  assert.deepEqual(linesOf(r.body), [...CAPTURED_LINES.slice(0, 2), '']);
  assert.equal(r.terminated, false);
  // The stalled response is still open on the server until close() (or the client leaves).
  await server.close();
  assert.equal(server.connections, 0);
});

test('trickleMs: every row arrives in its own socket read', async (t) => {
  const { server, published, get, martPath } = await streamServer(t);
  server.inject({ path: martPath(published.id) }, { stream: { trickleMs: 40 } });
  const r = await get(martPath(published.id));
  assert.deepEqual(linesOf(r.body), [...CAPTURED_LINES, '']);
  assert.ok(r.reads >= CAPTURED_LINES.length, `${r.reads} reads for ${CAPTURED_LINES.length} rows`);
  assert.equal(r.terminated, true);
});

test('chunkBytes: the same body re-cut into chunks of exactly N bytes, large or splitting characters', async (t) => {
  const { server, published, get, martPath } = await streamServer(t);
  const plain = await get(martPath(published.id));
  server.inject({ path: martPath(published.id) }, { stream: { chunkBytes: 3 } });
  const tiny = await get(martPath(published.id));
  assert.ok(tiny.body.equals(plain.body));
  assert.ok(tiny.chunks.slice(0, -1).every((c) => c.length === 3));
  assert.ok(tiny.chunks.some((c) => c.toString('utf8').includes('\ufffd')), 'some chunk splits a UTF-8 character');

  server.seed({ rows: { [published.id]: generateRows(5000) } });
  const perRow = await get(martPath(published.id));
  assert.equal(perRow.chunks.length, 5000);
  server.inject({ path: martPath(published.id) }, { stream: { chunkBytes: 65536 } });
  const large = await get(martPath(published.id));
  assert.ok(large.body.equals(perRow.body));
  assert.ok(large.chunks.slice(0, -1).every((c) => c.length === 65536));
  assert.equal(large.chunks.length, Math.ceil(perRow.body.length / 65536));
});

test('streamChunkBytes: the server-wide default chunking', async (t) => {
  const { server, published, get, martPath } = await streamServer(t, { streamChunkBytes: 4096 });
  server.seed({ rows: { [published.id]: generateRows(1000) } });
  const r = await get(martPath(published.id));
  assert.equal(linesOf(r.body).length, 1001);
  assert.ok(r.chunks.slice(0, -1).every((c) => c.length === 4096));
});

test('generateRows: deterministic rows of about 200 bytes, streamed without building them up front', async (t) => {
  const rows = generateRows(1_000_000, { seed: 3 });
  assert.equal(rows.length, 1_000_000);
  assert.equal(rows.lineAt(123_456), generateRows(1_000_000, { seed: 3 }).lineAt(123_456));
  assert.notEqual(rows.lineAt(5), generateRows(10, { seed: 4 }).lineAt(5));
  let bytes = 0;
  for (let i = 0; i < 1000; i++) bytes += Buffer.byteLength(rows.lineAt(i));
  assert.ok(bytes / 1000 > 150 && bytes / 1000 < 260, `average ${bytes / 1000} bytes`);
  const first = JSON.parse(rows.lineAt(0));
  assert.deepEqual(Object.keys(first), ['id', 'date', 'channel', 'campaign', 'country', 'sessions', 'revenue', 'currency', 'isNew', 'note']);
  assert.equal(first.id, 1);

  const { server, published, get, martPath } = await streamServer(t);
  server.seed({ rows: { [published.id]: generateRows(200_000) } });
  const r = await get(martPath(published.id, '?limit=150000'));
  const lines = linesOf(r.body);
  assert.equal(lines.length, 150_001);
  assert.equal(JSON.parse(lines[149_999]).id, 150_000);
});

test('a client that leaves mid-stream stops the stream: the run is interrupted and the socket released', async (t) => {
  const { server, published, get, martPath } = await streamServer(t);
  server.seed({ rows: { [published.id]: generateRows(2_000_000) } });
  const r = await get(martPath(published.id), { stopWhen: (body) => body.length > 100_000 });
  const run = server.collection('runs').find((x) => x.id === r.headers['x-owox-run-id']);
  await waitFor(() => run.status === 'INTERRUPTED');
  await waitFor(() => server.connections === 0);
});

test('report streams: the report mart\'s rows, limit, 404 for an unknown report, limit checks', async (t) => {
  const { server, get } = await streamServer(t);
  const report = server.collection('reports')[0];
  server.seed({ rows: { [report.dataMart.id]: [{ a: 1, b: 2 }, { a: 3, b: 4 }, { a: 5, b: 6 }] } });
  const path = `/api/external/http-data/reports/${report.id}.ndjson`;
  let r = await get(path);
  assert.equal(r.headers['content-type'], 'application/x-ndjson; charset=utf-8');
  assert.deepEqual(linesOf(r.body), ['{"a":1,"b":2}', '{"a":3,"b":4}', '{"a":5,"b":6}', '']);
  r = await get(`${path}?limit=2`);
  assert.equal(linesOf(r.body).length, 3);
  assert.equal((await get(`${path}?limit=0`)).status, 400);
  assert.equal((await get(`${path}?column=a`)).status, 400);
  assert.equal((await get('/api/external/http-data/reports/nope.ndjson')).status, 404);
  // A report's own column and row limits apply.
  server.seed({ reports: [{ ...report, columnConfig: ['b'], limitConfig: 1 }] });
  r = await get(path);
  assert.deepEqual(linesOf(r.body), ['{"b":2}', '']);
});

test('streams need a token like every other route', async (t) => {
  const { server, published, martPath } = await streamServer(t);
  assert.equal((await request(server, { path: martPath(published.id) })).status, 401);
});

test('a seeded row that cannot be serialized cuts the stream after the rows before it', async (t) => {
  const { server, published, get, martPath } = await streamServer(t);
  server.seed({ rows: { [published.id]: [{ id: 1 }, { id: 2n }, { id: 3 }] } });
  const r = await get(martPath(published.id));
  assert.deepEqual(linesOf(r.body), ['{"id":1}', '']);
  assert.equal(r.terminated, false);
  assert.equal((await get(martPath(published.id, '?limit=1'))).terminated, true, 'the server keeps answering');
});

test('a completed stream leaves its keep-alive connection usable for the next request', async (t) => {
  const { server, token, published, martPath } = await streamServer(t);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  t.after(() => agent.destroy());
  const first = await request(server, { path: martPath(published.id), headers: authHeaders(server, token), agent });
  const second = await request(server, { path: martPath(published.id), headers: authHeaders(server, token), agent });
  assert.equal(first.text, CAPTURED_LINES.map((l) => `${l}\n`).join(''));
  assert.equal(second.text, first.text);
  assert.equal(second.socketReused, true);
  const third = await request(server, { path: '/api/data-marts', headers: authHeaders(server, token), agent });
  assert.equal(third.status, 200);
  assert.equal(third.socketReused, true);
});

test('cutAfterBytes: the body stops mid-line (even mid-character) and the socket is destroyed', async (t) => {
  const { server, published, get, martPath } = await streamServer(t);
  const full = Buffer.from(CAPTURED_LINES.map((l) => `${l}\n`).join(''));
  const inside = full.indexOf(Buffer.from('数')) + 1; // one byte into a three-byte character
  server.inject({ path: martPath(published.id) }, { stream: { cutAfterBytes: inside } });
  const r = await get(martPath(published.id));
  assert.ok(r.body.equals(full.subarray(0, inside)));
  assert.equal(r.terminated, false);
  server.inject({ path: martPath(published.id) }, { stream: { cutAfterBytes: full.length + 10 } });
  assert.equal((await get(martPath(published.id))).terminated, true, 'a limit past the end changes nothing');
});

test('resetAfter: K complete lines, then a connection reset', async (t) => {
  const { server, published, get, martPath } = await streamServer(t);
  server.inject({ path: martPath(published.id) }, { stream: { resetAfter: 2 } });
  const outcome = await get(martPath(published.id)).catch((error) => error);
  if (outcome instanceof Error) assert.equal(outcome.code, 'ECONNRESET');
  else assert.equal(outcome.terminated, false);
  const run = server.collection('runs')[0];
  await waitFor(() => run.status === 'FAILED');
});

test('cutAfter: 0 and stallAfter: 0 send the head and no row', async (t) => {
  const { server, published, get, martPath } = await streamServer(t);
  server.inject({ path: martPath(published.id) }, { stream: { cutAfter: 0 } });
  let r = await get(martPath(published.id));
  assert.equal(r.status, 200);
  assert.equal(r.body.length, 0);
  assert.equal(r.terminated, false);
  server.inject({ path: martPath(published.id) }, { stream: { stallAfter: 0 } });
  r = await get(martPath(published.id), { stopWhen: () => true });
  assert.equal(r.status, 200);
  assert.equal(r.body.length, 0);
});
