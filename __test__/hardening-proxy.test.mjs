// Issue 8, item 10: proxy variables behave as curl documents them. Empty means unset (an
// empty upper-case variable never hides the lower-case one), lower case wins, NO_PROXY
// takes `*` (IP origins too), names with their subdomains, IP addresses, CIDR ranges and
// host:port; proxy credentials are sent to the proxy and never shown.
//
// The variables are read from process.env when a client is constructed, so every case runs
// the client in a child process with exactly the variables it sets, against a local API
// server and a local recording proxy (helpers/proxy.mjs).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { Worker } from 'node:worker_threads';
import { OWOXApiClient } from '@owox/api-client';
import { startTestServer } from '@owox/api-client/testing';
import { startProxy } from './helpers/proxy.mjs';
import { hasOpenssl, makeCertificates, startHttpsApi } from './helpers/tls.mjs';
import { baseEnv, runChildCalls, runNode } from './helpers/transport-util.mjs';

const LIST = [{ call: 'storages.list' }];
const PROXY_USER = 'proxy-user';
const PROXY_PASSWORD = 'Pr0xy-Passw0rd-never-shown';

async function serverAndProxy(t, { serverOptions, hostMap } = {}) {
  const server = await startTestServer(serverOptions);
  t.after(() => server.close());
  const proxy = await startProxy({ hostMap });
  t.after(() => proxy.close());
  return { server, proxy };
}

const client = (credentials) => ({ ...credentials, maxRetries: 0, timeout: 5000 });

/** Lists storages in a child with `env`; returns the one call's result and the child's run. */
async function listIn(credentials, env) {
  const outcome = await runChildCalls({ client: client(credentials), calls: LIST }, env);
  assert.equal(outcome.constructError, undefined, `constructor failed: ${JSON.stringify(outcome.constructError)}`);
  return { result: outcome.results[0], run: outcome.run };
}

function assertListed(result) {
  assert.equal(result.ok, true, `call failed: ${JSON.stringify(result.error)}`);
  assert.ok(Array.isArray(result.value) && result.value.length > 0);
}

/** The call went straight to the server: it succeeded and the proxy saw nothing. */
async function assertDirect(t, env, { serverOptions } = {}) {
  const { server, proxy } = await serverAndProxy(t, { serverOptions });
  const { result } = await listIn(server.credentials, substitute(env, { proxy, server }));
  assertListed(result);
  assert.deepEqual(proxy.seen, [], `the proxy was used with ${JSON.stringify(env)}`);
  assert.equal(server.count(), 2, 'the exchange and the GET reached the server');
}

/** The call went through the proxy: both requests passed it in absolute form. */
async function assertProxied(t, env) {
  const { server, proxy } = await serverAndProxy(t);
  const { result } = await listIn(server.credentials, substitute(env, { proxy, server }));
  assertListed(result);
  assert.deepEqual(
    proxy.seen.map((s) => `${s.kind} ${s.method} ${s.target}`),
    [`http POST ${server.origin}/api/auth/api-keys/exchange`, `http GET ${server.origin}/api/data-storages`],
    `the proxy was not used with ${JSON.stringify(env)}`,
  );
  return proxy;
}

/** `{PROXY}`, `{PORT}` and `{DEAD}` in variable values, filled once the servers exist. */
function substitute(env, { proxy, server }) {
  const filled = {};
  for (const [name, value] of Object.entries(env)) {
    filled[name] = value
      .replaceAll('{PROXY}', proxy.url)
      .replaceAll('{PROXY_HOSTPORT}', `127.0.0.1:${proxy.port}`)
      .replaceAll('{PORT}', String(new URL(server.origin).port))
      .replaceAll('{OTHER_PORT}', String(Number(new URL(server.origin).port) === 1 ? 2 : 1));
  }
  return filled;
}

