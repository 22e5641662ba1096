// Every named call of the original client 0.31 (and the data-mart/report CRUD of server
// 0.35): the exact request it sends (method, path, query, body), what it returns for a
// real server body, an error body of the real server, and one bad argument refused with
// nothing sent (not even the token exchange). The server is a scripted node:http one
// (helpers/api-server.mjs) that answers with bodies captured from the real server 0.35;
// api-bundled.test.mjs runs the same calls against the bundled test server.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { OWOXApiError, OWOXConfigError } from '@owox/api-client';
import { apiClientOf, useApiServer } from './helpers/api-server.mjs';
import { rejectionOf } from './helpers/server.mjs';
import * as bodies from './helpers/api-bodies.mjs';
import { CALLS } from './helpers/api-cases.mjs';

const { MART_ID, RUN_ID, STORAGE_ID, REPORT_ID } = bodies.IDS;
const martPath = `/api/data-marts/${MART_ID}`;

/** Error bodies of the real server, one per call in turn unless the case names its own. */
const ERRORS = [bodies.VALIDATION_400, bodies.RUN_NOT_FOUND_404, bodies.STORAGE_424];
const STATUS_TEXT = { 400: 'Bad Request', 404: 'Not Found', 424: 'Failed Dependency' };

function assertRequest(server, c) {
  const [method, path] = c.route.split(' ');
  assert.equal(server.requests.length, 1, 'one request, no retry');
  const [request] = server.requests;
  assert.equal(request.method, method);
  assert.equal(request.path, path);
  assert.equal(request.query, c.query ?? '');
  assert.deepStrictEqual(request.body, c.body);
  assert.equal(request.headers['content-type'], c.body === undefined ? undefined : 'application/json');
  assert.equal(request.headers.accept, c.accept ?? 'application/json');
}

describe('each named call sends the original request and returns the parsed body', () => {
  CALLS.forEach((c, index) => {
    test(`${c.name}: ${c.route}${c.query ? `?${c.query}` : ''}`, async (t) => {
      const server = (await useApiServer(t)).reply(c.route, c.reply);
      const result = await c.call(apiClientOf(server));
      assert.deepStrictEqual(result, c.result);
      assertRequest(server, c);
    });

    const errorBody = c.error ?? ERRORS[index % ERRORS.length];
    test(`${c.name}: a ${errorBody.statusCode} of the real server is an OWOXApiError`, async (t) => {
      const server = (await useApiServer(t)).reply(c.route, { status: errorBody.statusCode, body: errorBody });
      const error = await rejectionOf(c.call(apiClientOf(server)));
      assert.ok(error instanceof OWOXApiError, `${error}`);
      assert.equal(error.status, errorBody.statusCode);
      const expected = `OWOX API request failed with ${errorBody.statusCode} ${STATUS_TEXT[errorBody.statusCode]}: ${errorBody.message}`;
      // A validation failure adds its first reasons (details.errors[].message) after ": ".
      const reasons = (errorBody.details?.errors ?? []).map((e) => e.message).slice(0, 3).join('; ');
      assert.equal(error.message, reasons ? `${expected}: ${reasons}` : expected);
      assert.equal(error.code, errorBody.code ?? errorBody.error);
      assert.deepStrictEqual(error.details, errorBody.details ?? errorBody);
      assertRequest(server, c);
    });

    test(`${c.name}: a bad argument is refused before anything is sent`, async (t) => {
      const server = await useApiServer(t);
      const [call, message] = c.bad;
      const error = await rejectionOf(Promise.resolve().then(() => call(apiClientOf(server))));
      assert.ok(error instanceof OWOXConfigError, `${error}`);
      assert.ok(error.message.startsWith(message), `${error.message}\ndoes not start with\n${message}`);
      assert.equal(server.requests.length, 0);
      assert.equal(server.exchanges, 0, 'not even the token exchange');
    });
  });
});

