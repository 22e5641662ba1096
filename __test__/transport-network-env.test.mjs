// Issue point 6: HTTPS_PROXY / HTTP_PROXY / NO_PROXY, TLS with the system trust store plus
// NODE_EXTRA_CA_CERTS (rustls, no OpenSSL linked), and the user-agent.
//
// Environment variables are read when a client is constructed, so each case runs the client
// in a child process (helpers/transport-child.mjs) with exactly the variables it needs.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { OWOXApiClient } from '@owox/api-client';
import { startTestServer } from '@owox/api-client/testing';
import { startProxy } from './helpers/proxy.mjs';
import { hasOpenssl, makeCertificates, startHttpsApi } from './helpers/tls.mjs';
import { PACKAGE_ROOT, runChildCalls, setup } from './helpers/transport-util.mjs';

const STORAGES = { path: '/api/data-storages' };
const EXCHANGE = { path: '/api/auth/api-keys/exchange' };
const LIST = [{ call: 'storages.list' }];
const PKG = JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8'));

async function withServerAndProxy(t) {
  const server = await startTestServer();
  t.after(() => server.close());
  const proxy = await startProxy();
  t.after(() => proxy.close());
  return { server, proxy };
}

const childClient = (credentials) => ({ ...credentials, maxRetries: 0, timeout: 5000 });

function assertListed(results) {
  assert.equal(results.length, 1);
  assert.equal(results[0].ok, true, `call failed: ${JSON.stringify(results[0].error)}`);
  assert.ok(Array.isArray(results[0].value) && results[0].value.length > 0);
}

// --- proxies ---------------------------------------------------------------------------

test('HTTP_PROXY routes an http:// origin through the proxy (loopback is not bypassed by default)', async (t) => {
  const { server, proxy } = await withServerAndProxy(t);
  const { results } = await runChildCalls({ client: childClient(server.credentials), calls: LIST }, { HTTP_PROXY: proxy.url });
  assertListed(results);
  assert.deepEqual(
    proxy.seen.map((s) => `${s.kind} ${s.method} ${s.target}`),
    [`http POST ${server.origin}${EXCHANGE.path}`, `http GET ${server.origin}${STORAGES.path}`],
  );
  assert.equal(server.count(EXCHANGE), 1);
  assert.equal(server.count(STORAGES), 1);
  // The proxy forwarded the client's own headers: the token went to the configured origin.
  assert.match(String(proxy.seen[1].headers['x-owox-authorization']), /^Bearer /);
});

test('lower-case http_proxy is honoured too', async (t) => {
  const { server, proxy } = await withServerAndProxy(t);
  const { results } = await runChildCalls({ client: childClient(server.credentials), calls: LIST }, { http_proxy: proxy.url });
  assertListed(results);
  assert.equal(proxy.seen.length, 2);
  assert.equal(server.count(), 2);
});

