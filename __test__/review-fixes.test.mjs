// Fixes from the review of the JavaScript layer (issue 9): runs.forDataMart(id).start() takes
// the original 0.31's options and sends its body; the { transport } form gets the safe-path
// check, honours a signal in authenticate(), and client.request() names the path parameter
// that makes a path unsafe.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { OWOXApiClient, OWOXApiError, OWOXConfigError } from '@owox/api-client';
import { generateSampleData } from '@owox/api-client/testing';
import { apiClientOf, useApiServer } from './helpers/api-server.mjs';
import { clientOf, rejectionOf, useServer } from './helpers/server.mjs';

// The abort tests wait on a server that never answers: without the fix they would wait
// forever, so they fail after this long instead (a guard, not a timing assertion).
const HANG_GUARD = { timeout: 30_000 };

const UNSAFE_PATH = 'OWOX API path must be an absolute /api/ path without traversal or encoded separators';

/** The sample data plus a published connector mart, the only kind the server runs manually. */
function connectorSeed() {
  const sample = generateSampleData({ dataMarts: 3 });
  const connector = { ...sample.dataMarts[0], id: 'c0c0c0c0-0000-4000-8000-000000000001', status: 'PUBLISHED', definitionType: 'CONNECTOR' };
  return { collections: { ...sample, dataMarts: [connector, ...sample.dataMarts] }, connector };
}

/** The requests that reached `server`, token exchanges included. */
const sent = (server) => server.requests.length;

/** The last request but token exchanges, with its JSON body parsed. */
function lastRequest(server) {
  const { method, path, body } = server.requests.filter((r) => !r.path.startsWith('/api/auth/api-keys')).at(-1);
  return { method, path, body: body === '' ? undefined : JSON.parse(body) };
}

describe('runs.forDataMart(id).start() takes the original 0.31 options', () => {
  test('{ runType: MANUAL_BACKFILL, data } is sent as { payload: options }, and the bundled server starts the run', async (t) => {
    const { collections, connector } = connectorSeed();
    const server = await useServer(t, collections);
    const runs = clientOf(server).runs.forDataMart(connector.id);
    const options = { runType: 'MANUAL_BACKFILL', data: { StartDate: '2026-07-01', EndDate: '2026-07-31' } };
    const { runId } = await runs.start(options);
    assert.deepStrictEqual(lastRequest(server), { method: 'POST', path: `/api/data-marts/${connector.id}/manual-run`, body: { payload: options } });
    const run = await runs.get(runId);
    assert.equal(run.status, 'PENDING');
    assert.deepStrictEqual(run.additionalParams, { payload: options });
  });

  test('{ runType: INCREMENTAL }, { runType: MANUAL_BACKFILL } without data, and no options: the original bodies', async (t) => {
    const { collections, connector } = connectorSeed();
    const server = await useServer(t, collections);
    const runs = clientOf(server).runs.forDataMart(connector.id);
    const cases = [
      [[{ runType: 'INCREMENTAL' }], { payload: { runType: 'INCREMENTAL' } }],
      [[{ runType: 'MANUAL_BACKFILL' }], { payload: { runType: 'MANUAL_BACKFILL' } }],
      [[{}], {}],
      [[], {}],
      [[undefined, { timeout: 5000 }], {}],
    ];
    for (const [args, body] of cases) {
      const { runId } = await runs.start(...args);
      assert.equal(typeof runId, 'string');
      assert.deepStrictEqual(lastRequest(server).body, body, JSON.stringify(args));
    }
  });

  test('{ payload } is still sent as given (the CLI uses it)', async (t) => {
    const { collections, connector } = connectorSeed();
    const server = await useServer(t, collections);
    await clientOf(server).runs.forDataMart(connector.id).start({ payload: { runType: 'INCREMENTAL' } });
    assert.deepStrictEqual(lastRequest(server).body, { payload: { runType: 'INCREMENTAL' } });
  });

  test('what the original refuses is an OWOXConfigError that says why, and nothing is sent', async (t) => {
    const { collections, connector } = connectorSeed();
    const server = await useServer(t, collections);
    const runs = clientOf(server).runs.forDataMart(connector.id);
    const what = 'runs.forDataMart(dataMartId).start(): ';
    const cases = [
      [{ data: { StartDate: '2026-07-01' } }, "request.data goes only with runType: 'MANUAL_BACKFILL'"],
      [{ runType: 'INCREMENTAL', data: { StartDate: '2026-07-01' } }, "request.data goes only with runType: 'MANUAL_BACKFILL'"],
      [{ runType: 'FULL_REFRESH' }, "request.runType must be 'INCREMENTAL' or 'MANUAL_BACKFILL'"],
      [{ runType: 'MANUAL_BACKFILL', data: [] }, 'request.data must be an object of connector fields'],
      [{ runType: 'MANUAL_BACKFILL', data: null }, 'request.data must be an object of connector fields'],
      [{ runType: 'INCREMENTAL', extra: 1 }, 'request takes only runType and data (or { payload })'],
      [{ runType: 'INCREMENTAL', payload: {} }, 'request takes either { runType?, data? } or { payload }, not both'],
      [null, 'request must be an object'],
      [[], 'request must be an object'],
      [{ runType: 'MANUAL_BACKFILL', data: { value: 'x'.repeat(1024 * 1024) } }, 'the manual-run payload exceeds 1MB'],
      [{ runType: 'MANUAL_BACKFILL', data: { big: 1n } }, 'the request body must be JSON-serializable'],
    ];
    for (const [options, message] of cases) {
      const error = await rejectionOf(runs.start(options));
      assert.ok(error instanceof OWOXConfigError, `${JSON.stringify(options, (k, v) => (typeof v === 'bigint' ? 'n' : v))?.slice(0, 80)}: ${error}`);
      assert.ok(error.message.startsWith(`${what}${message}`), error.message);
    }
    assert.equal(sent(server), 0, 'not even a token exchange');
  });
});

