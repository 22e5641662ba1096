// Every named call of the original client 0.31 (and the data-mart/report CRUD of server
// 0.35): the exact request it sends (method, path, query, body), what it returns for a
// real server body, an error body of the real server, and one bad argument refused with
// nothing sent (not even the token exchange). The server is a scripted node:http one
// (helpers/api-server.mjs): the bundled test server did not serve these routes yet.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { OWOXApiError, OWOXConfigError } from '@owox/api-client';
import { apiClientOf, useApiServer } from './helpers/api-server.mjs';
import { rejectionOf } from './helpers/server.mjs';
import * as bodies from './helpers/api-bodies.mjs';

const { MART_ID, RUN_ID, STORAGE_ID, REPORT_ID } = bodies.IDS;
const martPath = `/api/data-marts/${MART_ID}`;

/**
 * One case per call: `call(client)` is what a script writes; `route` and `query`/`body` are
 * the request it must send; `reply` the server's answer; `result` what the call gives.
 * `bad` is a wrong argument and the start of the message that refuses it.
 */
const CALLS = [
  {
    name: 'runs.list',
    call: (c) => c.runs.list({ limit: 5, offset: 10 }),
    route: 'GET /api/data-marts/runs',
    query: 'limit=5&offset=10',
    reply: { body: bodies.PROJECT_RUNS },
    result: bodies.PROJECT_RUNS,
    bad: [(c) => c.runs.list({ limit: 0 }), 'runs.list(): limit must be a positive integer'],
  },
  {
    name: 'runs.list (no options)',
    call: (c) => c.runs.list(),
    route: 'GET /api/data-marts/runs',
    query: '',
    reply: { body: bodies.PROJECT_RUNS },
    result: bodies.PROJECT_RUNS,
    bad: [(c) => c.runs.list({ offset: -1 }), 'runs.list(): offset must be a non-negative integer'],
  },
  {
    name: 'runs.forDataMart(id).start()',
    call: (c) => c.runs.forDataMart(MART_ID).start(),
    route: `POST ${martPath}/manual-run`,
    body: {},
    reply: { status: 201, body: { runId: RUN_ID } },
    result: { runId: RUN_ID },
    error: bodies.MANUAL_RUN_400,
    bad: [(c) => c.runs.forDataMart(MART_ID).start({ payload: [] }), 'runs.forDataMart(dataMartId).start(): request.payload must be a plain object'],
  },
  {
    name: 'runs.forDataMart(id).start({ payload })',
    call: (c) => c.runs.forDataMart(MART_ID).start({ payload: { runType: 'MANUAL_BACKFILL', data: { StartDate: '2026-07-01' } } }),
    route: `POST ${martPath}/manual-run`,
    body: { payload: { runType: 'MANUAL_BACKFILL', data: { StartDate: '2026-07-01' } } },
    reply: { status: 201, body: { runId: RUN_ID } },
    result: { runId: RUN_ID },
    bad: [(c) => c.runs.forDataMart(MART_ID).start({ payload: { data: 'x'.repeat(1024 * 1024) } }), 'runs.forDataMart(dataMartId).start(): the manual-run payload exceeds 1MB'],
  },
  {
    name: 'runs.forDataMart(id).list',
    call: (c) => c.runs.forDataMart(MART_ID).list({ limit: 5 }),
    route: `GET ${martPath}/runs`,
    query: 'limit=5',
    reply: { body: bodies.DATA_MART_RUNS },
    result: bodies.DATA_MART_RUNS,
    bad: [(c) => c.runs.forDataMart(MART_ID).list({ limit: '5' }), 'runs.forDataMart(dataMartId).list(): limit must be a number'],
  },
  {
    name: 'runs.forDataMart(id).get',
    call: (c) => c.runs.forDataMart(MART_ID).get(RUN_ID),
    route: `GET ${martPath}/runs/${RUN_ID}`,
    reply: { body: bodies.DATA_MART_RUN },
    result: bodies.DATA_MART_RUN,
    error: bodies.RUN_NOT_FOUND_404,
    bad: [(c) => c.runs.forDataMart(MART_ID).get('..'), 'runs.forDataMart(dataMartId).get(): Invalid OWOX run ID'],
  },
  {
    name: 'runs.forDataMart(id).cancel',
    call: (c) => c.runs.forDataMart(MART_ID).cancel(RUN_ID),
    route: `POST ${martPath}/runs/${RUN_ID}/cancel`,
    reply: { status: 201 },
    result: undefined,
    bad: [(c) => c.runs.forDataMart(MART_ID).cancel('run/1'), 'runs.forDataMart(dataMartId).cancel(): Invalid OWOX run ID'],
  },
  {
    name: 'project.getSettings',
    call: (c) => c.project.getSettings(),
    route: 'GET /api/projects/settings',
    reply: { body: bodies.PROJECT_SETTINGS },
    result: bodies.PROJECT_SETTINGS,
    bad: [(c) => c.project.getSettings({ limit: 1 }), "project.getSettings() does not take the option 'limit'"],
  },
  {
    name: 'project.updateDescription',
    call: (c) => c.project.updateDescription('Local test project'),
    route: 'PUT /api/projects/settings/description',
    body: { description: 'Local test project' },
    reply: { body: bodies.PROJECT_SETTINGS_UPDATED },
    result: bodies.PROJECT_SETTINGS_UPDATED,
    bad: [(c) => c.project.updateDescription(42), 'project.updateDescription(): description must be a string or null'],
  },
  {
    name: 'project.updateDescription(null)',
    call: (c) => c.project.updateDescription(null),
    route: 'PUT /api/projects/settings/description',
    body: { description: null },
    reply: { body: bodies.PROJECT_SETTINGS },
    result: bodies.PROJECT_SETTINGS,
    bad: [(c) => c.project.updateDescription(), 'project.updateDescription(): description must be a string or null'],
  },
  {
    name: 'project.getSetupProgress',
    call: (c) => c.project.getSetupProgress(),
    route: 'GET /api/project-setup-progress',
    reply: { body: bodies.SETUP_PROGRESS },
    result: bodies.SETUP_PROGRESS,
    bad: [(c) => c.project.getSetupProgress({}, {}), 'project.getSetupProgress(options?) takes at most 1 argument'],
  },
  {
    name: 'models.getDataMarts',
    call: (c) => c.models.getDataMarts(STORAGE_ID, 1000),
    route: 'GET /api/model-canvas/data-marts',
    query: `storageId=${STORAGE_ID}&offset=1000`,
    reply: { body: bodies.MODEL_CANVAS_PAGE },
    result: bodies.MODEL_CANVAS_PAGE,
    error: bodies.STORAGE_424,
    bad: [(c) => c.models.getDataMarts(STORAGE_ID, 1.5), 'models.getDataMarts(): offset must be a non-negative integer'],
  },
  {
    name: 'models.getDataMarts (no offset)',
    call: (c) => c.models.getDataMarts(STORAGE_ID),
    route: 'GET /api/model-canvas/data-marts',
    query: `storageId=${STORAGE_ID}`,
    reply: { body: bodies.MODEL_CANVAS_PAGE },
    result: bodies.MODEL_CANVAS_PAGE,
    bad: [(c) => c.models.getDataMarts(), 'models.getDataMarts(): storageId must be a non-empty string'],
  },
  {
    name: 'models.getEdges',
    call: (c) => c.models.getEdges(STORAGE_ID),
    route: 'GET /api/model-canvas/edges',
    query: `storageId=${STORAGE_ID}`,
    reply: { body: bodies.MODEL_CANVAS_EDGES },
    // The original hands over the array inside the envelope.
    result: bodies.MODEL_CANVAS_EDGES.edges,
    bad: [(c) => c.models.getEdges(''), 'models.getEdges(): storageId must be a non-empty string'],
  },
  {
    name: 'insights.getTemplates',
    call: (c) => c.insights.getTemplates({ limit: 5, offset: 0 }),
    route: 'GET /api/data-marts/insight-templates',
    query: 'limit=5&offset=0',
    reply: { body: bodies.INSIGHT_TEMPLATES },
    result: bodies.INSIGHT_TEMPLATES,
    bad: [(c) => c.insights.getTemplates({ limit: 5, page: 2 }), "insights.getTemplates() does not take the option 'page'"],
  },
  {
    name: 'search.query',
    call: (c) => c.search.query('Mart & co', { limit: 3, entityTypes: ['DATA_MART', 'DATA_STORAGE'], excludeDrafts: true }),
    route: 'GET /api/search',
    query: 'q=Mart+%26+co&limit=3&entityTypes=DATA_MART%2CDATA_STORAGE&excludeDrafts=true',
    reply: { body: bodies.SEARCH_RESULTS },
    result: bodies.SEARCH_RESULTS,
    error: bodies.VALIDATION_400,
    bad: [(c) => c.search.query('Mart', { entityTypes: 'DATA_MART' }), 'search.query(): entityTypes must be an array of strings'],
  },
  {
    name: 'search.query (empty entityTypes left out)',
    call: (c) => c.search.query('Mart', { entityTypes: [] }),
    route: 'GET /api/search',
    query: 'q=Mart',
    reply: { body: [] },
    result: [],
    bad: [(c) => c.search.query({ q: 'Mart' }), 'search.query(): q must be a string'],
  },
  {
    name: 'markdown.parseToHtml',
    call: (c) => c.markdown.parseToHtml({ markdown: '# Hello' }),
    route: 'POST /api/markdown/parse-to-html',
    body: { markdown: '# Hello' },
    accept: 'text/html',
    reply: { status: 201, headers: { 'content-type': 'text/html; charset=utf-8' }, body: bodies.MARKDOWN_HTML },
    result: bodies.MARKDOWN_HTML,
    bad: [(c) => c.markdown.parseToHtml('# Hello'), 'markdown.parseToHtml(): request must be a plain object'],
  },
  {
    name: 'plugins.publish',
    call: (c) => c.plugins.publish({ repository: 'owox/example-plugin', scope: 'deployment', allProjects: true }),
    route: 'POST /api/plugins/publications',
    body: { repository: 'owox/example-plugin', scope: 'deployment', allProjects: true },
    reply: { status: 201, body: bodies.PUBLICATION },
    result: bodies.PUBLICATION,
    bad: [(c) => c.plugins.publish({ scope: 'project' }), 'plugins.publish(): input.repository must be a non-empty string'],
  },
  {
    name: 'plugins.unpublish',
    call: (c) => c.plugins.unpublish({ repository: 'owox/example-plugin', scope: 'project' }),
    route: 'POST /api/plugins/publications/unpublish',
    body: { repository: 'owox/example-plugin', scope: 'project' },
    reply: { status: 201, body: bodies.PUBLICATION },
    result: bodies.PUBLICATION,
    bad: [(c) => c.plugins.unpublish({ repository: 'owox/x', scope: 'deployment', projectIds: 'p1' }), 'plugins.unpublish(): input.projectIds must be an array of strings'],
  },
  {
    name: 'plugins.listPublications',
    call: (c) => c.plugins.listPublications('project'),
    route: 'GET /api/plugins/publications',
    query: 'scope=project',
    reply: { body: [bodies.PUBLICATION] },
    result: [bodies.PUBLICATION],
    bad: [(c) => c.plugins.listPublications(), 'plugins.listPublications(): scope must be a non-empty string'],
  },
  {
    name: 'plugins.update',
    call: (c) => c.plugins.update('owox/example-plugin'),
    route: 'POST /api/plugins/update',
    body: { repository: 'owox/example-plugin' },
    reply: { status: 201, body: bodies.UPDATE_RESULT },
    result: bodies.UPDATE_RESULT,
    bad: [(c) => c.plugins.update(['owox/example-plugin']), 'plugins.update(): repository must be a non-empty string'],
  },
  {
    name: 'plugins.suspend',
    call: (c) => c.plugins.suspend('owox/example-plugin', 'security review'),
    route: 'POST /api/plugins/suspend',
    body: { repository: 'owox/example-plugin', note: 'security review' },
    reply: { status: 201, body: bodies.SUSPENSION },
    result: bodies.SUSPENSION,
    bad: [(c) => c.plugins.suspend('owox/example-plugin', 7), 'plugins.suspend(): note must be a string'],
  },
  {
    name: 'plugins.resume (no note)',
    call: (c) => c.plugins.resume('owox/example-plugin'),
    route: 'POST /api/plugins/resume',
    body: { repository: 'owox/example-plugin' },
    reply: { status: 201, body: { ...bodies.SUSPENSION, suspended: false, note: null } },
    result: { ...bodies.SUSPENSION, suspended: false, note: null },
    bad: [(c) => c.plugins.resume(' '), 'plugins.resume(): repository must be a non-empty string'],
  },
  {
    name: 'dataMarts.get',
    call: (c) => c.dataMarts.get(bodies.DATA_MART.id),
    route: `GET /api/data-marts/${bodies.DATA_MART.id}`,
    reply: { body: bodies.DATA_MART },
    result: bodies.DATA_MART,
    error: { message: 'DataMart with id 00dcfdfb not found', error: 'Not Found', statusCode: 404 },
    bad: [(c) => c.dataMarts.get('a%2Fb'), 'dataMarts.get(): Invalid OWOX Data Mart ID'],
  },
  {
    name: 'dataMarts.create',
    call: (c) => c.dataMarts.create({ title: 'Created with an API key', storageId: STORAGE_ID }),
    route: 'POST /api/data-marts',
    body: { title: 'Created with an API key', storageId: STORAGE_ID },
    reply: { status: 201, body: bodies.DATA_MART_CREATED },
    result: bodies.DATA_MART_CREATED,
    bad: [(c) => c.dataMarts.create({ title: 'No storage' }), 'dataMarts.create(): input.storageId must be a non-empty string'],
  },
  {
    name: 'dataMarts.delete',
    call: (c) => c.dataMarts.delete(bodies.DATA_MART.id),
    route: `DELETE /api/data-marts/${bodies.DATA_MART.id}`,
    reply: { status: 200 },
    result: undefined,
    bad: [(c) => c.dataMarts.delete(''), 'dataMarts.delete(): Invalid OWOX Data Mart ID'],
  },
  {
    name: 'reports.list',
    call: (c) => c.reports.list({ ownerFilter: 'has_owners', limit: 10, offset: 20 }),
    route: 'GET /api/reports',
    query: 'ownerFilter=has_owners&limit=10&offset=20',
    reply: { body: [bodies.REPORT] },
    result: [bodies.REPORT],
    bad: [(c) => c.reports.list({ ownerFilter: 1 }), 'reports.list(): ownerFilter must be a string'],
  },
  {
    name: 'reports.get',
    call: (c) => c.reports.get(REPORT_ID),
    route: `GET /api/reports/${REPORT_ID}`,
    reply: { body: bodies.REPORT },
    result: bodies.REPORT,
    bad: [(c) => c.reports.get('.'), 'reports.get(): Invalid OWOX report ID'],
  },
];

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
      assert.equal(error.message, `OWOX API request failed with ${errorBody.statusCode} ${STATUS_TEXT[errorBody.statusCode]}: ${errorBody.message}`);
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
