// Fault injection of the bundled test server (JSON endpoints): canned answers, hangs,
// stalls, resets, delays and huge bodies, with `times` and `after`.

import assert from 'node:assert/strict';
import http from 'node:http';
import { test } from 'node:test';
import { serverFor, request, json, tokenOf, authHeaders, waitFor } from './helpers/testing-http.mjs';

test('status with a raw string body, JSON body, headers, times and after', async (t) => {
  const server = await serverFor(t);
  const token = await tokenOf(server);
  const get = (path) => request(server, { path, headers: authHeaders(server, token) });
  const raw = '<html>\u00a0 bad gateway \ud83d\ude31</html>';
  server.inject({ path: '/api/data-storages' }, { status: 502, headers: { 'Content-Type': 'text/html' }, body: raw });
  let r = await get('/api/data-storages');
  assert.equal(r.status, 502);
  assert.equal(r.headers['content-type'], 'text/html');
  assert.ok(r.raw.equals(Buffer.from(raw)));
  assert.equal((await get('/api/data-storages')).status, 200, 'times defaults to 1');

  server.inject({ path: '/x' }, { status: 500, body: 'plain' });
  assert.equal((await request(server, { path: '/x' })).headers['content-type'], 'text/plain; charset=utf-8');

  const handle = server.inject(
    { method: 'GET', path: /^\/api\/data-marts$/, times: 2, after: 1 },
    { status: 429, headers: { 'retry-after': '0' }, body: { statusCode: 429, message: 'Too Many Requests' } },
  );
  assert.equal(handle.remaining, 2);
  const statuses = [];
  for (let i = 0; i < 4; i++) {
    r = await get('/api/data-marts');
    statuses.push(r.status);
    if (r.status === 429) {
      assert.equal(r.headers['retry-after'], '0');
      assert.equal(r.headers['content-type'], 'application/json; charset=utf-8');
      assert.deepEqual(json(r), { statusCode: 429, message: 'Too Many Requests' });
    }
  }
  assert.deepEqual(statuses, [200, 429, 429, 200]);
  assert.equal(handle.remaining, 0);
  assert.equal(handle.hits, 2);

  server.inject({ path: '/api/data-marts' }, { status: 302, headers: { location: 'http://127.0.0.1:9/x' } });
  r = await get('/api/data-marts');
  assert.equal(r.status, 302);
  assert.equal(r.headers.location, 'http://127.0.0.1:9/x');

  server.inject({ path: '/api/data-marts', times: Infinity }, { status: 503 });
  assert.equal((await request(server, { path: '/api/data-marts' })).status, 503);
  assert.equal((await request(server, { path: '/api/data-marts' })).status, 503);
  server.clearInjections();
  assert.equal((await request(server, { path: '/api/data-marts' })).status, 401);
});

test('inject() refuses malformed matches and responses', async (t) => {
  const server = await serverFor(t);
  assert.throws(() => server.inject(null, {}), /match must be an object/);
  assert.throws(() => server.inject({ times: 0 }, {}), /times must be a positive integer/);
  assert.throws(() => server.inject({}, { bytes: 1 }), /bytes must be an integer >= 2/);
  assert.throws(() => server.inject({}, { status: 42 }), /status must be an HTTP status code/);
  assert.throws(() => server.inject({}, { stream: { cutafter: 1 } }), /unknown field "cutafter"/);
  assert.throws(() => server.inject({}, { stream: { malformedLine: 'a\nb' } }), /without line breaks/);
  assert.throws(() => server.inject({}, { stream: { fail: 'NOPE' } }), /fail must be one of/);
});

test('hang: no answer; the socket is released once the client gives up', async (t) => {
  const server = await serverFor(t);
  const token = await tokenOf(server);
  const baseline = server.connections;
  server.inject({ path: '/api/data-marts' }, { hang: true });
  await assert.rejects(request(server, { path: '/api/data-marts', headers: authHeaders(server, token), timeout: 150 }), { code: 'CLIENT_TIMEOUT' });
  await waitFor(() => server.connections === baseline);
});

