// Issue 8, items 13 and 14: constructor messages say what to fix, and the credential forms
// mix the way openai-node's options and variables do.
//
// - An origin without a scheme suggests one; a value read from OWOX_API_ORIGIN says so; a
//   missing or blank part names the option and the variable that supply it.
// - Each of apiOrigin, apiKeyId, apiKeySecret that is not passed is read from its own
//   variable. apiKey (which holds all three) together with any of them is refused, and so is
//   a gap only OWOX_API_KEY could fill: the message says what was mixed.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { OWOXApiClient, OWOXConfigError } from '@owox/api-client';
import { encodeApiKey } from '@owox/api-client/testing';
import { thrownBy, useServer, withOwoxEnv } from './helpers/server.mjs';

const SECRET = 'SECRET-never-printed-0123456789abcdefghijkl';
const KEY_ID = 'pmk_AAAAAAAAAAAAAAAAAAAAAA';
const EXCHANGE = { path: '/api/auth/api-keys/exchange' };

/** The OWOXConfigError `new OWOXApiClient(options)` throws with exactly `env` as OWOX_* variables. */
function configError(options, env = {}) {
  const error = withOwoxEnv(env, () => thrownBy(() => new OWOXApiClient(options)));
  assert.ok(error instanceof OWOXConfigError, `expected an OWOXConfigError, got ${error?.name}: ${error?.message}`);
  assert.ok(!error.message.includes(SECRET), error.message);
  assert.ok(!String(error.stack).includes(SECRET));
  return error;
}

// --- item 13: what to fix ----------------------------------------------------------------

test('an origin without a scheme suggests the URL it most likely meant', () => {
  for (const [apiOrigin, suggestion] of [
    ['app.owox.com', 'https://app.owox.com'],
    ['app.owox.com/', 'https://app.owox.com'],
    ['localhost:3000', 'http://localhost:3000'],
    ['127.0.0.1:8080', 'http://127.0.0.1:8080'],
    ['owox.internal.example:443', 'https://owox.internal.example'],
    ['https://app.owox.com/api', 'https://app.owox.com'],
    ['https://user:pass@app.owox.com', 'https://app.owox.com'],
  ]) {
    const { message } = configError({ apiOrigin, apiKeyId: KEY_ID, apiKeySecret: SECRET });
    assert.ok(message.endsWith(`; did you mean ${suggestion}?`), `${apiOrigin}: ${message}`);
    assert.ok(!message.includes('pass@') && !message.includes('user:'), message);
  }
});

test('nothing that is not a host name is echoed as a suggestion: a pasted secret or key stays out', () => {
  const pastedSecret = configError({ apiOrigin: `${SECRET}.example.com`, apiKeyId: KEY_ID, apiKeySecret: SECRET });
  assert.doesNotMatch(pastedSecret.message, /did you mean/);
  const apiKey = encodeApiKey({ apiOrigin: 'https://a.io', apiKeyId: KEY_ID, apiKeySecret: SECRET });
  const pastedKey = configError({ apiOrigin: apiKey, apiKeyId: KEY_ID, apiKeySecret: SECRET });
  assert.match(pastedKey.message, /pass it as apiKey/);
  assert.ok(!pastedKey.message.includes(apiKey));
  for (const apiOrigin of ['pmk_notahost', 'ftp://app.owox.com', 'https://exa mple.com']) {
    assert.doesNotMatch(configError({ apiOrigin, apiKeyId: KEY_ID, apiKeySecret: SECRET }).message, /did you mean/, apiOrigin);
  }
});

