// Issue point 5: the response-size cap (declared and streamed bodies), header and JSON
// nesting limits, and flat memory over 10,000 sequential and 1,000 concurrent calls.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { OWOXApiClient, OWOXApiError } from '@owox/api-client';
import { startTestServer, generateStorages } from '@owox/api-client/testing';
import { HELPERS, rejection, runNode, setup, startMiniApi, waitFor } from './helpers/transport-util.mjs';

const STORAGES = { path: '/api/data-storages' };
const MiB = 1024 * 1024;

function assertTooLarge(error, limit) {
  assert.ok(error instanceof OWOXApiError, `expected OWOXApiError, got ${error?.name}: ${error?.message}`);
  assert.equal(error.code, 'RESPONSE_TOO_LARGE');
  assert.match(error.message, new RegExp(`\\b${limit}\\b`));
}

test('a declared body over maxResponseBytes fails cleanly, is not retried, and the socket is dropped', async (t) => {
  const { server, client } = await setup(t, { client: { maxResponseBytes: MiB, maxRetries: 2 } });
  await client.authenticate();
  server.inject(STORAGES, { bytes: 200 * MiB });
  const { error, ms } = await rejection(() => client.storages.list());
  assertTooLarge(error, MiB);
  // The declared length is refused before reading; the bound is loose (the CPU is shared).
  assert.ok(ms < 10_000, `took ${ms.toFixed(0)} ms to refuse a 200 MiB body`);
  assert.equal(server.count(STORAGES), 1);
  // The connection with the unread rest of the body is closed, not kept for reuse.
  assert.ok(await waitFor(() => server.connections === 0, 2000), `${server.connections} connection(s) left open`);
  // The client still works afterwards.
  assert.ok(Array.isArray(await client.storages.list()));
});

test('maxResponseBytes is inclusive: a body of exactly the limit is accepted, one byte more is not', async (t) => {
  const { server, client } = await setup(t, { client: { maxResponseBytes: 256 * 1024, maxRetries: 0 } });
  server.inject(STORAGES, { bytes: 256 * 1024 });
  const ok = await client.storages.list();
  assert.ok(Array.isArray(ok));
  assert.equal(JSON.stringify(ok).length, 256 * 1024);
  server.inject(STORAGES, { bytes: 256 * 1024 + 1 });
  const { error } = await rejection(() => client.storages.list());
  assertTooLarge(error, 256 * 1024);
  assert.equal(server.count(STORAGES), 2);
});

test('the default cap is 64 MiB: exactly 64 MiB passes, 64 MiB + 1 byte fails', async (t) => {
  const { server, client } = await setup(t, { client: { maxRetries: 0, timeout: 30_000 } });
  server.inject(STORAGES, { bytes: 64 * MiB + 1 });
  const { error } = await rejection(() => client.storages.list());
  assertTooLarge(error, 64 * MiB);
  server.inject(STORAGES, { bytes: 64 * MiB });
  const big = await client.storages.list();
  assert.ok(Array.isArray(big) && big.length > 1000);
  assert.equal(server.count(STORAGES), 2);
});

test('an endless chunked body (no content-length) is cut at the cap without reading the rest', async (t) => {
  let written = 0;
  let closedAt = 0;
  const chunk = Buffer.from('"' + 'x'.repeat(64 * 1024 - 3) + '",');
  const api = await startMiniApi((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }); // chunked: size unknown up front
    res.write('[');
    const pump = () => {
      // Stop by itself at 1 GiB so a client that never stops cannot wedge the test.
      while (!res.destroyed && written < 1024 * MiB) {
        written += chunk.length;
        if (!res.write(chunk)) return res.once('drain', pump);
      }
      res.end('""]');
    };
    res.on('close', () => (closedAt = performance.now()));
    pump();
  });
  t.after(() => api.close());
  const client = new OWOXApiClient({ ...api.credentials, maxResponseBytes: 2 * MiB, maxRetries: 2, timeout: 10_000 });
  const { error } = await rejection(() => client.storages.list());
  const rejectedAt = performance.now();
  assertTooLarge(error, 2 * MiB);
  await waitFor(() => closedAt > 0, 2000);
  t.diagnostic(`server wrote ${(written / MiB).toFixed(1)} MiB before the client hung up`);
  assert.ok(closedAt > 0, 'the client did not close the oversized response');
  assert.ok(closedAt - rejectedAt < 5000, `the socket closed ${(closedAt - rejectedAt).toFixed(0)} ms after the rejection`);
  // Loopback socket buffers hold a few MiB at most; everything else was never sent.
  assert.ok(written < 64 * MiB, `server wrote ${(written / MiB).toFixed(1)} MiB`);
  assert.equal(api.requests.filter((r) => r.path === STORAGES.path).length, 1);
});

