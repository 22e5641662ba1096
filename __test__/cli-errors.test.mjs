// owox-api failures: usage and configuration errors exit 2, API and network errors exit 1,
// and every failure prints {"error":{"message","status","code","name","details"}} on stderr
// with nothing on stdout. No secret or token is printed, --debug included.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OWOXApiClient } from '@owox/api-client';
import { thrownBy, useServer, withOwoxEnv } from './helpers/server.mjs';
import { cleanEnv, errorOf, runCli, serverEnv } from './helpers/cli.mjs';

test('an unknown flag is a usage error: exit 2, the JSON error names the flag, nothing sent', async (t) => {
  const server = await useServer(t);
  const run = await runCli(['data-marts', 'list', '--colour'], { env: serverEnv(server) });
  assert.equal(run.code, 2);
  assert.equal(run.stdout, '');
  assert.deepEqual(errorOf(run), { message: "unknown option '--colour'", code: 'USAGE_ERROR', name: 'UsageError' });
  assert.equal(server.requests.length, 0);
});

test('bad flag values, choices, extra arguments and unknown commands exit 2 with a JSON error', async (t) => {
  const server = await useServer(t);
  const cases = [
    [['--timeout', 'soon', 'storages', 'list'], /--timeout <ms>.*expected a whole number/],
    [['--max-retries', '-1', 'storages', 'list'], /--max-retries/],
    [['--format', 'xml', 'storages', 'list'], /argument 'xml' is invalid.*json, table, ndjson, csv/],
    [['storages', 'list', '--format', 'csv'], /storages list prints JSON: --format json \(default\) or table, not csv/],
    [['data-marts', 'list', '--owner-filter', 'mine'], /argument 'mine' is invalid/],
    [['storages', 'list', 'extra'], /too many arguments/],
    [['storage', 'list'], /unknown command 'storage'.*storages/s],
  ];
  for (const [args, message] of cases) {
    const run = await runCli(args, { env: serverEnv(server) });
    assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
    assert.equal(run.stdout, '');
    const error = errorOf(run);
    assert.equal(error.name, 'UsageError');
    assert.match(error.message, message);
  }
  assert.equal(server.requests.length, 0);
});

test('a command group without its command prints that group\'s help on stderr and exits 2', async () => {
  const run = await runCli(['data-marts']);
  assert.equal(run.code, 2);
  assert.equal(run.stdout, '');
  assert.match(run.stderr, /Usage: owox-api data-marts \[options\] \[command\]/);
  assert.match(run.stderr, /list \[options\] +List the data marts/);
});

test('missing credentials: exit 2 with the library\'s own message, before any request', async () => {
  const expected = thrownBy(() => withOwoxEnv({}, () => new OWOXApiClient()));
  const run = await runCli(['data-marts', 'list']);
  assert.equal(run.code, 2);
  assert.equal(run.stdout, '');
  assert.deepEqual(errorOf(run), { message: expected.message, name: 'OWOXConfigError' });
  assert.match(expected.message, /OWOX_API_KEY/);
});

test('status without credentials prints authenticated false with the error, and exits 2', async () => {
  const run = await runCli(['status']);
  assert.equal(run.code, 2);
  const status = JSON.parse(run.stdout);
  assert.deepEqual(Object.keys(status), ['apiOrigin', 'apiKeyId', 'authenticated', 'envFile', 'error']);
  assert.equal(status.authenticated, false);
  assert.equal(status.apiOrigin, null);
  assert.equal(status.error.name, 'OWOXConfigError');
  assert.deepEqual(errorOf(run), status.error);
});

test('unusable credentials (a malformed OWOX_API_KEY, a partial triple) exit 2 without echoing them', async () => {
  for (const env of [
    cleanEnv({ OWOX_API_KEY: 'not-a-key-but-very-secret' }),
    cleanEnv({ OWOX_API_ORIGIN: 'https://app.owox.com', OWOX_API_KEY_ID: 'pmk_x' }),
  ]) {
    const run = await runCli(['storages', 'list'], { env });
    assert.equal(run.code, 2);
    assert.equal(errorOf(run).name, 'OWOXConfigError');
    assert.ok(!run.stderr.includes('very-secret'));
  }
});

