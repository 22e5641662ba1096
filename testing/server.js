'use strict';

// A local stand-in for the OWOX Data Marts backend: the endpoints the client uses, with the
// real server's status codes and NestJS error bodies, plus hooks for tests (request log,
// fault injection, token expiry).

const http = require('node:http');
const zlib = require('node:zlib');
const { randomBytes } = require('node:crypto');
const fixtures = require('./fixtures');
const { generateApiKeyId, generateApiKeySecret, encodeApiKey } = require('./credentials');
const { Injections, play, pathMatches } = require('./faults');

const JSON_TYPE = 'application/json; charset=utf-8';
const EXCHANGE_PATH = '/api/auth/api-keys/exchange';
const OWNER_FILTERS = ['has_owners', 'no_owners'];
// Express' compression() middleware leaves bodies under 1 KiB alone; so do we.
const GZIP_MIN_BYTES = 1024;
// Each cached data-mart page is ~1 MB; a client walking random offsets must not grow this forever.
const PAGE_CACHE_LIMIT = 512;
// Longer than Node's 5 s default so a pooled client connection is not closed under a test
// that pauses between calls (that race shows up as a spurious connection error).
const KEEP_ALIVE_MS = 30_000;

const OPTION_NAMES = new Set([
  'host', 'port', 'apiKeyId', 'apiKeySecret', 'tokenExpiresIn', 'pageSize', 'dataMarts', 'storages',
  'destinations', 'context', 'log', 'recordRequests', 'compression',
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
  return {
    host,
    port,
    apiKeyId,
    apiKeySecret,
    tokenExpiresIn,
    pageSize,
    dataMarts: options.dataMarts ?? fixtures.generateDataMarts(5),
    storages: options.storages ?? fixtures.generateStorages(3),
    destinations: options.destinations ?? fixtures.generateDestinations(2),
    context: options.context ?? fixtures.defaultContext(apiKeyId),
    log: Boolean(options.log),
    recordRequests: options.recordRequests ?? true,
    compression: Boolean(options.compression),
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

const hasOwners = (item) =>
  (Array.isArray(item?.technicalOwnerUsers) && item.technicalOwnerUsers.length > 0) ||
  (Array.isArray(item?.businessOwnerUsers) && item.businessOwnerUsers.length > 0);

const hasOwnerUsers = (item) => Array.isArray(item?.ownerUsers) && item.ownerUsers.length > 0;

function filterBy(items, filter, predicate) {
  if (filter === undefined) return items;
  return items.filter(filter === 'has_owners' ? predicate : (item) => !predicate(item));
}

function checkOwnerFilter(query, allowed, errors) {
  for (const key of Object.keys(query)) {
    if (!allowed.includes(key)) errors.push(`property ${key} should not exist`);
  }
  const filter = query.ownerFilter;
  if (filter !== undefined && !OWNER_FILTERS.includes(filter)) {
    errors.push(`ownerFilter must be one of the following values: ${OWNER_FILTERS.join(', ')}`);
  }
  return filter;
}

function assertArray(value, name) {
  if (!Array.isArray(value)) throw new TypeError(`${name} must be an array`);
  return value.slice();
}

function assertContext(value) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new TypeError('context must be an object');
  return value;
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

  #dataMarts;
  #storages;
  #destinations;
  #context;
  // Serialized bodies, so repeated requests cost a socket write and nothing else.
  // Entries are { body: Buffer, gzip?: Buffer }. Every seed() drops the affected ones.
  #martViews = new Map();
  #pages = new Map();
  #lists = new Map();

  constructor(opts) {
    this.#opts = opts;
    this.apiKeyId = opts.apiKeyId;
    this.apiKeySecret = opts.apiKeySecret;
    this.origin = undefined;
    this.apiKey = undefined;
    this.credentials = undefined;
    this.requests = [];
    this.issuedTokens = [];
    this.#dataMarts = assertArray(opts.dataMarts, 'dataMarts');
    this.#storages = assertArray(opts.storages, 'storages');
    this.#destinations = assertArray(opts.destinations, 'destinations');
    this.#context = assertContext(opts.context);
  }

  get connections() {
    return this.#sockets.size;
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
    const { dataMarts, storages, destinations, context } = collections;
    if (dataMarts !== undefined) {
      this.#dataMarts = assertArray(dataMarts, 'dataMarts');
      this.#martViews.clear();
      this.#pages.clear();
    }
    if (storages !== undefined) this.#storages = assertArray(storages, 'storages');
    if (destinations !== undefined) this.#destinations = assertArray(destinations, 'destinations');
    if (context !== undefined) this.#context = assertContext(context);
    this.#lists.clear();
    return this;
  }

  // Serializing a page of 1000 realistic marts takes several milliseconds; a benchmark
  // calls this first so its first measured walk is not also paying for the server.
  warm() {
    const total = this.#dataMarts.length;
    for (let offset = 0; offset === 0 || offset < total; offset += this.#opts.pageSize) this.#page(undefined, offset);
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
    const route = () => this.#route(req, res, method, path, search, body);
    const injected = this.#injections.take(method, path);
    if (injected) play(req, res, injected, route, this.#timers);
    else route();
  }

  #route(req, res, method, path, search, body) {
    // Express routing is not strict about one trailing slash.
    const p = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
    if (method === 'POST' && p === EXCHANGE_PATH) return this.#exchange(req, res, body);
    if (method === 'GET') {
      switch (p) {
        case '/api/data-marts':
          return this.#authorized(req, res) && this.#listDataMarts(req, res, search);
        case '/api/data-storages':
          return this.#authorized(req, res) && this.#listOwned(req, res, search, 'storages');
        case '/api/data-destinations':
          return this.#authorized(req, res) && this.#listOwned(req, res, search, 'destinations');
        case '/api/auth/context':
          return this.#authorized(req, res) && this.#getContext(req, res);
      }
    }
    this.#sendJson(req, res, 404, {
      statusCode: 404,
      message: `Cannot ${method} ${req.url}`,
      error: 'Not Found',
      timestamp: new Date().toISOString(),
      path: req.url,
    });
  }

  #exchange(req, res, raw) {
    let payload = {};
    // Like body-parser: a body is only read as JSON when the content type says so.
    if (isJsonContentType(req.headers['content-type']) && raw.trim() !== '') {
      const first = raw.trimStart()[0];
      try {
        // body-parser's strict mode: only objects and arrays at the top level.
        if (first !== '{' && first !== '[') throw new SyntaxError(`Unexpected token ${first} in JSON at position 0`);
        payload = JSON.parse(raw);
      } catch (err) {
        return this.#sendJson(req, res, 400, {
          statusCode: 400,
          message: err.message,
          error: 'Bad Request',
          timestamp: new Date().toISOString(),
          path: req.url,
        });
      }
    }
    const errors = [];
    if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
      errors.push('apiKeySecret must be a string');
    } else {
      for (const key of Object.keys(payload)) {
        if (key !== 'apiKeySecret') errors.push(`property ${key} should not exist`);
      }
      if (typeof payload.apiKeySecret !== 'string') errors.push('apiKeySecret must be a string');
    }
    if (errors.length > 0) return this.#validationError(req, res, errors);

    if (req.headers['x-owox-api-key-id'] !== this.apiKeyId || payload.apiKeySecret !== this.apiKeySecret) {
      return this.#unauthorized(req, res);
    }
    const accessToken = randomBytes(32).toString('base64url');
    const ttl = this.#opts.tokenExpiresIn;
    this.#tokens.set(accessToken, { keyId: this.apiKeyId, expiresAt: ttl === null ? Infinity : Date.now() + ttl * 1000 });
    this.issuedTokens.push(accessToken);
    this.#sendJson(req, res, 200, ttl === null ? { accessToken } : { accessToken, accessTokenExpiresIn: ttl });
  }

  #authorized(req, res) {
    const header = req.headers['x-owox-authorization'];
    const token = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7) : undefined;
    const entry = token === undefined ? undefined : this.#tokens.get(token);
    if (entry === undefined || entry.expiresAt <= Date.now()) {
      if (entry !== undefined) this.#tokens.delete(token);
      this.#unauthorized(req, res);
      return false;
    }
    if (req.headers['x-owox-api-key-id'] !== entry.keyId) {
      this.#sendJson(req, res, 403, {
        statusCode: 403,
        message: 'Access denied by api key',
        timestamp: new Date().toISOString(),
        path: req.url,
      });
      return false;
    }
    return true;
  }

  #listDataMarts(req, res, search) {
    const query = parseQuery(search);
    const errors = [];
    let offset = 0;
    if (query.offset !== undefined) {
      const raw = query.offset;
      if (typeof raw === 'string' && /^-\d+$/.test(raw)) errors.push('offset must not be less than 0');
      else if (typeof raw !== 'string' || !/^\d+$/.test(raw)) errors.push('offset must be an integer number');
      else offset = Number(raw);
    }
    const filter = checkOwnerFilter(query, ['offset', 'ownerFilter'], errors);
    if (errors.length > 0) return this.#validationError(req, res, errors);

    this.#send(req, res, 200, this.#page(filter, offset));
  }

  #page(filter, offset) {
    const key = `${filter ?? ''}:${offset}`;
    let entry = this.#pages.get(key);
    if (entry === undefined) {
      let view = this.#martViews.get(filter);
      if (view === undefined) this.#martViews.set(filter, (view = filterBy(this.#dataMarts, filter, hasOwners)));
      const items = view.slice(offset, offset + this.#opts.pageSize);
      const next = offset + items.length;
      const nextOffset = next < view.length ? next : null;
      if (this.#pages.size >= PAGE_CACHE_LIMIT) this.#pages.clear();
      entry = { body: Buffer.from(JSON.stringify({ items, total: view.length, nextOffset })) };
      this.#pages.set(key, entry);
    }
    return entry;
  }

  #listOwned(req, res, search, kind) {
    const errors = [];
    const filter = checkOwnerFilter(parseQuery(search), ['ownerFilter'], errors);
    if (errors.length > 0) return this.#validationError(req, res, errors);
    const key = `${kind}:${filter ?? ''}`;
    let entry = this.#lists.get(key);
    if (entry === undefined) {
      const items = kind === 'storages' ? this.#storages : this.#destinations;
      entry = { body: Buffer.from(JSON.stringify(filterBy(items, filter, hasOwnerUsers))) };
      this.#lists.set(key, entry);
    }
    this.#send(req, res, 200, entry);
  }

  #getContext(req, res) {
    let entry = this.#lists.get('context');
    if (entry === undefined) this.#lists.set('context', (entry = { body: Buffer.from(JSON.stringify(this.#context)) }));
    this.#send(req, res, 200, entry);
  }

  #unauthorized(req, res) {
    this.#sendJson(req, res, 401, {
      statusCode: 401,
      message: 'Unauthorized',
      timestamp: new Date().toISOString(),
      path: req.url,
    });
  }

  #validationError(req, res, messages) {
    this.#sendJson(req, res, 400, {
      message: 'Request validation failed',
      error: 'Bad Request',
      statusCode: 400,
      details: { errors: messages.map((message) => ({ message })) },
      timestamp: new Date().toISOString(),
      path: req.url,
    });
  }

  #sendJson(req, res, status, value) {
    this.#send(req, res, status, { body: Buffer.from(JSON.stringify(value)) });
  }

  #send(req, res, status, entry) {
    const headers = { 'content-type': JSON_TYPE };
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