test('a streamed (chunked) body of exactly the cap is accepted', async (t) => {
  const limit = 100_000;
  const api = await startMiniApi((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    const body = '["' + 'y'.repeat(limit - 4) + '"]';
    res.write(body.slice(0, 500));
    setTimeout(() => res.end(body.slice(500)), 20);
  });
  t.after(() => api.close());
  const client = new OWOXApiClient({ ...api.credentials, maxResponseBytes: limit, maxRetries: 0 });
  const value = await client.storages.list();
  assert.equal(value[0].length, limit - 4);
  const over = new OWOXApiClient({ ...api.credentials, maxResponseBytes: limit - 1, maxRetries: 0 });
  const { error } = await rejection(() => over.storages.list());
  assertTooLarge(error, limit - 1);
});

test('the cap applies to error bodies and to the token exchange too', async (t) => {
  const { server, client } = await setup(t, { client: { maxResponseBytes: 64 * 1024, maxRetries: 0 } });
  server.inject({ path: '/api/auth/api-keys/exchange' }, { bytes: 10 * MiB });
  const exchange = await rejection(() => client.authenticate());
  assert.equal(exchange.error.code, 'RESPONSE_TOO_LARGE');
  await client.authenticate();
  server.inject(STORAGES, { status: 500, body: 'e'.repeat(5 * MiB) });
  const failed = await rejection(() => client.storages.list());
  assert.equal(failed.error.code, 'RESPONSE_TOO_LARGE');
  assert.equal(server.count(STORAGES), 1);
});

test('maxResponseBytes must be a positive whole number', () => {
  for (const bad of [0, -1, 1.5, Number.NaN]) {
    assert.throws(
      () => new OWOXApiClient({ apiOrigin: 'http://127.0.0.1:1', apiKeyId: 'pmk_x', apiKeySecret: 's', maxResponseBytes: bad }),
      (e) => e.name === 'OWOXConfigError' && /maxResponseBytes/.test(e.message),
      String(bad),
    );
  }
});

test('header limits: ordinary large headers pass, a 1 MiB header fails cleanly', async (t) => {
  const { server, client } = await setup(t, { client: { maxRetries: 0, timeout: 5000 } });
  await client.authenticate();
  const headers = { 'x-big': 'a'.repeat(16 * 1024) };
  for (let i = 0; i < 40; i++) headers[`x-extra-${i}`] = 'v'.repeat(100);
  server.inject(STORAGES, { status: 200, headers, body: [{ id: 'h' }] });
  assert.deepEqual(await client.storages.list(), [{ id: 'h' }]);

  server.inject(STORAGES, { status: 200, headers: { 'x-huge': 'a'.repeat(MiB) }, body: [] });
  const { error, ms } = await rejection(() => client.storages.list());
  assert.ok(error instanceof OWOXApiError);
  // The response head is refused as a transport failure, with hyper's reason as the cause.
  assert.equal(error.code, 'NETWORK_ERROR');
  assert.equal(error.status, undefined);
  assert.match(String(error.cause), /head is too large/);
  assert.ok(ms < 10_000, `took ${ms.toFixed(0)} ms`);
  assert.equal(server.count(STORAGES), 2);
  // And the client is fine afterwards.
  assert.ok(Array.isArray(await client.storages.list()));
});

