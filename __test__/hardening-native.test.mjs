// Issue 8, the native half: the token exchange shares its outcome, one body decoder for
// every response, errors built from responses carry status and details, pagination ends,
// secrets are scrubbed from what servers echo, retries follow what can succeed.

import test from 'node:test';
import assert from 'node:assert/strict';
import { OWOXApiClient, OWOXApiError, OWOXAuthError } from '@owox/api-client';
import { startScriptedApi, json, tokenReply, EXCHANGE, SECRET } from './helpers/scripted-api.mjs';
import { rejectionOf } from './helpers/server.mjs';

const STORAGES = '/api/data-storages';
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function clientOf(api, options = {}) {
  return new OWOXApiClient({ ...api.credentials, maxRetries: 0, ...options });
}

/** Storages answered with `[]` after the usual exchange; `exchange` may override it. */
function storagesApi(t, exchange = () => tokenReply()) {
  return startScriptedApi(t, (r) => (r.path === EXCHANGE ? exchange(r) : json(200, [])));
}

test('concurrent calls share one failed exchange: 20 callers, 1 exchange, 20 OWOXAuthErrors', async (t) => {
  const api = await storagesApi(t, async () => {
    await sleep(100);
    return json(401, { statusCode: 401, message: 'Unauthorized' });
  });
  const client = clientOf(api);
  const results = await Promise.allSettled(Array.from({ length: 20 }, () => client.storages.list()));
  assert.equal(api.count(EXCHANGE), 1);
  for (const result of results) {
    assert.equal(result.status, 'rejected');
    assert.ok(result.reason instanceof OWOXAuthError);
    assert.equal(result.reason.status, 401);
  }
});

test('a slow failing exchange is one flight with its retries; waiting callers keep their own attempts', async (t) => {
  const api = await storagesApi(t, async () => {
    await sleep(150);
    return json(503, { statusCode: 503, message: 'busy' }, { 'retry-after': '0' });
  });
  const client = clientOf(api, { maxRetries: 2, timeout: 5000 });
  const results = await Promise.allSettled(Array.from({ length: 10 }, () => client.storages.list()));
  assert.equal(api.count(EXCHANGE), 3, 'one exchange, retried twice, shared by all ten callers');
  for (const { reason } of results) {
    assert.ok(reason instanceof OWOXAuthError, String(reason));
    assert.equal(reason.status, 503);
    assert.notEqual(reason.code, 'TIMEOUT');
  }
  assert.equal(api.count(STORAGES), 0);
});

test('after a shared failure the next call exchanges again, and a success is shared too', async (t) => {
  let fail = true;
  const api = await storagesApi(t, () => (fail ? json(500, { message: 'down' }) : tokenReply()));
  const client = clientOf(api);
  await rejectionOf(client.storages.list());
  fail = false;
  await Promise.all(Array.from({ length: 5 }, () => client.storages.list()));
  assert.equal(api.count(EXCHANGE), 2);
  assert.equal(api.count(STORAGES), 5);
});

test('the exchange reply goes through the same body decoder: a UTF-8 BOM is dropped', async (t) => {
  const api = await storagesApi(t, () => json(200, '\uFEFF{"accessToken":"t"}'));
  assert.deepEqual(await clientOf(api).storages.list(), []);
  assert.equal(api.requests.at(-1).headers['x-owox-authorization'], 'Bearer t');
});

test('a 2xx exchange reply that is an HTML page is an OWOXAuthError with status, details and a hint', async (t) => {
  const page = '<!doctype html><html><body>Sign in to the Wi-Fi</body></html>';
  const api = await storagesApi(t, () => ({ status: 200, headers: { 'content-type': 'text/html' }, body: page }));
  const error = await rejectionOf(clientOf(api).storages.list());
  assert.ok(error instanceof OWOXAuthError);
  assert.equal(error.status, 200);
  assert.equal(error.details, page);
  assert.match(error.message, /did not include an access token/);
  assert.match(error.message, /does not look like the OWOX Data Marts API/);
});

test('a JSON exchange reply without a token carries the body as details', async (t) => {
  const api = await storagesApi(t, () => json(200, { token: 'nope' }));
  const error = await rejectionOf(clientOf(api).storages.list());
  assert.equal(error.status, 200);
  assert.deepEqual(error.details, { token: 'nope' });
});

test('text details are bounded: a huge HTML error page is cut, with its size', async (t) => {
  const page = `<html>${'x'.repeat(100_000)}</html>`;
  const api = await startScriptedApi(t, (r) =>
    r.path === EXCHANGE ? tokenReply() : { status: 502, headers: { 'content-type': 'text/html' }, body: page },
  );
  const error = await rejectionOf(clientOf(api).storages.list());
  assert.equal(error.status, 502);
  assert.ok(error.details.length < 9000, `details of ${error.details.length} chars`);
  assert.match(error.details, /100013 bytes in all/);
  assert.match(error.message, /HTML page/);
});

