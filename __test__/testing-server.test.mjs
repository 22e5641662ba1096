// The bundled test server's core over plain HTTP: credentials, the token exchange, the
// data-mart pager, the owned lists, guards, the request log, options, compression and
// token expiry (what testing/selfcheck.js used to check by hand).

import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { test } from 'node:test';
import { startTestServer, generateDataMarts, encodeApiKey } from '@owox/api-client/testing';
import { serverFor, request, json, exchange, tokenOf, authHeaders, assertErrorEnvelope } from './helpers/testing-http.mjs';

const EXCHANGE = '/api/auth/api-keys/exchange';

test('credentials: generated key shapes and the owox_key_ form', async (t) => {
  const server = await serverFor(t);
  assert.match(server.apiKeyId, /^pmk_[A-Za-z0-9_-]{22}$/);
  assert.match(server.apiKeySecret, /^[A-Za-z0-9_-]{43}$/);
  assert.deepEqual(server.credentials, { apiOrigin: server.origin, apiKeyId: server.apiKeyId, apiKeySecret: server.apiKeySecret });
  assert.match(server.apiKey, /^owox_key_[A-Za-z0-9_-]+$/);
  const decoded = JSON.parse(Buffer.from(server.apiKey.slice('owox_key_'.length), 'base64url').toString('utf8'));
  assert.deepEqual(decoded, server.credentials);
  assert.equal(encodeApiKey(server.credentials), server.apiKey);
});

test('exchange: 200 with the token and its lifetime, in the real key order', async (t) => {
  const server = await serverFor(t);
  const r = await exchange(server);
  assert.equal(r.status, 200);
  assert.equal(r.headers['content-type'], 'application/json; charset=utf-8');
  const body = json(r);
  assert.deepEqual(Object.keys(body), ['accessToken', 'accessTokenExpiresIn']);
  assert.equal(body.accessTokenExpiresIn, 900);
  assert.deepEqual(server.issuedTokens, [body.accessToken]);
});

test('exchange: 400 for an extra field or a body that is not JSON, 401 for a wrong secret or key id', async (t) => {
  const server = await serverFor(t);
  let r = await request(server, {
    method: 'POST',
    path: EXCHANGE,
    headers: { 'content-type': 'application/json', 'x-owox-api-key-id': server.apiKeyId },
    body: JSON.stringify({ apiKeySecret: server.apiKeySecret, apiKeyId: server.apiKeyId }),
  });
  assert.equal(r.status, 400);
  let body = json(r);
  assert.equal(body.message, 'Request validation failed');
  assert.equal(body.error, 'Bad Request');
  assert.deepEqual(body.details, { errors: [{ message: 'property apiKeyId should not exist' }] });
  assertErrorEnvelope(assert, body, 400, EXCHANGE);

  r = await request(server, { method: 'POST', path: EXCHANGE, headers: { 'content-type': 'application/json' }, body: '"text"' });
  assert.equal(r.status, 400);
  assert.match(json(r).message, /Unexpected token/);

  r = await exchange(server, 'wrong-secret');
  assert.equal(r.status, 401);
  body = json(r);
  assert.deepEqual(Object.keys(body), ['statusCode', 'message', 'timestamp', 'path']);
  assert.equal(body.message, 'Unauthorized');
  assert.ok(!r.text.includes('wrong-secret'));
  assert.equal((await exchange(server, server.apiKeySecret, 'pmk_someoneelse0000000000')).status, 401);

  // Without a JSON content type the body is not read, as with body-parser.
  r = await request(server, { method: 'POST', path: EXCHANGE, headers: { 'x-owox-api-key-id': server.apiKeyId }, body: JSON.stringify({ apiKeySecret: server.apiKeySecret }) });
  assert.equal(r.status, 400);
  assert.deepEqual(json(r).details.errors, [{ message: 'apiKeySecret must be a string' }]);
});

