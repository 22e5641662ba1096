// Token exchange and authenticated requests, as the contract's wire format says: one
// exchange shared by concurrent calls, one re-exchange on a 401, proactive refresh before
// expiry, and OWOXAuthError for a refused key.

import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { OWOXApiClient, OWOXApiError, OWOXAuthError } from '@owox/api-client';
import { clientOf, rawJson, rejectionOf, useServer } from './helpers/server.mjs';

const EXCHANGE = '/api/auth/api-keys/exchange';
const isExchange = (request) => request.method === 'POST' && request.path === EXCHANGE;

test('the exchange is POST /api/auth/api-keys/exchange with the exact headers and body', async (t) => {
  const server = await useServer(t);
  await clientOf(server).authenticate();
  assert.equal(server.requests.length, 1);
  const [request] = server.requests;
  assert.equal(request.method, 'POST');
  assert.equal(request.path, EXCHANGE);
  assert.deepEqual(request.query, {}, 'no query string');
  assert.equal(request.headers.accept, 'application/json');
  assert.equal(request.headers['content-type'], 'application/json');
  assert.equal(request.headers['x-owox-api-key-id'], server.apiKeyId);
  assert.equal(request.headers['x-owox-authorization'], undefined, 'no token is sent to get a token');
  assert.equal(request.body, `{"apiKeySecret":${JSON.stringify(server.apiKeySecret)}}`);
});

test('authenticated requests carry accept, the key id and the bearer token', async (t) => {
  const server = await useServer(t);
  const client = clientOf(server);
  await client.storages.list();
  await client.destinations.list();
  await client.dataMarts.list();
  await client.auth.getContext();
  const [token] = server.issuedTokens;
  const gets = server.requests.filter((r) => r.method === 'GET');
  assert.deepEqual(gets.map((r) => r.path), ['/api/data-storages', '/api/data-destinations', '/api/data-marts', '/api/auth/context']);
  for (const request of gets) {
    assert.equal(request.headers.accept, 'application/json', request.path);
    assert.equal(request.headers['x-owox-api-key-id'], server.apiKeyId, request.path);
    assert.equal(request.headers['x-owox-authorization'], `Bearer ${token}`, request.path);
    assert.equal(request.body, '', `${request.path} has no body`);
  }
  assert.equal(server.issuedTokens.length, 1, 'one token serves every call');
});

test('three lists started together on a fresh client share ONE exchange', async (t) => {
  const server = await useServer(t);
  const client = clientOf(server);
  const [marts, storages, destinations] = await Promise.all([client.dataMarts.list(), client.storages.list(), client.destinations.list()]);
  assert.equal(server.count({ path: EXCHANGE }), 1);
  assert.equal(server.issuedTokens.length, 1);
  assert.equal(marts.length, 5);
  assert.equal(storages.length, 3);
  assert.equal(destinations.length, 2);
  assert.ok(isExchange(server.requests[0]), 'the exchange comes before the lists');
});

test('a 401 drops the token, exchanges again and retries the request once', async (t) => {
  const server = await useServer(t);
  const client = clientOf(server);
  await client.storages.list();
  server.expireTokens();
  server.clearRequests();

  const storages = await client.storages.list();
  assert.equal(storages.length, 3);
  assert.deepEqual(
    server.requests.map((r) => `${r.method} ${r.path}`),
    ['GET /api/data-storages', `POST ${EXCHANGE}`, 'GET /api/data-storages'],
  );
  const [first, , retry] = server.requests;
  assert.equal(first.headers['x-owox-authorization'], `Bearer ${server.issuedTokens[0]}`);
  assert.equal(retry.headers['x-owox-authorization'], `Bearer ${server.issuedTokens[1]}`, 'the retry uses the new token');
});

test('a second 401 in a row is an OWOXAuthError with status 401', async (t) => {
  const server = await useServer(t);
  const client = clientOf(server);
  server.inject({ path: '/api/data-storages', times: 2 }, { status: 401, body: { statusCode: 401, message: 'Unauthorized' } });
  const error = await rejectionOf(client.storages.list());
  assert.ok(error instanceof OWOXAuthError, `got ${error.name}: ${error.message}`);
  assert.ok(error instanceof OWOXApiError);
  assert.equal(error.status, 401);
  assert.equal(error.message, 'OWOX API request failed with 401 Unauthorized: Unauthorized');
  assert.equal(server.count({ path: '/api/data-storages' }), 2, 'the request was retried exactly once');
  assert.equal(server.count({ path: EXCHANGE }), 2, 'one exchange, then one re-exchange');
});

test('a 403 is never retried and is not followed by a new exchange', async (t) => {
  const server = await useServer(t);
  const client = clientOf(server, { maxRetries: 2 });
  const body = { statusCode: 403, message: 'Access denied by api key', path: '/api/data-storages' };
  server.inject({ path: '/api/data-storages', times: Infinity }, { status: 403, body });
  const error = await rejectionOf(client.storages.list());
  assert.ok(error instanceof OWOXApiError);
  assert.equal(error.name, 'OWOXApiError', 'a 403 is not an authentication failure');
  assert.equal(error.status, 403);
  assert.equal(error.message, 'OWOX API request failed with 403 Forbidden: Access denied by api key');
  assert.deepEqual(error.details, body);
  assert.equal(server.count({ path: '/api/data-storages' }), 1);
  assert.equal(server.count({ path: EXCHANGE }), 1);
});

