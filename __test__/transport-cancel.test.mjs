// Issue point 3: cancellation with an AbortSignal: immediate rejection with the signal's
// reason (a plain abort() gives the DOMException named AbortError, as fetch does),
// the in-flight HTTP request stopped in Rust (socket released), pending retries and sleeps
// cancelled, and an already-aborted signal sends nothing.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { OWOXApiClient } from '@owox/api-client';
import { startTestServer } from '@owox/api-client/testing';
import { setup, rejection, sleep, startMiniApi, waitFor, waitForRequests } from './helpers/transport-util.mjs';

const STORAGES = { path: '/api/data-storages' };
const EXCHANGE = { path: '/api/auth/api-keys/exchange' };
const MARTS = { path: '/api/data-marts' };

/** What a plain `controller.abort()` makes every call reject with, as fetch does. */
function assertAbortError(error) {
  assert.ok(error instanceof DOMException, `expected a DOMException, got ${error}`);
  assert.equal(error.name, 'AbortError');
}

// "At once" means long before any timeout or retry could end the call (the clients here
// keep the 60 s default); the bound is loose because other suites share the CPU.
const PROMPTLY_MS = 2000;

/** Aborts `controller` once the server has seen the request, and measures abort -> rejection. */
async function abortWhenSeen(server, filter, controller, promise, n = 1) {
  await waitForRequests(server, filter, n);
  const abortedAt = performance.now();
  controller.abort();
  try {
    await promise;
  } catch (error) {
    return { error, ms: performance.now() - abortedAt };
  }
  throw new Error('expected the call to reject after abort');
}

