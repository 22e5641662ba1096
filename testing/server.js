'use strict';

// A local stand-in for the OWOX Data Marts backend: the HTTP plumbing (listening, token
// exchange and checks, the request log, fault injection, compression), with every
// endpoint served from the route table in testing/routes.js over the seeded collections
// in testing/store.js, with the real server's status codes and NestJS error bodies.

const http = require('node:http');
const zlib = require('node:zlib');
const { randomBytes, randomUUID } = require('node:crypto');
const { runRecord } = require('./shapes');
const fixtures = require('./fixtures');
const { generateApiKeyId, generateApiKeySecret, encodeApiKey } = require('./credentials');
const { Injections, play, pathMatches } = require('./faults');
const { Router } = require('./router');
const { ROUTES } = require('./routes');
const { Store, COLLECTIONS } = require('./store');
const { HttpError, validationFailed, guardError, routeNotFound } = require('./nest');
const { writeNdjson } = require('./ndjson');
const replies = require('./replies');

const JSON_TYPE = 'application/json; charset=utf-8';
const EXCHANGE_PATH = '/api/auth/api-keys/exchange';
// Express' compression() middleware leaves bodies under 1 KiB alone; so do we.
const GZIP_MIN_BYTES = 1024;
// Longer than Node's 5 s default so a pooled client connection is not closed under a test
// that pauses between calls (that race shows up as a spurious connection error).
const KEEP_ALIVE_MS = 30_000;

const OPTION_NAMES = new Set([
  'host', 'port', 'apiKeyId', 'apiKeySecret', 'tokenExpiresIn', 'pageSize', 'log', 'recordRequests', 'compression',
  'licensed', 'streamChunkBytes', ...COLLECTIONS,
]);