test('a server error exits 1 with status, code, name and details of the server\'s body', async (t) => {
  const server = await useServer(t);
  const body = { statusCode: 424, code: 'STORAGE_ACCESS_FAILED', message: 'Storage is not reachable', details: { dependency: 'storage' } };
  server.inject({ path: '/api/data-storages' }, { status: 424, body });
  const run = await runCli(['storages', 'list'], { env: serverEnv(server) });
  assert.equal(run.code, 1);
  assert.equal(run.stdout, '');
  const error = errorOf(run);
  assert.deepEqual(Object.keys(error), ['message', 'status', 'code', 'name', 'details']);
  assert.deepEqual(error, {
    message: error.message,
    status: 424,
    code: 'STORAGE_ACCESS_FAILED',
    name: 'OWOXApiError',
    details: { dependency: 'storage' },
  });
  assert.match(error.message, /424.*Storage is not reachable/);
});

test('a refused key exits 1 with OWOXAuthError; status says authenticated false', async (t) => {
  const server = await useServer(t);
  const env = serverEnv(server, { OWOX_API_KEY_SECRET: 'wrong-secret-value' });
  const list = await runCli(['destinations', 'list'], { env });
  assert.equal(list.code, 1);
  assert.equal(errorOf(list).name, 'OWOXAuthError');
  assert.equal(errorOf(list).status, 401);
  const status = await runCli(['status'], { env });
  assert.equal(status.code, 1);
  const printed = JSON.parse(status.stdout);
  assert.equal(printed.authenticated, false);
  assert.equal(printed.apiKeyId, server.apiKeyId);
  assert.equal(printed.error.name, 'OWOXAuthError');
  for (const run of [list, status]) assert.ok(!`${run.stdout}${run.stderr}`.includes('wrong-secret-value'));
});

test('a network error exits 1 with code NETWORK_ERROR', async () => {
  const env = cleanEnv({ OWOX_API_ORIGIN: 'http://127.0.0.1:9', OWOX_API_KEY_ID: 'pmk_AbCdEfGhIjKlMnOpQrStUv', OWOX_API_KEY_SECRET: 's' });
  const run = await runCli(['storages', 'list', '--max-retries', '0'], { env });
  assert.equal(run.code, 1);
  assert.equal(errorOf(run).code, 'NETWORK_ERROR');
});

test('--max-retries passes through: 0 makes one attempt, 2 makes three', async (t) => {
  const server = await useServer(t);
  server.inject({ path: '/api/data-storages', times: Infinity }, { status: 503, headers: { 'retry-after': '0' } });
  const once = await runCli(['storages', 'list', '--max-retries', '0'], { env: serverEnv(server) });
  assert.equal(once.code, 1);
  assert.equal(errorOf(once).status, 503);
  assert.equal(server.count({ path: '/api/data-storages' }), 1);
  server.clearRequests();
  const thrice = await runCli(['--max-retries', '2', 'storages', 'list'], { env: serverEnv(server) });
  assert.equal(thrice.code, 1);
  assert.equal(server.count({ path: '/api/data-storages' }), 3);
  assert.match(errorOf(thrice).message, /after 3 attempts/);
});

test('--timeout passes through: a server that never answers fails with code TIMEOUT', async (t) => {
  const server = await useServer(t);
  server.inject({ path: '/api/data-destinations' }, { hang: true });
  const run = await runCli(['destinations', 'list', '--timeout', '300', '--max-retries', '0'], { env: serverEnv(server) });
  assert.equal(run.code, 1);
  assert.equal(errorOf(run).code, 'TIMEOUT');
});