// Independent tests (each has its own servers and clients), run concurrently so the slow
// ones (connect timeout, Retry-After waits, backoffs) overlap.
describe('transport: cancellation', { concurrency: true }, () => {
  test('an already-aborted signal rejects with AbortError and sends nothing at all', async (t) => {
    const { server, client } = await setup(t);
    const signal = AbortSignal.abort();
    for (const call of [
      () => client.storages.list({ signal }),
      () => client.destinations.list({ signal }),
      () => client.auth.getContext({ signal }),
      () => client.authenticate({ signal }),
      () => client.dataMarts.list({ signal }),
      async () => {
        for await (const _ of client.dataMarts.iterate({ signal })) break;
      },
    ]) {
      const { error } = await rejection(call);
      assertAbortError(error);
    }
    await sleep(50);
    assert.equal(server.count(), 0);
    assert.equal(server.connections, 0);
  });

  test('aborting a hung request rejects at once and releases the socket', async (t) => {
    const { server, client } = await setup(t, { client: { maxRetries: 2 } });
    await client.authenticate();
    await waitFor(() => server.connections === 1);
    server.inject(STORAGES, { hang: true });
    const controller = new AbortController();
    const promise = client.storages.list({ signal: controller.signal });
    const { error, ms } = await abortWhenSeen(server, STORAGES, controller, promise);
    assertAbortError(error);
    assert.ok(ms < PROMPTLY_MS, `rejected ${ms.toFixed(1)} ms after abort`);
    // The hung request's socket is closed by the client (the server never closes it itself).
    const released = await waitFor(() => server.connections === 0, 2000);
    assert.ok(released, `server still has ${server.connections} open connection(s) after abort`);
    // And nothing was retried after the abort.
    await sleep(700);
    assert.equal(server.count(STORAGES), 1);
  });

  test('aborting a body that stalls mid-way releases the socket', async (t) => {
    const { server, client } = await setup(t);
    await client.authenticate();
    server.inject(STORAGES, { stall: true, headers: { 'content-length': '5000' }, partialBody: '[{"id":"x"},' });
    const controller = new AbortController();
    const promise = client.storages.list({ signal: controller.signal });
    await waitForRequests(server, STORAGES);
    await sleep(50); // let the head and partial body arrive
    const { error } = await abortWhenSeen(server, STORAGES, controller, promise);
    assertAbortError(error);
    assert.ok(await waitFor(() => server.connections === 0, 2000), `${server.connections} connection(s) left open`);
    assert.equal(server.count(STORAGES), 1);
  });

  test('aborting a hung token exchange rejects and releases its socket', async (t) => {
    const { server, client } = await setup(t);
    server.inject(EXCHANGE, { hang: true });
    const controller = new AbortController();
    const promise = client.storages.list({ signal: controller.signal });
    const { error, ms } = await abortWhenSeen(server, EXCHANGE, controller, promise);
    assertAbortError(error);
    assert.ok(ms < PROMPTLY_MS, `rejected ${ms.toFixed(1)} ms after abort`);
    assert.ok(await waitFor(() => server.connections === 0, 2000), `${server.connections} connection(s) left open`);
    await sleep(600);
    assert.equal(server.count(EXCHANGE), 1);
    assert.equal(server.count(STORAGES), 0);
  });

  test('aborting during a Retry-After sleep cancels the pending retry', async (t) => {
    const { server, client } = await setup(t, { client: { maxRetries: 3 } });
    await client.authenticate();
    server.inject({ ...STORAGES, times: Infinity }, { status: 503, headers: { 'retry-after': '1' } });
    const controller = new AbortController();
    const promise = client.storages.list({ signal: controller.signal });
    await waitForRequests(server, STORAGES);
    await sleep(100); // now sleeping before the retry
    const { error, ms } = await abortWhenSeen(server, STORAGES, controller, promise);
    assertAbortError(error);
    assert.ok(ms < PROMPTLY_MS, `rejected ${ms.toFixed(1)} ms after abort`);
    await sleep(1500); // past when the retry would have gone out
    assert.equal(server.count(STORAGES), 1);
  });

  test('aborting during an exponential backoff cancels the pending retry', async (t) => {
    const { server, client } = await setup(t, { client: { maxRetries: 3 } });
    await client.authenticate();
    server.inject({ ...STORAGES, times: Infinity }, { reset: true });
    const controller = new AbortController();
    const promise = client.storages.list({ signal: controller.signal });
    await waitForRequests(server, STORAGES);
    await sleep(50);
    const { error } = await abortWhenSeen(server, STORAGES, controller, promise);
    assertAbortError(error);
    await sleep(1200); // longer than the first backoff window (250..500 ms)
    assert.equal(server.count(STORAGES), 1);
  });

  test('AbortSignal.timeout() works and surfaces as its TimeoutError, as with fetch', async (t) => {
    const { server, client } = await setup(t);
    await client.authenticate();
    server.inject(STORAGES, { hang: true });
    const signal = AbortSignal.timeout(200);
    const { error, ms } = await rejection(() => client.storages.list({ signal }));
    assert.ok(error instanceof DOMException, `expected a DOMException, got ${error}`);
    assert.equal(error.name, 'TimeoutError');
    assert.equal(error, signal.reason);
    assert.ok(ms >= 180 && ms < 200 + PROMPTLY_MS, `rejected after ${ms.toFixed(0)} ms`);
    assert.ok(await waitFor(() => server.connections === 0, 2000), `${server.connections} connection(s) left open`);
    assert.equal(server.count(STORAGES), 1);
  });

  test('a custom abort reason is what the call rejects with', async (t) => {
    const { server, client } = await setup(t);
    await client.authenticate();
    server.inject(STORAGES, { hang: true });
    const controller = new AbortController();
    const reason = new Error('user pressed stop');
    const promise = client.storages.list({ signal: controller.signal });
    await waitForRequests(server, STORAGES);
    controller.abort(reason);
    const { error } = await rejection(() => promise);
    assert.equal(error, reason);
  });

  test('aborting one call leaves concurrent calls of the same client alone', async (t) => {
    const { server, client } = await setup(t);
    await client.authenticate();
    server.inject(STORAGES, { passthrough: true, delayMs: 300 }); // the one we keep
    server.inject(STORAGES, { hang: true }); // the one we abort
    const keep = client.storages.list();
    await waitForRequests(server, STORAGES, 1);
    const controller = new AbortController();
    const doomed = client.storages.list({ signal: controller.signal });
    const { error } = await abortWhenSeen(server, STORAGES, controller, doomed, 2);
    assertAbortError(error);
    const storages = await keep;
    assert.ok(Array.isArray(storages) && storages.length > 0);
    assert.equal(server.count(STORAGES), 2);
  });

  test('the client keeps working after an aborted call', async (t) => {
    const { server, client } = await setup(t);
    server.inject(STORAGES, { hang: true });
    const controller = new AbortController();
    const promise = client.storages.list({ signal: controller.signal });
    const { error } = await abortWhenSeen(server, STORAGES, controller, promise);
    assertAbortError(error);
    const storages = await client.storages.list({ signal: new AbortController().signal });
    assert.ok(Array.isArray(storages) && storages.length > 0);
    assert.equal(server.count(STORAGES), 2);
    assert.equal(server.count(EXCHANGE), 1);
  });

  test('aborting dataMarts.list mid-way stops the page walk and its prefetches', async (t) => {
    const { server, client } = await setup(t, { server: { pageSize: 1 } }); // 5 marts -> 5 pages
    await client.authenticate();
    server.inject({ ...MARTS, after: 1, times: Infinity }, { hang: true });
    const controller = new AbortController();
    const promise = client.dataMarts.list({ signal: controller.signal });
    const { error, ms } = await abortWhenSeen(server, MARTS, controller, promise, 2);
    assertAbortError(error);
    assert.ok(ms < PROMPTLY_MS, `rejected ${ms.toFixed(1)} ms after abort`);
    assert.ok(await waitFor(() => server.connections <= 1, 2000), `${server.connections} connection(s) left open`);
    const seen = server.count(MARTS);
    await sleep(700);
    assert.equal(server.count(MARTS), seen, 'pages were requested after the abort');
  });

  test('aborting dataMarts.iterate while waiting for a page rejects the loop', async (t) => {
    const { server, client } = await setup(t, { server: { pageSize: 2 } });
    await client.authenticate();
    server.inject({ ...MARTS, after: 1 }, { hang: true });
    const controller = new AbortController();
    const got = [];
    const loop = (async () => {
      for await (const mart of client.dataMarts.iterate({ signal: controller.signal })) {
        got.push(mart.id);
        if (got.length === 2) delay(50).then(() => controller.abort());
      }
    })();
    const { error } = await rejection(() => loop);
    assertAbortError(error);
    assert.equal(got.length, 2);
    assert.ok(await waitFor(() => server.connections <= 1, 2000), `${server.connections} connection(s) left open`);
    assert.equal(server.count(MARTS), 2);
  });

  test('aborting after the call settled changes nothing', async (t) => {
    const { server, client } = await setup(t);
    const controller = new AbortController();
    const storages = await client.storages.list({ signal: controller.signal });
    controller.abort();
    await sleep(20);
    assert.ok(Array.isArray(storages));
    assert.equal(server.count(STORAGES), 1);
    // The same (now aborted) signal refuses the next call without a request.
    const { error } = await rejection(() => client.storages.list({ signal: controller.signal }));
    assertAbortError(error);
    assert.equal(server.count(STORAGES), 1);
  });

  test('aborting in the same tick as the call still stops it: no request is left hanging', async (t) => {
    // A server that never answers GET /api/data-storages and tracks the sockets of those
    // requests: any still open later belongs to a call that ignored its abort (and would hang
    // on until the 60 s timeout). Idle pooled sockets do not count.
    const hanging = new Set();
    const api = await startMiniApi((req) => {
      hanging.add(req.socket);
      req.socket.once('close', () => hanging.delete(req.socket));
    });
    t.after(() => api.close());
    const client = new OWOXApiClient({ ...api.credentials, maxRetries: 0 });
    await client.authenticate();
    const ROUNDS = 30;
    // One by one, then all at once: abort right after starting, in the same tick.
    for (let i = 0; i < ROUNDS; i++) {
      const controller = new AbortController();
      const promise = client.storages.list({ signal: controller.signal });
      controller.abort(); // before the native side may even have started
      const { error } = await rejection(() => promise);
      assertAbortError(error);
    }
    const controllers = Array.from({ length: ROUNDS }, () => new AbortController());
    const promises = controllers.map((c) => client.storages.list({ signal: c.signal }).catch((e) => e));
    for (const c of controllers) c.abort();
    for (const error of await Promise.all(promises)) assertAbortError(error);
    // Give a call that ignored its abort time to reach the server, then expect none to be open.
    await sleep(300);
    const released = await waitFor(() => hanging.size === 0, 2000);
    const reached = api.requests.filter((r) => r.path === STORAGES.path).length;
    t.diagnostic(`${reached} of ${2 * ROUNDS} aborted calls reached the server; ${hanging.size} of them still hold a socket`);
    assert.ok(released, `${hanging.size} of ${2 * ROUNDS} immediately aborted calls kept running (their sockets are still open)`);
  });

  test('a call aborted while it waits for another call\'s token exchange never sends anything', async (t) => {
    const server = await startTestServer();
    t.after(() => server.close());
    const ROUNDS = 10;
    let leaked = 0;
    for (let i = 0; i < ROUNDS; i++) {
      server.clearRequests();
      const client = new OWOXApiClient({ ...server.credentials, maxRetries: 0, timeout: 2000 });
      // The first call's exchange fails after 300 ms; the aborted second call must not then
      // start an exchange (or a GET) of its own.
      server.inject(EXCHANGE, { status: 503, delayMs: 300 });
      const controller = new AbortController();
      const first = client.storages.list().catch((e) => e);
      // Calls run on native threads, so without this the second call could start first and
      // hold the exchange itself; the point here is a call that waits for another's.
      await waitForRequests(server, EXCHANGE);
      const second = client.storages.list({ signal: controller.signal }).catch((e) => e);
      controller.abort();
      assertAbortError(await second);
      await first; // fails with the 503 (or, if the aborted call ran anyway, succeeds)
      await sleep(100);
      // Only the first call's one exchange may reach the server.
      if (server.count() !== 1) leaked++;
    }
    assert.equal(leaked, 0, `in ${leaked} of ${ROUNDS} rounds the aborted call still sent requests after its abort`);
  });
});