/** A local port with nothing listening on it. */
async function closedPort() {
  const probe = net.createServer();
  await new Promise((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

// --- empty means unset; lower case wins -------------------------------------------------

test('an empty HTTP_PROXY does not hide http_proxy (the proxy, with its credentials, is used)', async (t) => {
  // The second password needs percent-encoding in the URL; the proxy gets it decoded.
  for (const [user, password] of [[PROXY_USER, PROXY_PASSWORD], ['dom\\user', 'p@ss:w/rd %?#']]) {
    const proxy = await assertProxied(t, {
      HTTP_PROXY: '',
      http_proxy: `http://${encodeURIComponent(user)}:${encodeURIComponent(password)}@{PROXY_HOSTPORT}`,
    });
    const expected = 'Basic ' + Buffer.from(`${user}:${password}`).toString('base64');
    for (const seen of proxy.seen) assert.equal(seen.headers['proxy-authorization'], expected);
  }
});

const noOpenssl = hasOpenssl() ? false : 'the openssl CLI is not installed (needed to issue a test CA and certificate)';

test('HTTPS_PROXY= with https_proxy=http://user:password@proxy tunnels through that proxy', { skip: noOpenssl }, async (t) => {
  const certs = makeCertificates();
  t.after(() => certs.cleanup());
  const api = await startHttpsApi({ cert: certs.serverCert, key: certs.serverKey });
  t.after(() => api.close());
  const proxy = await startProxy();
  t.after(() => proxy.close());
  const { result } = await listIn(api.credentials, {
    HTTPS_PROXY: '',
    https_proxy: `http://${PROXY_USER}:${PROXY_PASSWORD}@127.0.0.1:${proxy.port}`,
    NODE_EXTRA_CA_CERTS: certs.caCertPath,
  });
  assertListed(result);
  assert.ok(proxy.seen.length >= 1, 'the proxy was not used');
  const expected = 'Basic ' + Buffer.from(`${PROXY_USER}:${PROXY_PASSWORD}`).toString('base64');
  for (const seen of proxy.seen) {
    assert.equal(`${seen.kind} ${seen.target}`, `connect 127.0.0.1:${api.port}`);
    assert.equal(seen.headers['proxy-authorization'], expected);
  }
  assert.equal(api.requests.length, 2);
});

test('lower-case http_proxy wins over HTTP_PROXY', async (t) => {
  const dead = await closedPort();
  await assertProxied(t, { HTTP_PROXY: `http://127.0.0.1:${dead}`, http_proxy: '{PROXY}' });
});

test('ALL_PROXY (and all_proxy) is used when the scheme has no variable of its own', async (t) => {
  await assertProxied(t, { ALL_PROXY: '{PROXY}' });
  await assertProxied(t, { all_proxy: '{PROXY}', ALL_PROXY: 'http://127.0.0.1:1' });
  await assertProxied(t, { HTTP_PROXY: '', ALL_PROXY: '{PROXY}' });
});

test('a proxy written without a scheme is an http:// proxy', async (t) => {
  await assertProxied(t, { HTTP_PROXY: '{PROXY_HOSTPORT}' });
});

test('an empty NO_PROXY does not hide no_proxy, nor the other way round', async (t) => {
  await assertDirect(t, { HTTP_PROXY: '{PROXY}', NO_PROXY: '', no_proxy: '127.0.0.1' });
  await assertDirect(t, { HTTP_PROXY: '{PROXY}', no_proxy: '', NO_PROXY: '127.0.0.1' });
});

test('under CGI (REQUEST_METHOD set) HTTP_PROXY is not used; http_proxy still is', async (t) => {
  await assertDirect(t, { HTTP_PROXY: '{PROXY}', REQUEST_METHOD: 'GET' });
  await assertProxied(t, { http_proxy: '{PROXY}', REQUEST_METHOD: 'GET' });
});

// --- NO_PROXY forms --------------------------------------------------------------------

test('NO_PROXY=* bypasses the proxy for an IP-address origin', async (t) => {
  await assertDirect(t, { HTTP_PROXY: '{PROXY}', NO_PROXY: '*' });
  await assertDirect(t, { HTTP_PROXY: '{PROXY}', NO_PROXY: 'example.com, *' });
});

test('NO_PROXY CIDR ranges match an IP origin; a range that does not contain it does not', async (t) => {
  await assertDirect(t, { HTTP_PROXY: '{PROXY}', NO_PROXY: '127.0.0.0/8' });
  await assertDirect(t, { HTTP_PROXY: '{PROXY}', NO_PROXY: '10.0.0.0/8 127.0.0.1/32' });
  await assertProxied(t, { HTTP_PROXY: '{PROXY}', NO_PROXY: '10.0.0.0/8,192.168.0.0/16,127.0.0.2/32' });
});

test('NO_PROXY host:port matches that port only', async (t) => {
  await assertDirect(t, { HTTP_PROXY: '{PROXY}', NO_PROXY: '127.0.0.1:{PORT}' });
  await assertProxied(t, { HTTP_PROXY: '{PROXY}', NO_PROXY: '127.0.0.1:{OTHER_PORT}' });
});

test('NO_PROXY names: localhost and .localhost match http://localhost; another name does not', async (t) => {
  for (const [noProxy, direct] of [
    ['localhost', true],
    ['.localhost', true],
    ['LOCALHOST.', true],
    ['localhost:{PORT}', true],
    ['notlocalhost', false],
    ['localhost:{OTHER_PORT}', false],
  ]) {
    const { server, proxy } = await serverAndProxy(t, { hostMap: { localhost: '127.0.0.1' } });
    const origin = server.origin.replace('127.0.0.1', 'localhost');
    const { result } = await listIn({ ...server.credentials, apiOrigin: origin }, substitute({ HTTP_PROXY: '{PROXY}', NO_PROXY: noProxy }, { proxy, server }));
    assertListed(result);
    assert.equal(proxy.seen.length, direct ? 0 : 2, `NO_PROXY=${noProxy}: ${JSON.stringify(proxy.seen.map((s) => s.target))}`);
    assert.equal(server.count(), 2);
  }
});

test('NO_PROXY domains match the domain and its subdomains, in every spelling', async (t) => {
  // api.owox.example only exists behind the proxy (its host map sends it to the local
  // server), so a bypassed request fails to resolve and the proxy sees nothing.
  for (const [noProxy, bypassed] of [
    ['owox.example', true],
    ['.owox.example', true],
    ['*.owox.example', true],
    ['api.owox.example', true],
    ['OWOX.EXAMPLE', true],
    ['example', true],
    ['wox.example', false],
    ['other.example', false],
    ['api.owox.example.com', false],
  ]) {
    const { server, proxy } = await serverAndProxy(t, { hostMap: { 'api.owox.example': '127.0.0.1' } });
    const origin = server.origin.replace('127.0.0.1', 'api.owox.example');
    const { result } = await listIn({ ...server.credentials, apiOrigin: origin }, { HTTP_PROXY: proxy.url, NO_PROXY: noProxy });
    if (bypassed) {
      assert.equal(result.ok, false, `NO_PROXY=${noProxy}: the made-up host was reached without the proxy`);
      // The made-up name does not resolve (or, where the resolver never answers, times out).
      assert.ok(['NETWORK_ERROR', 'TIMEOUT'].includes(result.error.code), JSON.stringify(result.error));
      assert.deepEqual(proxy.seen, [], `NO_PROXY=${noProxy}`);
    } else {
      assertListed(result);
      assert.equal(proxy.seen.length, 2, `NO_PROXY=${noProxy}`);
      assert.equal(proxy.seen[0].host, 'api.owox.example');
    }
  }
});

test('NO_PROXY IPv6 forms match an [::1] origin', async (t) => {
  const probe = net.createServer();
  const ipv6 = await new Promise((resolve) => {
    probe.once('error', () => resolve(false));
    probe.listen(0, '::1', () => probe.close(() => resolve(true)));
  });
  if (!ipv6) return t.skip('no IPv6 loopback on this machine');
  for (const noProxy of ['::1', '[::1]', '::1/128', '*', '[::1]:{PORT}', '0:0::1']) {
    await assertDirect(t, { HTTP_PROXY: '{PROXY}', NO_PROXY: noProxy }, { serverOptions: { host: '::1' } });
  }
  // A range that does not hold ::1 leaves the request to the proxy.
  const { server, proxy } = await serverAndProxy(t, { serverOptions: { host: '::1' } });
  await listIn(server.credentials, { HTTP_PROXY: proxy.url, NO_PROXY: 'fd00::/8' });
  assert.ok(proxy.seen.length >= 1, 'the proxy was bypassed for an address outside the range');
});

// --- what is refused, and what is never shown ----------------------------------------------

test('a proxy the client cannot use for the origin is an OWOXConfigError naming the variable, not the value', async (t) => {
  const { server } = await serverAndProxy(t);
  const socks = `socks5://${PROXY_USER}:${PROXY_PASSWORD}@127.0.0.1:1080`;
  const refused = await runChildCalls({ client: client(server.credentials), calls: LIST }, { http_proxy: socks });
  assert.equal(refused.constructError?.name, 'OWOXConfigError', JSON.stringify(refused));
  assert.match(refused.constructError.message, /http_proxy/);
  assert.match(refused.constructError.message, /socks5/);
  assert.ok(!refused.constructError.message.includes(PROXY_PASSWORD));
  assert.ok(!refused.constructError.message.includes(PROXY_USER));
  // Not needed, not refused: the origin bypasses it, or the variable is for the other scheme.
  assertListed((await listIn(server.credentials, { http_proxy: socks, NO_PROXY: '127.0.0.1' })).result);
  assertListed((await listIn(server.credentials, { https_proxy: socks })).result);
  assert.equal(server.count({ path: '/api/data-storages' }), 2);
});

test('proxy credentials appear in no message, cause, stack, inspect output or log line', async (t) => {
  const { server } = await serverAndProxy(t);
  const dead = await closedPort();
  const script = `
    import util from 'node:util';
    import { OWOXApiClient } from '@owox/api-client';
    const client = new OWOXApiClient(${JSON.stringify(client(server.credentials))});
    const shown = [util.inspect(client, { depth: 5, showHidden: true })];
    try {
      await client.storages.list();
      shown.push('resolved');
    } catch (error) {
      shown.push(error.name, error.code, error.message, String(error.cause), error.stack, util.inspect(error, { depth: 5 }), JSON.stringify(error));
    }
    console.log(JSON.stringify(shown));
  `;
  const run = await runNode(['--input-type=module', '-e', script], {
    env: baseEnv({ http_proxy: `http://${PROXY_USER}:${PROXY_PASSWORD}@127.0.0.1:${dead}`, OWOX_LOG: 'debug' }),
  });
  assert.equal(run.code, 0, run.stderr);
  const shown = JSON.parse(run.stdout.trim().split('\n').pop());
  assert.equal(shown[1], 'OWOXApiError', JSON.stringify(shown));
  assert.equal(shown[2], 'NETWORK_ERROR', 'a proxy that is down is a network error, not a direct request');
  assert.equal(server.count(), 0, 'the client went direct when the proxy was down');
  const everything = run.stdout + run.stderr;
  assert.ok(run.stderr.length > 0, 'OWOX_LOG=debug wrote no log line to check');
  assert.ok(!everything.includes(PROXY_PASSWORD), everything);
  assert.ok(!everything.includes(encodeURIComponent(PROXY_PASSWORD)), everything);
  assert.ok(!everything.includes(Buffer.from(`${PROXY_USER}:${PROXY_PASSWORD}`).toString('base64')), everything);
});

test('a worker thread uses the proxy variables of its own environment, not the main thread\'s', async (t) => {
  const { server, proxy } = await serverAndProxy(t);
  const source = `
    const { parentPort, workerData } = require('node:worker_threads');
    import('@owox/api-client').then(async ({ OWOXApiClient }) => {
      try {
        const client = new OWOXApiClient(workerData.options);
        parentPort.postMessage({ storages: (await client.storages.list()).length });
      } catch (error) {
        parentPort.postMessage({ error: error.message });
      }
    });
  `;
  const worker = new Worker(source, {
    eval: true,
    workerData: { options: client(server.credentials) },
    env: { HTTP_PROXY: proxy.url },
  });
  t.after(() => worker.terminate());
  const reply = await new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  assert.ok(reply.storages > 0, JSON.stringify(reply));
  assert.equal(proxy.seen.length, 2, 'the worker did not use the HTTP_PROXY of its environment');
  // This thread has no proxy variable (whatever the machine sets is removed for the check).
  const saved = {};
  for (const name of Object.keys(process.env)) {
    if (/^(https?|all|no)_proxy$/i.test(name)) {
      saved[name] = process.env[name];
      delete process.env[name];
    }
  }
  try {
    const direct = new OWOXApiClient(client(server.credentials));
    await direct.storages.list();
  } finally {
    Object.assign(process.env, saved);
  }
  assert.equal(proxy.seen.length, 2, 'the main thread used the worker\'s proxy');
  assert.equal(server.count({ path: '/api/data-storages' }), 2);
});
