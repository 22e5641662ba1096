// owox-api as a good terminal citizen: a reader that stops early (`| head`) ends the
// command quietly with no EPIPE crash, and Ctrl-C (SIGINT) cancels the request in flight
// and exits 130.

import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { generateDataMarts } from '@owox/api-client/testing';
import { useServer } from './helpers/server.mjs';
import { CLI, runPipeline, serverEnv, shellQuote, startCli } from './helpers/cli.mjs';

/** Resolves once `predicate()` holds, checking every 20 ms; fails after `ms`. */
async function until(predicate, what, ms = 15_000) {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(20);
  }
}


test('| head on a long list: the CLI exits 0 quietly, no EPIPE error or stack on stderr', async (t) => {
  const server = await useServer(t, { dataMarts: generateDataMarts(20_000) });
  const run = await runPipeline(`${shellQuote(process.execPath)} ${shellQuote(CLI)} data-marts list | head -n 3`, { env: serverEnv(server) });
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, '[\n  {\n    "id": "00000001-0da7-4000-8000-000000004e20",\n');
  assert.equal(run.stderr, '');
});

test('| head on a long table: exits 0 quietly', async (t) => {
  const server = await useServer(t, { dataMarts: generateDataMarts(20_000) });
  const run = await runPipeline(`${shellQuote(process.execPath)} ${shellQuote(CLI)} data-marts list --format table | head -n 1`, { env: serverEnv(server) });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /^ID +Title +Status +Storage\n$/);
  assert.equal(run.stderr, '');
});

test('Ctrl-C during a call cancels the request and exits 130 with an INTERRUPTED error', async (t) => {
  const server = await useServer(t);
  server.inject({ path: '/api/data-marts' }, { hang: true });
  const cli = startCli(['data-marts', 'list'], { env: serverEnv(server) });
  t.after(() => cli.child.kill('SIGKILL'));
  await until(() => server.count({ path: '/api/data-marts' }) === 1, 'the request reached the server');
  assert.equal(server.connections, 1);
  cli.child.kill('SIGINT');
  const run = await cli.exited;
  assert.equal(run.signal, null, 'the CLI handled SIGINT itself');
  assert.equal(run.code, 130);
  assert.equal(run.stdout, '');
  assert.deepEqual(JSON.parse(run.stderr).error, { message: 'Interrupted (Ctrl-C): the request was cancelled', code: 'INTERRUPTED', name: 'AbortError' });
  await until(() => server.connections === 0, 'the connection was closed');
  assert.equal(server.count({ path: '/api/data-marts' }), 1, 'the cancelled request was not retried');
});

test('Ctrl-C while the key exchange hangs also exits 130', async (t) => {
  const server = await useServer(t);
  server.inject({ path: '/api/auth/api-keys/exchange' }, { hang: true });
  const cli = startCli(['status'], { env: serverEnv(server) });
  t.after(() => cli.child.kill('SIGKILL'));
  await until(() => server.count({ path: '/api/auth/api-keys/exchange' }) === 1, 'the exchange reached the server');
  cli.child.kill('SIGINT');
  const run = await cli.exited;
  assert.equal(run.code, 130);
  assert.equal(JSON.parse(run.stderr).error.code, 'INTERRUPTED');
});
