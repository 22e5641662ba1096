// The generators of @owox/api-client/testing: deterministic, shaped like the real
// server's list items, and a sample project that agrees with itself (issue 8, item 15):
// no mart on a storage that is not listed, no mart whose source contradicts its title,
// nothing that looks like a credential.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  generateDataMarts,
  generateStorages,
  generateDestinations,
  generateRuns,
  generateReports,
  generateInsightTemplates,
  generateSampleData,
} from '@owox/api-client/testing';
import { serverFor, apiOf } from './helpers/testing-http.mjs';

// Key orders of the real server's list items (fixtures samples-list-*.json and v0.35).
const MART_KEYS = ['id', 'title', 'status', 'storage', 'description', 'definitionType', 'triggersCount', 'reportsCount', 'createdByUser', 'businessOwnerUsers', 'technicalOwnerUsers', 'createdAt', 'modifiedAt', 'contexts', 'availableForReporting', 'availableForMaintenance', 'dataLastUpdated'];
const STORAGE_KEYS = ['id', 'title', 'type', 'createdAt', 'modifiedAt', 'publishedDataMartsCount', 'draftDataMartsCount', 'createdByUser', 'ownerUsers', 'contexts', 'availableForUse', 'availableForMaintenance'];
const DESTINATION_KEYS = ['id', 'title', 'type', 'projectId', 'credentials', 'createdAt', 'modifiedAt', 'credentialId', 'createdByUser', 'ownerUsers', 'availableForUse', 'availableForMaintenance', 'contexts', 'config'];

// Which words in a title name which connector.
const CONNECTOR_WORDS = { FacebookMarketing: /facebook/i, GoogleAds: /google ads/i, TikTokAds: /tiktok/i, LinkedInAds: /linkedin/i, OpenExchangeRates: /exchange rates/i };

const storageKey = (s) => `${s.type}\u0000${s.title}`;

function assertConsistent({ dataMarts, storages }) {
  const listed = new Set(storages.map(storageKey));
  for (const mart of dataMarts) {
    assert.ok(listed.has(storageKey(mart.storage)), `mart ${mart.id} is on ${mart.storage.title}, which is listed`);
    if (mart.definitionType === 'CONNECTOR') {
      assert.match(mart.title, CONNECTOR_WORDS[mart.connectorSourceName], `${mart.title} is a ${mart.connectorSourceName} mart`);
    } else {
      assert.equal(mart.connectorSourceName, undefined);
      // A draft not defined yet has no source to contradict its title.
      if (mart.definitionType === null) continue;
      for (const [name, words] of Object.entries(CONNECTOR_WORDS)) assert.doesNotMatch(mart.title, words, `${mart.title} (${mart.definitionType}) is not a ${name} connector`);
    }
  }
}

// Every key that names a secret holds the real server's redaction, never a value.
function assertNoSecrets(value, where = '$') {
  if (Array.isArray(value)) return value.forEach((v, i) => assertNoSecrets(v, `${where}[${i}]`));
  if (value === null || typeof value !== 'object') return;
  for (const [key, v] of Object.entries(value)) {
    if (/secret|password|token|private/i.test(key)) assert.equal(v, '<redacted>', `${where}.${key}`);
    assertNoSecrets(v, `${where}.${key}`);
  }
}

test('generators are deterministic per seed and shaped like the real list items', () => {
  assert.deepEqual(generateDataMarts(20, { seed: 7 }), generateDataMarts(20, { seed: 7 }));
  assert.notDeepEqual(generateDataMarts(5, { seed: 7 }), generateDataMarts(5, { seed: 8 }));
  const marts = generateDataMarts(2500);
  assert.equal(new Set(marts.map((m) => m.id)).size, marts.length, 'ids unique');
  for (let i = 1; i < marts.length; i++) assert.ok(marts[i - 1].createdAt >= marts[i].createdAt, 'newest first');
  assert.ok(marts.some((m) => /[^\x00-\x7f]/.test(m.title)), 'unicode titles');
  assert.ok(marts.some((m) => m.status === 'DRAFT') && marts.some((m) => m.status === 'PUBLISHED'));
  assert.deepEqual(Object.keys(marts.find((m) => m.definitionType !== 'CONNECTOR')), MART_KEYS);
  const connector = marts.find((m) => m.definitionType === 'CONNECTOR');
  assert.deepEqual(Object.keys(connector), [...MART_KEYS.slice(0, 6), 'connectorSourceName', ...MART_KEYS.slice(6)]);
  assert.deepEqual(Object.keys(generateStorages(3)[0]), STORAGE_KEYS);
  assert.deepEqual(Object.keys(generateDestinations(3)[0]), DESTINATION_KEYS);
  assert.throws(() => generateDataMarts(-1), /non-negative integer/);
  assert.throws(() => generateDataMarts(2, { storages: [] }), /non-empty array/);
});

