// Plain-HTTP access to the bundled test server, for the server's own tests
// (__test__/testing-*.test.mjs): they check what goes over the wire, so they use node:http
// and fetch rather than the client under test.

import http from 'node:http';
import { startTestServer } from '@owox/api-client/testing';

/** Starts a test server that is closed when test `t` ends. */
export async function serverFor(t, options) {
  const server = await startTestServer(options);
  t.after(() => server.close());
  return server;
}

/** One raw request: resolves { status, headers, raw (Buffer), text, socketReused }. */
export function request(server, { method = 'GET', path = '/', headers = {}, body, agent = false, timeout } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(server.origin + path, { method, headers, agent }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const raw = Buffer.concat(chunks);
        resolve({ status: res.statusCode, headers: res.headers, raw, text: raw.toString('utf8'), socketReused: req.reusedSocket });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    if (timeout) req.setTimeout(timeout, () => req.destroy(Object.assign(new Error('client timeout'), { code: 'CLIENT_TIMEOUT' })));
    req.end(body);
  });
}

export const json = (r) => JSON.parse(r.text);

export function exchange(server, secret = server.apiKeySecret, keyId = server.apiKeyId) {
  return request(server, {
    method: 'POST',
    path: '/api/auth/api-keys/exchange',
    headers: { accept: 'application/json', 'content-type': 'application/json', 'x-owox-api-key-id': keyId },
    body: JSON.stringify({ apiKeySecret: secret }),
  });
}

export async function tokenOf(server) {
  const r = await exchange(server);
  if (r.status !== 200) throw new Error(`exchange failed: ${r.status} ${r.text}`);
  return json(r).accessToken;
}

export const authHeaders = (server, token, keyId = server.apiKeyId) => ({
  accept: 'application/json',
  'x-owox-api-key-id': keyId,
  'x-owox-authorization': `Bearer ${token}`,
});

/**
 * An authenticated JSON call: `call(server)` exchanges a token once, then
 * `api('GET', '/api/x')` / `api('POST', '/api/x', body)` resolve { status, headers, text, body }.
 */
export async function apiOf(server) {
  const token = await tokenOf(server);
  return async (method, path, body, extraHeaders = {}) => {
    const headers = { ...authHeaders(server, token), ...extraHeaders };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const r = await request(server, { method, path, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    let parsed;
    try {
      parsed = r.text === '' ? undefined : JSON.parse(r.text);
    } catch {
      parsed = undefined;
    }
    return { ...r, body: parsed };
  };
}

/** Asserts the NestJS error envelope parts every real error body has. */
export function assertErrorEnvelope(assert, body, status, path) {
  assert.equal(body.statusCode, status);
  assert.equal(typeof body.timestamp, 'string');
  assert.ok(!Number.isNaN(Date.parse(body.timestamp)), 'timestamp is a date');
  assert.equal(body.path, path);
}

export async function waitFor(predicate, ms = 5000) {
  const end = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
