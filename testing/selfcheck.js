'use strict';

// Self-check of the test server: node testing/selfcheck.js (exit code 0 = all good).
// Uses node:http directly where a test needs control fetch does not give (raw bytes, gzip,
// sockets), fetch elsewhere.

const http = require('node:http');
const zlib = require('node:zlib');
const assert = require('node:assert/strict');
const { startTestServer, generateDataMarts, generateStorages, generateDestinations, encodeApiKey } = require('./index.js');

const results = [];
async function check(name, fn) {
  const started = performance.now();
  try {
    await fn();
    results.push({ name, ok: true });
    console.log(`ok   ${name} (${(performance.now() - started).toFixed(0)} ms)`);
  } catch (err) {
    results.push({ name, ok: false });
    console.log(`FAIL ${name}\n     ${String(err?.stack ?? err).split('\n').slice(0, 6).join('\n     ')}`);
  }
}

const agent = new http.Agent({ keepAlive: true });

function request(server, { method = 'GET', path = '/', headers = {}, body, agent: a = agent, timeout } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(server.origin + path, { method, headers, agent: a }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, raw: Buffer.concat(chunks), socketReused: req.reusedSocket }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (timeout) req.setTimeout(timeout, () => req.destroy(Object.assign(new Error('client timeout'), { code: 'CLIENT_TIMEOUT' })));
    req.end(body);
  });
}

const text = (r) => r.raw.toString('utf8');
const json = (r) => JSON.parse(text(r));

async function exchange(server, secret = server.apiKeySecret, keyId = server.apiKeyId) {
  return request(server, {
    method: 'POST',
    path: '/api/auth/api-keys/exchange',
    headers: { accept: 'application/json', 'content-type': 'application/json', 'x-owox-api-key-id': keyId },
    body: JSON.stringify({ apiKeySecret: secret }),
  });
}

async function tokenOf(server) {
  const r = await exchange(server);
  assert.equal(r.status, 200, text(r));
  return json(r).accessToken;
}

const authHeaders = (server, token, keyId = server.apiKeyId) => ({
  accept: 'application/json',
  'x-owox-api-key-id': keyId,
  'x-owox-authorization': `Bearer ${token}`,
});