test('an out-of-range --max-retries or --timeout is a usage error that names the flag: exit 2, nothing sent', async (t) => {
  const server = await useServer(t);
  const cases = [
    [['--max-retries', '99'], "option '--max-retries <n>' argument '99' is invalid. expected a whole number from 0 to 10, got 99"],
    [['--max-retries', '11'], "option '--max-retries <n>' argument '11' is invalid. expected a whole number from 0 to 10, got 11"],
    [['--timeout', '0'], "option '--timeout <ms>' argument '0' is invalid. expected a whole number from 1 to 2147483647, got 0"],
    [['--timeout', '2147483648'], "option '--timeout <ms>' argument '2147483648' is invalid. expected a whole number from 1 to 2147483647, got 2147483648"],
  ];
  for (const [flag, message] of cases) {
    const run = await runCli(['storages', 'list', ...flag], { env: serverEnv(server) });
    assert.equal(run.code, 2, `${flag.join(' ')}: ${run.stderr}`);
    assert.equal(run.stdout, '');
    assert.deepEqual(errorOf(run), { message, code: 'USAGE_ERROR', name: 'UsageError' });
  }
  assert.equal(server.requests.length, 0);
});

test('the flags\' ranges are the client\'s: the largest values pass the CLI and the client, one more fails both', async (t) => {
  const server = await useServer(t);
  const credentials = { apiOrigin: server.origin, apiKeyId: server.apiKeyId, apiKeySecret: server.apiKeySecret };
  const edges = [
    ['--max-retries', 'maxRetries', 10],
    ['--timeout', 'timeout', 2147483647],
  ];
  for (const [flag, option, largest] of edges) {
    assert.doesNotThrow(() => new OWOXApiClient({ ...credentials, [option]: largest }));
    assert.ok(thrownBy(() => new OWOXApiClient({ ...credentials, [option]: largest + 1 })).message.startsWith(`${option} must be`));
    const passes = await runCli(['storages', 'list', flag, String(largest)], { env: serverEnv(server) });
    assert.equal(passes.code, 0, passes.stderr);
    const fails = await runCli(['storages', 'list', flag, String(largest + 1)], { env: serverEnv(server) });
    assert.equal(fails.code, 2);
    assert.ok(errorOf(fails).message.startsWith(`option '${flag} `), errorOf(fails).message);
  }
});

test('--debug logs the steps and HTTP attempts to stderr, never the secret or a token', async (t) => {
  const server = await useServer(t);
  server.inject({ path: '/api/data-storages' }, { status: 500, body: { statusCode: 500, message: 'boom' } });
  const run = await runCli(['storages', 'list', '--debug', '--max-retries', '1'], { env: serverEnv(server) });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /credentials from OWOX_API_ORIGIN, OWOX_API_KEY_ID, OWOX_API_KEY_SECRET/);
  assert.match(run.stderr, /\/api\/data-storages/);
  assert.ok(server.issuedTokens.length > 0);
  for (const secret of [server.apiKeySecret, ...server.issuedTokens]) assert.ok(!run.stderr.includes(secret) && !run.stdout.includes(secret));

  const failing = await runCli(['status', '--debug'], { env: serverEnv(server, { OWOX_API_KEY_SECRET: 'debug-secret-value' }) });
  assert.equal(failing.code, 1);
  assert.ok(!`${failing.stdout}${failing.stderr}`.includes('debug-secret-value'));
});

test('a key or secret pasted where a command or flag value belongs is not echoed in the usage error', async () => {
  const apiKey = 'owox_key_eyJhcGlLZXlTZWNyZXQiOiJzM2NyM3QifQ';
  const pasted = await runCli([apiKey]);
  assert.equal(pasted.code, 2);
  assert.equal(errorOf(pasted).message, "unknown command '<redacted>'");
  assert.ok(!pasted.stderr.includes(apiKey));
  const secret = 'the-secret-of-this-environment';
  const misplaced = await runCli(['storages', 'list', '--timeout', secret], { env: cleanEnv({ OWOX_API_KEY_SECRET: secret }) });
  assert.equal(misplaced.code, 2);
  assert.ok(!misplaced.stderr.includes(secret));
  assert.match(errorOf(misplaced).message, /--timeout <ms>.*'<redacted>'/);
});