test('a shorter storage list is a prefix of a longer one, so generated marts are on listed storages', () => {
  assert.deepEqual(generateStorages(2), generateStorages(5).slice(0, 2));
  for (const n of [2, 3, 7]) assertConsistent({ dataMarts: generateDataMarts(500), storages: generateStorages(n) });
  const storages = generateStorages(6, { seed: 4 });
  assertConsistent({ dataMarts: generateDataMarts(500, { seed: 4, storages }), storages });
});

test('titles, connectors and descriptions agree, and nothing looks like a credential', () => {
  const marts = generateDataMarts(3000);
  assertConsistent({ dataMarts: marts, storages: generateStorages(2) });
  // A description mentions nothing that contradicts the mart's own title: each comes from the same template.
  const byTitle = new Map();
  for (const m of marts) {
    const base = m.title.replace(/ #\d+$/, '');
    if (!byTitle.has(base)) byTitle.set(base, new Set());
    byTitle.get(base).add(m.description);
  }
  for (const [title, descriptions] of byTitle) assert.equal(descriptions.size, 1, `${title} has one description`);
  assertNoSecrets(generateDestinations(10));
  assertNoSecrets(generateSampleData({ dataMarts: 50 }));
});

test('generateSampleData: one project that agrees with itself, counts included', () => {
  const sample = generateSampleData({ dataMarts: 60, storages: 3, destinations: 4 });
  assertConsistent(sample);
  for (const storage of sample.storages) {
    const on = sample.dataMarts.filter((m) => storageKey(m.storage) === storageKey(storage));
    assert.equal(storage.publishedDataMartsCount, on.filter((m) => m.status === 'PUBLISHED').length);
    assert.equal(storage.draftDataMartsCount, on.filter((m) => m.status === 'DRAFT').length);
  }
  const martIds = new Set(sample.dataMarts.map((m) => m.id));
  assert.ok(sample.runs.length > 0 && sample.runs.every((r) => martIds.has(r.dataMartId)));
  assert.ok(sample.reports.length > 0 && sample.reports.every((r) => martIds.has(r.dataMart.id)));
  const destinationIds = new Set(sample.destinations.map((d) => d.id));
  assert.ok(sample.reports.every((r) => destinationIds.has(r.dataDestinationAccess.id)));
  assert.ok(sample.insightTemplates.every((x) => martIds.has(x.dataMart.id)));
  // Runs of connector marts are connector runs; others are data reads.
  const marts = new Map(sample.dataMarts.map((m) => [m.id, m]));
  for (const run of sample.runs) assert.equal(run.type, marts.get(run.dataMartId).definitionType === 'CONNECTOR' ? 'CONNECTOR' : 'HTTP_DATA');
  assert.deepEqual(generateRuns([]), []);
  assert.deepEqual(generateReports(sample.dataMarts, []), [], 'no report without a destination');
  assert.equal(generateInsightTemplates(sample.dataMarts, { count: 1 }).length, 1);
});

test('the default server serves that consistent sample over HTTP, and re-derives runs and reports for seeded marts', async (t) => {
  const server = await serverFor(t);
  const api = await apiOf(server);
  const dataMarts = (await api('GET', '/api/data-marts')).body.items;
  const storages = (await api('GET', '/api/data-storages')).body;
  assertConsistent({ dataMarts, storages });
  assertNoSecrets((await api('GET', '/api/data-destinations')).body);
  for (const run of (await api('GET', '/api/data-marts/runs')).body.runs) assert.ok(dataMarts.some((m) => m.id === run.dataMartId));

  const fresh = generateDataMarts(30, { seed: 9, storages });
  server.seed({ dataMarts: fresh });
  const ids = new Set(fresh.map((m) => m.id));
  const runs = (await api('GET', '/api/data-marts/runs')).body.runs;
  assert.ok(runs.length > 0 && runs.every((run) => ids.has(run.dataMartId)), 'runs follow the seeded marts');
  assert.ok((await api('GET', '/api/reports')).body.every((r) => ids.has(r.dataMart.id)), 'reports follow the seeded marts');
});
