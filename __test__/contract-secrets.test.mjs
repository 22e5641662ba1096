// The key secret and the access tokens never leave the client: not in any error (message,
// details, stack, cause, util.inspect), not in util.inspect / JSON.stringify / String of
// the client or its resources.

import assert from 'node:assert/strict';
import util from 'node:util';
import { test } from 'node:test';
import { OWOXApiClient, OWOXApiError } from '@owox/api-client';
import { encodeApiKey, startTestServer } from '@owox/api-client/testing';
import { clientOf, rawJson, rejectionOf, thrownBy, useServer } from './helpers/server.mjs';

/** Every text a person or a logger could get out of `value`. */
function renderings(value) {
  const texts = [
    util.inspect(value, { showHidden: true, depth: Infinity, getters: true }),
    util.format('%o', value),
    util.format('%s', value),
    String(value),
  ];
  try {
    texts.push(JSON.stringify(value) ?? '');
  } catch {
    // A value JSON cannot represent has nothing to leak through it.
  }
  if (value instanceof Error) {
    texts.push(value.message, String(value.stack), JSON.stringify(value.details) ?? '', String(value.code));
    if (value.cause !== undefined) texts.push(...renderings(value.cause));
  }
  return texts;
}

function assertFreeOf(value, secrets, what) {
  for (const text of renderings(value)) {
    for (const secret of secrets) {
      assert.ok(!text.includes(secret), `${what} shows a secret (${secret.slice(0, 6)}...):\n${text}`);
    }
  }
}

/** The secret, the single-value key that encodes it, and every token the server issued. */
const secretsOf = (server) => [server.apiKeySecret, server.apiKey.slice('owox_key_'.length), ...server.issuedTokens];

test('errors of every kind never show the secret or a token', async (t) => {
  const server = await useServer(t);
  const client = clientOf(server, { timeout: 300 });
  await client.storages.list(); // a token now exists and is in use
  assert.equal(server.issuedTokens.length, 1);

  const errors = [];
  const collect = async (what, inject, call) => {
    server.clearInjections();
    if (inject) server.inject(...inject);
    errors.push([what, await rejectionOf(call())]);
  };
  await collect('401 twice', [{ path: '/api/data-storages', times: 2 }, { status: 401, body: { statusCode: 401, message: 'Unauthorized' } }], () => client.storages.list());
  await collect('403', [{ path: '/api/data-storages' }, { status: 403, body: { statusCode: 403, message: 'Access denied by api key' } }], () => client.storages.list());
  await collect('500', [{ path: '/api/data-destinations' }, { status: 500, body: { statusCode: 500, message: 'Internal server error' } }], () => client.destinations.list());
  await collect('400 exchange', [{ path: '/api/auth/api-keys/exchange' }, { status: 400, body: { message: 'Request validation failed', error: 'Bad Request' } }], () => client.authenticate());
  await collect('no token', [{ path: '/api/auth/api-keys/exchange' }, { status: 200, body: {} }], () => client.authenticate());
  await collect('wrong shape', [{ path: '/api/data-marts' }, { status: 200, body: { items: 'x' } }], () => client.dataMarts.list());
  await collect('invalid JSON', [{ path: '/api/auth/context' }, rawJson('{"apiKeyId":')], () => client.auth.getContext());
  await collect('repeated offset', [{ path: '/api/data-marts' }, { status: 200, body: { items: [{}], total: 9, nextOffset: 0 } }], () => client.dataMarts.list());
  await collect('timeout', [{ path: '/api/data-storages' }, { hang: true }], () => client.storages.list());
  await collect('reset', [{ path: '/api/data-storages' }, { reset: true }], () => client.storages.list());
  await collect('config', null, () => client.dataMarts.list({ ownerFilter: 'everyone' }));
  const refused = new OWOXApiClient({ ...server.credentials, apiKeySecret: 'wrong-secret-value-000000000000000000000000', maxRetries: 0 });
  await collect('wrong secret', null, () => refused.authenticate());

  const secrets = [...secretsOf(server), 'wrong-secret-value-000000000000000000000000'];
  assert.ok(server.issuedTokens.length >= 2, 'tokens were issued during the run');
  for (const [what, error] of errors) {
    assert.ok(error instanceof Error, what);
    assertFreeOf(error, secrets, `the "${what}" error`);
  }
});

test('a network failure never shows the secret or the token', async () => {
  const server = await startTestServer();
  const client = clientOf(server);
  await client.storages.list();
  await server.close();
  const error = await rejectionOf(client.storages.list());
  assert.ok(error instanceof OWOXApiError);
  assert.equal(error.code, 'NETWORK_ERROR');
  assertFreeOf(error, secretsOf(server), 'the network error');
});

test('config errors never show the secret or the key', () => {
  const secret = 'SECRET-config-0000000000000000000000000000';
  const apiKey = encodeApiKey({ apiOrigin: 'https://a.io/path', apiKeyId: 'pmk_x', apiKeySecret: secret });
  for (const options of [
    { apiKey },
    { apiKey: apiKey + '!' },
    { apiKey: `owox_key_${Buffer.from(`[${JSON.stringify(secret)}]`).toString('base64url')}` },
    { apiOrigin: 'ftp://a.io', apiKeyId: 'pmk_x', apiKeySecret: secret },
    { apiOrigin: 'https://a.io', apiKeySecret: secret },
    { apiOrigin: 'https://a.io', apiKeyId: 'pmk_x', apiKeySecret: secret, timeout: 'soon' },
  ]) {
    const error = thrownBy(() => new OWOXApiClient(options));
    assertFreeOf(error, [secret, apiKey.slice('owox_key_'.length)], `the config error for ${Object.keys(options).join(',')}`);
  }
});

test('util.inspect, JSON.stringify and String of a client that holds a token show neither secret nor token', async (t) => {
  const server = await useServer(t);
  const client = clientOf(server);
  const viaKey = new OWOXApiClient({ apiKey: server.apiKey, maxRetries: 0 });
  await Promise.all([client.storages.list(), viaKey.storages.list()]);
  assert.equal(server.issuedTokens.length, 2);
  for (const [what, value] of [
    ['client', client],
    ['client made from apiKey', viaKey],
    ['client.dataMarts', client.dataMarts],
    ['client.storages', client.storages],
    ['client.destinations', client.destinations],
    ['client.auth', client.auth],
    ['an iterator', client.dataMarts.iterate()],
  ]) {
    assertFreeOf(value, secretsOf(server), what);
  }
  assert.deepEqual(JSON.parse(JSON.stringify(client)), { origin: server.origin }, 'JSON.stringify shows the origin only');
  assert.ok(util.inspect(client).includes(server.origin), 'inspect is still useful: it shows the origin');
});