test('data marts: 2,500 items in 3 pages of 1000, then an empty page past the end', async (t) => {
  const marts = generateDataMarts(2500);
  const server = await serverFor(t, { dataMarts: marts });
  const token = await tokenOf(server);
  const seen = [];
  const offsets = [];
  let path = '/api/data-marts';
  for (;;) {
    const r = await request(server, { path, headers: authHeaders(server, token) });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.headers['content-type'], 'application/json; charset=utf-8');
    const page = json(r);
    assert.deepEqual(Object.keys(page), ['items', 'total', 'nextOffset']);
    assert.equal(page.total, 2500);
    seen.push(...page.items);
    offsets.push(page.nextOffset);
    if (page.nextOffset === null) break;
    path = `/api/data-marts?offset=${page.nextOffset}`;
  }
  assert.deepEqual(offsets, [1000, 2000, null]);
  assert.deepEqual(seen, marts);
  assert.equal(server.count({ method: 'GET', path: '/api/data-marts' }), 3);
  const beyond = json(await request(server, { path: '/api/data-marts?offset=9999', headers: authHeaders(server, token) }));
  assert.deepEqual(beyond, { items: [], total: 2500, nextOffset: null });
});

test('data marts: ownerFilter splits the list and pages within the filtered view', async (t) => {
  const marts = generateDataMarts(2500);
  const server = await serverFor(t, { dataMarts: marts });
  const token = await tokenOf(server);
  const get = async (q) => json(await request(server, { path: `/api/data-marts?${q}`, headers: authHeaders(server, token) }));
  const has = await get('ownerFilter=has_owners');
  const none = await get('ownerFilter=no_owners');
  assert.equal(has.total + none.total, 2500);
  assert.ok(none.total > 0 && has.total > 0);
  assert.ok(none.items.every((m) => m.businessOwnerUsers.length === 0 && m.technicalOwnerUsers.length === 0));
  const next = await get('ownerFilter=has_owners&offset=1000');
  const owned = marts.filter((m) => m.businessOwnerUsers.length || m.technicalOwnerUsers.length);
  assert.equal(next.items[0].id, owned[1000].id);
});

test('data marts: 400 for limit, a bad offset and a bad ownerFilter, with the validation body', async (t) => {
  const server = await serverFor(t);
  const token = await tokenOf(server);
  const cases = [
    ['/api/data-marts?limit=10', 'property limit should not exist'],
    ['/api/data-marts?offset=-1', 'offset must not be less than 0'],
    ['/api/data-marts?offset=abc', 'offset must be an integer number'],
    ['/api/data-marts?offset=1.5', 'offset must be an integer number'],
    ['/api/data-marts?ownerFilter=mine', 'ownerFilter must be one of the following values: has_owners, no_owners'],
  ];
  for (const [path, message] of cases) {
    const r = await request(server, { path, headers: authHeaders(server, token) });
    assert.equal(r.status, 400, path);
    const body = json(r);
    assert.equal(body.message, 'Request validation failed');
    assert.deepEqual(body.details.errors, [{ message }], path);
    assertErrorEnvelope(assert, body, 400, path);
  }
});

test('guards: 401 without or with a bad token, 403 for a missing or different key id', async (t) => {
  const server = await serverFor(t);
  const token = await tokenOf(server);
  let r = await request(server, { path: '/api/data-marts' });
  assert.equal(r.status, 401);
  assertErrorEnvelope(assert, json(r), 401, '/api/data-marts');
  r = await request(server, { path: '/api/data-storages', headers: authHeaders(server, 'not-a-token') });
  assert.equal(r.status, 401);
  r = await request(server, { path: '/api/data-marts', headers: { 'x-owox-authorization': `Bearer ${token}` } });
  assert.equal(r.status, 403);
  const body = json(r);
  assert.equal(body.message, 'Access denied by api key');
  assertErrorEnvelope(assert, body, 403, '/api/data-marts');
  r = await request(server, { path: '/api/reports', headers: authHeaders(server, token, 'pmk_other') });
  assert.equal(r.status, 403, 'every new route is guarded too');
});