/**
 * A plain-object transport that forwards to the scripted `server` with fetch (its own
 * credential, none of the client's) and records how it was called, call options included.
 */
function brokerOf(server) {
  const calls = [];
  async function forward(method, path, { query, body, options } = {}) {
    const url = new URL(path, server.origin);
    for (const [key, value] of Object.entries(query ?? {})) url.searchParams.set(key, value);
    const headers = { accept: 'application/json', 'x-owox-api-key-id': 'broker' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: options?.signal });
    const text = await response.text();
    if (!response.ok) throw new OWOXApiError(`broker: ${response.status}`, { status: response.status });
    return text === '' ? undefined : JSON.parse(text);
  }
  const transport = {
    getJson: (path, query, options) => (calls.push(['getJson', path]), forward('GET', path, { query, options })),
    postJson: (path, body) => (calls.push(['postJson', path]), forward('POST', path, { body })),
    putJson: (path, body) => (calls.push(['putJson', path]), forward('PUT', path, { body })),
    patchJson: (path, body) => (calls.push(['patchJson', path]), forward('PATCH', path, { body })),
    deleteJson: (path) => (calls.push(['deleteJson', path]), forward('DELETE', path)),
    getStream: (path, query) => (calls.push(['getStream', path]), fetch(new URL(path, server.origin))),
    // Asks the server something that is never answered, so only an abort can end it.
    authenticate: (...args) => (calls.push(['authenticate', ...args]), forward('POST', '/api/broker/authenticate', { options: args[0] })),
  };
  return { transport, calls };
}