test('with only variables set, a missing or blank one is named', () => {
  const origin = { OWOX_API_ORIGIN: 'https://app.owox.com' };
  assert.equal(
    configError(undefined, { ...origin, OWOX_API_KEY_ID: KEY_ID }).message,
    'OWOX API key secret is required: set OWOX_API_KEY_SECRET',
  );
  assert.equal(
    configError(undefined, { ...origin, OWOX_API_KEY_SECRET: SECRET }).message,
    'OWOX API key id is required: set OWOX_API_KEY_ID',
  );
  assert.equal(
    configError(undefined, { OWOX_API_KEY_ID: KEY_ID, OWOX_API_KEY_SECRET: SECRET }).message,
    'OWOX API origin is required: set OWOX_API_ORIGIN',
  );
  assert.equal(
    configError(undefined, { ...origin, OWOX_API_KEY_ID: KEY_ID, OWOX_API_KEY_SECRET: '   ' }).message,
    'OWOX API key secret is required: OWOX_API_KEY_SECRET is blank',
  );
  assert.equal(
    configError({}, { ...origin }).message,
    'OWOX API key id and key secret are required: set OWOX_API_KEY_ID and OWOX_API_KEY_SECRET',
  );
});

test('an origin read from OWOX_API_ORIGIN says so, with the contract sentence first', () => {
  const { message } = configError(undefined, { OWOX_API_ORIGIN: 'localhost:3000', OWOX_API_KEY_ID: KEY_ID, OWOX_API_KEY_SECRET: SECRET });
  assert.equal(message, 'OWOX API origin must use http or https (read from OWOX_API_ORIGIN); did you mean http://localhost:3000?');
});

test('with options, a missing or blank part names the option and the variable that could supply it', () => {
  assert.equal(
    configError({ apiOrigin: 'https://app.owox.com', apiKeyId: KEY_ID }).message,
    'OWOX API key secret is required: pass apiKeySecret or set OWOX_API_KEY_SECRET',
  );
  assert.equal(
    configError({ apiOrigin: 'https://app.owox.com', apiKeyId: '  ', apiKeySecret: SECRET }).message,
    'OWOX API key id is required: the apiKeyId option is blank',
  );
  assert.equal(
    configError({ apiKeyId: KEY_ID, apiKeySecret: SECRET }).message,
    'OWOX API origin is required: pass apiOrigin or set OWOX_API_ORIGIN',
  );
});

test('a bad apiKey option names the option; the same key in OWOX_API_KEY keeps the contract message', () => {
  const option = configError({ apiKey: 'pmk_not_a_key' });
  assert.equal(option.message, 'The apiKey option must be the whole owox_key_... value and start with owox_key_');
  const fromEnv = configError(undefined, { OWOX_API_KEY: 'pmk_not_a_key' });
  assert.equal(fromEnv.message, 'OWOX_API_KEY is required and must start with owox_key_');
});

// --- item 14: mixed credential forms --------------------------------------------------------

test('apiOrigin alone takes the key id and secret from OWOX_API_KEY_ID and OWOX_API_KEY_SECRET', async (t) => {
  const server = await useServer(t);
  const env = { OWOX_API_ORIGIN: 'https://not-this-one.example', OWOX_API_KEY_ID: server.apiKeyId, OWOX_API_KEY_SECRET: server.apiKeySecret };
  const client = withOwoxEnv(env, () => new OWOXApiClient({ apiOrigin: server.origin, maxRetries: 0 }));
  assert.equal(client.origin, server.origin, 'the option wins over OWOX_API_ORIGIN');
  await client.authenticate();
  assert.equal(server.count(EXCHANGE), 1);
  assert.equal(server.requests[0].headers['x-owox-api-key-id'], server.apiKeyId);
  assert.equal(server.requests[0].body, JSON.stringify({ apiKeySecret: server.apiKeySecret }));
});

test('apiKeyId and apiKeySecret take the origin from OWOX_API_ORIGIN', async (t) => {
  const server = await useServer(t);
  const env = { OWOX_API_ORIGIN: server.origin, OWOX_API_KEY_ID: 'pmk_not_this_one_000000', OWOX_API_KEY_SECRET: 'not-this-one' };
  const client = withOwoxEnv(env, () => new OWOXApiClient({ apiKeyId: server.apiKeyId, apiKeySecret: server.apiKeySecret, maxRetries: 0 }));
  assert.equal(client.origin, server.origin);
  const storages = await client.storages.list();
  assert.ok(storages.length > 0);
  assert.equal(server.requests[0].headers['x-owox-api-key-id'], server.apiKeyId, 'the options win over the variables');
});

