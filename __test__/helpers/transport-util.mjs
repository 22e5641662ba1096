// Shared bits for the transport suites: servers, child processes, polling, error capture.

import { execFile, spawn } from 'node:child_process';
import net from 'node:net';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestServer } from '@owox/api-client/testing';
import { OWOXApiClient } from '@owox/api-client';

export const HELPERS = path.dirname(fileURLToPath(import.meta.url));
export const PACKAGE_ROOT = path.resolve(HELPERS, '..', '..');
export const CHILD = path.join(HELPERS, 'transport-child.mjs');

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A test server plus a client for it; `t.after` closes the server. */
export async function setup(t, { server: serverOptions = {}, client: clientOptions = {} } = {}) {
  const server = await startTestServer(serverOptions);
  t.after(() => server.close());
  const client = new OWOXApiClient({ ...server.credentials, ...clientOptions });
  return { server, client };
}

/** Runs `fn`, expecting it to reject; returns `{ error, ms }` (ms from start to rejection). */
export async function rejection(fn) {
  const started = performance.now();
  try {
    await fn();
  } catch (error) {
    return { error, ms: performance.now() - started };
  }
  throw new Error('expected the call to reject, but it resolved');
}

/** Polls `predicate` every 10 ms until it is true or `ms` pass; returns its last value. */
export async function waitFor(predicate, ms = 2000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = predicate();
    if (value || Date.now() > deadline) return value;
    await sleep(10);
  }
}

/** Resolves once the server has seen `n` requests matching `filter`. */
export async function waitForRequests(server, filter, n = 1, ms = 3000) {
  const ok = await waitFor(() => server.count(filter) >= n, ms);
  if (!ok) throw new Error(`server saw ${server.count(filter)} requests matching ${JSON.stringify(filter)}, expected ${n}`);
}

/** Minimal environment for child processes: no proxy or TLS variables leak in from ours. */
export function baseEnv(extra = {}) {
  const env = { PATH: process.env.PATH, HOME: process.env.HOME };
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) env[k] = v;
  return env;
}

/** Runs a node script; resolves `{ code, signal, stdout, stderr, ms }`. */
export function runNode(args, { env = baseEnv(), timeout = 60_000, cwd = PACKAGE_ROOT } = {}) {
  return new Promise((resolve) => {
    const started = performance.now();
    execFile(process.execPath, args, { env, cwd, timeout, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({
        code: error ? (typeof error.code === 'number' ? error.code : null) : 0,
        signal: error?.signal ?? null,
        killed: Boolean(error?.killed),
        stdout,
        stderr,
        ms: performance.now() - started,
      });
    });
  });
}

/** Runs transport-child.mjs with `spec` and `env`; returns the parsed JSON it printed plus the raw run. */
export async function runChildCalls(spec, env = {}, options = {}) {
  const run = await runNode([CHILD, JSON.stringify(spec)], { env: baseEnv(env), ...options });
  const line = run.stdout.trim().split('\n').filter(Boolean).pop();
  let json;
  try {
    json = JSON.parse(line);
  } catch {
    throw new Error(`child printed no JSON (exit ${run.code}, signal ${run.signal}):\n${run.stdout}\n${run.stderr}`);
  }
  return { ...json, run };
}

/**
 * A listener that never accepts connections: a child process listens with a backlog of 1
 * and then blocks its own event loop. After `fill()` takes the kernel's accept queue, further
 * connection attempts get no SYN-ACK, like a black-holed address, but on 127.0.0.1.
 */
export async function startBlackHole() {
  const child = spawn(
    process.execPath,
    [
      '-e',
      `const s = require('net').createServer();
       s.listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => {
         process.stdout.write(s.address().port + '\\n');
         setTimeout(() => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 120000), 20);
       });`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const port = await new Promise((resolve, reject) => {
    child.once('error', reject);
    child.stdout.once('data', (d) => resolve(Number(String(d).trim())));
  });
  await sleep(150);
  const fillers = [];
  // Take the accept queue until a connection attempt no longer completes.
  for (let i = 0; i < 16; i++) {
    const socket = net.connect(port, '127.0.0.1');
    socket.on('error', () => {});
    fillers.push(socket);
    const connected = await new Promise((resolve) => {
      socket.once('connect', () => resolve(true));
      setTimeout(() => resolve(false), 250);
    });
    if (!connected) break;
  }
  return {
    origin: `http://127.0.0.1:${port}`,
    close() {
      for (const s of fillers) s.destroy();
      child.kill('SIGKILL');
    },
  };
}

/**
 * A minimal OWOX-like HTTP server on 127.0.0.1 for behaviour the bundled test server cannot
 * play (e.g. an endless chunked body). The token exchange always succeeds; `storages(req, res)`
 * answers GET /api/data-storages. `requests` records `{ method, path }`.
 */
export async function startMiniApi(storages) {
  const requests = [];
  const sockets = new Set();
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const { pathname } = new URL(req.url, 'http://x');
      requests.push({ method: req.method, path: pathname });
      if (req.method === 'POST' && pathname === '/api/auth/api-keys/exchange') {
        const body = JSON.stringify({ accessToken: 'tok-' + requests.length, accessTokenExpiresIn: 900 });
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
        return res.end(body);
      }
      if (req.method === 'GET' && pathname === '/api/data-storages') return storages(req, res);
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"statusCode":404,"message":"Not Found"}');
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return {
    origin,
    credentials: { apiOrigin: origin, apiKeyId: 'pmk_AAAAAAAAAAAAAAAAAAAAAA', apiKeySecret: 'x'.repeat(43) },
    requests,
    get connections() {
      return sockets.size;
    },
    close() {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