describe('the { transport } form: the safe-path check runs before anything reaches the transport', () => {
  const UNSAFE = [
    ['getJson', (c) => c.getJson('/api/../storages')],
    ['getJson', (c) => c.getJson('/api/%2e%2e/storages')],
    ['getJson', (c) => c.getJson('https://evil.example/api/data-marts')],
    ['getJson', (c) => c.getJson('//evil.example/api/data-marts')],
    ['getJson', (c) => c.getJson('api/data-marts')],
    ['getJson', (c) => c.getJson(`/api/${'a'.repeat(2048)}`)],
    ['postJson', (c) => c.postJson('/api/data-marts/a%2Fb/manual-run', {})],
    ['putJson', (c) => c.putJson('/api/a\\b', {})],
    ['patchJson', (c) => c.patchJson('/api/./data-marts', {})],
    ['deleteJson', (c) => c.deleteJson('/api/data-marts/a%5Cb')],
  ];
  for (const [name, call] of UNSAFE) {
    test(`${name}: ${call.toString().slice(7, 80)} is an OWOXConfigError; the transport is never called`, async (t) => {
      const server = await useApiServer(t);
      const { transport, calls } = brokerOf(server);
      const error = await rejectionOf(call(new OWOXApiClient({ transport })));
      assert.ok(error instanceof OWOXConfigError, `${error}`);
      assert.equal(error.message, UNSAFE_PATH, 'the same message as the native path');
      assert.deepStrictEqual(calls, []);
      assert.equal(server.requests.length, 0);
    });
  }

  test('a safe path (an encoded space) reaches the transport unchanged', async (t) => {
    const server = (await useApiServer(t)).reply('GET /api/data-marts/a%20b', { body: { id: 'a b' } });
    const { transport, calls } = brokerOf(server);
    assert.deepStrictEqual(await new OWOXApiClient({ transport }).getJson('/api/data-marts/a%20b'), { id: 'a b' });
    assert.deepStrictEqual(calls, [['getJson', '/api/data-marts/a%20b']]);
  });
});

describe('the { transport } form: getStream() is held to the same rules before transport.getStream()', () => {
  test('an unsafe path is the native path\'s OWOXConfigError; transport.getStream is never called', async (t) => {
    const server = await useApiServer(t);
    const { transport, calls } = brokerOf(server);
    const client = new OWOXApiClient({ transport });
    for (const path of ['/api/../api/external/http-data/data-marts/m.ndjson', 'https://evil.example/api/x.ndjson', '/api/a%2Fb.ndjson']) {
      const error = await rejectionOf(client.getStream(path));
      assert.ok(error instanceof OWOXConfigError, `${path}: ${error}`);
      assert.equal(error.message, UNSAFE_PATH);
    }
    assert.deepStrictEqual(calls, []);
    assert.equal(server.requests.length, 0);
  });

  test('an aborted signal rejects with its reason, at once or while the transport waits', HANG_GUARD, async (t) => {
    const server = (await useApiServer(t)).reply('GET /api/stream.ndjson', { hang: true });
    const { transport, calls } = brokerOf(server);
    const client = new OWOXApiClient({ transport });
    const early = new Error('before');
    assert.equal(await rejectionOf(client.getStream('/api/stream.ndjson', undefined, { signal: AbortSignal.abort(early) })), early);
    assert.deepStrictEqual(calls, []);

    const controller = new AbortController();
    const pending = client.getStream('/api/stream.ndjson', undefined, { signal: controller.signal });
    while (server.requests.length === 0) await new Promise((resolve) => setImmediate(resolve));
    const late = new Error('while waiting');
    controller.abort(late);
    assert.equal(await rejectionOf(pending), late);
  });

  test('a safe path reaches transport.getStream and its Response comes back', async (t) => {
    const server = (await useApiServer(t)).reply('GET /api/stream.ndjson', { body: '{"a":1}' });
    const { transport, calls } = brokerOf(server);
    const response = await new OWOXApiClient({ transport }).getStream('/api/stream.ndjson');
    assert.equal(await response.text(), '{"a":1}');
    assert.deepStrictEqual(calls, [['getStream', '/api/stream.ndjson']]);
  });
});