test('a token about to expire is renewed before use, without first getting a 401', async (t) => {
  const server = await useServer(t, { tokenExpiresIn: 1 });
  const client = clientOf(server);
  await client.storages.list();
  assert.equal(server.issuedTokens.length, 1);

  await sleep(1100);
  server.clearRequests();
  await client.storages.list();

  assert.deepEqual(
    server.requests.map((r) => `${r.method} ${r.path}`),
    [`POST ${EXCHANGE}`, 'GET /api/data-storages'],
    'the exchange comes first: the expired token was never sent (it would have got a 401 and a second GET)',
  );
  assert.equal(server.issuedTokens.length, 2);
  assert.equal(server.requests[1].headers['x-owox-authorization'], `Bearer ${server.issuedTokens[1]}`);
});

test('a server without accessTokenExpiresIn gives a token that is kept for every call', async (t) => {
  const server = await useServer(t, { tokenExpiresIn: null });
  const client = clientOf(server);
  await client.storages.list();
  await client.destinations.list();
  await client.auth.getContext();
  assert.equal(server.count({ path: EXCHANGE }), 1);
});

test('client.authenticate() forces a new exchange, and later calls use the new token', async (t) => {
  const server = await useServer(t);
  const client = clientOf(server);
  await client.storages.list();
  assert.equal(await client.authenticate(), undefined, 'authenticate resolves to nothing');
  assert.equal(server.count({ path: EXCHANGE }), 2, 'forced although the first token is still valid');
  await client.destinations.list();
  assert.equal(server.count({ path: EXCHANGE }), 2);
  const last = server.requests.at(-1);
  assert.equal(last.headers['x-owox-authorization'], `Bearer ${server.issuedTokens[1]}`);
});

test('a refused key (wrong secret) is an OWOXAuthError with status 401', async (t) => {
  const server = await useServer(t);
  const wrongSecret = 'wrong-secret-0000000000000000000000000000000';
  const client = new OWOXApiClient({ ...server.credentials, apiKeySecret: wrongSecret, maxRetries: 0 });
  for (const call of [() => client.authenticate(), () => client.storages.list(), () => client.dataMarts.list()]) {
    const error = await rejectionOf(call());
    assert.ok(error instanceof OWOXAuthError, `got ${error.name}: ${error.message}`);
    assert.equal(error.status, 401);
    assert.match(error.message, /^OWOX API request failed with 401 Unauthorized: Unauthorized\. The token exchange refused the API key: check the API key id and secret/);
    assert.equal(error.details.statusCode, 401);
    assert.ok(!error.message.includes(wrongSecret));
  }
  assert.equal(server.count({ method: 'GET' }), 0, 'no data request is made without a token');
});

test('a refused exchange of another status is an OWOXAuthError too', async (t) => {
  const server = await useServer(t);
  const body = { message: 'Request validation failed', error: 'Bad Request', statusCode: 400, details: { errors: [{ message: 'apiKeySecret must be a string' }] } };
  server.inject({ path: EXCHANGE }, { status: 400, body });
  const error = await rejectionOf(clientOf(server).storages.list());
  assert.ok(error instanceof OWOXAuthError, `got ${error.name}`);
  assert.equal(error.status, 400);
  assert.equal(error.code, 'Bad Request');
  assert.deepEqual(error.details, body.details);
});

test('a 2xx exchange without a non-empty string accessToken is an OWOXAuthError', async (t) => {
  const server = await useServer(t);
  const replies = [
    { status: 200, body: { accessTokenExpiresIn: 900 } },
    { status: 200, body: { accessToken: '', accessTokenExpiresIn: 900 } },
    { status: 200, body: { accessToken: 12345 } },
    { status: 200, body: { accessToken: null } },
    { status: 201, body: { token: 'abc' } },
    { status: 200, body: [] },
    { status: 200 },
    rawJson('<html>ok</html>'),
  ];
  for (const reply of replies) {
    server.inject({ path: EXCHANGE }, reply);
    const error = await rejectionOf(clientOf(server).authenticate());
    assert.ok(error instanceof OWOXAuthError, `${JSON.stringify(reply)} gave ${error.name}: ${error.message}`);
    assert.ok(error.message.startsWith('OWOX authentication response did not include an access token'), error.message);
    assert.equal(error.status, reply.status, 'an error built from a response carries its status');
  }
});

test('two clients of one key keep separate tokens', async (t) => {
  const server = await useServer(t);
  const a = clientOf(server, { userAgent: 'client-a' });
  const b = clientOf(server, { userAgent: 'client-b' });
  await a.storages.list();
  await b.storages.list();
  assert.equal(server.count({ path: EXCHANGE }), 2, 'b does not reuse the token of a');
  const [tokenA, tokenB] = server.issuedTokens;
  assert.notEqual(tokenA, tokenB);

  await b.authenticate(); // only b's token changes
  const tokenB2 = server.issuedTokens[2];
  server.clearRequests();
  await a.destinations.list();
  await b.destinations.list();
  const [fromA, fromB] = server.requests;
  assert.match(fromA.headers['user-agent'], /client-a/);
  assert.equal(fromA.headers['x-owox-authorization'], `Bearer ${tokenA}`);
  assert.match(fromB.headers['user-agent'], /client-b/);
  assert.equal(fromB.headers['x-owox-authorization'], `Bearer ${tokenB2}`);
  assert.equal(server.count({ path: EXCHANGE }), 0);
});
