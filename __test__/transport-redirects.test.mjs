// Issue point 4: redirects are never followed (a 3xx is an OWOXApiError with its status),
// so neither the secret nor the token ever reaches another origin; plain http:// to a
// non-loopback host works.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OWOXApiError, OWOXAuthError } from '@owox/api-client';
import { startTestServer } from '@owox/api-client/testing';
import { startProxy } from './helpers/proxy.mjs';
import { rejection, runChildCalls, setup } from './helpers/transport-util.mjs';

const STORAGES = { path: '/api/data-storages' };
const EXCHANGE = { path: '/api/auth/api-keys/exchange' };

async function elsewhere(t) {
  const other = await startTestServer();
  t.after(() => other.close());
  return other;
}

for (const status of [301, 302, 303, 307, 308]) {
  test(`a ${status} on a GET is reported, not followed, and not retried`, async (t) => {
    const { server, client } = await setup(t, { client: { maxRetries: 2 } });
    const other = await elsewhere(t);
    server.inject({ ...STORAGES, times: Infinity }, { status, headers: { location: `${other.origin}/api/data-storages` } });
    const { error } = await rejection(() => client.storages.list());
    assert.ok(error instanceof OWOXApiError);
    assert.equal(error.status, status);
    assert.match(error.message, new RegExp(`failed with ${status}\\b`));
    assert.equal(server.count(STORAGES), 1);
    assert.equal(other.count(), 0, 'the redirect target was contacted');
  });
}

test('a redirect of the token exchange never carries the secret to the other server', async (t) => {
  const { server, client } = await setup(t, { client: { maxRetries: 2 } });
  const other = await elsewhere(t);
  server.inject({ ...EXCHANGE, times: Infinity }, { status: 307, headers: { location: `${other.origin}${EXCHANGE.path}` } });
  const { error } = await rejection(() => client.authenticate());
  assert.ok(error instanceof OWOXAuthError);
  assert.equal(error.status, 307);
  assert.equal(server.count(EXCHANGE), 1);
  assert.equal(other.count(), 0);
  assert.ok(!JSON.stringify({ message: error.message, details: error.details }).includes(server.apiKeySecret));
});

test('a redirect to the same origin is not followed either', async (t) => {
  const { server, client } = await setup(t);
  server.inject(STORAGES, { status: 302, headers: { location: '/api/data-destinations' } });
  const { error } = await rejection(() => client.storages.list());
  assert.equal(error.status, 302);
  assert.equal(server.count(STORAGES), 1);
  assert.equal(server.count({ path: '/api/data-destinations' }), 0);
});

test('a redirect of a data-marts page stops the walk with the 3xx status', async (t) => {
  const { server, client } = await setup(t, { server: { pageSize: 2 } });
  const other = await elsewhere(t);
  server.inject({ path: '/api/data-marts', after: 1, times: Infinity }, { status: 308, headers: { location: `${other.origin}/api/data-marts?offset=2` } });
  const { error } = await rejection(() => client.dataMarts.list());
  assert.equal(error.status, 308);
  assert.equal(other.count(), 0);
});

test('every request that carried the token went to the configured origin only', async (t) => {
  const { server, client } = await setup(t);
  const other = await elsewhere(t);
  server.inject(STORAGES, { status: 302, headers: { location: `${other.origin}/api/data-storages` } });
  await rejection(() => client.storages.list());
  await client.destinations.list();
  await client.auth.getContext();
  const withToken = server.requests.filter((r) => r.headers['x-owox-authorization']);
  assert.equal(withToken.length, 3);
  assert.equal(other.requests.length, 0);
});

test('plain http:// to a non-loopback host works (through a proxy that maps the name locally)', async (t) => {
  const server = await startTestServer();
  t.after(() => server.close());
  const port = new URL(server.origin).port;
  const proxy = await startProxy({ hostMap: { 'owox-api.example': '127.0.0.1' } });
  t.after(() => proxy.close());
  const apiOrigin = `http://owox-api.example:${port}`;
  const { results, run } = await runChildCalls(
    { client: { ...server.credentials, apiOrigin, maxRetries: 0, timeout: 5000 }, calls: [{ call: 'storages.list' }] },
    { HTTP_PROXY: proxy.url },
  );
  assert.equal(run.code, 0, run.stderr);
  assert.equal(results[0].ok, true, JSON.stringify(results[0].error));
  assert.ok(Array.isArray(results[0].value) && results[0].value.length > 0);
  assert.deepEqual(
    proxy.seen.map((s) => [s.kind, s.method, s.host]),
    [
      ['http', 'POST', 'owox-api.example'],
      ['http', 'GET', 'owox-api.example'],
    ],
  );
  assert.equal(server.count(EXCHANGE), 1);
  assert.equal(server.count(STORAGES), 1);
});
