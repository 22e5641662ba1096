// The error classes, and how every failure becomes one: HTTP error bodies per the
// contract's rules, unexpected shapes, invalid JSON, network failures.

import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { OWOXApiClient, OWOXApiError, OWOXAuthError, OWOXConfigError } from '@owox/api-client';
import { startTestServer } from '@owox/api-client/testing';
import { clientOf, rawJson, rejectionOf, useServer } from './helpers/server.mjs';

const THIS_FILE = fileURLToPath(import.meta.url);

describe('error classes', () => {
  test('OWOXApiError carries status, code, details and cause', () => {
    const cause = new Error('socket hang up');
    const error = new OWOXApiError('Request failed', { status: 424, code: 'STORAGE_ACCESS', details: { table: 't' }, cause });
    assert.ok(error instanceof Error);
    assert.equal(error.name, 'OWOXApiError');
    assert.equal(error.message, 'Request failed');
    assert.equal(error.status, 424);
    assert.equal(error.code, 'STORAGE_ACCESS');
    assert.deepStrictEqual(error.details, { table: 't' });
    assert.equal(error.cause, cause);
    assert.equal(String(error), 'OWOXApiError: Request failed');
  });

  test('OWOXApiError options are optional', () => {
    const error = new OWOXApiError('plain');
    assert.equal(error.message, 'plain');
    assert.equal(error.status, undefined);
    assert.equal(error.code, undefined);
    assert.equal(error.details, undefined);
    assert.equal(error.cause, undefined);
  });

  test('OWOXAuthError extends OWOXApiError', () => {
    const error = new OWOXAuthError('refused', { status: 401, code: 'AUTHENTICATION_ERROR' });
    assert.ok(error instanceof OWOXAuthError);
    assert.ok(error instanceof OWOXApiError);
    assert.ok(error instanceof Error);
    assert.equal(error.name, 'OWOXAuthError');
    assert.equal(error.message, 'refused');
    assert.equal(error.status, 401);
    assert.equal(error.code, 'AUTHENTICATION_ERROR');
    assert.equal(Object.getPrototypeOf(OWOXAuthError.prototype), OWOXApiError.prototype);
  });

  test('OWOXConfigError extends Error, not OWOXApiError', () => {
    const error = new OWOXConfigError('bad options');
    assert.ok(error instanceof Error);
    assert.ok(!(error instanceof OWOXApiError));
    assert.equal(error.name, 'OWOXConfigError');
    assert.equal(error.message, 'bad options');
    assert.equal(String(error), 'OWOXConfigError: bad options');
  });

  test('users can subclass the errors and keep instanceof', () => {
    class MyError extends OWOXApiError {}
    const error = new MyError('mine', { status: 500 });
    assert.ok(error instanceof OWOXApiError);
    assert.equal(error.status, 500);
  });

  test('the stack of an error thrown by a call points into the calling code', async (t) => {
    const server = await useServer(t);
    server.inject({ path: '/api/data-storages' }, { status: 404, body: { statusCode: 404, message: 'Not Found' } });
    const error = await rejectionOf(clientOf(server).storages.list());
    assert.ok(error instanceof OWOXApiError);
    assert.ok(error.stack.includes(THIS_FILE), `the stack names ${THIS_FILE}:\n${error.stack}`);
    assert.ok(error.stack.startsWith('OWOXApiError: OWOX API request failed with 404 Not Found: Not Found'), error.stack);
  });

  test('the stack of a config error points into the calling code', () => {
    let error;
    try {
      new OWOXApiClient({ apiOrigin: 'ftp://x.io', apiKeyId: 'i', apiKeySecret: 's' });
    } catch (e) {
      error = e;
    }
    assert.ok(error.stack.includes(THIS_FILE), error.stack);
  });
});

