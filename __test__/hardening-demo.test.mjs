// Issue 8, item 15: `npm run demo` uses the bundled server only when no OWOX_* variable is
// set. A partly set environment is a configuration error that names what is missing, on
// stderr, with a non-zero exit and no sample data printed.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generateDataMarts, generateDestinations, generateStorages } from '@owox/api-client/testing';
import { envWithout, runNode, useServer } from './helpers/server.mjs';

const PARTS = ['OWOX_API_ORIGIN', 'OWOX_API_KEY_ID', 'OWOX_API_KEY_SECRET'];
const DEMO = 'examples/demo.mjs';

/** Every non-empty, incomplete subset of the three parts. */
const partialSets = [[0], [1], [2], [0, 1], [0, 2], [1, 2]].map((indexes) => indexes.map((i) => PARTS[i]));

for (const set of partialSets) {
  const missing = PARTS.filter((name) => !set.includes(name));
  test(`demo with only ${set.join(' + ')} set fails and names ${missing.join(' and ')}`, async () => {
    const values = { OWOX_API_ORIGIN: 'https://app.owox.com', OWOX_API_KEY_ID: 'pmk_AAAAAAAAAAAAAAAAAAAAAA', OWOX_API_KEY_SECRET: 'demo-secret-value' };
    const env = envWithout(Object.fromEntries(set.map((name) => [name, values[name]])));
    const run = await runNode([DEMO], { env });
    assert.notEqual(run.code, 0, 'the demo exited 0 with incomplete credentials');
    assert.equal(run.stdout, '', 'the demo printed data');
    for (const name of missing) assert.ok(run.stderr.includes(name), `stderr does not name ${name}: ${run.stderr}`);
    assert.doesNotMatch(run.stderr, /bundled local server at/);
    assert.ok(!run.stderr.includes('demo-secret-value'), 'the secret was echoed');
  });
}

test('an empty variable counts as unset: the demo then uses the bundled server', async () => {
  const run = await runNode([DEMO], { env: envWithout({ OWOX_API_KEY_ID: '' }) });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /no OWOX_\* variable is set; using the bundled local server/);
  assert.ok(JSON.parse(run.stdout).dataMarts.length > 0);
});

test('OWOX_API_KEY alone is complete: the demo calls that API', async (t) => {
  const seed = { dataMarts: generateDataMarts(2), storages: generateStorages(1), destinations: generateDestinations(1) };
  const server = await useServer(t, seed);
  const run = await runNode([DEMO], { env: envWithout({ OWOX_API_KEY: server.apiKey }) });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /using the OWOX Data Marts API from your environment/);
  assert.deepStrictEqual(JSON.parse(run.stdout), JSON.parse(JSON.stringify(seed)));
});

test('all three parts are complete: the demo calls that API', async (t) => {
  const seed = { dataMarts: generateDataMarts(1), storages: generateStorages(2), destinations: generateDestinations(1) };
  const server = await useServer(t, seed);
  const env = envWithout({ OWOX_API_ORIGIN: server.origin, OWOX_API_KEY_ID: server.apiKeyId, OWOX_API_KEY_SECRET: server.apiKeySecret });
  const run = await runNode([DEMO], { env });
  assert.equal(run.code, 0, run.stderr);
  assert.deepStrictEqual(JSON.parse(run.stdout), JSON.parse(JSON.stringify(seed)));
});