test('a server echoing the request body never leaks the secret or the token', async (t) => {
  const echo = (r) =>
    json(400, {
      message: `bad body ${r.body}`,
      code: `E_${SECRET}`,
      details: { received: JSON.parse(r.body || '{}'), header: r.headers['x-owox-authorization'] ?? null },
    });
  const api = await storagesApi(t, echo);
  const error = await rejectionOf(clientOf(api).storages.list());
  const text = JSON.stringify({ message: error.message, code: error.code, details: error.details, stack: error.stack });
  assert.ok(!text.includes(SECRET), text);
  assert.match(text, /\[redacted\]/);

  const echoToken = await startScriptedApi(t, (r) =>
    r.path === EXCHANGE ? tokenReply('tok-ABCDEFGH') : json(400, { message: `you sent ${r.headers['x-owox-authorization']}` }),
  );
  const error2 = await rejectionOf(clientOf(echoToken).storages.list());
  assert.ok(!error2.message.includes('tok-ABCDEFGH'), error2.message);
});

test('a refused API key says so and names the credentials to check, never their values', async (t) => {
  const api = await storagesApi(t, () => json(401, { statusCode: 401, message: 'Unauthorized' }));
  const error = await rejectionOf(clientOf(api).storages.list());
  assert.match(error.message, /^OWOX API request failed with 401 Unauthorized: Unauthorized\. The token exchange refused the API key/);
  assert.match(error.message, /OWOX_API_KEY_SECRET/);
  assert.ok(!error.message.includes(SECRET));
});

test('a redirect names where it pointed, without its query', async (t) => {
  const api = await startScriptedApi(t, (r) =>
    r.path === EXCHANGE
      ? tokenReply()
      : { status: 302, headers: { location: 'https://login.example/sso?ticket=abc123' }, body: '' },
  );
  const error = await rejectionOf(clientOf(api).storages.list());
  assert.equal(error.status, 302);
  assert.match(error.message, /redirected to https:\/\/login\.example\/sso;/);
  assert.ok(!error.message.includes('abc123'));
});

test('a NestJS message array and a short plain-text body become part of the message', async (t) => {
  const answers = [
    json(400, { statusCode: 400, message: ['limit must be a number', 'offset must not be negative'], error: 'Bad Request' }),
    { status: 503, headers: { 'content-type': 'text/plain' }, body: 'upstream connect error\nmore' },
  ];
  const api = await startScriptedApi(t, (r) => (r.path === EXCHANGE ? tokenReply() : answers.shift()));
  const client = clientOf(api);
  const first = await rejectionOf(client.storages.list());
  assert.equal(first.message, 'OWOX API request failed with 400 Bad Request: limit must be a number; offset must not be negative');
  assert.equal(first.code, 'Bad Request');
  const second = await rejectionOf(client.storages.list());
  assert.equal(second.message, 'OWOX API request failed with 503 Service Unavailable: upstream connect error');
  assert.equal(second.details, 'upstream connect error\nmore');
});

test('pagination terminates: empty pages with a growing nextOffset, and an offset that does not advance', async (t) => {
  let calls = 0;
  const api = await startScriptedApi(t, (r) => {
    if (r.path === EXCHANGE) return tokenReply();
    calls += 1;
    const offset = Number(new URLSearchParams(r.query).get('offset') ?? 0);
    return json(200, { items: [], total: 10, nextOffset: offset + 1000 });
  });
  const error = await rejectionOf(clientOf(api).dataMarts.list());
  assert.ok(error instanceof OWOXApiError);
  assert.equal(error.message, 'OWOX Data Marts API returned an empty page with nextOffset 1000');
  assert.deepEqual(error.details, { offset: 1000 });
  assert.equal(calls, 1);

  const back = await startScriptedApi(t, (r) => {
    if (r.path === EXCHANGE) return tokenReply();
    const offset = Number(new URLSearchParams(r.query).get('offset') ?? 0);
    return json(200, { items: [{ id: String(offset) }], total: 10, nextOffset: offset === 0 ? 5 : 3 });
  });
  const error2 = await rejectionOf(clientOf(back).dataMarts.list());
  assert.equal(error2.message, 'OWOX Data Marts API returned nextOffset 3 that does not advance past offset 5');
  assert.deepEqual(error2.details, { offset: 3 });

  const repeated = await startScriptedApi(t, (r) =>
    r.path === EXCHANGE ? tokenReply() : json(200, { items: [{ id: 'a' }], total: 10, nextOffset: 0 }),
  );
  const error3 = await rejectionOf(clientOf(repeated).dataMarts.list());
  assert.equal(error3.message, 'OWOX Data Marts API returned repeated nextOffset 0');
  assert.deepEqual(error3.details, { offset: 0 });
});