describe('HTTP error responses', () => {
  /** The error a storages.list() gets when the server answers with `response`. */
  async function errorFor(t, response) {
    const server = await useServer(t);
    server.inject({ path: '/api/data-storages' }, response);
    const error = await rejectionOf(clientOf(server).storages.list());
    assert.ok(error instanceof OWOXApiError, `got ${error?.name}: ${error?.message}`);
    return error;
  }

  test('a NestJS validation body: code from error, details from details, message from message and the reasons', async (t) => {
    const details = { errors: [{ message: 'ownerFilter must be one of the following values: has_owners, no_owners' }] };
    const body = { message: 'Request validation failed', error: 'Bad Request', statusCode: 400, details, timestamp: '2025-01-01T00:00:00.000Z', path: '/api/data-storages' };
    const error = await errorFor(t, { status: 400, body });
    assert.equal(error.name, 'OWOXApiError');
    assert.equal(error.status, 400);
    assert.equal(error.code, 'Bad Request');
    assert.deepStrictEqual(error.details, details);
    assert.equal(
      error.message,
      'OWOX API request failed with 400 Bad Request: Request validation failed: ownerFilter must be one of the following values: has_owners, no_owners',
    );
  });

  test('a body with code: code wins over error', async (t) => {
    const body = { statusCode: 424, code: 'STORAGE_ACCESS_ERROR', error: 'Failed Dependency', message: 'BigQuery refused the credentials', details: { storageId: 's1' } };
    const error = await errorFor(t, { status: 424, body });
    assert.equal(error.status, 424);
    assert.equal(error.code, 'STORAGE_ACCESS_ERROR');
    assert.deepStrictEqual(error.details, { storageId: 's1' });
    assert.equal(error.message, 'OWOX API request failed with 424 Failed Dependency: BigQuery refused the credentials');
  });

  test('an empty code falls back to error', async (t) => {
    const error = await errorFor(t, { status: 409, body: { code: '', error: 'Conflict', message: 'Already exists' } });
    assert.equal(error.code, 'Conflict');
    assert.equal(error.message, 'OWOX API request failed with 409 Conflict: Already exists');
  });

  test('errorDetails is the fallback for details', async (t) => {
    const error = await errorFor(t, { status: 422, body: { message: 'Cannot process', code: 'AUTHENTICATION_ERROR', errorDetails: [1, { why: 'x' }] } });
    assert.equal(error.code, 'AUTHENTICATION_ERROR');
    assert.deepStrictEqual(error.details, [1, { why: 'x' }]);
  });

  test('details wins over errorDetails, even when null', async (t) => {
    const error = await errorFor(t, { status: 400, body: { message: 'm', details: null, errorDetails: { ignored: true } } });
    assert.equal(error.details, null);
  });

  test('without details or errorDetails the whole body is the details; no code when none is given', async (t) => {
    const body = { statusCode: 404, message: 'Data storage not found', timestamp: '2025-01-01T00:00:00.000Z', path: '/api/data-storages' };
    const error = await errorFor(t, { status: 404, body });
    assert.deepStrictEqual(error.details, body);
    assert.equal(error.code, undefined);
    assert.equal(error.message, 'OWOX API request failed with 404 Not Found: Data storage not found');
  });

  test('a message that is not a non-empty string (or an array of them) is left out of the error message', async (t) => {
    for (const message of ['', 42, null, [], ['a', 3], ['']]) {
      const error = await errorFor(t, { status: 400, body: { statusCode: 400, message } });
      assert.equal(error.message, 'OWOX API request failed with 400 Bad Request', JSON.stringify(message));
    }
  });

  test('a NestJS message array of strings is joined into the message', async (t) => {
    const error = await errorFor(t, { status: 400, body: { statusCode: 400, message: ['a', 'b'] } });
    assert.equal(error.message, 'OWOX API request failed with 400 Bad Request: a; b');
  });

  test('a JSON array body is the details as is', async (t) => {
    const error = await errorFor(t, { status: 400, body: [{ message: 'x' }] });
    assert.deepStrictEqual(error.details, [{ message: 'x' }]);
    assert.equal(error.message, 'OWOX API request failed with 400 Bad Request');
  });

  test('an HTML 502 page from a proxy: the text is the details, the message says it is not the API', async (t) => {
    const html = '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>';
    const error = await errorFor(t, { status: 502, headers: { 'content-type': 'text/html' }, body: html });
    assert.equal(error.status, 502);
    assert.equal(error.details, html);
    assert.equal(error.code, undefined);
    assert.match(error.message, /^OWOX API request failed with 502 Bad Gateway\. The server answered with an HTML page: the API origin does not look like the OWOX Data Marts API/);
  });

  test('an empty body: details undefined', async (t) => {
    const error = await errorFor(t, { status: 503, headers: { 'content-type': 'application/json' } });
    assert.equal(error.status, 503);
    assert.equal(error.details, undefined);
    assert.equal(error.code, undefined);
    assert.equal(error.message, 'OWOX API request failed with 503 Service Unavailable');
  });

  test('a JSON-looking body under a non-JSON content type is text', async (t) => {
    const text = '{"message":"looks like JSON","code":"NOPE"}';
    const error = await errorFor(t, { status: 400, headers: { 'content-type': 'text/plain' }, body: text });
    assert.equal(error.details, text);
    assert.equal(error.code, undefined);
    assert.equal(error.message, 'OWOX API request failed with 400 Bad Request');
  });

  test('a JSON content type with parameters or a +json suffix is read as JSON', async (t) => {
    for (const type of ['application/json; charset=utf-8', 'application/problem+json', 'Application/JSON']) {
      const error = await errorFor(t, { status: 400, headers: { 'content-type': type }, body: '{"message":"m","code":"C"}' });
      assert.equal(error.code, 'C', type);
      assert.equal(error.message, 'OWOX API request failed with 400 Bad Request: m', type);
    }
  });

  test('a cut-off JSON error body is kept as text', async (t) => {
    const error = await errorFor(t, rawJson('{"message":"bo', 500));
    assert.equal(error.details, '{"message":"bo');
    assert.equal(error.message, 'OWOX API request failed with 500 Internal Server Error');
  });

  test('HTTP errors of the data-mart pages, destinations and context follow the same rules', async (t) => {
    const server = await useServer(t);
    const client = clientOf(server);
    const body = { message: 'Boom', code: 'SOMETHING', details: { n: 1 } };
    for (const [path, call] of [
      ['/api/data-marts', () => client.dataMarts.list()],
      ['/api/data-destinations', () => client.destinations.list()],
      ['/api/auth/context', () => client.auth.getContext()],
    ]) {
      server.inject({ path }, { status: 400, body });
      const error = await rejectionOf(call());
      assert.ok(error instanceof OWOXApiError, path);
      assert.equal(error.status, 400, path);
      assert.equal(error.code, 'SOMETHING', path);
      assert.deepStrictEqual(error.details, { n: 1 }, path);
      assert.equal(error.message, 'OWOX API request failed with 400 Bad Request: Boom', path);
    }
  });
});

