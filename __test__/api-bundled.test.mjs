// Every named call against the bundled test server (@owox/api-client/testing) seeded with
// its sample data: the request it records, and a result equal to what a plain HTTP client
// gets from the same request (JSON.parse of the body). Writes are followed by the read that
// shows them.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { OWOXApiError } from '@owox/api-client';
import { generateSampleData } from '@owox/api-client/testing';
import { clientOf, rejectionOf, useServer } from './helpers/server.mjs';

/** The sample data plus a published connector mart with a running run (to start and cancel). */
function seed() {
  const sample = generateSampleData({ dataMarts: 8 });
  const connector = { ...sample.dataMarts[0], id: 'c0c0c0c0-0000-4000-8000-000000000001', title: 'Connector mart', status: 'PUBLISHED', definitionType: 'CONNECTOR' };
  const running = { ...sample.runs[0], id: 'c0c0c0c0-0000-4000-8000-0000000000aa', dataMartId: connector.id, type: 'CONNECTOR', status: 'RUNNING', finishedAt: null };
  return { collections: { ...sample, dataMarts: [connector, ...sample.dataMarts], runs: [running, ...sample.runs] }, connector, running };
}

/** What a plain HTTP client gets for the same request: JSON.parse of the body (or the text). */
async function raw(server, method, path, { query, body } = {}) {
  const exchange = await fetch(`${server.origin}/api/auth/api-keys/exchange`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-owox-api-key-id': server.apiKeyId },
    body: JSON.stringify({ apiKeySecret: server.apiKeySecret }),
  });
  const { accessToken } = await exchange.json();
  const url = new URL(path, server.origin);
  for (const [key, value] of Object.entries(query ?? {})) url.searchParams.set(key, value);
  const response = await fetch(url, {
    method,
    headers: { accept: 'application/json', 'x-owox-api-key-id': server.apiKeyId, 'x-owox-authorization': `Bearer ${accessToken}`, ...(body && { 'content-type': 'application/json' }) },
    body: body && JSON.stringify(body),
  });
  const text = await response.text();
  return text === '' ? undefined : JSON.parse(text);
}

/** The last request the client sent, as the server recorded it (token exchanges aside). */
function lastRequest(server) {
  const { method, path, query, body } = server.requests.filter((r) => !r.path.startsWith('/api/auth/api-keys')).at(-1);
  return { method, path, query, body: body === '' ? undefined : JSON.parse(body) };
}

describe('reads: the recorded request, and the body as a plain HTTP client gets it', () => {
  const { collections: data } = seed();
  const mart = data.dataMarts[1];
  const storageId = data.storages[0].id;
  const READS = [
    ['runs.list', (c) => c.runs.list({ limit: 3, offset: 1 }), 'GET', '/api/data-marts/runs', { limit: '3', offset: '1' }],
    ['runs.forDataMart(id).list', (c) => c.runs.forDataMart(data.runs[1].dataMartId).list({ limit: 2 }), 'GET', `/api/data-marts/${data.runs[1].dataMartId}/runs`, { limit: '2' }],
    ['runs.forDataMart(id).get', (c) => c.runs.forDataMart(data.runs[1].dataMartId).get(data.runs[1].id), 'GET', `/api/data-marts/${data.runs[1].dataMartId}/runs/${data.runs[1].id}`, {}],
    ['project.getSettings', (c) => c.project.getSettings(), 'GET', '/api/projects/settings', {}],
    ['project.getSetupProgress', (c) => c.project.getSetupProgress(), 'GET', '/api/project-setup-progress', {}],
    ['models.getDataMarts', (c) => c.models.getDataMarts(storageId, 0), 'GET', '/api/model-canvas/data-marts', { storageId, offset: '0' }],
    ['insights.getTemplates', (c) => c.insights.getTemplates({ limit: 5 }), 'GET', '/api/data-marts/insight-templates', { limit: '5' }],
    ['search.query', (c) => c.search.query(mart.title.slice(0, 4), { limit: 5, entityTypes: ['DATA_MART'], excludeDrafts: false }), 'GET', '/api/search', { q: mart.title.slice(0, 4), limit: '5', entityTypes: 'DATA_MART', excludeDrafts: 'false' }],
    ['plugins.listPublications', (c) => c.plugins.listPublications('project'), 'GET', '/api/plugins/publications', { scope: 'project' }],
    ['dataMarts.get', (c) => c.dataMarts.get(mart.id), 'GET', `/api/data-marts/${mart.id}`, {}],
    ['reports.list', (c) => c.reports.list(), 'GET', '/api/reports', {}],
    ['reports.get', (c) => c.reports.get(data.reports[0].id), 'GET', `/api/reports/${data.reports[0].id}`, {}],
  ];
  for (const [name, call, method, path, query] of READS) {
    test(name, async (t) => {
      const server = await useServer(t, data);
      const result = await call(clientOf(server));
      assert.deepStrictEqual(lastRequest(server), { method, path, query, body: undefined });
      assert.deepStrictEqual(result, await raw(server, method, path, { query }));
    });
  }

  test('models.getEdges resolves to the edges array of the body', async (t) => {
    const server = await useServer(t, data);
    const edges = await clientOf(server).models.getEdges(storageId);
    assert.deepStrictEqual(lastRequest(server), { method: 'GET', path: '/api/model-canvas/edges', query: { storageId }, body: undefined });
    assert.deepStrictEqual(edges, (await raw(server, 'GET', '/api/model-canvas/edges', { query: { storageId } })).edges);
  });
});

