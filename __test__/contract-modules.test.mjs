// One copy of every class for `import` and `require`: values created through one module
// system are `instanceof` the classes of the other.

import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import * as esm from '@owox/api-client';
import esmDefault from '@owox/api-client';
import * as esmTesting from '@owox/api-client/testing';
import { rejectionOf, thrownBy, useServer } from './helpers/server.mjs';

const require = createRequire(import.meta.url);
const cjs = require('@owox/api-client');
const cjsTesting = require('@owox/api-client/testing');

const CLASSES = ['OWOXApiClient', 'OWOXApiError', 'OWOXAuthError', 'OWOXConfigError'];

test('import and require give the very same classes', () => {
  for (const name of CLASSES) {
    assert.equal(typeof esm[name], 'function', `${name} is exported by the ES module`);
    assert.equal(esm[name], cjs[name], `${name} is one object for import and require`);
    assert.equal(esmDefault[name], cjs[name], `${name} of the default export is the CommonJS one`);
  }
  assert.deepEqual(Object.keys(cjs).sort(), [...CLASSES, 'API_KEY_PREFIX', 'parseOWOXApiKey', 'HttpNdjsonTraversal', 'DataMartDataTraversal'].sort());
  assert.equal(esm.parseOWOXApiKey, cjs.parseOWOXApiKey);
  assert.equal(esm.API_KEY_PREFIX, 'owox_key_');
});

test('@owox/api-client/testing is one module for import and require', () => {
  for (const name of ['startTestServer', 'generateDataMarts', 'generateStorages', 'generateDestinations', 'encodeApiKey']) {
    assert.equal(typeof esmTesting[name], 'function', `${name} is exported`);
    assert.equal(esmTesting[name], cjsTesting[name], `${name} is one function for import and require`);
  }
});

test('a client made with require() is instanceof the imported class, and the reverse', () => {
  const credentials = { apiOrigin: 'http://127.0.0.1:9', apiKeyId: 'pmk_x', apiKeySecret: 's' };
  assert.ok(new cjs.OWOXApiClient(credentials) instanceof esm.OWOXApiClient);
  assert.ok(new esm.OWOXApiClient(credentials) instanceof cjs.OWOXApiClient);
});

test('a config error thrown through require() is instanceof the imported OWOXConfigError', () => {
  const error = thrownBy(() => new cjs.OWOXApiClient({ apiOrigin: 'ftp://x.io', apiKeyId: 'i', apiKeySecret: 's' }));
  assert.ok(error instanceof esm.OWOXConfigError);
  assert.ok(error instanceof cjs.OWOXConfigError);
});

test('an API error from a client made with require() is instanceof the imported error classes', async (t) => {
  const server = await useServer(t);
  const client = new cjs.OWOXApiClient({ ...server.credentials, apiKeySecret: 'wrong-secret', maxRetries: 0 });
  const error = await rejectionOf(client.storages.list());
  assert.ok(error instanceof esm.OWOXAuthError);
  assert.ok(error instanceof esm.OWOXApiError);
  assert.ok(error instanceof cjs.OWOXAuthError);
});
