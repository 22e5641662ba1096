// Issue point 1: per-attempt timeouts (client option and per-call override), hung servers,
// bodies that stall half way, and the separate connect timeout.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { OWOXApiClient, OWOXApiError } from '@owox/api-client';
import { rejection, setup, startBlackHole, waitFor } from './helpers/transport-util.mjs';

const STORAGES = { path: '/api/data-storages' };
const EXCHANGE = { path: '/api/auth/api-keys/exchange' };

function assertTimeout(error, ms, limit) {
  assert.ok(error instanceof OWOXApiError, `expected OWOXApiError, got ${error?.name}: ${error?.message}`);
  assert.equal(error.code, 'TIMEOUT');
  assert.equal(error.status, undefined);
  // "within the limit": not before it, and not long after it (generous slack: other suites
  // share the CPU; a timeout that does not fire would hang far longer).
  assert.ok(ms >= limit - 20, `rejected after ${ms.toFixed(0)} ms, before the ${limit} ms timeout`);
  assert.ok(ms < limit + 5000, `rejected after ${ms.toFixed(0)} ms, long after the ${limit} ms timeout`);
}

// Independent tests (each has its own servers and clients), run concurrently so the slow
// ones (connect timeout, Retry-After waits, backoffs) overlap.
describe('transport: timeouts', { concurrency: true }, () => {
  test('a server that accepts and never answers fails with TIMEOUT after the client timeout', async (t) => {
    const { server, client } = await setup(t, { client: { timeout: 300, maxRetries: 0 } });
    await client.authenticate();
    server.inject(STORAGES, { hang: true });
    const { error, ms } = await rejection(() => client.storages.list());
    assertTimeout(error, ms, 300);
    assert.match(error.message, /300 ms/);
    assert.equal(server.count(STORAGES), 1);
  });

  test('a response whose headers arrive but whose body stalls fails with TIMEOUT', async (t) => {
    const { server, client } = await setup(t, { client: { timeout: 300, maxRetries: 0 } });
    await client.authenticate();
    server.inject(STORAGES, { stall: true, headers: { 'content-length': '1000' }, partialBody: '[{"id":"a"},' });
    const { error, ms } = await rejection(() => client.storages.list());
    assertTimeout(error, ms, 300);
    assert.equal(server.count(STORAGES), 1);
  });

  test('a chunked body that stalls (no content-length) fails with TIMEOUT too', async (t) => {
    const { server, client } = await setup(t, { client: { timeout: 300, maxRetries: 0 } });
    await client.authenticate();
    server.inject(STORAGES, { stall: true, partialBody: '[{"id":"a"},' });
    const { error, ms } = await rejection(() => client.storages.list());
    assertTimeout(error, ms, 300);
    assert.equal(server.count(STORAGES), 1);
  });

  test('a hung token exchange fails with TIMEOUT', async (t) => {
    const { server, client } = await setup(t, { client: { timeout: 250, maxRetries: 0 } });
    server.inject(EXCHANGE, { hang: true });
    const { error, ms } = await rejection(() => client.storages.list());
    assertTimeout(error, ms, 250);
    assert.equal(server.count(EXCHANGE), 1);
    assert.equal(server.count(STORAGES), 0);
  });

  test('the per-call timeout overrides a longer client timeout', async (t) => {
    const { server, client } = await setup(t, { client: { timeout: 60_000, maxRetries: 0 } });
    server.inject(STORAGES, { hang: true });
    const { error, ms } = await rejection(() => client.storages.list({ timeout: 250 }));
    assertTimeout(error, ms, 250);
    assert.equal(server.count(STORAGES), 1);
  });

  test('the per-call timeout overrides a shorter client timeout (a slow answer then succeeds)', async (t) => {
    const { server, client } = await setup(t, { client: { timeout: 200, maxRetries: 0 } });
    await client.authenticate();
    server.inject(STORAGES, { passthrough: true, delayMs: 450 });
    const storages = await client.storages.list({ timeout: 3000 });
    assert.ok(Array.isArray(storages) && storages.length > 0);
    assert.equal(server.count(STORAGES), 1);

    // And without the override the client's 200 ms applies to the same slow answer.
    server.inject(STORAGES, { passthrough: true, delayMs: 450 });
    const { error, ms } = await rejection(() => client.storages.list());
    assertTimeout(error, ms, 200);
    assert.equal(server.count(STORAGES), 2);
  });

  test('the timeout is per attempt: each retry gets the full timeout again', async (t) => {
    const { server, client } = await setup(t, { client: { timeout: 300, maxRetries: 1 } });
    await client.authenticate();
    // First attempt answers after 200 ms with a retryable status, second after 200 ms with data:
    // 400 ms in total, more than one timeout, yet no attempt exceeds it.
    server.inject(STORAGES, { delayMs: 200, status: 503, headers: { 'retry-after': '0' } });
    server.inject(STORAGES, { passthrough: true, delayMs: 200 });
    const storages = await client.storages.list();
    assert.ok(Array.isArray(storages));
    assert.equal(server.count(STORAGES), 2);
  });

  test('the default timeout is not short: a 1.2 s answer succeeds with default options', async (t) => {
    const { server, client } = await setup(t);
    server.inject(STORAGES, { passthrough: true, delayMs: 1200 });
    const storages = await client.storages.list();
    assert.ok(Array.isArray(storages));
    assert.equal(server.count(STORAGES), 1);
  });

  test('timeouts apply to data-mart pages and the auth context too', async (t) => {
    const { server, client } = await setup(t, { client: { timeout: 250, maxRetries: 0 } });
    await client.authenticate();
    server.inject({ path: '/api/data-marts' }, { hang: true });
    const marts = await rejection(() => client.dataMarts.list());
    assertTimeout(marts.error, marts.ms, 250);
    server.inject({ path: '/api/auth/context' }, { stall: true, headers: { 'content-length': '500' }, partialBody: '{' });
    const context = await rejection(() => client.auth.getContext());
    assertTimeout(context.error, context.ms, 250);
    assert.equal(server.count({ path: '/api/data-marts' }), 1);
    assert.equal(server.count({ path: '/api/auth/context' }), 1);
  });

  test('a connect that never completes is cut by the per-call timeout when that is shorter', async (t) => {
    const hole = await startBlackHole();
    t.after(() => hole.close());
    const client = new OWOXApiClient({ apiOrigin: hole.origin, apiKeyId: 'pmk_AAAAAAAAAAAAAAAAAAAAAA', apiKeySecret: 's'.repeat(43), maxRetries: 0 });
    const { error, ms } = await rejection(() => client.authenticate({ timeout: 300 }));
    assertTimeout(error, ms, 300);
  });

  test('the connect timeout is separate and sensible: a black-holed connect fails well before a long per-attempt timeout', async (t) => {
    const hole = await startBlackHole();
    t.after(() => hole.close());
    const client = new OWOXApiClient({
      apiOrigin: hole.origin,
      apiKeyId: 'pmk_AAAAAAAAAAAAAAAAAAAAAA',
      apiKeySecret: 's'.repeat(43),
      timeout: 60_000,
      maxRetries: 0,
    });
    const { error, ms } = await rejection(() => client.authenticate());
    t.diagnostic(`connect gave up after ${ms.toFixed(0)} ms: ${error.code} ${error.message}`);
    assert.ok(error instanceof OWOXApiError);
    assert.equal(error.code, 'TIMEOUT');
    // Sensible: neither instant nor the full 60 s attempt timeout.
    assert.ok(ms >= 2000 && ms < 30_000, `connect timeout took ${ms.toFixed(0)} ms`);
    // The message must describe what happened, not claim the 60000 ms attempt timeout elapsed.
    assert.doesNotMatch(error.message, /60000 ms/, `message misreports the limit: ${error.message}`);
  });

  test('a call waiting for another call\'s hung token exchange still times out within its own limit', async (t) => {
    const { server, client } = await setup(t, { client: { timeout: 2000, maxRetries: 0 } });
    server.inject(EXCHANGE, { hang: true });
    const first = client.storages.list().catch((e) => e); // holds the exchange for 2 s
    // Calls run on native threads: wait until the first one really holds the exchange.
    await waitFor(() => server.count(EXCHANGE) === 1, 2000);
    const { error, ms } = await rejection(() => client.storages.list({ timeout: 300 }));
    assertTimeout(error, ms, 300);
    assert.equal((await first).code, 'TIMEOUT');
    assert.equal(server.count(STORAGES), 0);
  });

  test('a call whose 401 arrives while another call holds a hung exchange still times out within its own limit', async (t) => {
    const { server, client } = await setup(t, { client: { timeout: 3000, maxRetries: 0 } });
    await client.authenticate();
    server.inject(STORAGES, { status: 401, delayMs: 200 });
    server.inject(EXCHANGE, { hang: true });
    const pending = client.storages.list({ timeout: 500 }).then(() => null, (e) => e);
    const started = performance.now();
    // While the list waits for its 401, another call starts an exchange that never answers.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const other = client.authenticate().catch((e) => e);
    const error = await pending;
    assertTimeout(error, performance.now() - started, 500);
    assert.equal((await other).code, 'TIMEOUT');
  });

  test('per-call timeout and maxRetries apply to dataMarts.iterate() too', async (t) => {
    const { server, client } = await setup(t, { client: { timeout: 60_000, maxRetries: 0 } });
    await client.authenticate();
    server.inject({ path: '/api/data-marts', times: Infinity }, { hang: true });
    const { error, ms } = await rejection(async () => {
      for await (const _ of client.dataMarts.iterate({ timeout: 200, maxRetries: 1 })) {
        // never reached
      }
    });
    assert.ok(error instanceof OWOXApiError);
    assert.equal(error.code, 'TIMEOUT');
    assert.equal(error.attempts, 2);
    assert.ok(ms >= 400 && ms < 3000, `took ${ms.toFixed(0)} ms for two 200 ms attempts and a backoff`);
    assert.equal(server.count({ path: '/api/data-marts' }), 2);
  });

  test('invalid timeout / maxRetries, per call or per client, are OWOXConfigErrors and send nothing', async (t) => {
    const { server, client } = await setup(t);
    for (const options of [{ timeout: 0 }, { timeout: -1 }, { timeout: Number.NaN }, { timeout: '100' }, { maxRetries: -1 }, { maxRetries: 1.5 }, { maxRetries: 1000 }]) {
      const { error } = await rejection(() => client.storages.list(options));
      assert.equal(error.name, 'OWOXConfigError', JSON.stringify(options));
      assert.throws(() => new OWOXApiClient({ ...server.credentials, ...options }), { name: 'OWOXConfigError' }, JSON.stringify(options));
    }
    assert.equal(server.count(), 0);
  });
});
