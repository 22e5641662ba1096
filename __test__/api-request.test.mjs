// client.request(route, params, options) against the bundled server: the exact request each
// route and params give (method, raw path, query, body, accept), the parsed result, the
// real server's error bodies, and the routes and params refused before anything is sent.
// Responses are injected per route, so these tests do not depend on which routes the
// bundled server implements itself.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OWOXApiClient, OWOXApiError, OWOXConfigError } from '@owox/api-client';
import { clientOf, rejectionOf, useServer } from './helpers/server.mjs';

const EXCHANGE = '/api/auth/api-keys/exchange';

/** The requests other than the token exchange, as the server saw them. */
const apiRequests = (server) => server.requests.filter((r) => r.path !== EXCHANGE);

const json = (body, status = 200) => ({ status, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(body) });

test('path parameters are filled from params and percent-encoded; the JSON body comes back parsed', async (t) => {
  const server = await useServer(t);
  const client = clientOf(server);
  // A data mart as server 0.35 returns it (fixture data-mart.json, trimmed).
  const mart = { id: 'mart 1 ü?#&', title: 'Extra 141', status: 'DRAFT', storage: { type: 'AWS_ATHENA' }, newField: [1] };
  server.inject({ method: 'GET', path: /^\/api\/data-marts\/[^/]+$/ }, json(mart));

  const result = await client.request('GET /api/data-marts/{id}', { id: 'mart 1 ü?#&' });

  assert.deepEqual(result, mart);
  const [request] = apiRequests(server);
  assert.equal(request.method, 'GET');
  assert.equal(request.path, '/api/data-marts/mart%201%20%C3%BC%3F%23%26');
  assert.deepEqual(request.query, {});
  assert.equal(request.body, '');
});

test('every {placeholder} of the path is filled, numbers included, even one the document does not declare', async (t) => {
  const server = await useServer(t);
  const client = clientOf(server);
  server.inject({ method: 'GET', path: /run-triggers/ }, json({ status: 'SUCCESS' }));

  const status = await client.request('GET /api/data-marts/{dataMartId}/ai-assistant/run-triggers/{triggerId}/status', {
    dataMartId: 42,
    triggerId: 't-1',
  });

  assert.deepEqual(status, { status: 'SUCCESS' });
  assert.equal(apiRequests(server)[0].path, '/api/data-marts/42/ai-assistant/run-triggers/t-1/status');
});

test('params.query becomes the query string: scalars as text, arrays repeated or comma-joined as the operation declares', async (t) => {
  const server = await useServer(t);
  const client = clientOf(server);
  server.inject({ method: 'GET', path: '/api/search' }, json([]));
  server.inject(
    { method: 'GET', path: /\.ndjson$/ },
    { status: 200, headers: { 'content-type': 'application/x-ndjson; charset=utf-8' }, body: '{"a":1}\n{"a":2}\n' },
  );

  const results = await client.request('GET /api/search', {
    query: { q: 'sales & more', limit: 5, entityTypes: ['DATA_MART', 'REPORT'], excludeDrafts: true, unset: undefined },
  });
  const ndjson = await client.request('GET /api/external/http-data/data-marts/{dataMartId}.ndjson', {
    dataMartId: 'm1',
    query: { column: ['a', 'b c'], limit: 2 },
  });

  assert.deepEqual(results, []);
  const [search, stream] = apiRequests(server);
  // /api/search declares entityTypes with `explode: false`: one comma-joined value.
  assert.deepEqual(search.query, { q: 'sales & more', limit: '5', entityTypes: 'DATA_MART,REPORT', excludeDrafts: 'true' });
  // `column` is a plain array parameter: one `column=` per item, in order.
  assert.equal(stream.path, '/api/external/http-data/data-marts/m1.ndjson');
  assert.deepEqual(stream.query, { column: ['a', 'b c'], limit: '2' });
  assert.equal(stream.headers.accept, 'application/x-ndjson');
  assert.equal(ndjson, '{"a":1}\n{"a":2}\n', 'a non-JSON success body comes back as text');
});

test('params.body is sent as JSON with the route method; 201 and empty success bodies come back as they are', async (t) => {
  const server = await useServer(t);
  const client = clientOf(server);
  const created = { id: 'new-1', title: 'Sales ü' };
  server.inject({ method: 'POST', path: '/api/data-marts' }, json(created, 201));
  server.inject({ method: 'PUT', path: '/api/data-marts/new-1/title' }, json({ ...created, title: 'Renamed' }));
  server.inject({ method: 'DELETE', path: '/api/data-marts/new-1' }, { status: 200 });

  const mart = await client.request('POST /api/data-marts', { body: { title: 'Sales ü', storageId: 's-1' } });
  const renamed = await client.request('PUT /api/data-marts/{id}/title', { id: mart.id, body: { title: 'Renamed' } });
  const deleted = await client.request('DELETE /api/data-marts/{id}', { id: mart.id });

  assert.deepEqual(mart, created);
  assert.equal(renamed.title, 'Renamed');
  assert.equal(deleted, undefined);
  const [post, put, del] = apiRequests(server);
  assert.deepEqual([post.method, put.method, del.method], ['POST', 'PUT', 'DELETE']);
  assert.deepEqual(JSON.parse(post.body), { title: 'Sales ü', storageId: 's-1' });
  assert.match(post.headers['content-type'], /^application\/json/);
  assert.deepEqual(JSON.parse(put.body), { title: 'Renamed' });
  assert.equal(del.body, '');
});

