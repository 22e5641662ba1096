// The original's low-level methods on the native path (getJson, postJson, putJson,
// patchJson, deleteJson): the requests they send, the safe-path rules (a refused path
// sends nothing, not even the token exchange), retries by method, and the exports
// parseOWOXApiKey and API_KEY_PREFIX.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { API_KEY_PREFIX, OWOXApiError, OWOXConfigError, parseOWOXApiKey } from '@owox/api-client';
import { apiClientOf, useApiServer } from './helpers/api-server.mjs';
import { rejectionOf, thrownBy } from './helpers/server.mjs';

const UNSAFE = 'OWOX API path must be an absolute /api/ path without traversal or encoded separators';

describe('low-level methods send what they are given', () => {
  test('getJson(path, query) sends the query; a path may carry its own', async (t) => {
    const server = (await useApiServer(t)).reply('GET /api/data-marts', { body: { items: [], total: 0, nextOffset: null } });
    const client = apiClientOf(server);
    assert.deepStrictEqual(await client.getJson('/api/data-marts', { offset: '1000', ownerFilter: 'no_owners' }), { items: [], total: 0, nextOffset: null });
    await client.getJson('/api/data-marts?offset=5', { ownerFilter: 'has_owners' });
    await client.getJson('/api/data-marts', new URLSearchParams([['column', 'a'], ['column', 'b c']]));
    await client.getJson('/api/data-marts', undefined, { timeout: 5000 });
    assert.deepEqual(
      server.requests.map((r) => [r.method, r.path, r.query]),
      [
        ['GET', '/api/data-marts', 'offset=1000&ownerFilter=no_owners'],
        ['GET', '/api/data-marts', 'offset=5&ownerFilter=has_owners'],
        ['GET', '/api/data-marts', 'column=a&column=b+c'],
        ['GET', '/api/data-marts', ''],
      ],
    );
  });

  test('postJson(path, body, accept?) sends JSON and reads JSON or text back', async (t) => {
    const server = (await useApiServer(t))
      .reply('POST /api/data-marts', { status: 201, body: { id: 'new', title: 'T' } })
      .reply('POST /api/markdown/parse-to-html', { status: 201, headers: { 'content-type': 'text/html; charset=utf-8' }, body: '<h1>x</h1>' });
    const client = apiClientOf(server);
    assert.deepStrictEqual(await client.postJson('/api/data-marts', { title: 'T', storageId: 's' }), { id: 'new', title: 'T' });
    assert.equal(await client.postJson('/api/markdown/parse-to-html', { markdown: '# x' }, 'text/html'), '<h1>x</h1>');
    // The accept header may be left out before the options object.
    await client.postJson('/api/data-marts', { title: 'U', storageId: 's' }, { timeout: 5000 });
    assert.deepStrictEqual(
      server.requests.map((r) => [r.method, r.path, r.body, r.headers.accept]),
      [
        ['POST', '/api/data-marts', { title: 'T', storageId: 's' }, 'application/json'],
        ['POST', '/api/markdown/parse-to-html', { markdown: '# x' }, 'text/html'],
        ['POST', '/api/data-marts', { title: 'U', storageId: 's' }, 'application/json'],
      ],
    );
  });

  test('putJson, patchJson and deleteJson; an empty body is undefined', async (t) => {
    const server = (await useApiServer(t))
      .reply('PUT /api/data-marts/dm-1/title', { body: { id: 'dm-1', title: 'New' } })
      .reply('PATCH /api/data-marts/dm-1', { body: { id: 'dm-1' } })
      .reply('DELETE /api/data-marts/dm-1', { status: 200 });
    const client = apiClientOf(server);
    assert.deepStrictEqual(await client.putJson('/api/data-marts/dm-1/title', { title: 'New' }), { id: 'dm-1', title: 'New' });
    assert.deepStrictEqual(await client.patchJson('/api/data-marts/dm-1', { description: null }), { id: 'dm-1' });
    assert.equal(await client.deleteJson('/api/data-marts/dm-1'), undefined);
    assert.deepStrictEqual(
      server.requests.map((r) => [r.method, r.path, r.body]),
      [
        ['PUT', '/api/data-marts/dm-1/title', { title: 'New' }],
        ['PATCH', '/api/data-marts/dm-1', { description: null }],
        ['DELETE', '/api/data-marts/dm-1', undefined],
      ],
    );
  });

  test('an error answer is the usual OWOXApiError', async (t) => {
    const server = (await useApiServer(t)).reply('GET /api/project-member-api-keys', {
      status: 403,
      body: { statusCode: 403, message: 'API key authentication is not allowed for this endpoint', path: '/api/project-member-api-keys' },
    });
    const error = await rejectionOf(apiClientOf(server).getJson('/api/project-member-api-keys'));
    assert.ok(error instanceof OWOXApiError);
    assert.equal(error.status, 403);
    assert.equal(error.message, 'OWOX API request failed with 403 Forbidden: API key authentication is not allowed for this endpoint');
  });

  test('bad arguments are refused with nothing sent', async (t) => {
    const server = await useApiServer(t);
    const client = apiClientOf(server);
    const cases = [
      [() => client.getJson(42), /^getJson\(\): path must be a string/],
      [() => client.getJson('/api/x', { signal: new AbortController().signal }), /^getJson\(\): query must be a plain object of strings/],
      [() => client.postJson('/api/x', { n: 1n }), /^postJson\(\): the request body must be JSON-serializable/],
      [() => client.postJson('/api/x', {}, 42), /^postJson\(\): accept must be a string/],
      [() => client.putJson('/api/x', {}, {}, {}), /^putJson\(path, body, options\?\) takes at most 3 arguments/],
      [() => client.deleteJson('/api/x', { limit: 1 }), /^deleteJson\(\) does not take the option 'limit'/],
    ];
    for (const [call, message] of cases) {
      const error = await rejectionOf(call());
      assert.ok(error instanceof OWOXConfigError, `${error}`);
      assert.match(error.message, message);
    }
    assert.equal(server.requests.length + server.exchanges, 0);
  });
});

