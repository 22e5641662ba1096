// A small scripted OWOX server on 127.0.0.1 for the named-call tests: it does the token
// exchange, records every other request exactly as it arrived (method, path, raw query,
// body) and answers each `METHOD /path` with the reply a test scripted, else the real
// server's 404. Used where the bundled test server does not serve a route yet, and where
// a test needs one exact answer (a real error body, a hang).

import http from 'node:http';
import { OWOXApiClient } from '@owox/api-client';

const EXCHANGE = '/api/auth/api-keys/exchange';
const API_KEY_ID = 'pmk_ApiCallsTestKey000000';
const API_KEY_SECRET = 'apiCallsTestSecret_000000000000000000000000';

/** The real server's answer to a route it does not have. */
const notFound = (method, path) => ({
  status: 404,
  body: { message: `Cannot ${method} ${path}`, error: 'Not Found', statusCode: 404 },
});

function send(res, reply) {
  if (reply.hang) return; // never answered; closed with the server
  const status = reply.status ?? 200;
  if (reply.body === undefined) {
    res.writeHead(status, reply.headers ?? {}).end();
  } else if (typeof reply.body === 'string') {
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...reply.headers }).end(reply.body);
  } else {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...reply.headers }).end(JSON.stringify(reply.body));
  }
}

/**
 * Starts the server for test `t` (closed when it ends). `server.reply('GET /api/x', reply)`
 * scripts an answer: `{ status?, body?, headers?, hang? }` or a function of the request.
 */
export async function useApiServer(t) {
  const replies = new Map();
  const requests = [];
  let exchanges = 0;
  const sockets = new Set();
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url, 'http://127.0.0.1');
      const text = Buffer.concat(chunks).toString('utf8');
      if (req.method === 'POST' && url.pathname === EXCHANGE) {
        exchanges += 1;
        const valid = req.headers['x-owox-api-key-id'] === API_KEY_ID && text === JSON.stringify({ apiKeySecret: API_KEY_SECRET });
        return send(res, valid ? { body: { accessToken: `token-${exchanges}`, accessTokenExpiresIn: 900 } } : { status: 401, body: { message: 'Unauthorized', statusCode: 401 } });
      }
      const request = {
        method: req.method,
        path: url.pathname,
        query: url.search.slice(1),
        body: text === '' ? undefined : JSON.parse(text),
        headers: req.headers,
      };
      requests.push(request);
      const scripted = replies.get(`${req.method} ${url.pathname}`);
      const reply = typeof scripted === 'function' ? scripted(request) : scripted;
      send(res, reply ?? notFound(req.method, url.pathname));
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(
    () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(resolve);
      }),
  );
  const origin = `http://127.0.0.1:${server.address().port}`;
  return {
    origin,
    credentials: { apiOrigin: origin, apiKeyId: API_KEY_ID, apiKeySecret: API_KEY_SECRET },
    /** Every request but the token exchange, in arrival order. */
    requests,
    /** How many token exchanges reached the server. */
    get exchanges() {
      return exchanges;
    },
    reply(route, reply) {
      replies.set(route, reply);
      return this;
    },
  };
}

/** A client of `server` that does not retry, so failures surface at once. */
export function apiClientOf(server, options = {}) {
  return new OWOXApiClient({ ...server.credentials, maxRetries: 0, ...options });
}