function isLoopback(host) {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

function normalizeOptions(options) {
  if (options === null || typeof options !== 'object') throw new TypeError('startTestServer: options must be an object');
  // A misspelt option silently falling back to a default makes a test pass for the wrong reason.
  for (const name of Object.keys(options)) {
    if (!OPTION_NAMES.has(name)) throw new TypeError(`startTestServer: unknown option "${name}"`);
  }
  const host = options.host ?? '127.0.0.1';
  if (typeof host !== 'string' || !isLoopback(host)) {
    throw new Error(`startTestServer: host must be a loopback address (127.x.x.x, ::1 or localhost), got ${JSON.stringify(host)}`);
  }
  const port = options.port ?? 0;
  if (!(Number.isInteger(port) && port >= 0 && port <= 65535)) throw new TypeError('startTestServer: port must be an integer 0..65535');
  const tokenExpiresIn = options.tokenExpiresIn === undefined ? 900 : options.tokenExpiresIn;
  if (tokenExpiresIn !== null && !(Number.isFinite(tokenExpiresIn) && tokenExpiresIn >= 0)) {
    throw new TypeError('startTestServer: tokenExpiresIn must be a non-negative number of seconds or null');
  }
  const pageSize = options.pageSize ?? 1000;
  if (!(Number.isInteger(pageSize) && pageSize > 0)) throw new TypeError('startTestServer: pageSize must be a positive integer');
  const apiKeyId = options.apiKeyId ?? generateApiKeyId();
  const apiKeySecret = options.apiKeySecret ?? generateApiKeySecret();
  for (const [name, value] of [['apiKeyId', apiKeyId], ['apiKeySecret', apiKeySecret]]) {
    if (typeof value !== 'string' || value === '') throw new TypeError(`startTestServer: ${name} must be a non-empty string`);
  }
  if (options.licensed !== undefined && typeof options.licensed !== 'boolean') throw new TypeError('startTestServer: licensed must be a boolean');
  const streamChunkBytes = options.streamChunkBytes;
  if (streamChunkBytes !== undefined && !(Number.isSafeInteger(streamChunkBytes) && streamChunkBytes >= 1)) {
    throw new TypeError('startTestServer: streamChunkBytes must be an integer >= 1');
  }
  const collections = {};
  for (const name of COLLECTIONS) if (options[name] !== undefined) collections[name] = options[name];
  return {
    host,
    port,
    apiKeyId,
    apiKeySecret,
    tokenExpiresIn,
    pageSize,
    collections,
    log: Boolean(options.log),
    recordRequests: options.recordRequests ?? true,
    compression: Boolean(options.compression),
    licensed: options.licensed ?? true,
    streamChunkBytes,
  };
}

// What a collection holds when it is not seeded: a small project that agrees with itself.
function defaultCollections(given, apiKeyId) {
  const sample = ['dataMarts', 'storages', 'destinations'].some((name) => given[name] === undefined) ? fixtures.generateSampleData() : {};
  return {
    dataMarts: sample.dataMarts,
    storages: sample.storages,
    destinations: sample.destinations,
    context: fixtures.defaultContext(apiKeyId),
    modelCanvasEdges: [],
    projectSettings: { description: null },
    setupProgress: null,
    publications: [],
    rows: {},
    dataMartDetails: {},
  };
}

function parseQuery(search) {
  const query = {};
  if (search === '') return query;
  for (const [key, value] of new URLSearchParams(search)) {
    const prev = Object.hasOwn(query, key) ? query[key] : undefined;
    const next = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
    // defineProperty so a "__proto__" parameter is recorded as data, not as a prototype.
    Object.defineProperty(query, key, { value: next, enumerable: true, writable: true, configurable: true });
  }
  return query;
}

function acceptsGzip(header) {
  if (typeof header !== 'string') return false;
  for (const part of header.split(',')) {
    const [coding, ...params] = part.trim().split(';');
    const name = coding.trim().toLowerCase();
    if (name !== 'gzip' && name !== '*') continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  }
  return false;
}

function isJsonContentType(header) {
  return typeof header === 'string' && /^application\/([\w.-]+\+)?json\s*(;|$)/i.test(header);
}

// A JSON body as body-parser reads it: only with a JSON content type, strict (an object or
// an array at the top level); anything else leaves the body empty ({}).
function parseJsonBody(req, raw) {
  if (!isJsonContentType(req.headers['content-type']) || raw.trim() === '') return {};
  const first = raw.trimStart()[0];
  try {
    if (first !== '{' && first !== '[') throw new SyntaxError(`Unexpected token ${first} in JSON at position 0`);
    return JSON.parse(raw);
  } catch (err) {
    throw new HttpError(400, (path, timestamp) => ({ statusCode: 400, message: err.message, error: 'Bad Request', timestamp, path }));
  }
}

class TestServer {
  #opts;
  #http;
  #sockets = new Set();
  #timers = new Set();
  #injections = new Injections();
  #tokens = new Map(); // token -> { keyId, expiresAt }
  #counters = new Map(); // method -> Map(path -> count)
  #closing = null;
  #store;
  #router;

  constructor(opts) {
    this.#opts = opts;
    this.apiKeyId = opts.apiKeyId;
    this.apiKeySecret = opts.apiKeySecret;
    this.origin = undefined;
    this.apiKey = undefined;
    this.credentials = undefined;
    this.requests = [];
    this.issuedTokens = [];
    this.#store = new Store(opts.collections, defaultCollections(opts.collections, opts.apiKeyId));
    const exchange = { method: 'POST', path: EXCHANGE_PATH, public: true, handler: (ctx) => this.#exchange(ctx) };
    this.#router = new Router([exchange, ...ROUTES]);
  }

  get connections() {
    return this.#sockets.size;
  }

  /** Every route served, as [{ method, path }] with OpenAPI-style `{param}` patterns. */
  get routes() {
    return this.#router.routes;
  }

  static async start(opts) {
    const server = new TestServer(opts);
    await server.#listen();
    return server;
  }

  async #listen() {
    const server = http.createServer((req, res) => this.#onRequest(req, res));
    server.keepAliveTimeout = KEEP_ALIVE_MS;
    server.on('connection', (socket) => {
      this.#sockets.add(socket);
      socket.once('close', () => this.#sockets.delete(socket));
    });
    const host = this.#opts.host === 'localhost' ? '127.0.0.1' : this.#opts.host;
    await new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.#opts.port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.#http = server;
    const { port } = server.address();
    const hostPart = this.#opts.host.includes(':') ? `[${this.#opts.host}]` : this.#opts.host;
    this.origin = `http://${hostPart}:${port}`;
    this.credentials = { apiOrigin: this.origin, apiKeyId: this.apiKeyId, apiKeySecret: this.apiKeySecret };
    this.apiKey = encodeApiKey(this.credentials);
  }

  seed(collections = {}) {
    this.#store.seed(collections);
    return this;
  }

  /** The live value of one seeded collection (changes made by requests included). */
  collection(name) {
    if (!COLLECTIONS.includes(name)) throw new TypeError(`collection: unknown collection "${name}" (known: ${COLLECTIONS.join(', ')})`);
    return this.#store.get(name);
  }

  // Serializing a page of 1000 realistic marts takes several milliseconds; a benchmark
  // calls this first so its first measured walk is not also paying for the server.
  warm() {
    const total = this.#store.get('dataMarts').length;
    for (let offset = 0; offset === 0 || offset < total; offset += this.#opts.pageSize) this.#store.page(undefined, offset, this.#opts.pageSize);
    return this;
  }

  count(filter = {}) {
    let n = 0;
    for (const [method, paths] of this.#counters) {
      if (filter.method !== undefined && filter.method.toUpperCase() !== method) continue;
      for (const [path, c] of paths) {
        if (filter.path === undefined || pathMatches(filter.path, path)) n += c;
      }
    }
    return n;
  }

  clearRequests() {
    // In place, so a reference a test took earlier keeps showing the live log.
    this.requests.length = 0;
    this.#counters.clear();
  }

  inject(match, response) {
    return this.#injections.add(match, response);
  }

  clearInjections() {
    this.#injections.clear();
  }

  expireTokens() {
    this.#tokens.clear();
  }

  close() {
    if (this.#closing) return this.#closing;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    const waits = [new Promise((resolve) => (this.#http ? this.#http.close(() => resolve()) : resolve()))];
    // Hung and stalled responses would otherwise hold close() open forever. The server
    // reports 'close' before its sockets do, so wait for each socket too: after close()
    // resolves, `connections` is 0.
    for (const socket of this.#sockets) {
      waits.push(new Promise((resolve) => socket.once('close', resolve)));
      socket.destroy();
    }
    this.#closing = Promise.all(waits).then(() => undefined);
    return this.#closing;
  }

  #onRequest(req, res) {
    const at = Date.now();
    const { method, url } = req;
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    const search = q === -1 ? '' : url.slice(q + 1);

    let paths = this.#counters.get(method);
    if (!paths) this.#counters.set(method, (paths = new Map()));
    paths.set(path, (paths.get(path) ?? 0) + 1);

    if (this.#opts.log) {
      res.once('close', () => {
        const status = res.headersSent ? res.statusCode : 'no response';
        process.stderr.write(`[owox-test-server] ${method} ${url} -> ${status} (${Date.now() - at} ms)\n`);
      });
    }

    const headers = req.headers;
    const bodyless = headers['transfer-encoding'] === undefined && (headers['content-length'] ?? '0') === '0';
    if (bodyless) {
      // GETs carry no body: answer without waiting for 'end' to keep the hot path short.
      req.resume();
      this.#dispatch(req, res, method, path, search, '', at);
      return;
    }
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => this.#dispatch(req, res, method, path, search, Buffer.concat(chunks).toString('utf8'), at));
  }

  #dispatch(req, res, method, path, search, body, at) {
    if (this.#opts.recordRequests) {
      this.requests.push({ method, path, query: parseQuery(search), headers: { ...req.headers }, body, at });
    }
    const route = (streamFault) => this.#route(req, res, method, path, search, body, streamFault);
    const injected = this.#injections.take(method, path);
    if (injected) play(req, res, injected, route, this.#timers);
    else route();
  }

  #route(req, res, method, path, search, rawBody, streamFault) {
    try {
      const match = this.#router.match(method, path);
      if (match === null) throw routeNotFound(method);
      const { route, params } = match;
      if (!route.public) this.#authorize(req);
      if (streamFault !== undefined && !route.stream) {
        // A stream fault on a JSON route would silently do nothing: say so instead.
        return this.#sendJson(req, res, 500, {
          statusCode: 500,
          message: `owox test server: a stream fault was injected for ${method} ${path}, which does not stream NDJSON`,
        });
      }
      const ctx = {
        method,
        path,
        params,
        query: parseQuery(search),
        body: method === 'GET' || method === 'HEAD' ? undefined : parseJsonBody(req, rawBody),
        headers: req.headers,
        store: this.#store,
        options: this.#opts,
        fault: streamFault,
      };
      this.#reply(req, res, route.handler(ctx), streamFault);
    } catch (error) {
      if (error instanceof HttpError) return this.#sendJson(req, res, error.status, error.build(req.url, new Date().toISOString()));
      // A bug here, or a seeded value that cannot be served (e.g. a BigInt), must not take
      // the test process down: answer as NestJS does for an unexpected error, and say why.
      process.stderr.write(`[owox-test-server] ${method} ${req.url} failed: ${error?.stack ?? error}\n`);
      if (!res.headersSent) this.#sendJson(req, res, 500, { statusCode: 500, message: 'Internal server error' });
      else res.destroy();
    }
  }

  #reply(req, res, reply, streamFault) {
    switch (reply.kind) {
      case 'json':
        return this.#sendJson(req, res, reply.status, reply.value);
      case 'cached':
        return this.#send(req, res, reply.status, reply.entry);
      case 'html':
        return this.#send(req, res, reply.status, { body: Buffer.from(reply.text) }, 'text/html; charset=utf-8');
      case 'empty':
        res.writeHead(reply.status, reply.status === 204 ? {} : { 'content-length': 0 });
        return res.end();
      case 'stream':
        return this.#stream(res, reply.spec, streamFault);
      default:
        throw new Error(`unknown reply kind ${reply.kind}`);
    }
  }

  // Streams are never compressed, as the real server's are not.
  #stream(res, spec, streamFault) {
    const run = this.#recordRun(spec);
    const fault = { ...(this.#opts.streamChunkBytes === undefined ? {} : { chunkBytes: this.#opts.streamChunkBytes }), ...streamFault };
    writeNdjson(res, {
      lines: spec.lines,
      runId: run.id,
      fault,
      timers: this.#timers,
      onEnd: (outcome) => {
        run.status = outcome === 'completed' ? 'SUCCESS' : outcome === 'stalled' ? 'RUNNING' : outcome === 'cut' ? 'FAILED' : 'INTERRUPTED';
        if (outcome !== 'stalled') run.finishedAt = new Date().toISOString();
        run.additionalParams.httpData.completed = outcome === 'completed';
        if (outcome === 'cut') run.errors = ['The data stream failed after some rows were sent'];
      },
    });
  }

  // Every read of data is a run on the real server (type HTTP_DATA), listed newest first.
  #recordRun(spec) {
    const context = this.#store.get('context');
    const at = new Date().toISOString();
    const run = runRecord({
      id: randomUUID(),
      status: 'RUNNING',
      type: 'HTTP_DATA',
      runType: 'manual',
      dataMartId: spec.dataMartId,
      reportId: spec.reportId,
      createdAt: at.replace(/\.\d{3}Z$/, '.000Z'),
      startedAt: at,
      createdByUser: { userId: String(context.userId ?? '0'), fullName: context.fullName ?? null, email: context.email ?? null, avatar: context.avatar ?? null },
      additionalParams: { httpData: { format: 'ndjson', columns: spec.columns, completed: false } },
    });
    this.#store.get('runs').unshift(run);
    return run;
  }

  #exchange({ headers, body: payload }) {
    const errors = [];
    if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
      errors.push('apiKeySecret must be a string');
    } else {
      for (const key of Object.keys(payload)) {
        if (key !== 'apiKeySecret') errors.push(`property ${key} should not exist`);
      }
      if (typeof payload.apiKeySecret !== 'string') errors.push('apiKeySecret must be a string');
    }
    if (errors.length > 0) throw validationFailed(errors);

    if (headers['x-owox-api-key-id'] !== this.apiKeyId || payload.apiKeySecret !== this.apiKeySecret) {
      throw guardError(401, 'Unauthorized');
    }
    const accessToken = randomBytes(32).toString('base64url');
    const ttl = this.#opts.tokenExpiresIn;
    this.#tokens.set(accessToken, { keyId: this.apiKeyId, expiresAt: ttl === null ? Infinity : Date.now() + ttl * 1000 });
    this.issuedTokens.push(accessToken);
    return replies.json(200, ttl === null ? { accessToken } : { accessToken, accessTokenExpiresIn: ttl });
  }

  // Throws the 401 or 403 the real server's guard answers with, or returns.
  #authorize(req) {
    const header = req.headers['x-owox-authorization'];
    const token = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7) : undefined;
    const entry = token === undefined ? undefined : this.#tokens.get(token);
    if (entry === undefined || entry.expiresAt <= Date.now()) {
      if (entry !== undefined) this.#tokens.delete(token);
      throw guardError(401, 'Unauthorized');
    }
    if (req.headers['x-owox-api-key-id'] !== entry.keyId) throw guardError(403, 'Access denied by api key');
  }

  #sendJson(req, res, status, value) {
    this.#send(req, res, status, { body: Buffer.from(JSON.stringify(value)) });
  }

  #send(req, res, status, entry, contentType = JSON_TYPE) {
    const headers = { 'content-type': contentType };
    let body = entry.body;
    if (this.#opts.compression) {
      headers.vary = 'Accept-Encoding';
      if (body.length >= GZIP_MIN_BYTES && acceptsGzip(req.headers['accept-encoding'])) {
        body = entry.gzip ??= zlib.gzipSync(entry.body);
        headers['content-encoding'] = 'gzip';
      }
    }
    headers['content-length'] = body.length;
    res.writeHead(status, headers);
    res.end(body);
  }
}

async function startTestServer(options = {}) {
  return TestServer.start(normalizeOptions(options));
}

module.exports = { startTestServer, TestServer };