describe('the { transport } form: authenticate({ signal }) follows the abort rule', () => {
  test('an already-aborted signal rejects with its reason at once; the transport is not asked', async (t) => {
    const server = await useApiServer(t);
    const { transport, calls } = brokerOf(server);
    const reason = new Error('stop now');
    const error = await rejectionOf(new OWOXApiClient({ transport }).authenticate({ signal: AbortSignal.abort(reason) }));
    assert.equal(error, reason);
    assert.deepStrictEqual(calls, []);
    assert.equal(server.requests.length, 0);
  });

  test('a transport without authenticate() still rejects for an aborted signal', async () => {
    const { transport } = brokerOf({ origin: 'http://127.0.0.1:9' });
    delete transport.authenticate;
    const error = await rejectionOf(new OWOXApiClient({ transport }).authenticate({ signal: AbortSignal.abort() }));
    assert.equal(error.name, 'AbortError');
  });

  test('aborting while the transport authenticates rejects with the reason; the transport got the signal', HANG_GUARD, async (t) => {
    const server = (await useApiServer(t)).reply('POST /api/broker/authenticate', { hang: true });
    const { transport, calls } = brokerOf(server);
    const controller = new AbortController();
    const pending = new OWOXApiClient({ transport }).authenticate({ signal: controller.signal });
    while (server.requests.length === 0) await new Promise((resolve) => setImmediate(resolve));
    const reason = new Error('user cancelled');
    controller.abort(reason);
    assert.equal(await rejectionOf(pending), reason);
    assert.equal(calls.length, 1);
    assert.equal(calls[0][1].signal, controller.signal, 'the transport can cancel its own work');
  });

  test('without options the transport authenticate() is called with no argument, as the original does', async (t) => {
    const server = (await useApiServer(t)).reply('POST /api/broker/authenticate', { body: { ok: true } });
    const { transport, calls } = brokerOf(server);
    assert.equal(await new OWOXApiClient({ transport }).authenticate(), undefined);
    assert.deepStrictEqual(calls, [['authenticate']]);
  });
});

describe('client.request(): a path value that makes the path unsafe is refused by its name', () => {
  const CASES = [
    ['GET /api/data-marts/{id}', { id: '..' }, 'params.id'],
    ['GET /api/data-marts/{id}', { id: '.' }, 'params.id'],
    ['GET /api/data-marts/{id}', { id: 'a/b' }, 'params.id'],
    ['GET /api/data-marts/{id}', { id: 'a\\b' }, 'params.id'],
    ['GET /api/data-marts/{id}', { id: '50%' }, 'params.id'],
    ['GET /api/data-marts/{id}', { id: 'x'.repeat(2048) }, 'params.id'],
    ['GET /api/data-marts/{id}/runs/{runId}', { id: 'mart-1', runId: '..' }, 'params.runId'],
  ];

  for (const [route, params, name] of CASES) {
    const label = `${route} ${JSON.stringify(params).slice(0, 60)}`;
    test(`native path: ${label} names ${name}; nothing is sent`, async (t) => {
      const server = await useApiServer(t);
      const error = await rejectionOf(apiClientOf(server).request(route, params));
      assert.ok(error instanceof OWOXConfigError, `${error}`);
      assert.ok(error.message.startsWith(`client.request('${route}'): ${name} would make an unsafe path`), error.message);
      assert.equal(server.requests.length, 0);
      assert.equal(server.exchanges, 0, 'not even a token exchange');
    });

    test(`transport: ${label} names ${name}; the transport is never called`, async (t) => {
      const server = await useApiServer(t);
      const { transport, calls } = brokerOf(server);
      const error = await rejectionOf(new OWOXApiClient({ transport }).request(route, params));
      assert.ok(error instanceof OWOXConfigError, `${error}`);
      assert.ok(error.message.startsWith(`client.request('${route}'): ${name} would make an unsafe path`), error.message);
      assert.deepStrictEqual(calls, []);
    });
  }

  test('a lone surrogate is refused by name too (encodeURIComponent would throw a URIError)', async (t) => {
    const server = await useApiServer(t);
    const error = await rejectionOf(apiClientOf(server).request('GET /api/data-marts/{id}', { id: 'a\uD800' }));
    assert.ok(error instanceof OWOXConfigError, `${error}`);
    assert.equal(error.message, "client.request('GET /api/data-marts/{id}'): params.id must be well-formed Unicode text.");
    assert.equal(server.requests.length, 0);
  });

  test('a value that only looks odd (a space, a dot inside, ".." with more) is sent percent-encoded', async (t) => {
    const server = (await useApiServer(t)).reply('GET /api/data-marts/a%20b..c', { body: { id: 'a b..c' } });
    const { transport, calls } = brokerOf(server);
    assert.deepStrictEqual(await new OWOXApiClient({ transport }).request('GET /api/data-marts/{id}', { id: 'a b..c' }), { id: 'a b..c' });
    assert.deepStrictEqual(calls, [['getJson', '/api/data-marts/a%20b..c']]);
    assert.deepStrictEqual(await apiClientOf(server).request('GET /api/data-marts/{id}', { id: 'a b..c' }), { id: 'a b..c' });
  });
});