test('stall: the head and a partial body, then nothing', async (t) => {
  const server = await serverFor(t);
  server.inject({ path: '/api/data-marts' }, { stall: true, headers: { 'content-length': '1000' }, partialBody: '{"items":[' });
  const got = await new Promise((resolve, reject) => {
    const req = http.get(server.origin + '/api/data-marts', { agent: false }, (res) => {
      let body = '';
      res.on('data', (c) => {
        body += c;
        if (body === '{"items":[') {
          req.destroy();
          resolve({ status: res.statusCode, length: res.headers['content-length'], body });
        }
      });
    });
    req.on('error', (e) => (e.code === 'ECONNRESET' ? undefined : reject(e)));
  });
  assert.deepEqual(got, { status: 200, length: '1000', body: '{"items":[' });
  await waitFor(() => server.connections === 0);
});

test('reset: the connection is destroyed without a response, and the request is still logged', async (t) => {
  const server = await serverFor(t);
  server.inject({ path: '/api/data-marts' }, { reset: true });
  await assert.rejects(request(server, { path: '/api/data-marts' }), (err) => ['ECONNRESET', 'EPIPE'].includes(err.code) || /socket hang up/.test(err.message));
  assert.equal(server.requests.at(-1).path, '/api/data-marts');
});

test('delayMs: a delayed answer arrives after a later undelayed one; passthrough routes normally', async (t) => {
  const server = await serverFor(t);
  const token = await tokenOf(server);
  const get = (path) => request(server, { path, headers: authHeaders(server, token) });
  const order = [];
  server.inject({ path: '/api/auth/context' }, { delayMs: 300, status: 504, body: { message: 'Gateway Timeout' } });
  const slow = get('/api/auth/context').then((r) => (order.push('delayed'), r));
  await waitFor(() => server.count({ path: '/api/auth/context' }) === 1);
  const fast = get('/api/data-storages').then((r) => (order.push('plain'), r));
  const [slowR] = await Promise.all([slow, fast]);
  assert.equal(slowR.status, 504);
  assert.deepEqual(order, ['plain', 'delayed']);

  server.inject({ path: '/api/auth/context' }, { passthrough: true, delayMs: 50 });
  assert.equal((await get('/api/auth/context')).status, 200);
  server.inject({ path: '/api/auth/context' }, { delayMs: 10 });
  assert.equal((await get('/api/auth/context')).status, 200, '{ delayMs } alone routes normally');
});

test('bytes: exactly N bytes of a valid JSON array of strings, also for large N', async (t) => {
  const server = await serverFor(t);
  for (const n of [2, 3, 4, 5, 1000, 131072, 131073, 131074, 196609, 1_000_003]) {
    server.inject({ path: '/big' }, { bytes: n });
    const r = await request(server, { path: '/big' });
    assert.equal(r.raw.length, n, `n=${n}`);
    assert.equal(r.headers['content-length'], String(n));
    const parsed = JSON.parse(r.text);
    assert.ok(Array.isArray(parsed) && parsed.every((s) => typeof s === 'string'), `n=${n}`);
  }
  const big = 32 * 1024 * 1024;
  server.inject({ path: '/big' }, { bytes: big });
  const total = await new Promise((resolve, reject) => {
    http.get(server.origin + '/big', { agent: false }, (res) => {
      let count = 0;
      let last = 0;
      res.on('data', (c) => {
        count += c.length;
        last = c[c.length - 1];
      });
      res.on('end', () => (last === 0x5d ? resolve(count) : reject(new Error('does not end with ]'))));
    }).on('error', reject);
  });
  assert.equal(total, big);
});

test('a stream fault on a route that does not stream is a 500 that says so, not a silent no-op', async (t) => {
  const server = await serverFor(t);
  const token = await tokenOf(server);
  server.inject({ path: '/api/data-marts' }, { stream: { cutAfter: 1 } });
  const r = await request(server, { path: '/api/data-marts', headers: authHeaders(server, token) });
  assert.equal(r.status, 500);
  assert.match(json(r).message, /stream fault was injected for GET \/api\/data-marts, which does not stream NDJSON/);
});