describe('unexpected 2xx answers', () => {
  const shapes = [
    [
      'OWOX Data Marts API',
      '/api/data-marts',
      (client) => client.dataMarts.list(),
      [
        [],
        {},
        null,
        'items',
        { items: {}, total: 1, nextOffset: null },
        { items: [], total: '1', nextOffset: null },
        { items: [], total: 1 },
        { items: [], total: 1, nextOffset: '2' },
        { total: 1, nextOffset: null },
        { data: [], total: 0, nextOffset: null },
      ],
    ],
    ['OWOX Data Storages API', '/api/data-storages', (client) => client.storages.list(), [{ not: 'an array' }, { items: [] }, null, 'storages', 42, true]],
    ['OWOX Data Destinations API', '/api/data-destinations', (client) => client.destinations.list(), [{ not: 'an array' }, { items: [] }, null, 'x', 0]],
    [
      'OWOX auth context API',
      '/api/auth/context',
      (client) => client.auth.getContext(),
      [
        [],
        null,
        'context',
        { projectId: 'p' },
        { apiKeyId: 'pmk_1', authFlow: 'api_key', projectId: 'p1', userId: 'u1' },
        { apiKeyId: 'pmk_1', authFlow: 'api_key', projectId: 'p1', userId: 'u1', roles: [1] },
        { apiKeyId: 'pmk_1', authFlow: 'api_key', projectId: 7, userId: 'u1', roles: [] },
      ],
    ],
  ];
  for (const [subject, path, call, bodies] of shapes) {
    test(`${subject}: a wrong shape is "${subject} returned an unexpected response shape" with the body as details`, async (t) => {
      const server = await useServer(t);
      const client = clientOf(server);
      for (const body of bodies) {
        server.inject({ path }, rawJson(JSON.stringify(body)));
        const error = await rejectionOf(call(client));
        assert.ok(error instanceof OWOXApiError, `${JSON.stringify(body)} gave ${error?.name}`);
        assert.ok(!(error instanceof OWOXAuthError));
        assert.equal(error.message, `${subject} returned an unexpected response shape`, JSON.stringify(body));
        assert.deepStrictEqual(error.details, body, JSON.stringify(body));
        assert.equal(error.status, 200);
      }
    });
  }

  test('a truncated JSON body on a 200 is OWOXApiError code INVALID_RESPONSE', async (t) => {
    const server = await useServer(t);
    const client = clientOf(server);
    for (const [path, call, body] of [
      ['/api/data-marts', () => client.dataMarts.list(), '{"items":[{"id":"a"},'],
      ['/api/data-storages', () => client.storages.list(), '[{"id":"s1","title":"St'],
      ['/api/data-destinations', () => client.destinations.list(), '['],
      ['/api/auth/context', () => client.auth.getContext(), '{"apiKeyId":'],
    ]) {
      server.inject({ path }, rawJson(body));
      const error = await rejectionOf(call());
      assert.ok(error instanceof OWOXApiError, path);
      assert.equal(error.code, 'INVALID_RESPONSE', path);
      assert.equal(error.status, 200, path);
    }
  });

  test('an HTML page on a 200 is OWOXApiError code INVALID_RESPONSE', async (t) => {
    const server = await useServer(t);
    server.inject({ path: '/api/data-storages' }, { status: 200, headers: { 'content-type': 'text/html' }, body: '<html>login</html>' });
    const error = await rejectionOf(clientOf(server).storages.list());
    assert.ok(error instanceof OWOXApiError);
    assert.equal(error.code, 'INVALID_RESPONSE');
  });
});