test('Retry-After follows RFC 9110: a huge delay means do not retry now, not retry at once', async (t) => {
  for (const value of ['99999999999999999999999', '3601']) {
    const api = await startScriptedApi(t, (r) =>
      r.path === EXCHANGE ? tokenReply() : json(503, { message: 'later' }, { 'retry-after': value }),
    );
    const error = await rejectionOf(clientOf(api, { maxRetries: 3 }).storages.list());
    assert.equal(error.status, 503);
    assert.equal(api.count(STORAGES), 1, `Retry-After: ${value} was retried`);
  }
});

test('a closed stderr never crashes Node or fails a call (diagnostics ignore write errors)', async (t) => {
  const { spawn } = await import('node:child_process');
  const { fileURLToPath } = await import('node:url');
  const api = await storagesApi(t);
  const child = spawn(
    process.execPath,
    [fileURLToPath(new URL('./helpers/closed-stderr-child.mjs', import.meta.url)), JSON.stringify(api.credentials)],
    {
      env: { PATH: process.env.PATH, OWOX_LOG: 'debug', NODE_EXTRA_CA_CERTS: '/nonexistent/ca.pem' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stderr.destroy();
  let stdout = '';
  child.stdout.on('data', (d) => (stdout += d));
  const [code, signal] = await new Promise((resolve) => child.on('exit', (c, s) => resolve([c, s])));
  assert.equal(signal, null, 'the process was killed by a signal');
  assert.equal(code, 0);
  assert.deepEqual(JSON.parse(stdout), { storages: 0 });
});

test('terminating a worker cancels its requests at once: the socket closes, no retry follows', async (t) => {
  const { Worker } = await import('node:worker_threads');
  const api = await startScriptedApi(t, (r) => (r.path === EXCHANGE ? tokenReply() : { hang: true }));
  const worker = new Worker(
    `const { workerData, parentPort } = require('node:worker_threads');
     const { OWOXApiClient } = require(workerData.entry);
     const client = new OWOXApiClient({ ...workerData.credentials, timeout: 60000, maxRetries: 5 });
     client.storages.list().catch(() => {});
     parentPort.postMessage('started');`,
    {
      eval: true,
      workerData: { credentials: api.credentials, entry: new URL('../index.js', import.meta.url).pathname },
    },
  );
  await new Promise((resolve) => worker.once('message', resolve));
  for (let i = 0; i < 300 && api.count(STORAGES) < 1; i++) await sleep(10);
  assert.equal(api.count(STORAGES), 1);
  await worker.terminate();
  const request = api.requests.find((r) => r.path === STORAGES);
  for (let i = 0; i < 200 && !request.closedEarly; i++) await sleep(10);
  assert.ok(request.closedEarly, 'the request socket stayed open after the worker was terminated');
  await sleep(600);
  assert.equal(api.count(STORAGES), 1, 'a retry was sent after the worker was gone');
});

test('an untrusted TLS certificate is tried once and the message names the certificate problem', async (t) => {
  const { hasOpenssl, makeCertificates, startHttpsApi } = await import('./helpers/tls.mjs');
  if (!hasOpenssl()) return t.skip('the openssl CLI is not installed');
  const certs = makeCertificates();
  t.after(() => certs.cleanup());
  const api = await startHttpsApi({ cert: certs.serverCert, key: certs.serverKey });
  t.after(() => api.close());
  const client = new OWOXApiClient({ ...api.credentials, maxRetries: 3 });
  const error = await rejectionOf(client.storages.list());
  assert.equal(error.code, 'NETWORK_ERROR');
  assert.match(error.message, /TLS certificate of OWOX Data Marts API at https:\/\/127\.0\.0\.1:\d+ is not trusted \(issued by an unknown certificate authority\)/);
  assert.match(error.message, /NODE_EXTRA_CA_CERTS/);
  assert.equal(error.attempts, 1);
  assert.equal(api.tcpConnections, 1, 'a hopeless TLS failure was retried');
});

test('a call right after an aborted one starts its own exchange instead of joining the hung one', async (t) => {
  let exchanges = 0;
  const api = await startScriptedApi(t, (r) => {
    if (r.path !== EXCHANGE) return json(200, []);
    exchanges += 1;
    return exchanges === 1 ? { hang: true } : tokenReply();
  });
  const client = clientOf(api, { timeout: 30_000 });
  const controller = new AbortController();
  const first = client.storages.list({ signal: controller.signal }).catch((error) => error);
  for (let i = 0; i < 300 && api.count(EXCHANGE) < 1; i++) await sleep(10);
  controller.abort();
  // No await in between: the aborted call's task may not have left the exchange yet.
  const second = client.storages.list();
  assert.equal((await first).name, 'AbortError');
  assert.deepEqual(await second, []);
  assert.equal(api.count(EXCHANGE), 2);
});