describe('safe paths: each rule refuses one path (nothing sent, no token exchange) and lets one pass', () => {
  const RULES = [
    ['longer than 2048 characters', `/api/${'a'.repeat(2044)}`, `/api/${'a'.repeat(2043)}`],
    ['not starting with /api/', '/v1/data-marts', '/api/data-marts'],
    ['relative', 'api/data-marts', '/api/data-marts'],
    ['a backslash', '/api/data-marts\\x', '/api/data-marts/x'],
    ['% without two hex digits', '/api/data-marts/%zz', '/api/data-marts/a%20b'],
    ['an encoded %', '/api/data-marts/a%25b', '/api/data-marts/a%3Ab'],
    ['an encoded /', '/api/data-marts/a%2fb', '/api/data-marts/a-b'],
    ['an encoded \\', '/api/data-marts/a%5Cb', '/api/data-marts/a_b'],
    ['a .. segment', '/api/data-marts/../auth/context', '/api/data-marts/..x'],
    ['a . segment', '/api/./data-marts', '/api/data-marts/.x'],
    ['an encoded .. segment', '/api/data-marts/%2e%2E/x', '/api/data-marts/%2ex'],
    ['another origin', '//evil.example/api/x', '/api/x'],
    ['another origin after resolving', '/api/..//evil.example/x', '/api/x//y'],
  ];
  for (const [rule, refused, passes] of RULES) {
    test(rule, async (t) => {
      const server = (await useApiServer(t)).reply(`GET ${new URL(passes, 'http://h').pathname}`, { body: { ok: true } });
      const client = apiClientOf(server);
      const error = await rejectionOf(client.getJson(refused));
      assert.ok(error instanceof OWOXConfigError, `${refused}: ${error}`);
      assert.equal(error.message, UNSAFE);
      assert.equal(server.requests.length + server.exchanges, 0, 'nothing reached the server');
      assert.deepStrictEqual(await client.getJson(passes), { ok: true });
      assert.equal(server.requests.length, 1);
    });
  }

  test('every low-level method checks the path before the token exchange', async (t) => {
    const server = await useApiServer(t);
    const client = apiClientOf(server);
    for (const call of [() => client.postJson('/api/../x', {}), () => client.putJson('/api/%2F', {}), () => client.patchJson('/x', {}), () => client.deleteJson('/api/a\\b')]) {
      assert.equal((await rejectionOf(call())).message, UNSAFE);
    }
    assert.equal(server.requests.length + server.exchanges, 0);
  });
});

