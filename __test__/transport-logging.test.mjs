// Issue point 7: OWOX_LOG=info|debug prints one line per HTTP request to stderr (method,
// path, status, attempt, duration), never the secret or the token; quiet by default.
// OWOX_LOG is read at construction, so the client runs in a child process; the server runs
// here, so its requests can be counted and nothing it does lands in the child's stderr.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from '@owox/api-client/testing';
import { runChildCalls } from './helpers/transport-util.mjs';

const STORAGES = '/api/data-storages';
const EXCHANGE = '/api/auth/api-keys/exchange';

async function server(t, options) {
  const s = await startTestServer(options);
  t.after(() => s.close());
  return s;
}

/** Request lines: those naming an HTTP method and an /api/ path. */
function requestLines(stderr) {
  return stderr.split('\n').filter((line) => /\b(GET|POST)\b/.test(line) && /\/api\//.test(line) && !/retrying/i.test(line));
}

function parse(line) {
  return {
    method: line.match(/\b(GET|POST)\b/)?.[1],
    path: line.match(/(\/api\/[^\s?]*)/)?.[1],
    status: line.match(/\s(\d{3})(\s|$)/)?.[1],
    attempt: Number(line.match(/attempt\D{0,3}(\d+)/i)?.[1]),
    hasDuration: /\d+(\.\d+)?\s?ms\b/.test(line),
  };
}

function assertNoSecrets(stderr, s) {
  assert.ok(!stderr.includes(s.apiKeySecret), 'the API key secret was logged');
  assert.ok(!stderr.includes(s.apiKey), 'the owox_key_ value was logged');
  for (const token of s.issuedTokens) assert.ok(!stderr.includes(token), 'an access token was logged');
  assert.doesNotMatch(stderr, /Bearer/i);
}

const calls = [{ call: 'storages.list' }, { call: 'auth.getContext' }];

for (const level of ['info', 'debug']) {
  test(`OWOX_LOG=${level}: one line per request with method, path, status, attempt and duration`, async (t) => {
    const s = await server(t);
    s.inject({ path: STORAGES }, { status: 503, headers: { 'retry-after': '0' } });
    const { results, run } = await runChildCalls({ client: { ...s.credentials, maxRetries: 2 }, calls }, { OWOX_LOG: level });
    assert.ok(results.every((r) => r.ok), JSON.stringify(results));
    const lines = requestLines(run.stderr);
    t.diagnostic(`stderr:\n${run.stderr.trimEnd()}`);
    assert.equal(s.count(), 4); // exchange, 503, retry, context
    assert.equal(lines.length, s.count(), `expected one line per request:\n${run.stderr}`);
    const parsed = lines.map(parse);
    assert.deepEqual(
      parsed.map((p) => [p.method, p.path, p.status, p.attempt]),
      [
        ['POST', EXCHANGE, '200', 1],
        ['GET', STORAGES, '503', 1],
        ['GET', STORAGES, '200', 2],
        ['GET', '/api/auth/context', '200', 1],
      ],
    );
    for (const p of parsed) assert.ok(p.hasDuration, 'a line without a duration');
    assertNoSecrets(run.stderr, s);
    if (level === 'info') {
      // info: nothing but the request lines.
      assert.equal(run.stderr.trimEnd().split('\n').length, lines.length, run.stderr);
    }
  });
}

test('OWOX_LOG logs failed attempts (reset, timeout) with their error, one line each', async (t) => {
  const s = await server(t);
  s.inject({ path: STORAGES }, { reset: true });
  s.inject({ path: STORAGES }, { hang: true });
  const { results, run } = await runChildCalls(
    { client: { ...s.credentials, maxRetries: 2, timeout: 300 }, calls: [{ call: 'storages.list' }] },
    { OWOX_LOG: 'info' },
  );
  assert.equal(results[0].ok, true, JSON.stringify(results[0]));
  assert.equal(s.count({ path: STORAGES }), 3);
  const lines = requestLines(run.stderr).filter((l) => l.includes(STORAGES));
  assert.equal(lines.length, 3, run.stderr);
  assert.match(lines[0], /NETWORK_ERROR|reset|error/i);
  assert.match(lines[1], /TIMEOUT/);
  assert.equal(parse(lines[2]).status, '200');
  assert.deepEqual(lines.map((l) => parse(l).attempt), [1, 2, 3]);
  assertNoSecrets(run.stderr, s);
});

test('OWOX_LOG never shows the secret or token, even on auth failures and 401 re-exchanges', async (t) => {
  const s = await server(t);
  // The first client's GET is refused once: it drops its token and exchanges again.
  s.inject({ path: STORAGES }, { status: 401, body: { statusCode: 401, message: 'Unauthorized' } });
  const { results, run } = await runChildCalls(
    {
      runs: [
        { client: { ...s.credentials, maxRetries: 0 }, calls: [{ call: 'storages.list' }] },
        { client: { ...s.credentials, apiKeySecret: 'wrong-' + s.apiKeySecret, maxRetries: 0 }, calls: [{ call: 'authenticate' }] },
      ],
    },
    { OWOX_LOG: 'debug' },
  ).then((r) => ({ results: r.runs.flatMap((x) => x.results), run: r.run }));
  assert.equal(results[0].ok, true);
  assert.equal(results[1].ok, false);
  assert.equal(results[1].error.status, 401);
  assert.equal(s.count({ path: EXCHANGE }), 3);
  assert.equal(s.issuedTokens.length, 2);
  assert.equal(requestLines(run.stderr).length, s.count());
  assertNoSecrets(run.stderr, s);
  assert.ok(!run.stderr.includes('wrong-'), 'the wrong secret was logged');
});

for (const [name, env] of [
  ['unset', {}],
  ['empty', { OWOX_LOG: '' }],
  ['off', { OWOX_LOG: 'off' }],
]) {
  test(`quiet by default: OWOX_LOG ${name} prints nothing, even for retries and failures`, async (t) => {
    const s = await server(t);
    s.inject({ path: STORAGES }, { status: 503, headers: { 'retry-after': '0' } });
    s.inject({ path: '/api/auth/context', times: Infinity }, { status: 404, body: { message: 'nope' } });
    const { results, run } = await runChildCalls({ client: { ...s.credentials, maxRetries: 1 }, calls }, env);
    assert.equal(results[0].ok, true);
    assert.equal(results[1].ok, false);
    assert.equal(s.count(), 4);
    assert.equal(run.stderr, '');
    assert.equal(run.code, 0);
  });
}