test('apiKey together with apiOrigin (or the other parts) is refused, naming what was mixed', () => {
  const apiKey = encodeApiKey({ apiOrigin: 'https://from-key.example', apiKeyId: KEY_ID, apiKeySecret: SECRET });
  const withOrigin = configError({ apiKey, apiOrigin: 'http://localhost:3000' });
  assert.equal(
    withOrigin.message,
    'Pass either apiKey or apiOrigin, apiKeyId and apiKeySecret, not both: apiKey already holds the origin, key id ' +
      'and secret (got apiKey together with apiOrigin)',
  );
  assert.ok(!withOrigin.message.includes(apiKey));
  assert.match(configError({ apiKey, apiKeySecret: 'x' }).message, /got apiKey together with apiKeySecret\)$/);
});

test('a gap in the options that only OWOX_API_KEY could fill is refused, naming the mix', () => {
  const apiKey = encodeApiKey({ apiOrigin: 'https://from-key.example', apiKeyId: KEY_ID, apiKeySecret: SECRET });
  const { message } = configError({ apiOrigin: 'http://localhost:3000' }, { OWOX_API_KEY: apiKey });
  assert.match(message, /^apiOrigin was passed without apiKeyId and apiKeySecret, and OWOX_API_KEY cannot fill the gap/);
  assert.match(message, /set OWOX_API_KEY_ID and OWOX_API_KEY_SECRET/);
  assert.ok(!message.includes(apiKey));
  // With the two variables set as well, they fill the gap and OWOX_API_KEY is not needed.
  const client = withOwoxEnv({ OWOX_API_KEY: apiKey, OWOX_API_KEY_ID: KEY_ID, OWOX_API_KEY_SECRET: SECRET }, () => new OWOXApiClient({ apiOrigin: 'http://localhost:3000' }));
  assert.equal(client.origin, 'http://localhost:3000');
});

test('the apiKey option alone ignores every variable, even a broken one', () => {
  const apiKey = encodeApiKey({ apiOrigin: 'https://from-key.example', apiKeyId: KEY_ID, apiKeySecret: SECRET });
  const env = { OWOX_API_KEY: 'garbage', OWOX_API_ORIGIN: 'not a url', OWOX_API_KEY_ID: ' ', OWOX_API_KEY_SECRET: ' ' };
  assert.equal(withOwoxEnv(env, () => new OWOXApiClient({ apiKey })).origin, 'https://from-key.example');
});

test('a worker thread fills missing options from its own environment, not the main thread\'s', async (t) => {
  const server = await useServer(t);
  const source = `
    const { parentPort, workerData } = require('node:worker_threads');
    import('@owox/api-client').then(async ({ OWOXApiClient }) => {
      try {
        const client = new OWOXApiClient({ apiOrigin: workerData.origin, maxRetries: 0 });
        await client.authenticate();
        parentPort.postMessage({ origin: client.origin });
      } catch (error) {
        parentPort.postMessage({ error: error.message });
      }
    });
  `;
  const workerEnv = { OWOX_API_KEY_ID: server.apiKeyId, OWOX_API_KEY_SECRET: server.apiKeySecret };
  const reply = await withOwoxEnv({}, async () => {
    const worker = new Worker(source, { eval: true, workerData: { origin: server.origin }, env: { ...workerEnv } });
    try {
      return await new Promise((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
    } finally {
      await worker.terminate();
    }
  });
  assert.deepEqual(reply, { origin: server.origin });
  assert.equal(server.requests[0].headers['x-owox-api-key-id'], server.apiKeyId);
  // The main thread, without those variables, still refuses the same options.
  assert.match(configError({ apiOrigin: server.origin }).message, /key id and key secret are required/);
});
