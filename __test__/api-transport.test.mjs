// `new OWOXApiClient({ transport })`: every call goes through a caller-supplied plain object
// with the original's low-level methods, as the original's plugin SDK uses it. The
// transport here is a small broker that holds its own credential and forwards to a real
// local server with fetch, recording how the client called it.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { OWOXApiClient, OWOXApiError, OWOXConfigError } from '@owox/api-client';
import { useApiServer } from './helpers/api-server.mjs';
import { rejectionOf, thrownBy, withOwoxEnv } from './helpers/server.mjs';
import * as bodies from './helpers/api-bodies.mjs';
import { CALLS } from './helpers/api-cases.mjs';

/** A transport object that forwards to `server` and records each method call. */
function brokerOf(server, { omit = [] } = {}) {
  const calls = [];
  async function forward(method, path, query, body, accept) {
    const url = new URL(path, server.origin);
    for (const [key, value] of Object.entries(query ?? {})) url.searchParams.set(key, value);
    const headers = { accept: accept ?? 'application/json', 'x-owox-api-key-id': 'broker' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    if (!response.ok) throw new OWOXApiError(`broker: ${response.status}`, { status: response.status });
    if (text === '') return undefined;
    return /json/.test(response.headers.get('content-type')) ? JSON.parse(text) : text;
  }
  const transport = {
    getJson: (...args) => (calls.push(['getJson', ...args]), forward('GET', args[0], args[1])),
    postJson: (...args) => (calls.push(['postJson', ...args]), forward('POST', args[0], undefined, args[1], args[2])),
    putJson: (...args) => (calls.push(['putJson', ...args]), forward('PUT', args[0], undefined, args[1])),
    patchJson: (...args) => (calls.push(['patchJson', ...args]), forward('PATCH', args[0], undefined, args[1])),
    deleteJson: (...args) => (calls.push(['deleteJson', ...args]), forward('DELETE', args[0])),
  };
  for (const name of omit) delete transport[name];
  return { transport, calls };
}

/** The transport call the original makes for a case's request. */
function expectedCall(c) {
  const [method, path] = c.route.split(' ');
  const query = c.query ? Object.fromEntries(new URLSearchParams(c.query)) : undefined;
  if (method === 'GET') return query === undefined ? ['getJson', path] : ['getJson', path, query];
  if (method === 'POST') return c.accept ? ['postJson', path, c.body, c.accept] : c.body === undefined ? ['postJson', path] : ['postJson', path, c.body];
  if (method === 'PUT') return ['putJson', path, c.body];
  return ['deleteJson', path];
}

describe('every named call runs over a caller-supplied transport', () => {
  for (const c of CALLS) {
    test(`${c.name}: ${expectedCall(c)[0]}(${c.route.split(' ')[1]}, ...)`, async (t) => {
      const server = (await useApiServer(t)).reply(c.route, c.reply);
      const { transport, calls } = brokerOf(server);
      const result = await c.call(new OWOXApiClient({ transport }));
      assert.deepStrictEqual(result, c.result);
      assert.deepStrictEqual(calls, [expectedCall(c)]);
      assert.equal(server.requests.length, 1);
      assert.equal(server.exchanges, 0, 'the client itself holds no credential and exchanges nothing');
    });
  }

  test('a bad argument is refused before the transport is called', async (t) => {
    const server = await useApiServer(t);
    const { transport, calls } = brokerOf(server);
    const client = new OWOXApiClient({ transport });
    for (const c of CALLS) {
      const error = await rejectionOf(Promise.resolve().then(() => c.bad[0](client)));
      assert.ok(error instanceof OWOXConfigError, `${c.name}: ${error}`);
    }
    assert.deepEqual(calls, []);
  });
});

describe('the seed calls over a transport', () => {
  test('dataMarts.list() walks nextOffset through getJson; iterate() yields the same marts', async (t) => {
    const marts = Array.from({ length: 5 }, (_, i) => ({ id: `m${i}`, title: `Mart ${i}`, futureField: i }));
    const page = (offset) => ({ items: marts.slice(offset, offset + 2), total: 5, nextOffset: offset + 2 >= 5 ? null : offset + 2 });
    const server = (await useApiServer(t)).reply('GET /api/data-marts', (request) => ({ body: page(Number(new URLSearchParams(request.query).get('offset') ?? 0)) }));
    const { transport, calls } = brokerOf(server);
    const client = new OWOXApiClient({ transport });
    assert.deepStrictEqual(await client.dataMarts.list(), marts);
    assert.deepStrictEqual(calls, [['getJson', '/api/data-marts'], ['getJson', '/api/data-marts', { offset: '2' }], ['getJson', '/api/data-marts', { offset: '4' }]]);
    const iterated = [];
    for await (const mart of client.dataMarts.iterate({ offset: 2, ownerFilter: 'has_owners' })) iterated.push(mart);
    assert.deepStrictEqual(iterated, marts.slice(2));
    assert.deepStrictEqual(calls.slice(3)[0], ['getJson', '/api/data-marts', { offset: '2', ownerFilter: 'has_owners' }]);
  });

  test('dataMarts.list() refuses a repeated nextOffset', async (t) => {
    const server = (await useApiServer(t)).reply('GET /api/data-marts', { body: { items: [{ id: 'a' }], total: 9, nextOffset: 0 } });
    const error = await rejectionOf(new OWOXApiClient({ transport: brokerOf(server).transport }).dataMarts.list());
    assert.ok(error instanceof OWOXApiError);
    assert.equal(error.message, 'OWOX Data Marts API returned repeated nextOffset 0');
  });

  test('storages, destinations and the auth context, reshaped as on the native path', async (t) => {
    const server = (await useApiServer(t))
      .reply('GET /api/data-storages', { body: [{ id: 's1', type: 'NEW_WAREHOUSE' }] })
      .reply('GET /api/data-destinations', { body: [] })
      .reply('GET /api/auth/context', { body: { userId: '0', projectId: '0', email: 'user@example.test', fullName: 'Admin', roles: ['admin'], authFlow: 'api_key', apiKeyId: 'pmk_x' } });
    const client = new OWOXApiClient({ transport: brokerOf(server).transport });
    assert.deepStrictEqual(await client.storages.list(), [{ id: 's1', type: 'NEW_WAREHOUSE' }]);
    assert.deepStrictEqual(await client.destinations.list(), []);
    assert.deepStrictEqual(await client.auth.getContext(), {
      apiKeyId: 'pmk_x',
      authFlow: 'api_key',
      project: { id: '0', title: null },
      member: { userId: '0', email: 'user@example.test', fullName: 'Admin', avatar: null, roles: ['admin'] },
    });
  });
});

describe('the transport form itself', () => {
  test('needs no credential: none in the options, none in the environment', async (t) => {
    const server = (await useApiServer(t)).reply('GET /api/projects/settings', { body: bodies.PROJECT_SETTINGS });
    const client = withOwoxEnv({}, () => new OWOXApiClient({ transport: brokerOf(server).transport }));
    assert.deepStrictEqual(await client.project.getSettings(), bodies.PROJECT_SETTINGS);
    assert.equal(client.origin, undefined);
  });

  test('the low-level methods go to the same-named transport methods; bodies arrive as JSON values', async (t) => {
    const server = (await useApiServer(t))
      .reply('PATCH /api/data-marts/dm-1', { body: { id: 'dm-1', title: 'Updated' } })
      .reply('DELETE /api/data-marts/dm-1', { status: 200 });
    const { transport, calls } = brokerOf(server);
    const client = new OWOXApiClient({ transport });
    assert.deepStrictEqual(await client.patchJson('/api/data-marts/dm-1', { title: 'Updated', callback() {}, values: [1, undefined] }), { id: 'dm-1', title: 'Updated' });
    assert.equal(await client.deleteJson('/api/data-marts/dm-1'), undefined);
    assert.deepStrictEqual(calls, [
      ['patchJson', '/api/data-marts/dm-1', { title: 'Updated', values: [1, null] }],
      ['deleteJson', '/api/data-marts/dm-1'],
    ]);
  });

  test('a transport without patchJson or deleteJson says so when one is needed', async (t) => {
    const server = await useApiServer(t);
    const client = new OWOXApiClient({ transport: brokerOf(server, { omit: ['patchJson', 'deleteJson'] }).transport });
    const patch = await rejectionOf(client.patchJson('/api/x', {}));
    assert.ok(patch instanceof OWOXConfigError);
    assert.equal(patch.message, 'Injected OWOX transport does not support patchJson()');
    const remove = await rejectionOf(client.dataMarts.delete('dm-1'));
    assert.equal(remove.message, 'Injected OWOX transport does not support deleteJson()');
    assert.equal(server.requests.length, 0);
  });

  test('call options reach the transport as one extra last argument; an aborted signal calls nothing', async (t) => {
    const server = (await useApiServer(t)).reply('GET /api/data-marts/runs', { body: bodies.PROJECT_RUNS });
    const { transport, calls } = brokerOf(server);
    const client = new OWOXApiClient({ transport });
    await client.runs.list({ limit: 5, timeout: 1000 });
    assert.deepStrictEqual(calls, [['getJson', '/api/data-marts/runs', { limit: '5' }, { timeout: 1000 }]]);
    const controller = new AbortController();
    controller.abort();
    const error = await rejectionOf(client.runs.list({ signal: controller.signal }));
    assert.equal(error.name, 'AbortError');
    assert.equal(calls.length, 1);
  });

  test("the transport's own errors reach the caller as they are", async (t) => {
    const server = (await useApiServer(t)).reply('GET /api/reports', { status: 403, body: { message: 'Forbidden', statusCode: 403 } });
    const error = await rejectionOf(new OWOXApiClient({ transport: brokerOf(server).transport }).reports.list());
    assert.ok(error instanceof OWOXApiError);
    assert.equal(error.message, 'broker: 403');
  });

  test("authenticate() calls the transport's authenticate when it has one, and is a no-op otherwise", async (t) => {
    const server = await useApiServer(t);
    const { transport } = brokerOf(server);
    await new OWOXApiClient({ transport }).authenticate();
    let authenticated = 0;
    await new OWOXApiClient({ transport: { ...transport, authenticate: async () => void (authenticated += 1) } }).authenticate();
    assert.equal(authenticated, 1);
  });

  test('is refused with other options, or without the required methods', async (t) => {
    const server = await useApiServer(t);
    const { transport } = brokerOf(server);
    const mixed = thrownBy(() => new OWOXApiClient({ transport, apiKey: 'owox_key_x' }));
    assert.ok(mixed instanceof OWOXConfigError);
    assert.match(mixed.message, /takes no other option/);
    assert.ok(!mixed.message.includes('owox_key_x'));
    for (const bad of [null, 'transport', { getJson() {} }, { ...transport, putJson: undefined }]) {
      const error = thrownBy(() => new OWOXApiClient({ transport: bad }));
      assert.ok(error instanceof OWOXConfigError);
      assert.match(error.message, /transport must be an object with the methods getJson, postJson, putJson/);
    }
  });
});
