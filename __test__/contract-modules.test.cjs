// The same identity seen from a CommonJS file: `require` and dynamic `import()` agree.

const assert = require('node:assert/strict');
const { test } = require('node:test');
const cjs = require('@owox/api-client');
const cjsTesting = require('@owox/api-client/testing');

test('require() and import() from CommonJS give the same classes', async () => {
  const esm = await import('@owox/api-client');
  for (const name of ['OWOXApiClient', 'OWOXApiError', 'OWOXAuthError', 'OWOXConfigError']) {
    assert.equal(typeof cjs[name], 'function', `${name} is exported by the CommonJS module`);
    assert.equal(esm[name], cjs[name], `${name} is one object`);
  }
});

test('require() and import() of @owox/api-client/testing give the same server factory', async () => {
  const esmTesting = await import('@owox/api-client/testing');
  assert.equal(esmTesting.startTestServer, cjsTesting.startTestServer);
  assert.equal(esmTesting.generateDataMarts, cjsTesting.generateDataMarts);
});

test('a list fetched by a required client against the test server works from CommonJS', async (t) => {
  const server = await cjsTesting.startTestServer({ storages: cjsTesting.generateStorages(2) });
  t.after(() => server.close());
  const esm = await import('@owox/api-client');
  const client = new esm.OWOXApiClient({ ...server.credentials, maxRetries: 0 });
  assert.ok(client instanceof cjs.OWOXApiClient);
  assert.deepStrictEqual(await client.storages.list(), JSON.parse(JSON.stringify(cjsTesting.generateStorages(2))));
});
