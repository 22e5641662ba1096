// The runnable examples, and a process that used the client exiting by itself.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generateDataMarts, generateDestinations, generateStorages } from '@owox/api-client/testing';
import { envWithout, runCommand, runNode, useServer } from './helpers/server.mjs';

const served = (items) => JSON.parse(JSON.stringify(items));

test('npm run demo without OWOX_* variables prints the three lists from the bundled server', async () => {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const run = await runCommand(npm, ['run', '--silent', 'demo'], { env: envWithout() });
  assert.equal(run.code, 0, run.stderr);
  const printed = JSON.parse(run.stdout);
  assert.deepEqual(Object.keys(printed).sort(), ['dataMarts', 'destinations', 'storages']);
  for (const name of ['dataMarts', 'storages', 'destinations']) {
    assert.ok(Array.isArray(printed[name]), `${name} is an array`);
    assert.ok(printed[name].length > 0, `${name} is not empty`);
    for (const item of printed[name]) assert.equal(typeof item.id, 'string');
  }
  assert.match(run.stderr, /no OWOX_\* variable is set; using the bundled local server/, 'a note on stderr says the local server is used');
});

for (const example of ['examples/agent.mjs', 'examples/agent.cjs']) {
  test(`${example} prints the three lists of the server in OWOX_API_ORIGIN / _KEY_ID / _KEY_SECRET`, async (t) => {
    const seed = { dataMarts: generateDataMarts(1200), storages: generateStorages(3), destinations: generateDestinations(2) };
    const server = await useServer(t, seed);
    const env = envWithout({ OWOX_API_ORIGIN: server.origin, OWOX_API_KEY_ID: server.apiKeyId, OWOX_API_KEY_SECRET: server.apiKeySecret });
    const run = await runNode([example], { env });
    assert.equal(run.code, 0, run.stderr);
    assert.deepStrictEqual(JSON.parse(run.stdout), served(seed));
    assert.equal(server.count({ path: '/api/auth/api-keys/exchange' }), 1);
  });

  test(`${example} reports a refused key on stderr and exits 1`, async (t) => {
    const server = await useServer(t);
    const env = envWithout({ OWOX_API_ORIGIN: server.origin, OWOX_API_KEY_ID: server.apiKeyId, OWOX_API_KEY_SECRET: 'not-the-secret' });
    const run = await runNode([example], { env });
    assert.equal(run.code, 1);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /401/);
    assert.ok(!run.stderr.includes('not-the-secret'));
  });
}

// Generous bound: the point is that the process does not hang on open handles.
const EXIT_BOUND_MS = 10_000;

test('a script that used the client exits by itself, without process.exit', async (t) => {
  const server = await useServer(t, { dataMarts: generateDataMarts(2500) });
  const script = `
    const { OWOXApiClient } = require('@owox/api-client');
    const client = new OWOXApiClient({ apiKey: process.env.OWOX_API_KEY });
    Promise.all([client.dataMarts.list(), client.storages.list(), client.destinations.list()]).then(([m, s, d]) => {
      console.log(JSON.stringify([m.length, s.length, d.length]));
    });
  `;
  const run = await runNode(['-e', script], { env: envWithout({ OWOX_API_KEY: server.apiKey }), timeoutMs: EXIT_BOUND_MS });
  assert.equal(run.killed, false, `the process was still running after ${EXIT_BOUND_MS} ms`);
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(JSON.parse(run.stdout), [2500, 3, 2]);
});

test('a script that left an iteration early and got an error still exits by itself', async (t) => {
  const server = await useServer(t, { dataMarts: generateDataMarts(5000) });
  server.inject({ path: '/api/data-storages' }, { status: 500, body: { statusCode: 500, message: 'Internal server error' } });
  const script = `
    import { OWOXApiClient } from '@owox/api-client';
    const client = new OWOXApiClient({ apiKey: process.env.OWOX_API_KEY, maxRetries: 0 });
    for await (const mart of client.dataMarts.iterate()) break;
    const error = await client.storages.list().catch((e) => e);
    console.log(error.status);
  `;
  const run = await runNode(['--input-type=module', '-e', script], { env: envWithout({ OWOX_API_KEY: server.apiKey }), timeoutMs: EXIT_BOUND_MS });
  assert.equal(run.killed, false, `the process was still running after ${EXIT_BOUND_MS} ms`);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout.trim(), '500');
});
