// owox-api data-marts stream / reports stream: NDJSON (owox-ctl's output) or CSV on stdout
// as rows arrive, or a file through the native writer with --output; a stream cut by the
// server is an error, never a short success; | head and Ctrl-C stop the transfer.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { OWOXApiClient } from '@owox/api-client';
import { generateDataMarts, generateRows, startTestServer } from '@owox/api-client/testing';
import { clientOf, useServer } from './helpers/server.mjs';
import { CLI, errorOf, runCli, runPipeline, serverEnv, shellQuote, startCli, tempDir } from './helpers/cli.mjs';

/** Whether this build has the traversal the stream commands are written against. */
async function traversalReady() {
  const server = await startTestServer();
  try {
    const client = new OWOXApiClient(server.credentials);
    if (typeof client.dataMarts.traverseData !== 'function') return false;
    const [mart] = (await client.dataMarts.list()).filter((m) => m.status === 'PUBLISHED');
    const traversal = await client.dataMarts.traverseData(mart.id, { limit: 1 });
    for await (const rows of traversal.rowChunks()) assert.ok(Array.isArray(rows));
    return typeof traversal.saveTo === 'function';
  } catch (error) {
    return !(error instanceof TypeError);
  } finally {
    await server.close();
  }
}
const skip = (await traversalReady()) ? false : 'waiting: this build has no dataMarts.traverseData with rowChunks() and saveTo()';

/** A published data mart with `count` generated rows. */
async function serverWithRows(t, count) {
  const [base] = generateDataMarts(1);
  const mart = { ...base, status: 'PUBLISHED', definitionType: 'SQL' };
  const server = await useServer(t, { dataMarts: [mart], rows: { [mart.id]: generateRows(count) } });
  return { server, mart };
}

/** Every row of the in-process traversal: the oracle. */
async function rowsOf(traversal) {
  const rows = [];
  for await (const chunk of traversal.rowChunks()) rows.push(...chunk);
  return rows;
}

const ndjson = (rows) => rows.map((row) => `${JSON.stringify(row)}\n`).join('');

async function until(predicate, what, ms = 15_000) {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(20);
  }
}


test('data-marts stream writes every row as one JSON line, with the query options sent', { skip }, async (t) => {
  const { server, mart } = await serverWithRows(t, 2500);
  const expected = await rowsOf(await clientOf(server).dataMarts.traverseData(mart.id, { limit: 2000 }));
  const run = await runCli(['data-marts', 'stream', mart.id, '--limit', '2000', '--columns', '*'], { env: serverEnv(server) });
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stderr, '', 'no progress line when stderr is not a terminal');
  assert.equal(expected.length, 2000);
  assert.equal(run.stdout, ndjson(expected));
  const sent = server.requests.filter((r) => r.path === `/api/external/http-data/data-marts/${mart.id}.ndjson`).at(-1);
  assert.deepEqual([sent.query.limit, sent.query.columns], ['2000', '*']);
});

test('data-marts stream --format csv: a header and one record per row, the same bytes as the native --output writer', { skip }, async (t) => {
  const { server, mart } = await serverWithRows(t, 300);
  const stdout = await runCli(['data-marts', 'stream', mart.id, '--format', 'csv'], { env: serverEnv(server) });
  assert.equal(stdout.code, 0, stdout.stderr);
  const lines = stdout.stdout.split('\n');
  const rows = await rowsOf(await clientOf(server).dataMarts.traverseData(mart.id));
  assert.equal(lines[0], Object.keys(rows[0]).join(','));
  const dir = tempDir(t);
  const file = await runCli(['data-marts', 'stream', mart.id, '--format', 'csv', '--output', 'rows.csv'], { env: serverEnv(server), cwd: dir });
  assert.equal(file.code, 0, file.stderr);
  assert.equal(readFileSync(join(dir, 'rows.csv'), 'utf8'), stdout.stdout);
});

test('--output writes the file through the native writer and prints a summary; stdout stays JSON', { skip }, async (t) => {
  const { server, mart } = await serverWithRows(t, 1200);
  const dir = tempDir(t);
  const run = await runCli(['data-marts', 'stream', mart.id, '-o', 'rows.ndjson'], { env: serverEnv(server), cwd: dir });
  assert.equal(run.code, 0, run.stderr);
  const written = readFileSync(join(dir, 'rows.ndjson'), 'utf8');
  const summary = JSON.parse(run.stdout);
  assert.deepEqual(Object.keys(summary), ['dataMartId', 'runId', 'output', 'format', 'rows', 'bytes']);
  assert.deepEqual([summary.dataMartId, summary.output, summary.format, summary.rows, summary.bytes], [mart.id, join(dir, 'rows.ndjson'), 'ndjson', 1200, Buffer.byteLength(written)]);
  assert.match(summary.runId, /^[0-9a-f-]{36}$/);
  assert.equal(written.split('\n').length, 1201);
});

test('reports stream writes the report\'s rows', { skip }, async (t) => {
  const server = await useServer(t);
  const client = clientOf(server);
  const [report] = await client.reports.list();
  const expected = await rowsOf(await client.reports.traverseData(report.id, { limit: 3 }));
  const run = await runCli(['reports', 'stream', report.id, '--limit', '3'], { env: serverEnv(server) });
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, ndjson(expected));
});