test('NO_PROXY=127.0.0.1 bypasses the proxy', async (t) => {
  const { server, proxy } = await withServerAndProxy(t);
  const { results } = await runChildCalls(
    { client: childClient(server.credentials), calls: LIST },
    { HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1' },
  );
  assertListed(results);
  assert.equal(proxy.seen.length, 0);
  assert.equal(server.count(), 2);
});

test('NO_PROXY naming another host does not bypass the proxy', async (t) => {
  const { server, proxy } = await withServerAndProxy(t);
  const { results } = await runChildCalls(
    { client: childClient(server.credentials), calls: LIST },
    { HTTP_PROXY: proxy.url, NO_PROXY: 'example.com,10.0.0.1' },
  );
  assertListed(results);
  assert.equal(proxy.seen.length, 2);
});

test('HTTPS_PROXY does not apply to an http:// origin', async (t) => {
  const { server, proxy } = await withServerAndProxy(t);
  const { results } = await runChildCalls({ client: childClient(server.credentials), calls: LIST }, { HTTPS_PROXY: proxy.url });
  assertListed(results);
  assert.equal(proxy.seen.length, 0);
  assert.equal(server.count(), 2);
});

test('a proxy that is down gives NETWORK_ERROR (the client does not silently go direct)', async (t) => {
  const { server, proxy } = await withServerAndProxy(t);
  const deadProxy = proxy.url;
  await proxy.close();
  const { results } = await runChildCalls({ client: childClient(server.credentials), calls: LIST }, { HTTP_PROXY: deadProxy });
  assert.equal(results[0].ok, false);
  assert.equal(results[0].error.code, 'NETWORK_ERROR');
  assert.equal(server.count(), 0);
});

test('without proxy variables the client goes direct', async (t) => {
  const { server, proxy } = await withServerAndProxy(t);
  const { results } = await runChildCalls({ client: childClient(server.credentials), calls: LIST }, {});
  assertListed(results);
  assert.equal(proxy.seen.length, 0);
  assert.equal(server.count(), 2);
});

// --- TLS -------------------------------------------------------------------------------

const noOpenssl = hasOpenssl() ? false : 'the openssl CLI is not installed (needed to issue a test CA and certificate)';

async function tlsSetup(t, san) {
  const certs = makeCertificates(san ? { san } : undefined);
  t.after(() => certs.cleanup());
  const api = await startHttpsApi({ cert: certs.serverCert, key: certs.serverKey });
  t.after(() => api.close());
  return { certs, api };
}

test('TLS: a certificate from an unknown CA is refused with NETWORK_ERROR', { skip: noOpenssl }, async (t) => {
  const { api } = await tlsSetup(t);
  const { results } = await runChildCalls({ client: childClient(api.credentials), calls: LIST }, {});
  assert.equal(results[0].ok, false);
  const { error } = results[0];
  assert.equal(error.name, 'OWOXApiError');
  assert.equal(error.code, 'NETWORK_ERROR');
  assert.match(error.cause, /certificate|UnknownIssuer/i);
  assert.ok(api.tcpConnections >= 1, 'the client never connected');
  assert.equal(api.requests.length, 0, 'an HTTP request got through an untrusted TLS connection');
});

test('TLS: NODE_EXTRA_CA_CERTS adds the CA and the same server then works', { skip: noOpenssl }, async (t) => {
  const { certs, api } = await tlsSetup(t);
  const { results } = await runChildCalls(
    { client: childClient(api.credentials), calls: [...LIST, { call: 'authenticate' }] },
    { NODE_EXTRA_CA_CERTS: certs.caCertPath },
  );
  assert.equal(results[0].ok, true, JSON.stringify(results[0].error));
  assert.deepEqual(results[0].value, [{ id: 'tls-storage', title: 'Over TLS' }]);
  assert.equal(results[1].ok, true, JSON.stringify(results[1].error));
  assert.deepEqual(
    api.requests.map((r) => `${r.method} ${r.path}`),
    ['POST /api/auth/api-keys/exchange', 'GET /api/data-storages', 'POST /api/auth/api-keys/exchange'],
  );
});

test('TLS: the system trust store is used (SSL_CERT_FILE pointing at the CA is honoured)', { skip: noOpenssl }, async (t) => {
  const { certs, api } = await tlsSetup(t);
  const { results } = await runChildCalls({ client: childClient(api.credentials), calls: LIST }, { SSL_CERT_FILE: certs.caCertPath });
  assert.equal(results[0].ok, true, JSON.stringify(results[0].error));
  assert.equal(api.requests.length, 2);
});

test('TLS: NODE_EXTRA_CA_CERTS is added to the system store, not instead of it', { skip: noOpenssl }, async (t) => {
  // Two servers with certificates from two different CAs: one CA reaches the client through
  // the system store (SSL_CERT_FILE), the other through NODE_EXTRA_CA_CERTS. Both must work.
  const system = await tlsSetup(t);
  const extra = await tlsSetup(t);
  const { runs } = await runChildCalls(
    {
      runs: [
        { client: childClient(system.api.credentials), calls: LIST },
        { client: childClient(extra.api.credentials), calls: LIST },
      ],
    },
    { SSL_CERT_FILE: system.certs.caCertPath, NODE_EXTRA_CA_CERTS: extra.certs.caCertPath },
  );
  assert.equal(runs[0].results[0].ok, true, `system-store CA: ${JSON.stringify(runs[0].results[0].error)}`);
  assert.equal(runs[1].results[0].ok, true, `NODE_EXTRA_CA_CERTS CA: ${JSON.stringify(runs[1].results[0].error)}`);
  assert.equal(system.api.requests.length, 2);
  assert.equal(extra.api.requests.length, 2);
});

test('TLS: a trusted certificate for another address is still refused (hostname is verified)', { skip: noOpenssl }, async (t) => {
  const { certs, api } = await tlsSetup(t, 'IP:127.0.0.2');
  const { results } = await runChildCalls({ client: childClient(api.credentials), calls: LIST }, { NODE_EXTRA_CA_CERTS: certs.caCertPath });
  assert.equal(results[0].ok, false);
  assert.equal(results[0].error.code, 'NETWORK_ERROR');
  assert.equal(api.requests.length, 0);
});

test('TLS: an unreadable NODE_EXTRA_CA_CERTS does not break clients; the CA is just not added', { skip: noOpenssl }, async (t) => {
  const { api } = await tlsSetup(t);
  const { results, run } = await runChildCalls(
    { client: childClient(api.credentials), calls: LIST },
    { NODE_EXTRA_CA_CERTS: path.join(PACKAGE_ROOT, 'does-not-exist.pem') },
  );
  assert.equal(results[0].ok, false);
  assert.equal(results[0].error.code, 'NETWORK_ERROR');
  assert.equal(run.code, 0);
});

test('HTTPS_PROXY tunnels an https:// origin with CONNECT (and TLS still verifies the origin)', { skip: noOpenssl }, async (t) => {
  const { certs, api } = await tlsSetup(t);
  const proxy = await startProxy();
  t.after(() => proxy.close());
  const { results } = await runChildCalls(
    { client: childClient(api.credentials), calls: LIST },
    { HTTPS_PROXY: proxy.url, NODE_EXTRA_CA_CERTS: certs.caCertPath },
  );
  assert.equal(results[0].ok, true, JSON.stringify(results[0].error));
  assert.ok(proxy.seen.length >= 1);
  for (const s of proxy.seen) assert.equal(`${s.kind} ${s.target}`, `connect 127.0.0.1:${api.port}`);
  // The proxy only saw a tunnel: no request line or header in clear text.
  assert.equal(proxy.seen.filter((s) => s.kind === 'http').length, 0);
  assert.equal(api.requests.length, 2);
});

test('HTTP_PROXY does not apply to an https:// origin; NO_PROXY bypasses HTTPS_PROXY', { skip: noOpenssl }, async (t) => {
  const { certs, api } = await tlsSetup(t);
  const proxy = await startProxy();
  t.after(() => proxy.close());
  const a = await runChildCalls({ client: childClient(api.credentials), calls: LIST }, { HTTP_PROXY: proxy.url, NODE_EXTRA_CA_CERTS: certs.caCertPath });
  assert.equal(a.results[0].ok, true, JSON.stringify(a.results[0].error));
  const b = await runChildCalls(
    { client: childClient(api.credentials), calls: LIST },
    { HTTPS_PROXY: proxy.url, NO_PROXY: '127.0.0.1', NODE_EXTRA_CA_CERTS: certs.caCertPath },
  );
  assert.equal(b.results[0].ok, true, JSON.stringify(b.results[0].error));
  assert.equal(proxy.seen.length, 0);
  assert.equal(api.requests.length, 4);
});

test('the native binary does not link OpenSSL (TLS is rustls)', (t) => {
  const binary = fs.readdirSync(PACKAGE_ROOT).find((f) => /^api-client\..*\.node$/.test(f));
  assert.ok(binary, 'no built api-client.*.node in the package root');
  const ldd = spawnSync('ldd', [path.join(PACKAGE_ROOT, binary)], { encoding: 'utf8' });
  if (ldd.error) return t.skip('ldd is not available');
  t.diagnostic(ldd.stdout.trim().replace(/\n\s*/g, ' | '));
  assert.equal(ldd.status, 0, ldd.stderr);
  assert.doesNotMatch(ldd.stdout, /libssl|libcrypto|libgnutls|libnss/i);
});

// --- user-agent ------------------------------------------------------------------------

test('the default user-agent names the package, its version and the Node version', async (t) => {
  const { server, client } = await setup(t);
  await client.storages.list();
  const agents = server.requests.map((r) => r.headers['user-agent']);
  assert.equal(agents.length, 2); // the exchange and the GET
  for (const ua of agents) {
    assert.equal(typeof ua, 'string');
    assert.ok(ua.includes(PKG.name), ua);
    assert.ok(ua.includes(PKG.version), ua);
    assert.ok(ua.includes(process.version.replace(/^v/, '')), ua);
  }
  t.diagnostic(`user-agent: ${agents[0]}`);
});

test('option userAgent appends to the default user-agent', async (t) => {
  const server = await startTestServer();
  t.after(() => server.close());
  const plain = new OWOXApiClient(server.credentials);
  await plain.authenticate();
  const base = server.requests[0].headers['user-agent'];
  const custom = new OWOXApiClient({ ...server.credentials, userAgent: 'my-agent/1.2 (+ops)' });
  await custom.storages.list();
  const agents = server.requests.slice(1).map((r) => r.headers['user-agent']);
  assert.equal(agents.length, 2);
  for (const ua of agents) {
    assert.ok(ua.startsWith(base), `${ua} does not start with ${base}`);
    assert.ok(ua.endsWith('my-agent/1.2 (+ops)'), ua);
  }
});

test('a userAgent with control characters is refused at construction', () => {
  assert.throws(
    () => new OWOXApiClient({ apiOrigin: 'http://127.0.0.1:1', apiKeyId: 'pmk_x', apiKeySecret: 's', userAgent: 'x\r\nX-Injected: 1' }),
    (e) => e.name === 'OWOXConfigError',
  );
});
