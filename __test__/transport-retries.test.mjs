// Issue point 2: which failures are retried, how often (client option, per-call override,
// default 2), backoff with jitter, Retry-After (seconds and HTTP date, capped), and what the
// final error says.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { OWOXApiClient, OWOXApiError, OWOXAuthError } from '@owox/api-client';
import { startTestServer } from '@owox/api-client/testing';
import { rejection, setup } from './helpers/transport-util.mjs';

const STORAGES = { path: '/api/data-storages' };
const EXCHANGE = { path: '/api/auth/api-keys/exchange' };
const NOW = { 'retry-after': '0' };

function gaps(server, filter) {
  const at = server.requests.filter((r) => r.path === filter.path).map((r) => r.at);
  return at.slice(1).map((t, i) => t - at[i]);
}

// Independent tests (each has its own servers and clients), run concurrently so the slow
// ones (connect timeout, Retry-After waits, backoffs) overlap.
describe('transport: retries', { concurrency: true }, () => {
  for (const status of [408, 429, 500, 502, 503, 504]) {
    test(`GET answered ${status} is retried and then succeeds`, async (t) => {
      const { server, client } = await setup(t, { client: { maxRetries: 2 } });
      await client.authenticate();
      server.inject({ ...STORAGES, times: 2 }, { status, headers: NOW, body: { statusCode: status, message: 'try later' } });
      const storages = await client.storages.list();
      assert.ok(Array.isArray(storages) && storages.length > 0);
      assert.equal(server.count(STORAGES), 3);
    });
  }

  for (const status of [400, 403, 404, 409, 422]) {
    test(`GET answered ${status} is never retried`, async (t) => {
      const { server, client } = await setup(t, { client: { maxRetries: 3 } });
      await client.authenticate();
      server.inject({ ...STORAGES, times: Infinity }, { status, headers: NOW, body: { statusCode: status, message: 'no', code: `E${status}` } });
      const { error } = await rejection(() => client.storages.list());
      assert.ok(error instanceof OWOXApiError);
      assert.equal(error.status, status);
      assert.equal(error.code, `E${status}`);
      assert.equal(server.count(STORAGES), 1);
      assert.doesNotMatch(error.message, /attempts/);
    });
  }

  test('401 costs exactly one re-exchange and one retry, never more, even with retries left', async (t) => {
    const { server, client } = await setup(t, { client: { maxRetries: 5 } });
    await client.authenticate();
    server.inject({ ...STORAGES, times: Infinity }, { status: 401, headers: NOW, body: { statusCode: 401, message: 'Unauthorized' } });
    const { error } = await rejection(() => client.storages.list());
    assert.ok(error instanceof OWOXAuthError);
    assert.equal(error.status, 401);
    assert.equal(server.count(STORAGES), 2);
    assert.equal(server.count(EXCHANGE), 2);
  });

  test('a 401 from the token exchange itself is not retried', async (t) => {
    const { server, client } = await setup(t, { client: { maxRetries: 3 } });
    server.inject({ ...EXCHANGE, times: Infinity }, { status: 401, body: { statusCode: 401, message: 'Unauthorized' } });
    const { error } = await rejection(() => client.storages.list());
    assert.ok(error instanceof OWOXAuthError);
    assert.equal(error.status, 401);
    assert.equal(server.count(EXCHANGE), 1);
    assert.equal(server.count(STORAGES), 0);
  });

  test('the token exchange is retried on 503 and on a connection reset', async (t) => {
    const { server, client } = await setup(t, { client: { maxRetries: 2 } });
    server.inject(EXCHANGE, { status: 503, headers: NOW });
    server.inject(EXCHANGE, { reset: true });
    await client.authenticate();
    assert.equal(server.count(EXCHANGE), 3);
    const storages = await client.storages.list();
    assert.ok(Array.isArray(storages));
    assert.equal(server.count(EXCHANGE), 3);
  });

  test('a 400 from the token exchange is not retried', async (t) => {
    const { server, client } = await setup(t, { client: { maxRetries: 3 } });
    server.inject({ ...EXCHANGE, times: Infinity }, { status: 400, body: { statusCode: 400, message: 'bad', error: 'Bad Request' } });
    const { error } = await rejection(() => client.authenticate());
    assert.ok(error instanceof OWOXAuthError);
    assert.equal(error.status, 400);
    assert.equal(server.count(EXCHANGE), 1);
  });

  test('a connection reset on a GET is retried', async (t) => {
    const { server, client } = await setup(t, { client: { maxRetries: 1 } });
    await client.authenticate();
    server.inject(STORAGES, { reset: true });
    const storages = await client.storages.list();
    assert.ok(Array.isArray(storages));
    assert.equal(server.count(STORAGES), 2);
  });

  test('a timeout is retried', async (t) => {
    const { server, client } = await setup(t, { client: { maxRetries: 1, timeout: 250 } });
    await client.authenticate();
    server.inject(STORAGES, { hang: true });
    const storages = await client.storages.list();
    assert.ok(Array.isArray(storages));
    assert.equal(server.count(STORAGES), 2);
  });

  test('connections closed without an answer (EOF) are retried maxRetries times, then NETWORK_ERROR', async (t) => {
    let connections = 0;
    const eof = net.createServer((socket) => {
      connections++;
      socket.resume(); // read (and drop) the request, so our side sees the client's FIN too
      socket.end(); // close without an answer: the client sees EOF
    });
    await new Promise((resolve) => eof.listen(0, '127.0.0.1', resolve));
    t.after(() => new Promise((resolve) => eof.close(resolve)));
    const client = new OWOXApiClient({
      apiOrigin: `http://127.0.0.1:${eof.address().port}`,
      apiKeyId: 'pmk_AAAAAAAAAAAAAAAAAAAAAA',
      apiKeySecret: 's'.repeat(43),
      maxRetries: 2,
    });
    const { error } = await rejection(() => client.authenticate());
    assert.ok(error instanceof OWOXApiError);
    assert.equal(error.code, 'NETWORK_ERROR');
    assert.equal(error.attempts, 3);
    assert.match(error.message, /3 attempts/);
    assert.equal(connections, 3);
  });

  test('connection refused is retried and reports the number of attempts', async (t) => {
    // A port that was just free: nothing listens there.
    const probe = net.createServer();
    await new Promise((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = probe.address().port;
    await new Promise((resolve) => probe.close(resolve));
    const client = new OWOXApiClient({ apiOrigin: `http://127.0.0.1:${port}`, apiKeyId: 'pmk_AAAAAAAAAAAAAAAAAAAAAA', apiKeySecret: 's'.repeat(43) });
    const { error, ms } = await rejection(() => client.storages.list({ maxRetries: 1 }));
    assert.ok(error instanceof OWOXApiError);
    assert.equal(error.code, 'NETWORK_ERROR');
    assert.equal(error.attempts, 2);
    assert.match(error.message, /^Unable to reach OWOX Data Marts API at http:\/\/127\.0\.0\.1:\d+\./);
    assert.match(error.message, /2 attempts/);
    assert.ok(error.cause instanceof Error);
    // One backoff of 250..500 ms happened between the two attempts.
    assert.ok(ms >= 200, `two attempts took ${ms.toFixed(0)} ms, so there was no backoff`);
  });

  test('the final error keeps the last server error and says how many attempts were made', async (t) => {
    const { server, client } = await setup(t, { client: { maxRetries: 2 } });
    await client.authenticate();
    server.inject(STORAGES, { status: 502, headers: NOW, body: { message: 'first', code: 'FIRST' } });
    server.inject({ ...STORAGES, times: Infinity }, {
      status: 503,
      headers: NOW,
      body: { statusCode: 503, message: 'overloaded', code: 'OVERLOADED', details: { region: 'eu' } },
    });
    const { error } = await rejection(() => client.storages.list());
    assert.ok(error instanceof OWOXApiError);
    assert.equal(error.status, 503);
    assert.equal(error.code, 'OVERLOADED');
    assert.deepEqual(error.details, { region: 'eu' });
    assert.equal(error.attempts, 3);
    assert.match(error.message, /^OWOX API request failed with 503 Service Unavailable: overloaded/);
    assert.match(error.message, /3 attempts/);
    assert.equal(server.count(STORAGES), 3);
  });

  test('maxRetries defaults to 2 (three attempts in all)', async (t) => {
    const { server, client } = await setup(t);
    await client.authenticate();
    server.inject({ ...STORAGES, times: Infinity }, { status: 503, headers: NOW });
    const { error } = await rejection(() => client.storages.list());
    assert.equal(error.status, 503);
    assert.equal(error.attempts, 3);
    assert.equal(server.count(STORAGES), 3);
  });

  test('client maxRetries: 0 means one attempt', async (t) => {
    const { server, client } = await setup(t, { client: { maxRetries: 0 } });
    await client.authenticate();
    server.inject({ ...STORAGES, times: Infinity }, { status: 503, headers: NOW });
    const { error } = await rejection(() => client.storages.list());
    assert.equal(error.status, 503);
    assert.equal(server.count(STORAGES), 1);
    assert.doesNotMatch(error.message, /attempts/);
  });

  test('per-call maxRetries overrides the client option both ways', async (t) => {
    const { server, client } = await setup(t, { client: { maxRetries: 0 } });
    await client.authenticate();
    server.inject({ ...STORAGES, times: Infinity }, { status: 503, headers: NOW });
    const more = await rejection(() => client.storages.list({ maxRetries: 3 }));
    assert.equal(more.error.attempts, 4);
    assert.equal(server.count(STORAGES), 4);

    const generous = new OWOXApiClient({ ...server.credentials, maxRetries: 5 });
    server.clearRequests();
    const none = await rejection(() => generous.storages.list({ maxRetries: 0 }));
    assert.equal(none.error.status, 503);
    assert.equal(server.count(STORAGES), 1);
  });

  test('retries apply to every page of dataMarts.list and to the auth context', async (t) => {
    const { server, client } = await setup(t, { server: { pageSize: 2 }, client: { maxRetries: 1 } });
    await client.authenticate();
    // Fail the second page once.
    server.inject({ path: '/api/data-marts', after: 1 }, { status: 502, headers: NOW });
    server.inject({ path: '/api/auth/context' }, { status: 429, headers: NOW });
    const marts = await client.dataMarts.list();
    assert.equal(marts.length, 5);
    assert.equal(server.count({ path: '/api/data-marts' }), 4); // 3 pages + one retry
    const context = await client.auth.getContext();
    assert.equal(typeof context.project.id, 'string');
    assert.equal(server.count({ path: '/api/auth/context' }), 2);
  });

  test('backoff without Retry-After: about 0.5 s, doubling', async (t) => {
    const { server, client } = await setup(t, { client: { maxRetries: 2 } });
    await client.authenticate();
    server.inject({ ...STORAGES, times: 2 }, { status: 503 });
    await client.storages.list();
    assert.equal(server.count(STORAGES), 3);
    const [first, second] = gaps(server, STORAGES);
    t.diagnostic(`backoff gaps: ${first} ms, ${second} ms`);
    // With jitter: first in [250, 500] ms, second in [500, 1000] ms (plus scheduling slack).
    assert.ok(first >= 230 && first <= 900, `first backoff ${first} ms`);
    assert.ok(second >= 480 && second <= 1500, `second backoff ${second} ms`);
  });

  test('backoff has jitter: clients failing together do not come back together', async (t) => {
    const server = await startTestServer();
    t.after(() => server.close());
    const clients = Array.from({ length: 5 }, () => new OWOXApiClient({ ...server.credentials, maxRetries: 1 }));
    await Promise.all(clients.map((c) => c.authenticate()));
    server.clearRequests();
    server.inject({ ...STORAGES, times: clients.length }, { status: 503 });
    await Promise.all(clients.map((c) => c.storages.list()));
    assert.equal(server.count(STORAGES), clients.length * 2);
    // Each client's retry delay: time between its two requests (told apart by their token).
    const byToken = new Map();
    for (const r of server.requests.filter((r) => r.path === STORAGES.path)) {
      const key = r.headers['x-owox-authorization'];
      byToken.set(key, [...(byToken.get(key) ?? []), r.at]);
    }
    const delays = [...byToken.values()].map(([a, b]) => b - a);
    t.diagnostic(`retry delays of ${delays.length} clients: ${delays.join(', ')} ms`);
    assert.equal(delays.length, clients.length);
    assert.ok(Math.max(...delays) - Math.min(...delays) >= 5, `no jitter: ${delays.join(', ')}`);
  });

  test('Retry-After in seconds is honoured', async (t) => {
    const { server, client } = await setup(t, { client: { maxRetries: 1 } });
    await client.authenticate();
    server.inject(STORAGES, { status: 429, headers: { 'retry-after': '1' } });
    await client.storages.list();
    assert.equal(server.count(STORAGES), 2);
    const [gap] = gaps(server, STORAGES);
    t.diagnostic(`Retry-After: 1 -> waited ${gap} ms`);
    assert.ok(gap >= 950 && gap < 3000, `waited ${gap} ms for Retry-After: 1`);
  });

  test('Retry-After as an HTTP date is honoured', async (t) => {
    const { server, client } = await setup(t, { client: { maxRetries: 1 } });
    await client.authenticate();
    // HTTP dates have whole seconds: this asks for a pause of 1 to 2 s.
    const when = new Date(Date.now() + 2000).toUTCString();
    server.inject(STORAGES, { status: 503, headers: { 'retry-after': when } });
    await client.storages.list();
    assert.equal(server.count(STORAGES), 2);
    const [gap] = gaps(server, STORAGES);
    t.diagnostic(`Retry-After: ${when} -> waited ${gap} ms`);
    assert.ok(gap >= 900 && gap < 3500, `waited ${gap} ms for an HTTP-date Retry-After`);
  });

  test('an unparseable Retry-After falls back to the exponential backoff', async (t) => {
    const { server, client } = await setup(t, { client: { maxRetries: 1 } });
    await client.authenticate();
    server.inject(STORAGES, { status: 503, headers: { 'retry-after': 'soon' } });
    await client.storages.list();
    const [gap] = gaps(server, STORAGES);
    assert.equal(server.count(STORAGES), 2);
    assert.ok(gap >= 230 && gap < 1500, `waited ${gap} ms`);
  });

  test('Retry-After: 0 retries at once (no exponential backoff on top)', async (t) => {
    const { server, client } = await setup(t, { client: { maxRetries: 2 } });
    await client.authenticate();
    server.inject({ ...STORAGES, times: 2 }, { status: 503, headers: NOW });
    await client.storages.list();
    const [a, b] = gaps(server, STORAGES);
    // The exponential backoff alone would wait at least 250 + 500 ms over these two retries.
    assert.ok(a + b < 600, `gaps ${a}, ${b} ms`);
  });

  test('Retry-After beyond the cap fails at once with the server error instead of sleeping', async (t) => {
    const { server, client } = await setup(t, { client: { maxRetries: 3 } });
    await client.authenticate();
    server.inject({ ...STORAGES, times: Infinity }, {
      status: 503,
      headers: { 'retry-after': '3600' },
      body: { statusCode: 503, message: 'maintenance', code: 'MAINTENANCE' },
    });
    const { error, ms } = await rejection(() => client.storages.list());
    assert.ok(error instanceof OWOXApiError);
    assert.equal(error.status, 503);
    assert.equal(error.code, 'MAINTENANCE');
    assert.match(error.message, /maintenance/);
    // Sleeping as asked would take an hour; the bound only has to tell "at once" from that.
    assert.ok(ms < 10_000, `took ${ms.toFixed(0)} ms`);
    assert.equal(server.count(STORAGES), 1);
  });

  test('an HTTP-date Retry-After far in the future also fails at once', async (t) => {
    const { server, client } = await setup(t, { client: { maxRetries: 3 } });
    await client.authenticate();
    const when = new Date(Date.now() + 3600_000).toUTCString();
    server.inject({ ...STORAGES, times: Infinity }, { status: 429, headers: { 'retry-after': when }, body: { message: 'slow down' } });
    const { error, ms } = await rejection(() => client.storages.list());
    assert.equal(error.status, 429);
    assert.ok(ms < 10_000, `took ${ms.toFixed(0)} ms`);
    assert.equal(server.count(STORAGES), 1);
  });

  test('an HTTP-date Retry-After in the past retries at once', async (t) => {
    const { server, client } = await setup(t, { client: { maxRetries: 1 } });
    await client.authenticate();
    server.inject(STORAGES, { status: 503, headers: { 'retry-after': new Date(Date.now() - 60_000).toUTCString() } });
    await client.storages.list();
    const [gap] = gaps(server, STORAGES);
    assert.equal(server.count(STORAGES), 2);
    // The exponential backoff alone would wait at least 250 ms.
    assert.ok(gap < 250, `waited ${gap} ms`);
  });

  test('malformed JSON in a 200 is not retried', async (t) => {
    const { server, client } = await setup(t, { client: { maxRetries: 3 } });
    await client.authenticate();
    server.inject({ ...STORAGES, times: Infinity }, { status: 200, headers: { 'content-type': 'application/json' }, body: '[{"id":' });
    const { error } = await rejection(() => client.storages.list());
    assert.ok(error instanceof OWOXApiError);
    assert.equal(error.code, 'INVALID_RESPONSE');
    assert.equal(error.details, '[{"id":');
    assert.equal(server.count(STORAGES), 1);
  });
});
