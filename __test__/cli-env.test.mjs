// owox-api credentials from files: ./.env when it exists, --env-file instead of it, the
// process environment winning over both, and status saying which file was read.

import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { generateDataMarts, generateRows, generateStorages } from '@owox/api-client/testing';
import { useServer } from './helpers/server.mjs';
import { cleanEnv, errorOf, runCli, serverEnv, tempDir } from './helpers/cli.mjs';

function dotenvOf(server, { secret = server.apiKeySecret } = {}) {
  return `# OWOX credentials\nOWOX_API_ORIGIN=${server.origin}\nOWOX_API_KEY_ID="${server.apiKeyId}"\nexport OWOX_API_KEY_SECRET='${secret}'\n`;
}

test('a .env in the current directory is read; status names it by its absolute path', async (t) => {
  const server = await useServer(t, { storages: generateStorages(2) });
  const dir = tempDir(t);
  writeFileSync(join(dir, '.env'), dotenvOf(server));
  const list = await runCli(['storages', 'list'], { cwd: dir });
  assert.equal(list.code, 0, list.stderr);
  assert.equal(JSON.parse(list.stdout).length, 2);
  const status = await runCli(['status'], { cwd: dir });
  assert.equal(status.code, 0, status.stderr);
  const printed = JSON.parse(status.stdout);
  assert.equal(printed.envFile, join(dir, '.env'));
  assert.equal(printed.authenticated, true);
  assert.equal(printed.apiKeyId, server.apiKeyId);
});

test('--env-file (and -e) reads another file, relative to the current directory, instead of ./.env', async (t) => {
  const server = await useServer(t);
  const dir = tempDir(t);
  mkdirSync(join(dir, 'config'));
  writeFileSync(join(dir, 'config', 'ci.env'), `OWOX_API_KEY=${server.apiKey}\n`);
  writeFileSync(join(dir, '.env'), 'OWOX_API_KEY=owox_key_this-one-must-not-be-read\n');
  for (const flag of ['--env-file', '-e']) {
    const run = await runCli(['status', flag, 'config/ci.env'], { cwd: dir });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(JSON.parse(run.stdout).envFile, join(dir, 'config', 'ci.env'));
  }
});

test('variables already in the environment win over the file', async (t) => {
  const server = await useServer(t);
  const dir = tempDir(t);
  writeFileSync(join(dir, '.env'), dotenvOf(server, { secret: 'the-wrong-secret-in-the-file' }));
  const run = await runCli(['status'], { cwd: dir, env: serverEnv(server) });
  assert.equal(run.code, 0, run.stderr);
  assert.equal(JSON.parse(run.stdout).authenticated, true);
});

// Spelt -e here: Node itself reads a script argument that starts with --env-file
// (nodejs/node#54232) and exits 9 ("node: nope.env: not found") before the CLI starts.
test('a missing -e file is a configuration error: exit 2, nothing sent', async (t) => {
  const server = await useServer(t);
  const dir = tempDir(t);
  const run = await runCli(['storages', 'list', '-e', 'nope.env'], { cwd: dir, env: serverEnv(server) });
  assert.equal(run.code, 2);
  assert.equal(run.stdout, '');
  assert.deepEqual(errorOf(run), { message: 'Failed to load environment file: nope.env (ENOENT)', code: 'USAGE_ERROR', name: 'UsageError' });
  assert.equal(server.requests.length, 0);
});

test('a .env holding a wrong secret: exit 1, and the secret appears nowhere in the output', async (t) => {
  const server = await useServer(t);
  const dir = tempDir(t);
  writeFileSync(join(dir, '.env'), dotenvOf(server, { secret: 'file-secret-must-not-leak' }));
  for (const args of [['status'], ['storages', 'list'], ['storages', 'list', '--debug']]) {
    const run = await runCli(args, { cwd: dir });
    assert.equal(run.code, 1, `${args.join(' ')}: ${run.stderr}`);
    assert.ok(!`${run.stdout}${run.stderr}`.includes('file-secret-must-not-leak'), args.join(' '));
  }
});

test('--debug says which file was read and which variable names it set, not their values', async (t) => {
  const server = await useServer(t);
  const dir = tempDir(t);
  writeFileSync(join(dir, '.env'), dotenvOf(server));
  const run = await runCli(['storages', 'list', '--debug'], { cwd: dir, env: cleanEnv({ OWOX_API_ORIGIN: server.origin }) });
  assert.equal(run.code, 0, run.stderr);
  assert.ok(run.stderr.includes(`read ${join(dir, '.env')} (set: OWOX_API_KEY_ID, OWOX_API_KEY_SECRET)`), run.stderr);
  assert.ok(!run.stderr.includes(server.apiKeySecret));
});

test('--demo ignores credentials and .env files', async (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, '.env'), 'OWOX_API_KEY=garbage\n');
  const run = await runCli(['--demo', 'status'], { cwd: dir, env: cleanEnv({ OWOX_API_KEY: 'also-garbage' }) });
  assert.equal(run.code, 0, run.stderr);
  const status = JSON.parse(run.stdout);
  assert.equal(status.authenticated, true);
  assert.equal(status.envFile, null);
});

test("owox-ctl's documented command lines work verbatim with the binary renamed", async (t) => {
  const [base] = generateDataMarts(1);
  const mart = { ...base, status: 'PUBLISHED', definitionType: 'SQL' };
  const server = await useServer(t, { dataMarts: [mart], storages: generateStorages(2), rows: { [mart.id]: generateRows(5) } });
  const dir = tempDir(t);
  writeFileSync(join(dir, '.env'), dotenvOf(server));
  // From owox-ctl's README and docs/api/owox-ctl.md (0.26 to 0.31).
  const lines = [
    ['status'],
    ['status', '--env-file', '.env'],
    ['data-marts', 'list', '--env-file', '.env', '--format', 'json'],
    ['data-marts', 'list'],
    ['storages', 'list'],
    ['destinations', 'list'],
    ['data-marts', 'stream', mart.id, '--columns', '*'],
    ['data-marts', 'stream', mart.id, '--column', 'id', '--column', 'revenue', '--sort', '[{"column":"id","direction":"asc"}]', '--limit', '3'],
  ];
  for (const args of lines) {
    const run = await runCli(args, { cwd: dir });
    assert.equal(run.code, 0, `owox-api ${args.join(' ')}: ${run.stderr}`);
    assert.equal(run.stderr, '');
    const printed = args[1] === 'stream' ? run.stdout.trimEnd().split('\n').map((line) => JSON.parse(line)) : JSON.parse(run.stdout);
    assert.ok(printed !== null && typeof printed === 'object', args.join(' '));
  }
});
