// Issue point 8: idle keep-alive connections never keep Node alive, the client works in
// worker_threads (several at once; terminated mid-request without crashing), and the JS
// thread is never blocked while requests wait.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { OWOXApiClient } from '@owox/api-client';
import { startTestServer, generateDataMarts } from '@owox/api-client/testing';
import { HELPERS, runNode, setup } from './helpers/transport-util.mjs';

const STORAGES = { path: '/api/data-storages' };
const EXCHANGE = { path: '/api/auth/api-keys/exchange' };

async function runExitChild(t, scenario, prepare) {
  const server = await startTestServer({ dataMarts: generateDataMarts(2500) });
  t.after(() => server.close());
  prepare?.(server);
  // 20 s is less than the 30 s idle timeout of both the client pool and the server, so a
  // pooled socket keeping Node alive shows up as a killed child.
  const run = await runNode([path.join(HELPERS, 'transport-exit-child.mjs'), JSON.stringify({ credentials: server.credentials, scenario })], {
    timeout: 20_000,
  });
  assert.equal(run.killed, false, `the script did not exit by itself within 20 s (${scenario})`);
  assert.equal(run.code, 0, run.stderr);
  const result = JSON.parse(run.stdout.trim().split('\n').pop());
  t.diagnostic(`${scenario}: exited ${result.exitDelayMs.toFixed(1)} ms after its work (process ran ${run.ms.toFixed(0)} ms)`);
  assert.ok(result.exitDelayMs < 1000, `Node stayed alive ${result.exitDelayMs.toFixed(0)} ms after the work was done`);
  return { server, result };
}

test('a script exits as soon as its work is done (idle keep-alive sockets do not hold it)', async (t) => {
  const { server, result } = await runExitChild(t, 'calls');
  assert.deepEqual(result.work, { storages: 3, marts: 2500, context: 'object' });
  assert.equal(server.count(EXCHANGE), 1);
  assert.equal(server.count({ path: '/api/data-marts' }), 3);
});

test('a script exits promptly after breaking out of dataMarts.iterate() with prefetches in flight', async (t) => {
  const { result } = await runExitChild(t, 'iterate-break', (server) =>
    server.inject({ path: '/api/data-marts', after: 1, times: Infinity }, { passthrough: true, delayMs: 3000 }),
  );
  assert.equal(result.work.firstMart, true);
});

test('a script exits promptly after a request timed out on a server that never answers', async (t) => {
  const { server, result } = await runExitChild(t, 'timeout', (s) => s.inject(STORAGES, { hang: true }));
  assert.equal(result.work.error, 'TIMEOUT');
  assert.equal(server.count(STORAGES), 1);
});

test('a script exits promptly after aborting a hung request', async (t) => {
  const { server, result } = await runExitChild(t, 'abort', (s) => s.inject(STORAGES, { hang: true }));
  assert.equal(result.work.error, 'AbortError');
  assert.equal(server.count(STORAGES), 1);
});

test('a client that was created and never used does not keep Node alive', async (t) => {
  const { server, result } = await runExitChild(t, 'unused');
  assert.equal(result.work.origin, server.origin);
  assert.equal(server.count(), 0);
});

test('a pending call keeps the script alive until it settles (it is not dropped on the floor)', async (t) => {
  const { server } = await setup(t);
  server.inject(STORAGES, { passthrough: true, delayMs: 400 });
  const script = `
    import { OWOXApiClient } from '@owox/api-client';
    const client = new OWOXApiClient(${JSON.stringify(server.credentials)});
    client.storages.list().then((s) => console.log('done', s.length));
  `;
  const run = await runNode(['--input-type=module', '-e', script], { timeout: 10_000 });
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout.trim(), 'done 3');
  assert.ok(run.ms >= 400);
  assert.equal(server.count(STORAGES), 1);
});

test('several worker threads, each with its own client, get correct results at once', async (t) => {
  const server = await startTestServer({ dataMarts: generateDataMarts(1500) });
  t.after(() => server.close());
  const expected = await (async () => {
    const c = new OWOXApiClient(server.credentials);
    return { storages: await c.storages.list(), marts: await c.dataMarts.list(), context: await c.auth.getContext() };
  })();
  server.clearRequests();

  const N = 4;
  const results = await Promise.all(
    Array.from({ length: N }, () => {
      const worker = new Worker(path.join(HELPERS, 'transport-worker.mjs'), {
        workerData: { credentials: server.credentials, mode: 'calls' },
      });
      return new Promise((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
        worker.once('exit', (code) => reject(new Error(`worker exited with ${code} before answering`)));
      }).finally(() => worker.terminate());
    }),
  );
  for (const r of results) {
    assert.deepEqual(r.storages, expected.storages);
    assert.deepEqual(r.marts, expected.marts);
    assert.deepEqual(r.context, expected.context);
    assert.equal(r.iterated, 1500);
  }
  assert.equal(server.count(EXCHANGE), N);
  assert.equal(server.count(STORAGES), N);
  assert.equal(server.count({ path: '/api/data-marts' }), N * 2 * 2); // list + iterate, 2 pages each
  assert.equal(new Set(server.requests.filter((r) => r.path === STORAGES.path).map((r) => r.headers['x-owox-authorization'])).size, N);
});

