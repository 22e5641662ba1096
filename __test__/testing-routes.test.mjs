// Every JSON route of the bundled test server over plain HTTP: the response shapes (key
// order of the real server 0.35's captured responses, /work/shared/fixtures/real-backend/
// v0.35/*.json, copied here so the tests run on a fresh clone), the state changes, and the
// real error bodies (400 validation, 400/404/409 NestJS exceptions).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generateSampleData } from '@owox/api-client/testing';
import { serverFor, apiOf, assertErrorEnvelope, tokenOf, request, authHeaders } from './helpers/testing-http.mjs';

// Key orders of the captured responses.
const KEYS = {
  martDetail: ['id', 'title', 'status', 'storage', 'definition', 'description', 'schema', 'triggersCount', 'reportsCount', 'blendedFieldsConfig', 'createdByUser', 'businessOwnerUsers', 'technicalOwnerUsers', 'createdAt', 'modifiedAt', 'availableForReporting', 'availableForMaintenance', 'contexts', 'dataLastUpdated'],
  storageDetail: ['id', 'title', 'type', 'projectId', 'config', 'createdAt', 'modifiedAt', 'credentialId', 'createdByUser', 'ownerUsers', 'availableForUse', 'availableForMaintenance', 'contexts'],
  martRun: ['id', 'status', 'type', 'runType', 'dataMartId', 'definitionRun', 'reportId', 'reportDefinition', 'insightId', 'insightDefinition', 'insightTemplateId', 'insightTemplateDefinition', 'aiSourceDefinition', 'logs', 'errors', 'createdAt', 'startedAt', 'finishedAt', 'createdByUser', 'additionalParams', 'totals', 'qualitySummary'],
  report: ['id', 'title', 'dataMart', 'dataDestinationAccess', 'destinationConfig', 'columnConfig', 'filterConfig', 'sortConfig', 'limitConfig', 'aggregationConfig', 'dateTruncConfig', 'uniqueCountConfig', 'lastRunAt', 'lastRunStatus', 'lastRunError', 'runsCount', 'createdAt', 'modifiedAt', 'createdByUser', 'ownerUsers', 'canRun', 'canManageTriggers', 'canEditConfig'],
  projectInsight: ['id', 'title', 'sourcesCount', 'lastRenderedTemplateUpdatedAt', 'createdById', 'createdAt', 'modifiedAt', 'createdByUser', 'dataMart', 'canDelete'],
  canvasNode: ['id', 'title', 'status', 'description', 'fieldCount', 'dataLastUpdated'],
  setupSteps: ['hasStorage', 'hasDraftDataMart', 'hasPublishedDataMart', 'hasDestination', 'hasReport', 'hasReportRun', 'hasTeammatesInvited', 'hasGoogleSheetsDestination', 'hasGoogleSheetsExtension', 'hasGoogleSheetsReportRun', 'hasMcpQuery'],
  // OpenAPI PublicationResponseApiDto / PluginUpdateResultApiDto / PluginSuspensionResponseApiDto (required).
  publication: ['publicationId', 'pluginId', 'repository', 'scope', 'isActive', 'allProjects', 'audienceProjectIds', 'currentSemver', 'diagnostics'],
  updateResult: ['pluginId', 'repository', 'currentVersionId', 'currentSemver', 'outcome', 'updated', 'nextCheckAt', 'diagnostics'],
  searchResult: ['entityType', 'entityId', 'title', 'description', 'finalScore', 'kwScore', 'vecScore'],
};
const withDefinitionType = (keys) => [...keys.slice(0, 4), 'definitionType', ...keys.slice(4)];
const EXCEPTION_KEYS = ['message', 'error', 'statusCode', 'timestamp', 'path'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

function assertValidation(r, path, messages) {
  assert.equal(r.status, 400, r.text);
  assert.equal(r.body.message, 'Request validation failed');
  assert.equal(r.body.error, 'Bad Request');
  assert.deepEqual(r.body.details, { errors: messages.map((message) => ({ message })) });
  assertErrorEnvelope(assert, r.body, 400, path);
}

function assertException(r, status, path, message) {
  assert.equal(r.status, status, r.text);
  assert.deepEqual(Object.keys(r.body), EXCEPTION_KEYS);
  assert.equal(r.body.message, message);
  assertErrorEnvelope(assert, r.body, status, path);
}

async function sampleServer(t, extra = {}) {
  const sample = generateSampleData({ dataMarts: 40, storages: 3, destinations: 2 });
  const server = await serverFor(t, { ...sample, ...extra });
  return { server, sample, api: await apiOf(server) };
}

test('the route table lists every route with OpenAPI-style patterns; literal segments win over parameters', async (t) => {
  const { server, api } = await sampleServer(t);
  const routes = server.routes.map((r) => `${r.method} ${r.path}`);
  for (const expected of [
    'GET /api/data-marts/runs', 'GET /api/data-marts/{id}/runs', 'GET /api/data-marts/{id}/runs/{runId}', 'POST /api/data-marts/{id}/manual-run',
    'POST /api/data-marts/{id}/runs/{runId}/cancel', 'GET /api/projects/settings', 'PUT /api/projects/settings/description',
    'GET /api/project-setup-progress', 'GET /api/model-canvas/data-marts', 'GET /api/model-canvas/edges', 'GET /api/data-marts/insight-templates',
    'GET /api/search', 'POST /api/markdown/parse-to-html', 'POST /api/plugins/publications', 'GET /api/plugins/publications',
    'POST /api/plugins/publications/unpublish', 'POST /api/plugins/update', 'POST /api/plugins/suspend', 'POST /api/plugins/resume',
    'GET /api/reports', 'GET /api/reports/{id}', 'GET /api/data-marts/{id}', 'POST /api/data-marts', 'DELETE /api/data-marts/{id}',
    'GET /api/external/http-data/data-marts/{dataMartId}.ndjson', 'GET /api/external/http-data/reports/{reportId}.ndjson',
  ]) assert.ok(routes.includes(expected), expected);
  assert.ok(Array.isArray((await api('GET', '/api/data-marts/runs')).body.runs), '/runs is the project run list, not a mart');
  assert.ok(Array.isArray((await api('GET', '/api/data-marts/insight-templates')).body.insights));
  // A trailing slash routes like Express does; a percent-encoded id is decoded.
  assert.equal((await api('GET', '/api/projects/settings/')).status, 200);
  const id = server.collection('dataMarts')[0].id;
  assert.equal((await api('GET', `/api/data-marts/${encodeURIComponent(id).replace(/-/g, '%2D')}`)).body.id, id);
});

test('data marts: get, create, delete, with the real shapes and 404 bodies', async (t) => {
  const { server, api, sample } = await sampleServer(t);
  const defined = sample.dataMarts.find((m) => m.definitionType);
  let r = await api('GET', `/api/data-marts/${defined.id}`);
  assert.equal(r.status, 200);
  assert.deepEqual(Object.keys(r.body), withDefinitionType(KEYS.martDetail));
  assert.deepEqual(Object.keys(r.body.storage), KEYS.storageDetail);
  const storage = sample.storages.find((s) => s.title === defined.storage.title && s.type === defined.storage.type);
  assert.equal(r.body.storage.id, storage.id, 'the embedded storage is the listed one');

  r = await api('POST', '/api/data-marts', { title: 'Created with an API key', storageId: storage.id });
  assert.equal(r.status, 201);
  assert.deepEqual(Object.keys(r.body), ['id', 'title']);
  assert.match(r.body.id, UUID);
  const created = r.body.id;
  r = await api('GET', `/api/data-marts/${created}`);
  assert.deepEqual(Object.keys(r.body), KEYS.martDetail, 'an undefined draft has no definitionType key');
  assert.equal(r.body.status, 'DRAFT');
  const page = (await api('GET', '/api/data-marts')).body;
  assert.equal(page.total, 41);
  assert.equal(page.items[0].id, created, 'newest first');

  r = await api('DELETE', `/api/data-marts/${created}`);
  assert.equal(r.status, 200);
  assert.equal(r.text, '');
  const path = `/api/data-marts/${created}`;
  assertException(await api('GET', path), 404, path, `DataMart with id ${created} and projectId 0 not found`);
  assertException(await api('DELETE', path), 404, path, `DataMart with id ${created} and projectId 0 not found`);
  assert.equal((await api('GET', '/api/data-marts')).body.total, 40);

  assertValidation(await api('POST', '/api/data-marts', { storageId: storage.id, extra: 1 }), '/api/data-marts', ['property extra should not exist', 'title must be a string']);
  assertException(await api('POST', '/api/data-marts', { title: 'x', storageId: 'nope' }), 404, '/api/data-marts', 'DataStorage with id nope and projectId 0 not found');
  assert.deepEqual(Object.keys((await api('GET', `/api/data-storages/${storage.id}`)).body), KEYS.storageDetail);
});

test('runs: project list, per-mart list, detail, with limit/offset and 404s', async (t) => {
  const { server, api } = await sampleServer(t);
  const runs = server.collection('runs');
  assert.ok(runs.length >= 2);
  let r = await api('GET', '/api/data-marts/runs?limit=1');
  assert.equal(r.body.runs.length, 1);
  const expectProject = [...KEYS.martRun.slice(0, 5), 'dataMart', ...KEYS.martRun.slice(5)];
  assert.deepEqual(Object.keys(r.body.runs[0]), expectProject);
  const mart = server.collection('dataMarts').find((m) => m.id === runs[0].dataMartId);
  assert.deepEqual(r.body.runs[0].dataMart, { id: mart.id, title: mart.title });
  r = await api('GET', '/api/data-marts/runs?limit=1&offset=1');
  assert.equal(r.body.runs[0].id, runs[1].id);
  assertValidation(await api('GET', '/api/data-marts/runs?limit=abc'), '/api/data-marts/runs?limit=abc', ['limit must be a number conforming to the specified constraints']);
  assertValidation(await api('GET', '/api/data-marts/runs?page=2'), '/api/data-marts/runs?page=2', ['property page should not exist']);

  r = await api('GET', `/api/data-marts/${mart.id}/runs`);
  assert.ok(r.body.runs.length > 0 && r.body.runs.every((run) => run.dataMartId === mart.id));
  assert.deepEqual(Object.keys(r.body.runs[0]), KEYS.martRun);
  r = await api('GET', `/api/data-marts/${mart.id}/runs/${r.body.runs[0].id}`);
  assert.deepEqual(Object.keys(r.body), [...KEYS.martRun, 'dataQuality']);
  const missing = `/api/data-marts/${mart.id}/runs/00000000-0000-4000-8000-000000000000`;
  assertException(await api('GET', missing), 404, missing, 'Run not found');
  assertException(await api('GET', '/api/data-marts/nope/runs'), 404, '/api/data-marts/nope/runs', 'DataMart with id nope and projectId 0 not found');
});

test('manual run: 400 for a non-connector mart (real message), 201 { runId } for a connector mart, then cancel: 204, then 409', async (t) => {
  const { server, api } = await sampleServer(t);
  const marts = server.collection('dataMarts');
  const sql = marts.find((m) => m.status === 'PUBLISHED' && m.definitionType === 'SQL');
  const path = `/api/data-marts/${sql.id}/manual-run`;
  assertException(await api('POST', path, {}), 400, path, 'Only data marts with connector definition type can be run manually');

  const connector = marts.find((m) => m.status === 'PUBLISHED' && m.definitionType === 'CONNECTOR');
  let r = await api('POST', `/api/data-marts/${connector.id}/manual-run`, { payload: { runType: 'MANUAL_BACKFILL', data: { StartDate: '2026-11-01' } } });
  assert.equal(r.status, 201);
  assert.deepEqual(Object.keys(r.body), ['runId']);
  assert.match(r.body.runId, UUID);
  const runId = r.body.runId;
  const detail = (await api('GET', `/api/data-marts/${connector.id}/runs/${runId}`)).body;
  assert.equal(detail.status, 'PENDING');
  assert.equal(detail.type, 'CONNECTOR');
  assert.equal((await api('GET', '/api/data-marts/runs?limit=1')).body.runs[0].id, runId, 'newest first');

  assertValidation(
    await api('POST', `/api/data-marts/${connector.id}/manual-run`, { payload: { runType: 'FULL', extra: 1 } }),
    `/api/data-marts/${connector.id}/manual-run`,
    ['payload.property extra should not exist', 'payload.runType must be one of the following values: INCREMENTAL, MANUAL_BACKFILL'],
  );

  const cancel = `/api/data-marts/${connector.id}/runs/${runId}/cancel`;
  r = await api('POST', cancel);
  assert.equal(r.status, 204);
  assert.equal(r.text, '');
  assert.equal((await api('GET', `/api/data-marts/${connector.id}/runs/${runId}`)).body.status, 'CANCELLED');
  assert.equal((await api('POST', cancel)).status, 409);

  const httpRun = server.collection('runs').find((run) => run.type === 'HTTP_DATA');
  const httpCancel = `/api/data-marts/${httpRun.dataMartId}/runs/${httpRun.id}/cancel`;
  assertException(await api('POST', httpCancel), 400, httpCancel, 'Only connector, standard report, and Data Quality runs can be cancelled');
});

test('project settings: read, update, validation', async (t) => {
  const { api } = await sampleServer(t);
  assert.deepEqual((await api('GET', '/api/projects/settings')).body, { description: null });
  let r = await api('PUT', '/api/projects/settings/description', { description: 'Local test project' });
  assert.equal(r.status, 200);
  assert.deepEqual(r.body, { description: 'Local test project' });
  assert.deepEqual((await api('GET', '/api/projects/settings')).body, { description: 'Local test project' });
  assert.deepEqual((await api('PUT', '/api/projects/settings/description', { description: null })).body, { description: null });
  const path = '/api/projects/settings/description';
  assertValidation(await api('PUT', path, { description: '' }), path, ['description must be longer than or equal to 1 characters']);
  assertValidation(await api('PUT', path, {}), path, ['description must be a string']);
  assertValidation(await api('PUT', path, { description: 'x'.repeat(10001) }), path, ['description must be shorter than or equal to 10000 characters']);
});

test('setup progress: the real step list, derived from the collections, or as seeded', async (t) => {
  const { server, api } = await sampleServer(t);
  let r = await api('GET', '/api/project-setup-progress');
  assert.deepEqual(Object.keys(r.body), ['version', 'stepsSchemaVersion', 'progress', 'steps']);
  assert.deepEqual(Object.keys(r.body.steps), KEYS.setupSteps);
  assert.equal(r.body.steps.hasStorage.done, true);
  assert.equal(r.body.steps.hasTeammatesInvited.done, false);
  assert.equal(r.body.steps.hasTeammatesInvited.completedAt, null);
  const done = Object.values(r.body.steps).filter((s) => s.done).length;
  assert.equal(r.body.progress, Math.round((done * 100) / 11));
  server.seed({ storages: [], dataMarts: [], destinations: [], reports: [], runs: [] });
  r = await api('GET', '/api/project-setup-progress');
  assert.equal(r.body.progress, 0);
  const seeded = { version: 2, stepsSchemaVersion: 1, progress: 100, steps: {} };
  server.seed({ setupProgress: seeded });
  assert.deepEqual((await api('GET', '/api/project-setup-progress')).body, seeded);
});

test('model canvas: the marts of one storage sorted by title, edges touching them, 400 without storageId', async (t) => {
  const { server, api, sample } = await sampleServer(t);
  const storage = sample.storages[0];
  const on = sample.dataMarts.filter((m) => m.storage.title === storage.title && m.storage.type === storage.type);
  let r = await api('GET', `/api/model-canvas/data-marts?storageId=${storage.id}`);
  assert.equal(r.body.total, on.length);
  assert.equal(r.body.nextOffset, null);
  assert.deepEqual(r.body.items.map((n) => n.title), on.map((m) => m.title).sort());
  assert.deepEqual(Object.keys(r.body.items[0]), KEYS.canvasNode);
  r = await api('GET', `/api/model-canvas/data-marts?storageId=${storage.id}&offset=1`);
  assert.equal(r.body.items.length, on.length - 1);
  assertValidation(await api('GET', '/api/model-canvas/data-marts'), '/api/model-canvas/data-marts', ['storageId must be a string']);

  const edge = { id: 'e1', sourceDataMartId: on[0].id, targetDataMartId: on[1].id, joinConditions: [{ sourceFieldName: 'id', targetFieldName: 'mart_id' }] };
  const elsewhere = { id: 'e2', sourceDataMartId: 'x', targetDataMartId: 'y', joinConditions: [] };
  server.seed({ modelCanvasEdges: [edge, elsewhere] });
  assert.deepEqual((await api('GET', `/api/model-canvas/edges?storageId=${storage.id}`)).body, { edges: [edge] });
});

test('insight templates: the project list ({ insights }) with paging, and one mart\'s ({ data })', async (t) => {
  const { server, api } = await sampleServer(t);
  let r = await api('GET', '/api/data-marts/insight-templates');
  assert.ok(r.body.insights.length >= 2);
  assert.deepEqual(Object.keys(r.body.insights[0]), KEYS.projectInsight);
  assert.equal((await api('GET', '/api/data-marts/insight-templates?limit=1&offset=1')).body.insights[0].id, r.body.insights[1].id);
  const first = server.collection('insightTemplates')[0];
  r = await api('GET', `/api/data-marts/${first.dataMart.id}/insight-templates`);
  assert.deepEqual(Object.keys(r.body), ['data']);
  assert.deepEqual(Object.keys(r.body.data[0]), KEYS.projectInsight.slice(0, 8));
});

test('search: keyword matches over marts, storages, destinations and reports, with its filters and limits', async (t) => {
  const { api, sample } = await sampleServer(t);
  const word = sample.dataMarts[0].title.split(' ')[0];
  let r = await api('GET', `/api/search?q=${encodeURIComponent(word)}`);
  assert.equal(r.status, 200);
  assert.ok(r.body.length > 0);
  assert.deepEqual(Object.keys(r.body[0]), KEYS.searchResult);
  assert.ok(r.body.every((x) => x.vecScore === null && typeof x.finalScore === 'number'));
  r = await api('GET', `/api/search?q=${encodeURIComponent(word)}&limit=1&entityTypes=DATA_MART&excludeDrafts=true`);
  assert.equal(r.body.length, 1);
  assert.equal(r.body[0].entityType, 'DATA_MART');
  const drafts = new Set(sample.dataMarts.filter((m) => m.status === 'DRAFT').map((m) => m.id));
  assert.ok(!drafts.has(r.body[0].entityId));
  r = await api('GET', '/api/search?q=dashboard&entityTypes=REPORT');
  assert.ok(r.body.length > 0 && r.body.every((x) => x.entityType === 'REPORT' && x.report.dataMart.id));
  assert.deepEqual((await api('GET', '/api/search?q=zzzz-no-such-thing')).body, []);
  assertValidation(await api('GET', '/api/search'), '/api/search', ['q must be a string']);
  assertValidation(await api('GET', '/api/search?q=a&limit=51'), '/api/search?q=a&limit=51', ['limit must not be greater than 50']);
  assertValidation(await api('GET', '/api/search?q=a&entityTypes=USER'), '/api/search?q=a&entityTypes=USER', [
    'each value in entityTypes must be one of the following values: DATA_MART, DATA_STORAGE, DATA_DESTINATION, REPORT',
  ]);
});

test('markdown: 201 text/html in the markdown-body wrapper, raw HTML tags removed', async (t) => {
  const { api } = await sampleServer(t);
  const r = await api('POST', '/api/markdown/parse-to-html', { markdown: '# Hello\n\nSome **bold** text\n\n> note <script>x</script>' }, { accept: 'text/html' });
  assert.equal(r.status, 201);
  assert.equal(r.headers['content-type'], 'text/html; charset=utf-8');
  assert.match(r.text, /^<div class="markdown-body">/);
  assert.match(r.text, /<h1>Hello<\/h1>/);
  assert.match(r.text, /<strong>bold<\/strong>/);
  assert.ok(!r.text.includes('<script>'));
  assert.match(r.text, /note x/);
  assertValidation(await api('POST', '/api/markdown/parse-to-html', {}), '/api/markdown/parse-to-html', ['markdown must be a string']);
});

test('plugins: publish, list by scope, unpublish, update, suspend and resume', async (t) => {
  const { api } = await sampleServer(t);
  let r = await api('POST', '/api/plugins/publications', { repository: 'https://github.com/OWOX/example-plugin', scope: 'project' });
  assert.equal(r.status, 200);
  assert.deepEqual(Object.keys(r.body), KEYS.publication);
  assert.equal(r.body.repository, 'OWOX/example-plugin');
  assert.equal(r.body.isActive, true);
  const { publicationId, pluginId } = r.body;
  r = await api('GET', '/api/plugins/publications?scope=project');
  assert.deepEqual(r.body.map((p) => p.publicationId), [publicationId]);
  assert.deepEqual((await api('GET', '/api/plugins/publications?scope=member')).body, []);
  assertValidation(await api('GET', '/api/plugins/publications'), '/api/plugins/publications', ['scope must be one of the following values: deployment, project, member']);

  r = await api('POST', '/api/plugins/publications', { repository: 'OWOX/example-plugin', scope: 'deployment', projectIds: ['p1'] });
  assert.equal(r.body.pluginId, pluginId, 'one plugin id per repository');
  assert.deepEqual(r.body.audienceProjectIds, ['p1']);
  const path = '/api/plugins/publications';
  assertException(await api('POST', path, { repository: 'OWOX/example-plugin', scope: 'deployment' }), 400, path, 'A deployment publication needs projectIds or allProjects: true');
  assertException(await api('POST', path, { repository: 'OWOX/x', scope: 'project', allProjects: true }), 400, path, 'projectIds and allProjects are only allowed for the deployment scope');
  assertValidation(await api('POST', path, { repository: 'OWOX/x', scope: 'team' }), path, ['scope must be one of the following values: deployment, project, member']);

  r = await api('POST', '/api/plugins/publications/unpublish', { repository: 'OWOX/example-plugin', scope: 'project' });
  assert.equal(r.body.publicationId, publicationId);
  assert.equal(r.body.isActive, false);

  r = await api('POST', '/api/plugins/update', { repository: 'OWOX/example-plugin' });
  assert.deepEqual(Object.keys(r.body), KEYS.updateResult);
  assert.equal(r.body.outcome, 'up_to_date');
  assert.deepEqual((await api('POST', '/api/plugins/suspend', { repository: 'OWOX/example-plugin', note: 'why' })).body, { pluginId, suspended: true, note: 'why' });
  assert.deepEqual((await api('POST', '/api/plugins/resume', { repository: 'OWOX/example-plugin' })).body, { pluginId, suspended: false, note: null });
  assert.equal((await api('POST', '/api/plugins/suspend', { repository: 'OWOX/unknown' })).status, 404);
});

test('reports: list (owner filter, paging) and get, with the real shape and 404', async (t) => {
  const { server, api } = await sampleServer(t);
  let r = await api('GET', '/api/reports');
  assert.ok(Array.isArray(r.body) && r.body.length > 0);
  assert.deepEqual(Object.keys(r.body[0]), KEYS.report);
  assert.deepEqual(Object.keys(r.body[0].dataMart), withDefinitionType(KEYS.martDetail));
  const id = r.body[0].id;
  assert.deepEqual((await api('GET', `/api/reports/${id}`)).body, r.body[0]);
  assert.equal((await api('GET', '/api/reports?limit=1&offset=1')).body[0]?.id, r.body[1]?.id);
  assert.deepEqual((await api('GET', '/api/reports?ownerFilter=no_owners')).body, []);
  assertException(await api('GET', '/api/reports/nope'), 404, '/api/reports/nope', 'Report with id nope and projectId 0 not found');
  assertValidation(await api('GET', '/api/reports?ownerFilter=x'), '/api/reports?ownerFilter=x', ['ownerFilter must be one of the following values: has_owners, no_owners']);
  server.seed({ reports: [] });
  assert.deepEqual((await api('GET', '/api/reports')).body, []);
});

test('a body that is not JSON is refused with body-parser\'s 400', async (t) => {
  const { api } = await sampleServer(t);
  const r = await api('PUT', '/api/projects/settings/description', undefined, { 'content-type': 'application/json' });
  assert.equal(r.status, 400, 'an empty JSON body reads as {} and fails validation');
  const { server } = await sampleServer(t);
  const token = await tokenOf(server);
  const bad = await request(server, {
    method: 'POST',
    path: '/api/markdown/parse-to-html',
    headers: { ...authHeaders(server, token), 'content-type': 'application/json' },
    body: '{"markdown":',
  });
  assert.equal(bad.status, 400);
  assert.equal(JSON.parse(bad.text).error, 'Bad Request');
});

test('a seeded value that cannot be serialized is a 500 (and a line on stderr), not a crashed test process', async (t) => {
  const { server, api } = await sampleServer(t);
  server.seed({ projectSettings: { description: 10n } });
  const r = await api('GET', '/api/projects/settings');
  assert.equal(r.status, 500);
  assert.deepEqual(r.body, { statusCode: 500, message: 'Internal server error' });
  assert.equal((await api('GET', '/api/data-marts')).status, 200, 'the server keeps answering');
});