describe('scopes and arguments', () => {
  test('runs.forDataMart(id) percent-encodes the ids into the path', async (t) => {
    const server = (await useApiServer(t)).reply('GET /api/data-marts/mart%20one/runs/run%3A1', { body: bodies.DATA_MART_RUN });
    await apiClientOf(server).runs.forDataMart('mart one').get('run:1');
    assert.equal(server.requests[0].path, '/api/data-marts/mart%20one/runs/run%3A1');
  });

  test('runs.forDataMart() refuses a bad data-mart id at once, synchronously', async (t) => {
    const server = await useApiServer(t);
    const client = apiClientOf(server);
    for (const id of ['', '  ', '.', '..', 'a/b', 'a\\b', '50%', 42, undefined]) {
      assert.throws(() => client.runs.forDataMart(id), (error) => error instanceof OWOXConfigError && /Invalid OWOX Data Mart ID/.test(error.message), String(id));
    }
    assert.throws(() => client.runs.forDataMart(MART_ID, 'extra'), OWOXConfigError);
    assert.equal(server.requests.length + server.exchanges, 0);
  });

  test('an options object may stand in for a left-out optional argument', async (t) => {
    const server = (await useApiServer(t)).reply('GET /api/model-canvas/data-marts', { body: bodies.MODEL_CANVAS_PAGE });
    await apiClientOf(server).models.getDataMarts(STORAGE_ID, { timeout: 5000 });
    assert.equal(server.requests[0].query, `storageId=${STORAGE_ID}`);
  });

  test('an extra positional argument is refused', async (t) => {
    const server = await useApiServer(t);
    const client = apiClientOf(server);
    const error = await rejectionOf(client.runs.forDataMart(MART_ID).get(RUN_ID, {}, {}));
    assert.ok(error instanceof OWOXConfigError);
    assert.match(error.message, /runs\.forDataMart\(dataMartId\)\.get\(runId, options\?\) takes at most 2 arguments but was given 3/);
    assert.equal(server.requests.length + server.exchanges, 0);
  });

  test('call options ride along with query options, and an aborted signal sends nothing', async (t) => {
    const server = await useApiServer(t);
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    const error = await rejectionOf(apiClientOf(server).runs.list({ limit: 5, signal: controller.signal }));
    assert.equal(error.message, 'stop');
    assert.equal(server.requests.length + server.exchanges, 0);
  });
});

describe('envelope checks: the top-level shape, nothing below it', () => {
  test('new fields and enum values pass through untouched', async (t) => {
    const future = { runs: [{ ...bodies.DATA_MART_RUNS.runs[0], status: 'PAUSED', type: 'NEW_KIND', laterField: { a: [1] } }], nextCursor: 'x' };
    const server = (await useApiServer(t)).reply(`GET ${martPath}/runs`, { body: future });
    assert.deepStrictEqual(await apiClientOf(server).runs.forDataMart(MART_ID).list(), future);
  });

  const WRONG_SHAPES = [
    ['runs.list', (c) => c.runs.list(), 'GET /api/data-marts/runs', [], 'OWOX Project Run History API returned an unexpected response shape'],
    ['start', (c) => c.runs.forDataMart(MART_ID).start(), `POST ${martPath}/manual-run`, { runId: 42 }, 'OWOX Data Mart Manual Run API returned an unexpected response shape'],
    ['getSettings', (c) => c.project.getSettings(), 'GET /api/projects/settings', { title: 'x' }, 'OWOX Project Settings API returned an unexpected response shape'],
    ['getEdges', (c) => c.models.getEdges(STORAGE_ID), 'GET /api/model-canvas/edges', { edges: null }, 'OWOX Model Canvas edges API returned an unexpected response shape'],
    ['search', (c) => c.search.query('x'), 'GET /api/search', { results: [] }, 'OWOX Search API returned an unexpected response shape'],
    ['parseToHtml', (c) => c.markdown.parseToHtml({ markdown: 'x' }), 'POST /api/markdown/parse-to-html', { html: '<p>x</p>' }, 'OWOX Markdown API returned an unexpected response shape'],
    ['publish', (c) => c.plugins.publish({ repository: 'o/r', scope: 'project' }), 'POST /api/plugins/publications', [{ publicationId: 'p' }], 'OWOX Plugins API returned an unexpected response shape for publish'],
    ['reports.get', (c) => c.reports.get(REPORT_ID), `GET /api/reports/${REPORT_ID}`, 'not json', 'OWOX Reports API returned an unexpected response shape'],
  ];
  for (const [name, call, route, body, message] of WRONG_SHAPES) {
    test(`${name}: a wrong top-level shape is an OWOXApiError with the body as details`, async (t) => {
      const server = (await useApiServer(t)).reply(route, { body });
      const error = await rejectionOf(call(apiClientOf(server)));
      assert.ok(error instanceof OWOXApiError);
      assert.equal(error.message, message);
      assert.deepStrictEqual(error.details, body);
    });
  }
});