describe('retries follow the method', () => {
  test('a POST that times out is not repeated', async (t) => {
    const server = (await useApiServer(t)).reply('POST /api/plugins/update', { hang: true });
    const client = apiClientOf(server, { timeout: 300, maxRetries: 2 });
    const error = await rejectionOf(client.plugins.update('owox/example-plugin'));
    assert.ok(error instanceof OWOXApiError);
    assert.equal(error.code, 'TIMEOUT');
    assert.equal(server.requests.length, 1, 'sent once: a POST may have been applied');
  });

  test('a GET that times out is repeated (maxRetries)', async (t) => {
    const server = (await useApiServer(t)).reply('GET /api/projects/settings', { hang: true });
    const error = await rejectionOf(apiClientOf(server, { timeout: 300, maxRetries: 1 }).project.getSettings());
    assert.equal(error.code, 'TIMEOUT');
    assert.equal(server.requests.length, 2);
  });
});

describe('parseOWOXApiKey and API_KEY_PREFIX', () => {
  const encode = (value) => `owox_key_${Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url')}`;
  const SECRET = 'S3cr3tValueThatMustNeverAppearInAnyMessage000';

  test('API_KEY_PREFIX is owox_key_', () => {
    assert.equal(API_KEY_PREFIX, 'owox_key_');
  });

  test('splits a key into trimmed parts with a normalized origin', async (t) => {
    const server = (await useApiServer(t)).reply('GET /api/projects/settings', { body: { description: null } });
    const parsed = parseOWOXApiKey(encode({ apiOrigin: ` ${server.origin.replace('http', 'HTTP')}/ `, apiKeyId: ` ${server.credentials.apiKeyId} `, apiKeySecret: server.credentials.apiKeySecret }));
    assert.deepStrictEqual(parsed, server.credentials);
    // The parts work as credentials.
    assert.deepStrictEqual(await apiClientOf(server, parsed).project.getSettings(), { description: null });
  });

  const REFUSED = [
    [undefined, 'OWOX_API_KEY is required and must start with owox_key_'],
    [42, 'OWOX_API_KEY is required and must start with owox_key_'],
    [`key_${SECRET}`, 'OWOX_API_KEY is required and must start with owox_key_'],
    ['owox_key_', 'OWOX_API_KEY must contain a valid base64url payload'],
    [`owox_key_${SECRET}+`, 'OWOX_API_KEY must contain a valid base64url payload'],
    [encode(`not json ${SECRET}`), 'OWOX_API_KEY must contain a valid JSON payload'],
    [encode([SECRET]), 'OWOX_API_KEY must contain a JSON object'],
    [encode({ apiOrigin: 'https://app.owox.com', apiKeyId: 'pmk_x', apiKeySecret: '  ' }), 'OWOX_API_KEY must include apiOrigin, apiKeyId, and apiKeySecret'],
    [encode({ apiOrigin: 'ftp://app.owox.com', apiKeyId: 'pmk_x', apiKeySecret: SECRET }), 'OWOX_API_KEY apiOrigin must be a valid http or https origin'],
    [encode({ apiOrigin: 'https://app.owox.com/path', apiKeyId: 'pmk_x', apiKeySecret: SECRET }), 'OWOX_API_KEY apiOrigin must be a valid http or https origin'],
  ];
  for (const [value, message] of REFUSED) {
    test(`refuses with "${message}"`, () => {
      const error = thrownBy(() => parseOWOXApiKey(value));
      assert.ok(error instanceof OWOXConfigError, `${error}`);
      assert.equal(error.message, message);
      assert.ok(!error.message.includes(SECRET) && !String(error.stack).includes(SECRET));
    });
  }
});