describe('writes, each followed by the read that shows it', () => {
  test('runs: start a connector mart, read the run, cancel it; other marts are refused by the server', async (t) => {
    const { collections, connector, running } = seed();
    const data = { ...collections, connector, running };
    const server = await useServer(t, collections);
    const runs = clientOf(server).runs.forDataMart(data.connector.id);
    const { runId } = await runs.start({ payload: { runType: 'INCREMENTAL' } });
    assert.deepStrictEqual(lastRequest(server), { method: 'POST', path: `/api/data-marts/${data.connector.id}/manual-run`, query: {}, body: { payload: { runType: 'INCREMENTAL' } } });
    assert.equal((await runs.get(runId)).status, 'PENDING');

    assert.equal(await runs.cancel(data.running.id), undefined);
    assert.deepStrictEqual(lastRequest(server), { method: 'POST', path: `/api/data-marts/${data.connector.id}/runs/${data.running.id}/cancel`, query: {}, body: undefined });
    assert.equal((await runs.get(data.running.id)).status, 'CANCELLED');

    const refused = await rejectionOf(clientOf(server).runs.forDataMart(data.dataMarts[1].id).start());
    assert.ok(refused instanceof OWOXApiError);
    assert.equal(refused.status, 400);
    assert.match(refused.message, /Only data marts with connector definition type can be run manually/);
  });

  test('project.updateDescription, then getSettings', async (t) => {
    const server = await useServer(t, seed().collections);
    const client = clientOf(server);
    assert.deepStrictEqual(await client.project.updateDescription('Weekly numbers'), { description: 'Weekly numbers' });
    assert.deepStrictEqual(lastRequest(server), { method: 'PUT', path: '/api/projects/settings/description', query: {}, body: { description: 'Weekly numbers' } });
    assert.deepStrictEqual(await client.project.getSettings(), { description: 'Weekly numbers' });
  });

  test('markdown.parseToHtml asks for text/html and resolves to the HTML', async (t) => {
    const server = await useServer(t, seed().collections);
    const html = await clientOf(server).markdown.parseToHtml({ markdown: '# Hello' });
    assert.equal(typeof html, 'string');
    assert.match(html, /<h1[^>]*>Hello<\/h1>/);
    assert.equal(server.requests.at(-1).headers.accept, 'text/html');
  });

  test('plugins: publish, list, update, suspend, resume, unpublish', async (t) => {
    const server = await useServer(t, seed().collections);
    const plugins = clientOf(server).plugins;
    const published = await plugins.publish({ repository: 'owox/example-plugin', scope: 'project' });
    assert.deepStrictEqual(lastRequest(server).body, { repository: 'owox/example-plugin', scope: 'project' });
    assert.equal(published.isActive, true);
    assert.deepStrictEqual(await plugins.listPublications('project'), [published]);
    assert.equal((await plugins.update('owox/example-plugin')).pluginId, published.pluginId);
    assert.deepStrictEqual(await plugins.suspend('owox/example-plugin', 'review'), { pluginId: published.pluginId, suspended: true, note: 'review' });
    assert.deepStrictEqual(await plugins.resume('owox/example-plugin'), { pluginId: published.pluginId, suspended: false, note: null });
    assert.deepStrictEqual(lastRequest(server).body, { repository: 'owox/example-plugin' });
    assert.equal((await plugins.unpublish({ repository: 'owox/example-plugin', scope: 'project' })).isActive, false);
  });

  test('dataMarts.create, get, delete; a deleted mart is a 404', async (t) => {
    const { collections: data } = seed();
    const server = await useServer(t, data);
    const marts = clientOf(server).dataMarts;
    const created = await marts.create({ title: 'Created here', storageId: data.storages[0].id });
    assert.deepStrictEqual(lastRequest(server).body, { title: 'Created here', storageId: data.storages[0].id });
    assert.equal(created.title, 'Created here');
    assert.equal((await marts.get(created.id)).title, 'Created here');
    assert.equal(await marts.delete(created.id), undefined);
    assert.deepStrictEqual(lastRequest(server), { method: 'DELETE', path: `/api/data-marts/${created.id}`, query: {}, body: undefined });
    const gone = await rejectionOf(marts.get(created.id));
    assert.ok(gone instanceof OWOXApiError);
    assert.equal(gone.status, 404);
  });
});