test('a stream the server cuts after some rows: the rows so far, then exit 1 with the error (never a silent short success)', { skip }, async (t) => {
  const { server, mart } = await serverWithRows(t, 100);
  server.inject({ path: `/api/external/http-data/data-marts/${mart.id}.ndjson` }, { stream: { cutAfter: 40 } });
  const run = await runCli(['data-marts', 'stream', mart.id, '--max-retries', '0'], { env: serverEnv(server) });
  assert.equal(run.code, 1);
  assert.ok(run.stdout.split('\n').length - 1 <= 40);
  assert.equal(errorOf(run).name, 'OWOXApiError');
});

test('a data mart that cannot be read (a draft: 404) fails before any row: exit 1, nothing on stdout', { skip }, async (t) => {
  const [draft] = generateDataMarts(1).map((m) => ({ ...m, status: 'DRAFT' }));
  const server = await useServer(t, { dataMarts: [draft] });
  const run = await runCli(['data-marts', 'stream', draft.id], { env: serverEnv(server) });
  assert.equal(run.code, 1);
  assert.equal(run.stdout, '');
  assert.equal(errorOf(run).status, 404);
});

test('bad stream flags are usage errors before any request: JSON rules, column sets, --format table', async (t) => {
  const server = await useServer(t);
  const cases = [
    [['--filter', '{"column":"x"}'], /--filter <json>.*must be a JSON array/],
    [['--sort', 'asc'], /--sort <json>.*must be valid JSON/],
    [['--columns', 'all'], /argument 'all' is invalid/],
    [['--format', 'table'], /writes rows: --format ndjson \(default\) or csv, not table/],
    [['--limit', '0'], /--limit <n>.*at least 1/],
  ];
  for (const [flags, message] of cases) {
    const run = await runCli(['data-marts', 'stream', 'some-mart', ...flags], { env: serverEnv(server) });
    assert.equal(run.code, 2, flags.join(' '));
    assert.match(errorOf(run).message, message);
  }
  assert.equal(server.requests.length, 0);
});

test('| head on a long stream: exit 0 quietly, and the transfer stops', { skip }, async (t) => {
  const { server, mart } = await serverWithRows(t, 300_000);
  const run = await runPipeline(`${shellQuote(process.execPath)} ${shellQuote(CLI)} data-marts stream ${mart.id} | head -n 2`, { env: serverEnv(server) });
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout.split('\n').length, 3);
  assert.equal(run.stderr, '');
  await until(() => server.connections === 0, 'the stream connection was closed');
});

test('Ctrl-C during a stream that has stalled: exit 130, the rows so far on stdout, the connection closed', { skip }, async (t) => {
  const { server, mart } = await serverWithRows(t, 100);
  server.inject({ path: `/api/external/http-data/data-marts/${mart.id}.ndjson` }, { stream: { stallAfter: 10 } });
  const cli = startCli(['data-marts', 'stream', mart.id], { env: serverEnv(server) });
  t.after(() => cli.child.kill('SIGKILL'));
  await until(() => cli.result.stdout.split('\n').length > 10, '10 rows were printed');
  cli.child.kill('SIGINT');
  const run = await cli.exited;
  assert.equal(run.code, 130);
  assert.equal(run.stdout.split('\n').length, 11);
  assert.equal(JSON.parse(run.stderr).error.code, 'INTERRUPTED');
  await until(() => server.connections === 0, 'the stream connection was closed');
});

test('--demo streams rows without credentials', { skip }, async () => {
  const demo = await runCli(['--demo', 'reports', 'list']);
  const [report] = JSON.parse(demo.stdout);
  const run = await runCli(['--demo', 'reports', 'stream', report.id, '--limit', '2']);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout.trimEnd().split('\n').map((line) => typeof JSON.parse(line)).join(), 'object,object');
});

const hasScript = spawnSync('script', ['--version']).status === 0;

test('on a terminal, a long stream draws a progress line on stderr (rows, bytes, rate); stdout gets only rows', { skip: skip || (!hasScript && 'needs util-linux script(1) for a terminal') }, async (t) => {
  const { server, mart } = await serverWithRows(t, 12);
  server.inject({ path: `/api/external/http-data/data-marts/${mart.id}.ndjson` }, { stream: { trickleMs: 60 } });
  const dir = tempDir(t);
  // script(1) runs the CLI on a pseudo-terminal and copies what the terminal shows (stderr) to its stdout.
  const command = `${shellQuote(process.execPath)} ${shellQuote(CLI)} data-marts stream ${mart.id} > rows.ndjson`;
  const run = await runPipeline(`script -q -e -c ${shellQuote(command)} /dev/null`, { env: serverEnv(server), cwd: dir });
  assert.equal(run.code, 0, run.stdout);
  assert.match(run.stdout, /\r\x1b\[2K\d+ rows, [\d.]+ (B|KiB), [\d,]+ rows\/s/);
  assert.match(run.stdout, /12 rows, [\d.]+ (B|KiB), [\d,]+ rows\/s\r?\n/, 'the final numbers end the line');
  assert.equal(readFileSync(join(dir, 'rows.ndjson'), 'utf8').split('\n').length, 13);
});