async function waitFor(predicate, ms = 2000) {
  const end = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

function assertNestError(body, status, path) {
  assert.equal(body.statusCode, status);
  assert.equal(typeof body.timestamp, 'string');
  assert.ok(!Number.isNaN(Date.parse(body.timestamp)));
  assert.equal(body.path, path);
}

async function main() {
  const marts = generateDataMarts(2500);
  const server = await startTestServer({ dataMarts: marts });
  let token;

  await check('generators: shapes, determinism, speed', () => {
    // Key order is compared with real responses when the workspace's captures are around.
    const samples = `${__dirname}/../../shared/fixtures/real-backend`;
    const haveSamples = require('node:fs').existsSync(samples);
    const firstLine = (name) => JSON.parse(require('node:fs').readFileSync(`${samples}/samples-list-${name}.json`, 'utf8').split('\n')[0]);
    if (haveSamples) {
      const mine = generateDataMarts(50).find((m) => m.definitionType !== 'CONNECTOR');
      assert.deepEqual(Object.keys(mine), Object.keys(firstLine('data-marts').items[0]));
      assert.deepEqual(Object.keys(generateStorages(3)[0]), Object.keys(firstLine('data-storages')[0]));
      assert.deepEqual(Object.keys(generateDestinations(3)[0]), Object.keys(firstLine('data-destinations')[0]));
    } else {
      console.log('     (real-backend samples not found: key-order comparison skipped)');
    }
    assert.deepEqual(generateDataMarts(20, { seed: 7 }), generateDataMarts(20, { seed: 7 }));
    assert.notDeepEqual(generateDataMarts(5, { seed: 7 }), generateDataMarts(5, { seed: 8 }));
    assert.ok(new Set(marts.map((m) => m.id)).size === marts.length, 'ids unique');
    for (let i = 1; i < marts.length; i++) assert.ok(marts[i - 1].createdAt >= marts[i].createdAt, 'newest first');
    assert.ok(marts.some((m) => /[^\x00-\x7f]/.test(m.title)), 'unicode titles');
    assert.ok(marts.some((m) => m.status === 'DRAFT') && marts.some((m) => m.status === 'PUBLISHED'));
    const t = performance.now();
    const big = generateDataMarts(100_000);
    const ms = performance.now() - t;
    const avg = Buffer.byteLength(JSON.stringify(big)) / big.length;
    console.log(`     100,000 marts generated in ${ms.toFixed(0)} ms, ${avg.toFixed(0)} bytes each as JSON`);
    assert.ok(ms < 2000);
  });

  await check('credentials: owox_key_ form and generated key shapes', () => {
    assert.match(server.apiKeyId, /^pmk_[A-Za-z0-9_-]{22}$/);
    assert.match(server.apiKeySecret, /^[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(server.credentials, { apiOrigin: server.origin, apiKeyId: server.apiKeyId, apiKeySecret: server.apiKeySecret });
    assert.match(server.apiKey, /^owox_key_[A-Za-z0-9_-]+$/);
    const decoded = JSON.parse(Buffer.from(server.apiKey.slice('owox_key_'.length), 'base64url').toString('utf8'));
    assert.deepEqual(decoded, server.credentials);
    assert.equal(encodeApiKey(server.credentials), server.apiKey);
  });

  await check('exchange: success', async () => {
    const r = await exchange(server);
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'application/json; charset=utf-8');
    const body = json(r);
    assert.deepEqual(Object.keys(body), ['accessToken', 'accessTokenExpiresIn']);
    assert.equal(body.accessTokenExpiresIn, 900);
    assert.ok(server.issuedTokens.includes(body.accessToken));
    token = body.accessToken;
  });

  await check('exchange: 400 on an extra field, 401 on wrong secret or key id', async () => {
    let r = await request(server, {
      method: 'POST',
      path: '/api/auth/api-keys/exchange',
      headers: { 'content-type': 'application/json', 'x-owox-api-key-id': server.apiKeyId },
      body: JSON.stringify({ apiKeySecret: server.apiKeySecret, apiKeyId: server.apiKeyId }),
    });
    assert.equal(r.status, 400);
    let body = json(r);
    assert.equal(body.message, 'Request validation failed');
    assert.equal(body.error, 'Bad Request');
    assert.deepEqual(body.details, { errors: [{ message: 'property apiKeyId should not exist' }] });
    assertNestError(body, 400, '/api/auth/api-keys/exchange');

    r = await exchange(server, 'wrong-secret');
    assert.equal(r.status, 401);
    body = json(r);
    assert.deepEqual(Object.keys(body), ['statusCode', 'message', 'timestamp', 'path']);
    assert.equal(body.message, 'Unauthorized');
    assertNestError(body, 401, '/api/auth/api-keys/exchange');
    assert.ok(!text(r).includes('wrong-secret'));

    r = await exchange(server, server.apiKeySecret, 'pmk_someoneelse0000000000');
    assert.equal(r.status, 401);

    // Without a JSON content type the body is not parsed, as with body-parser.
    r = await request(server, {
      method: 'POST',
      path: '/api/auth/api-keys/exchange',
      headers: { 'x-owox-api-key-id': server.apiKeyId },
      body: JSON.stringify({ apiKeySecret: server.apiKeySecret }),
    });
    assert.equal(r.status, 400);
    assert.deepEqual(json(r).details.errors, [{ message: 'apiKeySecret must be a string' }]);
  });

  await check('data marts: 2,500 items in 3 pages', async () => {
    const seen = [];
    const offsets = [];
    let path = '/api/data-marts';
    for (;;) {
      const r = await request(server, { path, headers: authHeaders(server, token) });
      assert.equal(r.status, 200, text(r));
      assert.equal(r.headers['content-type'], 'application/json; charset=utf-8');
      assert.equal(r.headers.connection, 'keep-alive');
      const page = json(r);
      assert.deepEqual(Object.keys(page), ['items', 'total', 'nextOffset']);
      assert.equal(page.total, 2500);
      seen.push(...page.items);
      offsets.push(page.nextOffset);
      if (page.nextOffset === null) break;
      path = `/api/data-marts?offset=${page.nextOffset}`;
    }
    assert.deepEqual(offsets, [1000, 2000, null]);
    assert.deepEqual(seen, marts);
    assert.equal(server.count({ method: 'GET', path: '/api/data-marts' }), 3);
    const beyond = json(await request(server, { path: '/api/data-marts?offset=9999', headers: authHeaders(server, token) }));
    assert.deepEqual(beyond, { items: [], total: 2500, nextOffset: null });
  });

  await check('data marts: ownerFilter', async () => {
    const get = async (f) => json(await request(server, { path: `/api/data-marts?ownerFilter=${f}`, headers: authHeaders(server, token) }));
    const has = await get('has_owners');
    const none = await get('no_owners');
    assert.equal(has.total + none.total, 2500);
    assert.ok(none.total > 0 && has.total > 0);
    assert.ok(none.items.every((m) => m.businessOwnerUsers.length === 0 && m.technicalOwnerUsers.length === 0));
    const next = json(await request(server, { path: `/api/data-marts?ownerFilter=has_owners&offset=1000`, headers: authHeaders(server, token) }));
    assert.equal(next.items[0].id, marts.filter((m) => m.businessOwnerUsers.length || m.technicalOwnerUsers.length)[1000].id);
  });

  await check('data marts: 400 on limit, bad offset, bad ownerFilter', async () => {
    const cases = [
      ['/api/data-marts?limit=10', 'property limit should not exist'],
      ['/api/data-marts?offset=-1', 'offset must not be less than 0'],
      ['/api/data-marts?offset=abc', 'offset must be an integer number'],
      ['/api/data-marts?offset=1.5', 'offset must be an integer number'],
      ['/api/data-marts?ownerFilter=mine', 'ownerFilter must be one of the following values: has_owners, no_owners'],
    ];
    for (const [path, message] of cases) {
      const r = await request(server, { path, headers: authHeaders(server, token) });
      assert.equal(r.status, 400, path);
      const body = json(r);
      assert.deepEqual(body.details.errors, [{ message }], path);
      assertNestError(body, 400, path);
    }
  });

  await check('401 without or with a bad token, 403 on a missing or wrong key id', async () => {
    let r = await request(server, { path: '/api/data-marts' });
    assert.equal(r.status, 401);
    assertNestError(json(r), 401, '/api/data-marts');
    r = await request(server, { path: '/api/data-storages', headers: authHeaders(server, 'not-a-token') });
    assert.equal(r.status, 401);
    r = await request(server, { path: '/api/data-marts', headers: { 'x-owox-authorization': `Bearer ${token}` } });
    assert.equal(r.status, 403);
    const body = json(r);
    assert.equal(body.message, 'Access denied by api key');
    assertNestError(body, 403, '/api/data-marts');
    r = await request(server, { path: '/api/auth/context', headers: authHeaders(server, token, 'pmk_other') });
    assert.equal(r.status, 403);
  });

  await check('storages, destinations, context', async () => {
    const storages = json(await request(server, { path: '/api/data-storages', headers: authHeaders(server, token) }));
    const destinations = json(await request(server, { path: '/api/data-destinations', headers: authHeaders(server, token) }));
    const context = json(await request(server, { path: '/api/auth/context', headers: authHeaders(server, token) }));
    assert.ok(Array.isArray(storages) && storages.length > 0);
    assert.ok(Array.isArray(destinations) && destinations.length > 0);
    assert.equal(context.apiKeyId, server.apiKeyId);
    assert.equal(context.authFlow, 'api_key');
    assert.deepEqual(Object.keys(context), ['apiKeyId', 'authFlow', 'projectId', 'projectTitle', 'userId', 'email', 'fullName', 'avatar', 'roles']);
    server.seed({ storages: [], context: { apiKeyId: 'x', authFlow: 'api_key', projectId: 'p', userId: 'u', roles: [] } });
    assert.deepEqual(json(await request(server, { path: '/api/data-storages', headers: authHeaders(server, token) })), []);
    assert.equal(json(await request(server, { path: '/api/auth/context', headers: authHeaders(server, token) })).projectId, 'p');
  });

  await check('404 on an unknown path', async () => {
    const r = await request(server, { path: '/api/nope?x=1' });
    assert.equal(r.status, 404);
    const body = json(r);
    assert.equal(body.message, 'Cannot GET /api/nope?x=1');
    assert.equal(body.error, 'Not Found');
    assertNestError(body, 404, '/api/nope?x=1');
    assert.equal((await request(server, { path: '/api/auth/api-keys/exchange' })).status, 404);
  });

  await check('request log and count()', async () => {
    server.clearRequests();
    await request(server, { path: '/api/data-marts?offset=1000&ownerFilter=no_owners', headers: authHeaders(server, token) });
    await exchange(server);
    assert.equal(server.requests.length, 2);
    const [first, second] = server.requests;
    assert.equal(first.method, 'GET');
    assert.equal(first.path, '/api/data-marts');
    assert.deepEqual(first.query, { offset: '1000', ownerFilter: 'no_owners' });
    assert.equal(first.headers['x-owox-api-key-id'], server.apiKeyId);
    assert.equal(typeof first.at, 'number');
    assert.equal(second.body, JSON.stringify({ apiKeySecret: server.apiKeySecret }));
    assert.equal(server.count(), 2);
    assert.equal(server.count({ path: '/api/auth/api-keys/exchange' }), 1);
    assert.equal(server.count({ path: /^\/api\/data-/ }), 1);
    assert.equal(server.count({ method: 'post' }), 1);
  });

  await check('fault: status with raw string body, JSON body, headers, times and after', async () => {
    const raw = '<html>\u00a0 bad gateway \ud83d\ude31</html>';
    server.inject({ path: '/api/data-storages' }, { status: 502, headers: { 'Content-Type': 'text/html' }, body: raw });
    let r = await request(server, { path: '/api/data-storages', headers: authHeaders(server, token) });
    assert.equal(r.status, 502);
    assert.equal(r.headers['content-type'], 'text/html');
    assert.ok(r.raw.equals(Buffer.from(raw)));
    r = await request(server, { path: '/api/data-storages', headers: authHeaders(server, token) });
    assert.equal(r.status, 200, 'times defaults to 1');

    server.inject({ path: '/x' }, { status: 500, body: 'plain' });
    r = await request(server, { path: '/x' });
    assert.equal(r.headers['content-type'], 'text/plain; charset=utf-8');

    const handle = server.inject(
      { method: 'GET', path: /^\/api\/data-marts$/, times: 2, after: 1 },
      { status: 429, headers: { 'retry-after': '0' }, body: { statusCode: 429, message: 'Too Many Requests' } },
    );
    assert.equal(handle.remaining, 2);
    const statuses = [];
    for (let i = 0; i < 4; i++) {
      r = await request(server, { path: '/api/data-marts', headers: authHeaders(server, token) });
      statuses.push(r.status);
      if (r.status === 429) {
        assert.equal(r.headers['retry-after'], '0');
        assert.equal(r.headers['content-type'], 'application/json; charset=utf-8');
        assert.deepEqual(json(r), { statusCode: 429, message: 'Too Many Requests' });
      }
    }
    assert.deepEqual(statuses, [200, 429, 429, 200]);
    assert.equal(handle.remaining, 0);

    server.inject({ path: '/api/data-marts' }, { status: 302, headers: { location: 'http://127.0.0.1:9/x' } });
    r = await request(server, { path: '/api/data-marts', headers: authHeaders(server, token) });
    assert.equal(r.status, 302);
    assert.equal(r.headers.location, 'http://127.0.0.1:9/x');

    server.inject({ path: '/api/data-marts', times: Infinity }, { status: 503 });
    assert.equal((await request(server, { path: '/api/data-marts' })).status, 503);
    assert.equal((await request(server, { path: '/api/data-marts' })).status, 503);
    server.clearInjections();
    assert.equal((await request(server, { path: '/api/data-marts' })).status, 401);
  });

  await check('fault: hang, then sockets released after the client aborts', async () => {
    const baseline = server.connections;
    server.inject({ path: '/api/data-marts' }, { hang: true });
    await assert.rejects(
      request(server, { path: '/api/data-marts', headers: authHeaders(server, token), agent: false, timeout: 150 }),
      { code: 'CLIENT_TIMEOUT' },
    );
    await waitFor(() => server.connections === baseline);
  });

  await check('fault: stall sends head and partial body, then nothing', async () => {
    const baseline = server.connections;
    server.inject({ path: '/api/data-marts' }, { stall: true, headers: { 'content-length': '1000' }, partialBody: '{"items":[' });
    const got = await new Promise((resolve, reject) => {
      const req = http.get(server.origin + '/api/data-marts', { agent: false }, (res) => {
        let body = '';
        res.on('data', (c) => {
          body += c;
          setTimeout(() => {
            req.destroy();
            resolve({ status: res.statusCode, length: res.headers['content-length'], body });
          }, 100);
        });
      });
      req.on('error', (e) => (e.code === 'ECONNRESET' ? undefined : reject(e)));
    });
    assert.deepEqual(got, { status: 200, length: '1000', body: '{"items":[' });
    await waitFor(() => server.connections === baseline);
  });

  await check('fault: reset destroys the socket without a response', async () => {
    server.inject({ path: '/api/data-marts' }, { reset: true });
    await assert.rejects(request(server, { path: '/api/data-marts', agent: false }), (err) => ['ECONNRESET', 'EPIPE'].includes(err.code) || /socket hang up/.test(err.message));
    assert.equal(server.requests.at(-1).path, '/api/data-marts', 'still recorded');
  });

  await check('fault: delayMs (answer and passthrough)', async () => {
    server.inject({ path: '/api/auth/context' }, { delayMs: 120, status: 504, body: { message: 'Gateway Timeout' } });
    let t = performance.now();
    let r = await request(server, { path: '/api/auth/context', headers: authHeaders(server, token) });
    assert.equal(r.status, 504);
    assert.ok(performance.now() - t >= 110);
    server.inject({ path: '/api/auth/context' }, { passthrough: true, delayMs: 120 });
    t = performance.now();
    r = await request(server, { path: '/api/auth/context', headers: authHeaders(server, token) });
    assert.equal(r.status, 200);
    assert.ok(performance.now() - t >= 110);
    server.inject({ path: '/api/auth/context' }, { delayMs: 50 });
    assert.equal((await request(server, { path: '/api/auth/context', headers: authHeaders(server, token) })).status, 200);
  });

  await check('fault: bytes gives exactly N bytes of a JSON array of strings', async () => {
    for (const n of [2, 3, 4, 5, 1000, 131072, 131073, 131074, 196609, 1_000_003]) {
      server.inject({ path: '/big' }, { bytes: n });
      const r = await request(server, { path: '/big' });
      assert.equal(r.raw.length, n, `n=${n}`);
      assert.equal(r.headers['content-length'], String(n));
      const parsed = JSON.parse(text(r));
      assert.ok(Array.isArray(parsed) && parsed.every((s) => typeof s === 'string'), `n=${n}`);
    }
    server.inject({ path: '/big' }, { bytes: 100 * 1024 * 1024 });
    const rssBefore = process.memoryUsage().rss;
    const t = performance.now();
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
    assert.equal(total, 100 * 1024 * 1024);
    const grew = (process.memoryUsage().rss - rssBefore) / 1024 / 1024;
    console.log(`     100 MiB streamed in ${(performance.now() - t).toFixed(0)} ms, RSS grew ${grew.toFixed(1)} MiB`);
    assert.ok(grew < 50);
  });

  await check('expireTokens: old tokens get 401, a new exchange works', async () => {
    server.expireTokens();
    assert.equal((await request(server, { path: '/api/data-marts', headers: authHeaders(server, token) })).status, 401);
    token = await tokenOf(server);
    assert.equal((await request(server, { path: '/api/data-marts', headers: authHeaders(server, token) })).status, 200);
  });

  await check('tokens expire for real; tokenExpiresIn null omits the field', async () => {
    const short = await startTestServer({ tokenExpiresIn: 0.15 });
    try {
      const t = await tokenOf(short);
      assert.equal((await request(short, { path: '/api/auth/context', headers: authHeaders(short, t) })).status, 200);
      await new Promise((r) => setTimeout(r, 200));
      assert.equal((await request(short, { path: '/api/auth/context', headers: authHeaders(short, t) })).status, 401);
    } finally {
      await short.close();
    }
    const none = await startTestServer({ tokenExpiresIn: null });
    try {
      assert.deepEqual(Object.keys(json(await exchange(none))), ['accessToken']);
    } finally {
      await none.close();
    }
  });

  await check('options: loopback only, unknown options rejected', async () => {
    await assert.rejects(startTestServer({ host: '0.0.0.0' }), /loopback/);
    await assert.rejects(startTestServer({ pagesize: 10 }), /unknown option "pagesize"/);
    const v6 = await startTestServer({ host: '::1', pageSize: 2 }).catch(() => null);
    if (v6) {
      assert.match(v6.origin, /^http:\/\/\[::1\]:\d+$/);
      const t = await tokenOf(v6);
      const page = json(await request(v6, { path: '/api/data-marts', headers: authHeaders(v6, t) }));
      assert.equal(page.items.length, 2);
      assert.equal(page.nextOffset, 2);
      await v6.close();
    }
  });

  await check('recordRequests: false keeps count() working', async () => {
    const quiet = await startTestServer({ recordRequests: false });
    try {
      const t = await tokenOf(quiet);
      await request(quiet, { path: '/api/data-marts', headers: authHeaders(quiet, t) });
      await request(quiet, { path: '/api/data-marts?offset=0', headers: authHeaders(quiet, t) });
      assert.equal(quiet.requests.length, 0);
      assert.equal(quiet.count({ path: '/api/data-marts' }), 2);
      assert.equal(quiet.count({ path: '/api/auth/api-keys/exchange', method: 'POST' }), 1);
      quiet.clearRequests();
      assert.equal(quiet.count(), 0);
    } finally {
      await quiet.close();
    }
  });

  await check('compression: gzip only when enabled and accepted', async () => {
    const gz = await startTestServer({ compression: true, dataMarts: generateDataMarts(50) });
    try {
      const t = await tokenOf(gz);
      const plain = await request(gz, { path: '/api/data-marts', headers: authHeaders(gz, t) });
      assert.equal(plain.headers['content-encoding'], undefined);
      const zipped = await request(gz, { path: '/api/data-marts', headers: { ...authHeaders(gz, t), 'accept-encoding': 'gzip, deflate, br' } });
      assert.equal(zipped.headers['content-encoding'], 'gzip');
      assert.ok(zipped.raw.length < plain.raw.length);
      assert.ok(zlib.gunzipSync(zipped.raw).equals(plain.raw));
      const refused = await request(gz, { path: '/api/data-marts', headers: { ...authHeaders(gz, t), 'accept-encoding': 'gzip;q=0' } });
      assert.equal(refused.headers['content-encoding'], undefined);
      const small = await request(gz, { path: '/api/auth/context', headers: { ...authHeaders(gz, t), 'accept-encoding': 'gzip' } });
      assert.equal(small.headers['content-encoding'], undefined, 'bodies under 1 KiB are not compressed');
    } finally {
      await gz.close();
    }
  });

  await check('timing: 10 pages of 1000 marts over keep-alive', async () => {
    const bench = await startTestServer({ dataMarts: generateDataMarts(10_000), recordRequests: false });
    try {
      const t = await tokenOf(bench);
      const walk = async () => {
        const started = performance.now();
        let offset = 0;
        let bytes = 0;
        for (;;) {
          const r = await fetch(`${bench.origin}/api/data-marts${offset ? `?offset=${offset}` : ''}`, { headers: authHeaders(bench, t) });
          const body = await r.arrayBuffer();
          bytes += body.byteLength;
          const next = JSON.parse(Buffer.from(body).toString('utf8')).nextOffset;
          if (next === null) break;
          offset = next;
        }
        return { ms: performance.now() - started, bytes };
      };
      const cold = await walk();
      const fresh = await startTestServer({ dataMarts: generateDataMarts(100_000), recordRequests: false });
      const warmStarted = performance.now();
      fresh.warm();
      console.log(`     warm() of 100,000 marts (100 pages): ${(performance.now() - warmStarted).toFixed(0)} ms`);
      await fresh.close();
      const warm = [];
      for (let i = 0; i < 5; i++) warm.push((await walk()).ms);
      warm.sort((a, b) => a - b);
      console.log(
        `     cold (serializing pages): ${cold.ms.toFixed(1)} ms; warm (cached bodies, median of 5): ${warm[2].toFixed(1)} ms; ` +
          `${(cold.bytes / 1024 / 1024).toFixed(1)} MiB per walk incl. client JSON.parse`,
      );
      const raw = [];
      for (let i = 0; i < 5; i++) {
        const started = performance.now();
        for (let p = 0; p < 10; p++) await request(bench, { path: `/api/data-marts${p ? `?offset=${p * 1000}` : ''}`, headers: authHeaders(bench, t) });
        raw.push(performance.now() - started);
      }
      raw.sort((a, b) => a - b);
      console.log(`     warm, node:http client, no parsing (median of 5): ${raw[2].toFixed(1)} ms`);
      const small = performance.now();
      for (let i = 0; i < 2000; i++) await request(bench, { path: '/api/auth/context', headers: authHeaders(bench, t) });
      console.log(`     2000 small sequential requests: ${(performance.now() - small).toFixed(0)} ms`);
    } finally {
      await bench.close();
    }
  });

  await check('close() returns promptly with a hung socket open', async () => {
    server.inject({ path: '/api/data-marts' }, { hang: true });
    const pending = request(server, { path: '/api/data-marts', agent: false }).catch((e) => e);
    await waitFor(() => server.requests.at(-1)?.path === '/api/data-marts');
    assert.ok(server.connections >= 1);
    const t = performance.now();
    await server.close();
    assert.ok(performance.now() - t < 1000);
    assert.equal(server.connections, 0);
    const outcome = await pending;
    assert.ok(outcome instanceof Error, 'the hung client sees its connection close');
    await server.close(); // idempotent
  });

  agent.destroy();
  const failed = results.filter((r) => !r.ok);
  console.log(`\n${results.length - failed.length}/${results.length} checks passed`);
  process.exitCode = failed.length ? 1 : 0;
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
