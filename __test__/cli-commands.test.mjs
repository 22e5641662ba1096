// owox-api: each command through the real binary against the bundled server: what it
// prints on stdout, that stderr stays empty, and the exit code.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';
import { generateDataMarts, generateDestinations, generateStorages } from '@owox/api-client/testing';
import { PACKAGE_ROOT, useServer } from './helpers/server.mjs';
import { runCli, serverEnv } from './helpers/cli.mjs';

const served = (items) => JSON.parse(JSON.stringify(items));
const { version } = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8'));

test('data-marts list prints every data mart (all pages) as owox-ctl does: indented JSON', async (t) => {
  const dataMarts = generateDataMarts(1203);
  const server = await useServer(t, { dataMarts });
  const run = await runCli(['data-marts', 'list'], { env: serverEnv(server) });
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stderr, '');
  assert.deepEqual(JSON.parse(run.stdout), served(dataMarts));
  assert.equal(run.stdout, `${JSON.stringify(served(dataMarts), null, 2)}\n`);
  assert.equal(server.count({ path: '/api/data-marts' }), 2);
});

test('data-marts list --owner-filter passes the filter to the server', async (t) => {
  const server = await useServer(t, { dataMarts: generateDataMarts(30) });
  const run = await runCli(['data-marts', 'list', '--owner-filter', 'no_owners'], { env: serverEnv(server) });
  assert.equal(run.code, 0, run.stderr);
  const listed = server.requests.filter((request) => request.path === '/api/data-marts');
  assert.deepEqual(listed.map((request) => request.query.ownerFilter), ['no_owners']);
  for (const mart of JSON.parse(run.stdout)) assert.equal(mart.technicalOwnerUsers.length + mart.businessOwnerUsers.length, 0);
});

test('storages list and destinations list print the collections as JSON', async (t) => {
  const storages = generateStorages(4);
  const destinations = generateDestinations(3);
  const server = await useServer(t, { storages, destinations });
  for (const [args, expected, path] of [
    [['storages', 'list'], storages, '/api/data-storages'],
    [['destinations', 'list'], destinations, '/api/data-destinations'],
  ]) {
    const run = await runCli(args, { env: serverEnv(server) });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr, '');
    assert.deepEqual(JSON.parse(run.stdout), served(expected));
    assert.equal(server.count({ path }), 1);
  }
});

test('--format table prints a header, a rule and one aligned line per item', async (t) => {
  const storages = generateStorages(3);
  const server = await useServer(t, { storages });
  const run = await runCli(['storages', 'list', '--format', 'table'], { env: serverEnv(server) });
  assert.equal(run.code, 0, run.stderr);
  const lines = run.stdout.trimEnd().split('\n');
  assert.equal(lines.length, 2 + storages.length);
  assert.match(lines[0], /^ID\s+Title\s+Type$/);
  assert.match(lines[1], /^-+ {2}-+ {2}-+$/);
  const typeColumn = lines[0].indexOf('Type');
  storages.forEach((storage, i) => {
    assert.ok(lines[i + 2].startsWith(`${storage.id}  `));
    assert.equal(lines[i + 2].slice(typeColumn), storage.type);
  });
});

test('--format table shows control characters in server text instead of sending them to the terminal', async (t) => {
  const [storage] = generateStorages(1);
  const server = await useServer(t, { storages: [{ ...storage, title: 'evil\u001b[2J\u009btitle\nnext' }] });
  const run = await runCli(['--format', 'table', 'storages', 'list'], { env: serverEnv(server) });
  assert.equal(run.code, 0, run.stderr);
  assert.ok(!/[\u001b\u009b]/.test(run.stdout), 'no raw escape character');
  assert.match(run.stdout, /evil\\u001b\[2J\\u009btitle next/);
});

test('an empty list is [] in JSON and "No results" as a table', async (t) => {
  const server = await useServer(t, { destinations: [] });
  const json = await runCli(['destinations', 'list'], { env: serverEnv(server) });
  assert.equal(json.code, 0, json.stderr);
  assert.equal(json.stdout, '[]\n');
  const table = await runCli(['destinations', 'list', '--format', 'table'], { env: serverEnv(server) });
  assert.equal(table.stdout, 'No results\n');
});

test('status exchanges the key and prints owox-ctl\'s status: origin, key id, project and member', async (t) => {
  const server = await useServer(t);
  const run = await runCli(['status'], { env: serverEnv(server) });
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stderr, '');
  assert.deepEqual(JSON.parse(run.stdout), {
    apiOrigin: server.origin,
    apiKeyId: server.apiKeyId,
    authenticated: true,
    envFile: null,
    project: { id: '0', title: 'Local test project' },
    member: { userId: '0', email: 'admin@localhost', fullName: 'Admin', avatar: null, roles: ['admin'] },
  });
  assert.equal(server.count({ path: '/api/auth/api-keys/exchange' }), 1);
  assert.equal(server.count({ path: '/api/auth/context' }), 1);
  assert.ok(!run.stdout.includes(server.apiKeySecret));
});

