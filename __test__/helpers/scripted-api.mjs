// A scripted OWOX-like server on 127.0.0.1: `route(req, body)` decides every answer, so a
// test can play exactly the server behaviour it is about. Records each request with its
// body, and whether the client closed the socket before an answer.

import http from 'node:http';

export const KEY_ID = 'pmk_AAAAAAAAAAAAAAAAAAAAAA';
export const SECRET = 'S3cretS3cretS3cretS3cretS3cretS3cretS3cretX';
export const EXCHANGE = '/api/auth/api-keys/exchange';

/** A JSON answer. */
export const json = (status, value, headers = {}) => ({
  status,
  headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  body: typeof value === 'string' ? value : JSON.stringify(value),
});

/** The usual token exchange answer. */
export const tokenReply = (token = 'token-1') => json(200, { accessToken: token, accessTokenExpiresIn: 900 });

/**
 * Starts the server. `route(request)` gets `{ method, path, query, headers, body }` and
 * returns `{ status, headers, body }`, `{ hang: true }` (never answers), or a promise of
 * either. `close()` ends it and every open socket.
 */
export async function startScriptedApi(t, route) {
  const requests = [];
  const sockets = new Set();
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      const url = new URL(req.url, 'http://x');
      const request = {
        method: req.method,
        path: url.pathname,
        query: url.search,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        closedEarly: false,
      };
      requests.push(request);
      res.on('close', () => {
        if (!res.writableEnded) request.closedEarly = true;
      });
      const answer = await route(request);
      if (answer.hang) return;
      res.writeHead(answer.status, answer.headers ?? {});
      res.end(answer.body ?? '');
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;
  const api = {
    origin,
    credentials: { apiOrigin: origin, apiKeyId: KEY_ID, apiKeySecret: SECRET },
    requests,
    count: (path) => requests.filter((r) => r.path === path).length,
    close() {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
  t?.after(() => api.close());
  return api;
}