describe('network failures', () => {
  test('connection refused is NETWORK_ERROR, names the origin, and keeps the cause', async () => {
    const server = await startTestServer();
    const { origin } = server;
    await server.close();
    const client = new OWOXApiClient({ ...server.credentials, maxRetries: 0 });
    for (const call of [() => client.storages.list(), () => client.dataMarts.list(), () => client.authenticate()]) {
      const error = await rejectionOf(call());
      assert.ok(error instanceof OWOXApiError, `got ${error?.name}`);
      assert.ok(!(error instanceof OWOXAuthError), 'not reaching the server is not a refused key');
      assert.equal(error.code, 'NETWORK_ERROR');
      assert.equal(error.status, undefined);
      assert.ok(error.message.startsWith(`Unable to reach OWOX Data Marts API at ${origin}. `), error.message);
      assert.ok(error.cause instanceof Error, 'the original error is the cause');
      assert.ok(error.cause.message.length > 0);
    }
  });

  test('a connection reset on a data request is NETWORK_ERROR', async (t) => {
    const server = await useServer(t);
    server.inject({ path: '/api/data-storages' }, { reset: true });
    const error = await rejectionOf(clientOf(server).storages.list());
    assert.ok(error instanceof OWOXApiError);
    assert.equal(error.code, 'NETWORK_ERROR');
    assert.ok(error.message.startsWith(`Unable to reach OWOX Data Marts API at ${server.origin}. `), error.message);
    assert.ok(error.cause instanceof Error);
  });
});

describe('status text', () => {
  test("the server's own reason phrase is the statusText of the message; an empty one reads HTTP error", async (t) => {
    const http = await import('node:http');
    const reasons = ['Validation Failed', ''];
    const server = http.createServer((req, res) => {
      if (req.url === '/api/auth/api-keys/exchange') {
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end('{"accessToken":"tok"}');
      }
      res.writeHead(400, reasons.shift(), { 'content-type': 'application/json' });
      res.end('{"message":"m"}');
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    t.after(() => new Promise((resolve) => server.close(resolve)));
    const client = new OWOXApiClient({
      apiOrigin: `http://127.0.0.1:${server.address().port}`,
      apiKeyId: 'pmk_x',
      apiKeySecret: 's',
      maxRetries: 0,
    });
    const first = await rejectionOf(client.storages.list());
    assert.equal(first.message, 'OWOX API request failed with 400 Validation Failed: m');
    const second = await rejectionOf(client.storages.list());
    assert.equal(second.message, 'OWOX API request failed with 400 HTTP error: m');
  });
});