test('storages, destinations and the auth context are served as seeded, and seed() replaces them', async (t) => {
  const server = await serverFor(t);
  const token = await tokenOf(server);
  const get = async (path) => json(await request(server, { path, headers: authHeaders(server, token) }));
  assert.ok((await get('/api/data-storages')).length > 0);
  assert.ok((await get('/api/data-destinations')).length > 0);
  const context = await get('/api/auth/context');
  assert.equal(context.apiKeyId, server.apiKeyId);
  assert.deepEqual(Object.keys(context), ['apiKeyId', 'authFlow', 'projectId', 'projectTitle', 'userId', 'email', 'fullName', 'avatar', 'roles']);
  server.seed({ storages: [], context: { apiKeyId: 'x', authFlow: 'api_key', projectId: 'p', userId: 'u', roles: [] } });
  assert.deepEqual(await get('/api/data-storages'), []);
  assert.equal((await get('/api/auth/context')).projectId, 'p');
  // Items go out exactly as given: unknown fields and a __proto__ key included.
  const odd = JSON.parse('[{"id":"s","__proto__":{"x":1},"big":12345678901234567890,"newField":"v"}]');
  server.seed({ storages: odd });
  assert.equal((await request(server, { path: '/api/data-storages', headers: authHeaders(server, token) })).text, JSON.stringify(odd));
  assert.throws(() => server.seed({ storage: [] }), /unknown collection "storage"/);
  assert.throws(() => server.seed({ runs: {} }), /runs must be an array/);
});

test('an unknown path or method is the real 404 body, before any token check', async (t) => {
  const server = await serverFor(t);
  const r = await request(server, { path: '/api/nope?x=1' });
  assert.equal(r.status, 404);
  const body = json(r);
  assert.equal(body.message, 'Cannot GET /api/nope?x=1');
  assert.equal(body.error, 'Not Found');
  assertErrorEnvelope(assert, body, 404, '/api/nope?x=1');
  assert.equal((await request(server, { path: EXCHANGE })).status, 404);
  assert.equal(json(await request(server, { method: 'PATCH', path: '/api/data-marts' })).message, 'Cannot PATCH /api/data-marts');
});

test('request log and count(): method, path, decoded query, headers and body of each request', async (t) => {
  const server = await serverFor(t);
  const token = await tokenOf(server);
  server.clearRequests();
  await request(server, { path: '/api/data-marts?offset=1000&ownerFilter=no_owners&column=a&column=b', headers: authHeaders(server, token) });
  await exchange(server);
  assert.equal(server.requests.length, 2);
  const [first, second] = server.requests;
  assert.equal(first.method, 'GET');
  assert.equal(first.path, '/api/data-marts');
  assert.deepEqual(first.query, { offset: '1000', ownerFilter: 'no_owners', column: ['a', 'b'] });
  assert.equal(first.headers['x-owox-api-key-id'], server.apiKeyId);
  assert.equal(typeof first.at, 'number');
  assert.equal(second.body, JSON.stringify({ apiKeySecret: server.apiKeySecret }));
  assert.equal(server.count(), 2);
  assert.equal(server.count({ path: EXCHANGE }), 1);
  assert.equal(server.count({ path: /^\/api\/data-/ }), 1);
  assert.equal(server.count({ method: 'post' }), 1);
});

test('expireTokens(): old tokens get 401, a new exchange works', async (t) => {
  const server = await serverFor(t);
  const token = await tokenOf(server);
  server.expireTokens();
  assert.equal((await request(server, { path: '/api/data-marts', headers: authHeaders(server, token) })).status, 401);
  const fresh = await tokenOf(server);
  assert.equal((await request(server, { path: '/api/data-marts', headers: authHeaders(server, fresh) })).status, 200);
});

test('tokenExpiresIn: tokens expire for real; null omits the field', async (t) => {
  const short = await serverFor(t, { tokenExpiresIn: 0.15 });
  const token = await tokenOf(short);
  assert.equal((await request(short, { path: '/api/auth/context', headers: authHeaders(short, token) })).status, 200);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal((await request(short, { path: '/api/auth/context', headers: authHeaders(short, token) })).status, 401);
  const none = await serverFor(t, { tokenExpiresIn: null });
  assert.deepEqual(Object.keys(json(await exchange(none))), ['accessToken']);
});