test('a route whose success body is HTML asks for text/html and resolves to the text', async (t) => {
  const server = await useServer(t);
  const client = clientOf(server);
  const html = '<div class="markdown-body"><h1>Hello</h1></div>';
  server.inject(
    { method: 'POST', path: '/api/markdown/parse-to-html' },
    { status: 201, headers: { 'content-type': 'text/html; charset=utf-8' }, body: html },
  );

  const result = await client.request('POST /api/markdown/parse-to-html', { body: { markdown: '# Hello' } });

  assert.equal(result, html);
  const [request] = apiRequests(server);
  assert.equal(request.headers.accept, 'text/html');
  assert.deepEqual(JSON.parse(request.body), { markdown: '# Hello' });
});

test('routes that refuse API keys, public routes and unknown routes are OWOXConfigErrors naming the route, and nothing is sent', async (t) => {
  const server = await useServer(t);
  const client = clientOf(server);
  const cases = [
    ['GET /api/members', /'GET \/api\/members' does not accept API keys/],
    ['POST /api/project-member-api-keys', /does not accept API keys/],
    ['GET /api/connectors', /'GET \/api\/connectors' is a public endpoint/],
    ['GET /api/data-marts/abc', /Name the route by its template, 'GET \/api\/data-marts\/\{id\}'/],
    ['get /api/data-marts/{id}', /Did you mean 'GET \/api\/data-marts\/\{id\}'\?/],
    ['GET /api/no-such-thing', /'GET \/api\/no-such-thing' is not an operation of the OWOX API that accepts an API key/],
    ['toString', /'toString' is not an operation/],
  ];
  for (const [route, message] of cases) {
    const error = await rejectionOf(client.request(route, {}));
    assert.ok(error instanceof OWOXConfigError, `${route}: ${error}`);
    assert.match(error.message, message);
  }
  const notAString = await rejectionOf(client.request(42));
  assert.ok(notAString instanceof OWOXConfigError);
  assert.match(notAString.message, /route must be a string/);
  assert.equal(server.requests.length, 0, 'not even a token exchange');
});

test('params that do not fit the route are OWOXConfigErrors saying what to fix, and nothing is sent', async (t) => {
  const server = await useServer(t);
  const client = clientOf(server);
  const cases = [
    ['GET /api/data-marts/{id}', undefined, /params\.id is required \(the \{id\} of the path\)/],
    ['GET /api/data-marts/{id}', { id: '' }, /params\.id must be a non-empty string or a finite number/],
    ['GET /api/data-marts/{id}', { id: { x: 1 } }, /params\.id must be a non-empty string or a finite number/],
    ['GET /api/data-marts/{id}', { Id: 'x' }, /unknown params key 'Id'; this route takes id, query/],
    ['GET /api/data-marts/{id}', { id: 'x', body: {} }, /takes no body; remove params\.body/],
    ['PUT /api/data-marts/{id}/title', { id: 'x' }, /params\.body is required/],
    ['PUT /api/data-marts/{id}/title', { id: 'x', body: { title: 1n } }, /params\.body cannot be sent as JSON/],
    ['GET /api/search', { query: 'q=x' }, /params\.query must be a plain object/],
    ['GET /api/search', { query: { q: { nested: true } } }, /params\.query\.q must be a string, a finite number, a boolean/],
    ['GET /api/data-marts/runs', 'limit=1', /params must be a plain object/],
  ];
  for (const [route, params, message] of cases) {
    const error = await rejectionOf(client.request(route, params));
    assert.ok(error instanceof OWOXConfigError, `${route} ${String(params)}: ${error}`);
    assert.match(error.message, message);
  }
  const badOption = await rejectionOf(client.request('GET /api/data-marts/runs', {}, { timeout: 'soon' }));
  assert.ok(badOption instanceof OWOXConfigError);
  assert.equal(server.requests.length, 0, 'not even a token exchange');
});

test('a path value the safe-path rules refuse (a dot segment, an encoded slash) is refused before any request', async (t) => {
  const server = await useServer(t);
  const client = clientOf(server);
  for (const id of ['..', '.', '../storages', 'a/b', 'a\\b']) {
    const error = await rejectionOf(client.request('GET /api/data-marts/{id}', { id }));
    assert.ok(error instanceof OWOXConfigError, `id ${id}: ${error}`);
  }
  assert.equal(server.requests.length, 0, 'not even a token exchange');
});