test('status with the single OWOX_API_KEY value shows the key id from it, never the secret', async (t) => {
  const server = await useServer(t);
  const run = await runCli(['status', '--format', 'table'], { env: serverEnv(server, { OWOX_API_ORIGIN: '', OWOX_API_KEY_ID: '', OWOX_API_KEY_SECRET: '', OWOX_API_KEY: server.apiKey }) });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, new RegExp(`^apiKeyId: +${server.apiKeyId}$`, 'm'));
  assert.match(run.stdout, /^authenticated: +true$/m);
  assert.ok(!run.stdout.includes(server.apiKeySecret) && !run.stdout.includes(server.apiKey));
});

test('status against a server without the auth-context endpoint (404) falls back to the key exchange', async (t) => {
  const server = await useServer(t);
  server.inject({ path: '/api/auth/context' }, { status: 404, body: { statusCode: 404, message: 'Cannot GET /api/auth/context' } });
  const run = await runCli(['status'], { env: serverEnv(server) });
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(JSON.parse(run.stdout), { apiOrigin: server.origin, apiKeyId: server.apiKeyId, authenticated: true, envFile: null });
});

test('--version prints the package version', async () => {
  for (const flag of ['--version', '-V']) {
    const run = await runCli([flag]);
    assert.equal(run.code, 0);
    assert.equal(run.stdout, `${version}\n`);
  }
});

test('--demo runs a command against the bundled server without any credentials', async () => {
  const run = await runCli(['--demo', 'data-marts', 'list']);
  assert.equal(run.code, 0, run.stderr);
  const marts = JSON.parse(run.stdout);
  assert.ok(Array.isArray(marts) && marts.length > 0);
  for (const mart of marts) assert.equal(typeof mart.id, 'string');
  assert.match(run.stderr, /--demo: using the bundled local server at http:\/\/127\.0\.0\.1:\d+/);
});

test('--demo works after the command too, and for status', async () => {
  const run = await runCli(['status', '--demo']);
  assert.equal(run.code, 0, run.stderr);
  const status = JSON.parse(run.stdout);
  assert.equal(status.authenticated, true);
  assert.match(status.apiOrigin, /^http:\/\/127\.0\.0\.1:\d+$/);
});

test('every command has --help generated from its definition: usage, summary, its options, the global ones, examples', async () => {
  const definitions = createRequire(import.meta.url)('../cli/commands/index.js');
  assert.ok(definitions.length >= 4);
  // Four at a time: a few dozen short processes.
  const runs = [];
  for (let i = 0; i < definitions.length; i += 4) {
    runs.push(...(await Promise.all(definitions.slice(i, i + 4).map((definition) => runCli([...definition.name.split(' '), '--help'])))));
  }
  for (const [i, definition] of definitions.entries()) {
    const run = runs[i];
    assert.equal(run.code, 0, `${definition.name}: ${run.stderr}`);
    assert.equal(run.stderr, '');
    assert.match(run.stdout, new RegExp(`^Usage: owox-api ${definition.name} `), definition.name);
    assert.ok(run.stdout.replace(/\s+/g, ' ').includes(definition.summary), `${definition.name}: summary`);
    for (const option of definition.options ?? []) assert.ok(run.stdout.includes(option.long), `${definition.name}: ${option.long}`);
    assert.match(run.stdout, /Global Options:[\s\S]*--env-file[\s\S]*--format[\s\S]*--timeout[\s\S]*--max-retries[\s\S]*--demo/);
    for (const example of definition.examples ?? []) assert.ok(run.stdout.includes(`$ ${example}`), `${definition.name}: example ${example}`);
  }
  const root = await runCli(['--help']);
  assert.equal(root.code, 0);
  assert.match(root.stdout, /Exit codes: 0 success, 1 API or network error, 2 usage or configuration error,\s+130 interrupted/);
});