test('workers terminated mid-request do not crash the process; the main thread still works and exits 0', async () => {
  const run = await runNode([path.join(HELPERS, 'transport-terminate-child.mjs')], { timeout: 30_000 });
  assert.equal(run.signal, null, `the process died by ${run.signal}: ${run.stderr}`);
  assert.equal(run.killed, false, 'the process did not exit by itself');
  assert.equal(run.code, 0, run.stderr);
  const r = JSON.parse(run.stdout.trim().split('\n').pop());
  assert.equal(r.seenBeforeTerminate, 4, 'not every worker request reached the server before terminate()');
  assert.deepEqual(r.exitCodes, [1, 1, 1, 1]);
  assert.equal(r.mainStorages, 3);
  assert.equal(r.storagesCount, 5);
  assert.equal(r.exchangeCount, 5);
  assert.deepEqual(r.workerErrors, []);
});

test('workers terminated with every kind of call in flight (signals, lists, data-mart walks) never crash the process', async () => {
  for (let run = 0; run < 2; run++) {
    const child = await runNode([path.join(HELPERS, 'transport-terminate-busy-child.mjs')], { timeout: 60_000 });
    assert.equal(child.signal, null, `the process died by ${child.signal}: ${child.stderr}`);
    assert.equal(child.code, 0, child.stderr);
    const result = JSON.parse(child.stdout.trim().split('\n').pop());
    assert.deepEqual(result, { rounds: 24, mainMarts: 2500 });
  }
});

test('the JS thread is not blocked while a request waits (event-loop delay during a 500 ms answer)', async (t) => {
  const { server, client } = await setup(t);
  await client.authenticate();
  // A client that blocked the JS thread while waiting would stall it for the whole server
  // delay; the bound sits well below that, far above scheduling noise on a busy machine.
  server.inject(STORAGES, { passthrough: true, delayMs: 1000 });
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  let ticks = 0;
  const interval = setInterval(() => ticks++, 10);
  histogram.enable();
  const started = performance.now();
  const storages = await client.storages.list();
  const took = performance.now() - started;
  histogram.disable();
  clearInterval(interval);
  const maxMs = histogram.max / 1e6;
  t.diagnostic(`request took ${took.toFixed(0)} ms; event-loop delay max ${maxMs.toFixed(1)} ms, mean ${(histogram.mean / 1e6).toFixed(1)} ms, p99 ${(histogram.percentile(99) / 1e6).toFixed(1)} ms; ${ticks} timer ticks of 10 ms`);
  assert.ok(Array.isArray(storages));
  assert.ok(took >= 980, `the request took ${took.toFixed(0)} ms, less than the server delay`);
  assert.ok(maxMs < 500, `event loop blocked for up to ${maxMs.toFixed(1)} ms`);
  assert.ok(ticks >= 20, `only ${ticks} timer ticks during ${took.toFixed(0)} ms`);
  assert.equal(server.count(STORAGES), 1);
});

test('the JS thread is not blocked while 50 concurrent requests wait, nor during a hung request with a timeout', async (t) => {
  const { server, client } = await setup(t);
  await client.authenticate();
  // As above: blocking would stall the thread for a whole 1000 ms delay or timeout.
  server.inject({ ...STORAGES, times: 50 }, { passthrough: true, delayMs: 1000 });
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  const lists = await Promise.all(Array.from({ length: 50 }, () => client.storages.list()));
  server.inject(STORAGES, { hang: true });
  const timedOut = await client.storages.list({ timeout: 1000, maxRetries: 0 }).catch((e) => e.code);
  histogram.disable();
  const maxMs = histogram.max / 1e6;
  t.diagnostic(`event-loop delay max ${maxMs.toFixed(1)} ms over 50 concurrent slow requests and one timeout`);
  assert.equal(lists.length, 50);
  assert.equal(timedOut, 'TIMEOUT');
  assert.ok(maxMs < 500, `event loop blocked for up to ${maxMs.toFixed(1)} ms`);
  assert.equal(server.count(STORAGES), 51);
});