test("the real server's error bodies become OWOXApiError with its status, message and code", async (t) => {
  const server = await useServer(t);
  const client = clientOf(server);
  // Server 0.35's bodies (fixtures manual-run.json and ndjson-storage-read-failed-424.json).
  server.inject(
    { method: 'POST', path: /\/manual-run$/ },
    json(
      {
        message: 'Only data marts with connector definition type can be run manually',
        error: 'Bad Request',
        statusCode: 400,
        timestamp: '2026-11-30T12:02:46.902Z',
        path: '/api/data-marts/bc340f5d-1760-442a-9e6a-13fdcab8a5f6/manual-run',
      },
      400,
    ),
  );
  server.inject(
    { method: 'GET', path: /\.ndjson$/ },
    json(
      {
        code: 'STORAGE_READ_FAILED',
        message: 'Storage dependency failed while reading this Data Mart data: AWS Redshift returned an error',
        details: { dependency: 'storage', providerName: 'AWS Redshift', storageType: 'AWS_REDSHIFT' },
        statusCode: 424,
      },
      424,
    ),
  );

  const badRequest = await rejectionOf(client.request('POST /api/data-marts/{id}/manual-run', { id: 'bc340f5d' }));
  const dependency = await rejectionOf(client.request('GET /api/external/http-data/data-marts/{dataMartId}.ndjson', { dataMartId: 'm' }));

  assert.ok(badRequest instanceof OWOXApiError);
  assert.equal(badRequest.status, 400);
  assert.match(badRequest.message, /Only data marts with connector definition type can be run manually/);
  assert.ok(dependency instanceof OWOXApiError);
  assert.equal(dependency.status, 424);
  assert.equal(dependency.code, 'STORAGE_READ_FAILED');
  assert.equal(dependency.details.dependency, 'storage');
  assert.equal(apiRequests(server)[0].body, '', 'manual-run without params.body sends no body');
});

test('retries follow the method: a GET is repeated after a 503, a POST that times out is not', async (t) => {
  const server = await useServer(t);
  const client = clientOf(server);
  server.inject({ method: 'GET', path: '/api/data-marts/runs' }, { status: 503, headers: { 'retry-after': '0' } });
  server.inject({ method: 'GET', path: '/api/data-marts/runs' }, json({ runs: [] }));
  server.inject({ method: 'POST', path: '/api/reports/r-1/run' }, { hang: true });

  const runs = await client.request('GET /api/data-marts/runs', { query: { limit: 1 } }, { maxRetries: 1 });
  const timedOut = await rejectionOf(client.request('POST /api/reports/{id}/run', { id: 'r-1' }, { timeout: 300, maxRetries: 2 }));

  assert.deepEqual(runs, { runs: [] });
  assert.equal(server.count({ method: 'GET', path: '/api/data-marts/runs' }), 2);
  assert.ok(timedOut instanceof OWOXApiError);
  assert.equal(timedOut.code, 'TIMEOUT');
  assert.equal(server.count({ method: 'POST', path: '/api/reports/r-1/run' }), 1, 'the POST was not repeated');
});

test('an already aborted signal rejects with its reason and sends nothing', async (t) => {
  const server = await useServer(t);
  const client = clientOf(server);
  const reason = new Error('stop');

  const error = await rejectionOf(client.request('GET /api/data-marts/{id}', { id: 'x' }, { signal: AbortSignal.abort(reason) }));

  assert.equal(error, reason);
  assert.equal(server.requests.length, 0);
});

test('in the { transport } form, request() reaches the transport method of the route, with the filled path, query and body', async () => {
  const calls = [];
  const transport = {
    getJson: async (...args) => (calls.push(['getJson', ...args]), { id: 'a b', title: 'T' }),
    postJson: async (...args) => (calls.push(['postJson', ...args]), '<h1>Hi</h1>'),
    putJson: async (...args) => (calls.push(['putJson', ...args]), { id: 'a b', title: 'New' }),
    deleteJson: async (...args) => (calls.push(['deleteJson', ...args]), undefined),
  };
  const client = new OWOXApiClient({ transport });

  const mart = await client.request('GET /api/data-marts/{id}', { id: 'a b' });
  await client.request('GET /api/data-marts/{id}/runs', { id: 'a b', query: { limit: 5 } });
  const html = await client.request('POST /api/markdown/parse-to-html', { body: { markdown: '# Hi' } });
  await client.request('PUT /api/data-marts/{id}/title', { id: 'a b', body: { title: 'New' } });
  await client.request('DELETE /api/data-marts/{id}', { id: 'a b' });
  const refused = await rejectionOf(client.request('GET /api/members', {}));

  assert.deepEqual(mart, { id: 'a b', title: 'T' });
  assert.equal(html, '<h1>Hi</h1>');
  assert.deepEqual(calls[0], ['getJson', '/api/data-marts/a%20b']);
  assert.equal(calls[1][1], '/api/data-marts/a%20b/runs');
  assert.equal(String(calls[1][2]), 'limit=5');
  assert.deepEqual(calls[2], ['postJson', '/api/markdown/parse-to-html', { markdown: '# Hi' }, 'text/html']);
  assert.deepEqual(calls[3], ['putJson', '/api/data-marts/a%20b/title', { title: 'New' }]);
  assert.deepEqual(calls[4], ['deleteJson', '/api/data-marts/a%20b']);
  assert.ok(refused instanceof OWOXConfigError);
  assert.equal(calls.length, 5, 'the refused route reached nothing');
});