test('options: loopback only, unknown options and bad values refused, every documented option accepted', async (t) => {
  await assert.rejects(startTestServer({ host: '0.0.0.0' }), /loopback/);
  await assert.rejects(startTestServer({ pagesize: 10 }), /unknown option "pagesize"/);
  await assert.rejects(startTestServer({ licensed: 'no' }), /licensed must be a boolean/);
  await assert.rejects(startTestServer({ streamChunkBytes: 0 }), /streamChunkBytes must be an integer >= 1/);
  await assert.rejects(startTestServer({ rows: { m: 'x' } }), /rows\["m"\] must be an array/);
  const all = await serverFor(t, {
    host: '127.0.0.1', port: 0, apiKeyId: 'pmk_x', apiKeySecret: 's', tokenExpiresIn: null, pageSize: 2, log: false,
    recordRequests: true, compression: false, licensed: true, streamChunkBytes: 65536,
    dataMarts: [], storages: [], destinations: [], context: { projectId: '0', userId: '0' }, runs: [], reports: [],
    insightTemplates: [], modelCanvasEdges: [], projectSettings: { description: 'd' }, setupProgress: null,
    publications: [], rows: {}, dataMartDetails: {},
  });
  assert.match(all.origin, /^http:\/\/127\.0\.0\.1:\d+$/);
  const v6 = await startTestServer({ host: '::1', pageSize: 2 }).catch(() => null);
  if (v6) {
    t.after(() => v6.close());
    assert.match(v6.origin, /^http:\/\/\[::1\]:\d+$/);
    const token = await tokenOf(v6);
    const page = json(await request(v6, { path: '/api/data-marts', headers: authHeaders(v6, token) }));
    assert.equal(page.items.length, 2);
    assert.equal(page.nextOffset, 2);
  }
});

test('recordRequests: false keeps count() working', async (t) => {
  const quiet = await serverFor(t, { recordRequests: false });
  const token = await tokenOf(quiet);
  await request(quiet, { path: '/api/data-marts', headers: authHeaders(quiet, token) });
  await request(quiet, { path: '/api/data-marts?offset=0', headers: authHeaders(quiet, token) });
  assert.equal(quiet.requests.length, 0);
  assert.equal(quiet.count({ path: '/api/data-marts' }), 2);
  assert.equal(quiet.count({ path: EXCHANGE, method: 'POST' }), 1);
  quiet.clearRequests();
  assert.equal(quiet.count(), 0);
});

test('compression: gzip only when enabled and accepted, and never under 1 KiB', async (t) => {
  const gz = await serverFor(t, { compression: true, dataMarts: generateDataMarts(50) });
  const token = await tokenOf(gz);
  const plain = await request(gz, { path: '/api/data-marts', headers: authHeaders(gz, token) });
  assert.equal(plain.headers['content-encoding'], undefined);
  const zipped = await request(gz, { path: '/api/data-marts', headers: { ...authHeaders(gz, token), 'accept-encoding': 'gzip, deflate, br' } });
  assert.equal(zipped.headers['content-encoding'], 'gzip');
  assert.ok(zipped.raw.length < plain.raw.length);
  assert.ok(zlib.gunzipSync(zipped.raw).equals(plain.raw));
  const refused = await request(gz, { path: '/api/data-marts', headers: { ...authHeaders(gz, token), 'accept-encoding': 'gzip;q=0' } });
  assert.equal(refused.headers['content-encoding'], undefined);
  const small = await request(gz, { path: '/api/auth/context', headers: { ...authHeaders(gz, token), 'accept-encoding': 'gzip' } });
  assert.equal(small.headers['content-encoding'], undefined);
});

test('warm() pre-serializes pages; the served pages are unchanged by it', async (t) => {
  const marts = generateDataMarts(2100);
  const server = await serverFor(t, { dataMarts: marts });
  assert.equal(server.warm(), server);
  const token = await tokenOf(server);
  const page = json(await request(server, { path: '/api/data-marts?offset=2000', headers: authHeaders(server, token) }));
  assert.deepEqual(page.items, marts.slice(2000));
});

test('close() ends hung requests, leaves no socket open and is idempotent', async (t) => {
  const server = await startTestServer();
  server.inject({ path: '/api/data-marts' }, { hang: true });
  const pending = request(server, { path: '/api/data-marts' }).catch((e) => e);
  while (server.requests.at(-1)?.path !== '/api/data-marts') await new Promise((r) => setTimeout(r, 5));
  assert.ok(server.connections >= 1);
  await server.close();
  assert.equal(server.connections, 0);
  assert.ok((await pending) instanceof Error, 'the hung client sees its connection close');
  await server.close();
});