test('JSON nesting: realistic depth passes through, pathological depth is refused without a crash', async (t) => {
  const { server, client } = await setup(t, { client: { maxRetries: 0 } });
  let nested = { leaf: true };
  for (let i = 0; i < 60; i++) nested = { level: i, child: [nested] };
  server.seed({ storages: [{ id: 's1', config: nested }] });
  const [item] = await client.storages.list();
  assert.deepEqual(item, { id: 's1', config: nested });

  const depth = 100_000;
  server.inject(STORAGES, { status: 200, headers: { 'content-type': 'application/json' }, body: '['.repeat(depth) + ']'.repeat(depth) });
  const { error } = await rejection(() => client.storages.list());
  assert.ok(error instanceof OWOXApiError, `expected OWOXApiError, got ${error?.name}: ${error?.message}`);
  assert.match(error.message, /nested|deep/i);
  // Same for a deep error body: the error is built without blowing the stack.
  server.inject(STORAGES, { status: 400, headers: { 'content-type': 'application/json' }, body: '{"a":' + '['.repeat(depth) + ']'.repeat(depth) + '}' });
  const bad = await rejection(() => client.storages.list());
  assert.ok(bad.error instanceof OWOXApiError);
  assert.equal(bad.error.status, 400);
  assert.equal(server.count(STORAGES), 3);
});

test('memory stays flat over 10,000 sequential and 1,000 concurrent calls', async (t) => {
  const server = await startTestServer({ storages: generateStorages(3), recordRequests: false });
  t.after(() => server.close());
  const spec = { credentials: server.credentials, sequential: 10_000, concurrent: 1_000, warmup: 500 };
  const run = await runNode(['--expose-gc', path.join(HELPERS, 'transport-memory-child.mjs'), JSON.stringify(spec)], { timeout: 120_000 });
  assert.equal(run.code, 0, run.stderr);
  const r = JSON.parse(run.stdout.trim().split('\n').pop());
  const mb = (n) => (n / MiB).toFixed(1);
  t.diagnostic(
    `RSS before ${mb(r.before.rss)} MiB, after 10,000 sequential ${mb(r.afterSequential.rss)} MiB ` +
      `(${(r.sequentialMs / 1000).toFixed(2)} s), after 1,000 concurrent ${mb(r.afterConcurrent.rss)} MiB ` +
      `(${r.concurrentMs.toFixed(0)} ms); heapUsed ${mb(r.before.heapUsed)} -> ${mb(r.afterSequential.heapUsed)} -> ${mb(r.afterConcurrent.heapUsed)} MiB`,
  );
  // Every call reached the server: warm-up (500 + 1000) + 10,000 + 1,000, plus one exchange.
  assert.equal(server.count(STORAGES), 500 + 1000 + 10_000 + 1_000);
  assert.equal(server.count({ path: '/api/auth/api-keys/exchange' }), 1);
  assert.equal(r.items, 3 * (500 + 1000 + 10_000 + 1_000));
  const growth = r.afterConcurrent.rss - r.before.rss;
  assert.ok(r.afterSequential.rss - r.before.rss < 50 * MiB, `RSS grew ${mb(r.afterSequential.rss - r.before.rss)} MiB over 10,000 calls`);
  assert.ok(growth < 50 * MiB, `RSS grew ${mb(growth)} MiB over 11,000 calls`);
  assert.ok(r.afterConcurrent.heapUsed - r.before.heapUsed < 10 * MiB, 'JS heap grew');
});

test('a Content-Length far beyond memory, under a large maxResponseBytes, is refused without reserving it', async (t) => {
  // The server claims 100 GB but sends a few bytes and stalls: the client must neither try
  // to allocate the claim nor crash; the claim is over the 1 GiB limit, so it is refused.
  const api = await startMiniApi((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(100e9) });
    res.write('[1,');
  });
  t.after(() => api.close());
  const client = new OWOXApiClient({ ...api.credentials, maxResponseBytes: 2 ** 30, maxRetries: 0, timeout: 2000 });
  const { error } = await rejection(() => client.storages.list());
  assertTooLarge(error, 2 ** 30);
});

test('maxResponseBytes above 1 GiB, or not a whole number, is an OWOXConfigError', () => {
  for (const maxResponseBytes of [2 ** 30 + 1, Number.MAX_SAFE_INTEGER, 2 ** 64, 1.5, 0]) {
    assert.throws(
      () => new OWOXApiClient({ apiOrigin: 'http://127.0.0.1:1', apiKeyId: 'pmk_x', apiKeySecret: 's', maxResponseBytes }),
      (error) => error.name === 'OWOXConfigError' && /maxResponseBytes/.test(error.message),
    );
  }
});
