// Findings of a review, each kept from coming back: a cancelled saveTo() never replaces the
// user's file, CSV keeps one column per key and survives lone surrogates, and the token
// never comes back through an error built from a 2xx body, a data line or a header.

import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { OWOXApiClient } from '@owox/api-client';
import { startTestServer, generateSampleData, generateRows } from '@owox/api-client/testing';
import { startScriptedApi, json, tokenReply, EXCHANGE } from './helpers/scripted-api.mjs';
import { rejectionOf } from './helpers/server.mjs';

function tempDir(t) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'owox-review-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('cancel() right after saveTo() never replaces the file that was there', async (t) => {
  const data = generateSampleData();
  const mart = data.dataMarts.find((m) => m.status === 'PUBLISHED');
  for (const rows of [generateRows(50_000), [{ a: 1 }, { a: 2 }]]) {
    const server = await startTestServer({ ...data, rows: { [mart.id]: rows } });
    t.after(() => server.close());
    const client = new OWOXApiClient({ ...server.credentials, maxRetries: 0 });
    const file = path.join(tempDir(t), 'export.ndjson');
    for (let i = 0; i < 10; i++) {
      fs.writeFileSync(file, 'precious\n');
      const traversal = await client.dataMarts.traverseData(mart.id);
      const saving = traversal.saveTo(file);
      if (i % 2 === 0) await new Promise((resolve) => setImmediate(resolve));
      traversal.cancel();
      const outcome = await saving.then(
        (saved) => ({ saved }),
        (error) => ({ error }),
      );
      const content = fs.readFileSync(file, 'utf8');
      if (outcome.error) assert.equal(content, 'precious\n', `run ${i}: a cancelled save changed the file`);
      else assert.equal(content.split('\n').filter(Boolean).length, outcome.saved.rows, `run ${i}`);
      const leftovers = fs.readdirSync(path.dirname(file)).filter((name) => name !== 'export.ndjson');
      assert.deepEqual(leftovers, [], 'a temporary file was left behind');
    }
  }
});

test('CSV: a repeated key is one column (the last value, as JSON.parse), a lone surrogate does not fail', async (t) => {
  const data = generateSampleData();
  const mart = data.dataMarts.find((m) => m.status === 'PUBLISHED');
  const lines = ['{"k":1,"k":2,"s":"a\\ud800b"}', '{"k":3,"s":"\\ud83d\\ude00"}'];
  const api = await startScriptedApi(t, (r) =>
    r.path === EXCHANGE
      ? tokenReply()
      : { status: 200, headers: { 'content-type': 'application/x-ndjson; charset=utf-8' }, body: lines.join('\n') + '\n' },
  );
  const client = new OWOXApiClient({ ...api.credentials, maxRetries: 0 });
  const file = path.join(tempDir(t), 'rows.csv');
  const saved = await (await client.dataMarts.traverseData(mart.id)).saveTo(file, { format: 'csv' });
  assert.equal(saved.rows, 2);
  assert.equal(fs.readFileSync(file, 'utf8'), 'k,s\n2,a\uFFFDb\n3,\u{1F600}\n');
});

test('CSV: a row with a column the first row did not have fails with its line number, and no file appears', async (t) => {
  const api = await startScriptedApi(t, (r) =>
    r.path === EXCHANGE
      ? tokenReply()
      : { status: 200, headers: { 'content-type': 'application/x-ndjson' }, body: '{"a":1}\n{"a":2}\n{"b":3}\n' },
  );
  const client = new OWOXApiClient({ ...api.credentials, maxRetries: 0 });
  const file = path.join(tempDir(t), 'rows.csv');
  const error = await rejectionOf((await client.dataMarts.traverseData('m1')).saveTo(file, { format: 'csv' }));
  assert.equal(error.code, 'CSV_COLUMNS_CHANGED');
  assert.equal(error.details.lineNumber, 3);
  assert.match(error.message, /NDJSON line 3 has a column "b"/);
  assert.equal(fs.existsSync(file), false);
});

test('the token never comes back through errors built from 2xx bodies, data lines or the run id header', async (t) => {
  const TOKEN = 'tok-0123456789-abcdef';
  const answers = {
    '/api/data-marts/runs': () => json(200, { wrong: TOKEN }),
    '/api/data-storages': () => json(200, `{"broken": "${TOKEN}`),
    '/api/external/http-data/data-marts/m1.ndjson': () => ({
      status: 200,
      headers: { 'content-type': 'application/x-ndjson', 'x-owox-run-id': `run-${TOKEN}` },
      body: `{"a":1}\n{bad ${TOKEN}\n`,
    }),
  };
  const api = await startScriptedApi(t, (r) => (r.path === EXCHANGE ? tokenReply(TOKEN) : answers[r.path]()));
  const client = new OWOXApiClient({ ...api.credentials, maxRetries: 0 });
  const shape = await rejectionOf(client.runs.list());
  const invalid = await rejectionOf(client.storages.list());
  const traversal = await client.dataMarts.traverseData('m1');
  const line = await rejectionOf((async () => { for await (const row of traversal) void row; })());
  for (const error of [shape, invalid, line]) {
    const text = JSON.stringify({ message: error.message, details: error.details, code: error.code });
    assert.ok(!text.includes(TOKEN), text);
  }
  assert.ok(!String(traversal.runId).includes(TOKEN), traversal.runId);
  assert.equal(traversal.runId, 'run-[redacted]');
});

test('a validation error says what was wrong in its message, not only in details', async (t) => {
  const server = await startTestServer();
  t.after(() => server.close());
  const client = new OWOXApiClient({ ...server.credentials, maxRetries: 0 });
  const error = await rejectionOf(client.postJson('/api/markdown/parse-to-html', { markdown: 'x', extra: 1 }, 'text/html'));
  assert.equal(error.status, 400);
  assert.match(error.message, /^OWOX API request failed with 400 Bad Request: Request validation failed: .*extra/);
});

test('cancel() inside a for await loop ends it at the next row, not after the batch', async (t) => {
  const data = generateSampleData();
  const mart = data.dataMarts.find((m) => m.status === 'PUBLISHED');
  const server = await startTestServer({ ...data, rows: { [mart.id]: generateRows(20_000) } });
  t.after(() => server.close());
  const client = new OWOXApiClient({ ...server.credentials, maxRetries: 0 });
  const traversal = await client.dataMarts.traverseData(mart.id);
  let seen = 0;
  for await (const row of traversal) {
    void row;
    seen += 1;
    if (seen === 10) traversal.cancel();
  }
  assert.equal(seen, 10);
});
