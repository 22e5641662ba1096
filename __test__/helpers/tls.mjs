// A throwaway certificate authority and a minimal OWOX-compatible HTTPS server for TLS tests.
//
// `makeCertificates()` uses the `openssl` CLI (node:crypto cannot issue X.509 certificates)
// to write a self-signed CA and a server certificate signed by it into a temp dir. It
// returns null when openssl is not installed, so tests can skip with a clear reason.
// `startHttpsApi()` serves just the token exchange and GET /api/data-storages on 127.0.0.1.

import https from 'node:https';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

export function hasOpenssl() {
  const probe = spawnSync('openssl', ['version'], { encoding: 'utf8' });
  return probe.status === 0;
}

/**
 * @param {{ san?: string }} [options] subjectAltName of the server certificate (default `IP:127.0.0.1`)
 * @returns {{ dir, caCert, caKey, serverCert, serverKey, cleanup() } | null}
 */
export function makeCertificates({ san = 'IP:127.0.0.1' } = {}) {
  if (!hasOpenssl()) return null;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'owox-tls-'));
  const file = (name) => path.join(dir, name);
  const run = (...args) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });

  // CA: self-signed, marked as a CA.
  run('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', file('ca.key'));
  fs.writeFileSync(
    file('ca.cnf'),
    [
      '[req]',
      'distinguished_name = dn',
      'x509_extensions = v3_ca',
      'prompt = no',
      '[dn]',
      'CN = OWOX test CA',
      '[v3_ca]',
      'basicConstraints = critical, CA:TRUE',
      'keyUsage = critical, keyCertSign, cRLSign',
      'subjectKeyIdentifier = hash',
      '',
    ].join('\n'),
  );
  run('req', '-x509', '-new', '-key', file('ca.key'), '-sha256', '-days', '2', '-config', file('ca.cnf'), '-out', file('ca.pem'));

  // Server: a leaf signed by the CA, valid for `san`.
  run('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', file('server.key'));
  run('req', '-new', '-key', file('server.key'), '-subj', '/CN=127.0.0.1', '-out', file('server.csr'));
  fs.writeFileSync(
    file('server.ext'),
    [
      'basicConstraints = critical, CA:FALSE',
      'keyUsage = critical, digitalSignature, keyEncipherment',
      'extendedKeyUsage = serverAuth',
      `subjectAltName = ${san}`,
      'authorityKeyIdentifier = keyid',
      '',
    ].join('\n'),
  );
  run(
    'x509', '-req', '-in', file('server.csr'), '-CA', file('ca.pem'), '-CAkey', file('ca.key'), '-CAcreateserial',
    '-days', '2', '-sha256', '-extfile', file('server.ext'), '-out', file('server.pem'),
  );

  return {
    dir,
    caCertPath: file('ca.pem'),
    caCert: fs.readFileSync(file('ca.pem')),
    serverCert: fs.readFileSync(file('server.pem')),
    serverKey: fs.readFileSync(file('server.key')),
    cleanup() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * An HTTPS server on 127.0.0.1 implementing the token exchange and GET /api/data-storages.
 * `requests` lists `{ method, path }` of every HTTP request that got through TLS;
 * `handshakes` counts TLS connections attempted (including failed ones).
 */
export async function startHttpsApi({ cert, key, storages = [{ id: 'tls-storage', title: 'Over TLS' }] }) {
  const apiKeyId = 'pmk_' + randomBytes(16).toString('base64url').slice(0, 22);
  const apiKeySecret = randomBytes(32).toString('base64url');
  const tokens = new Set();
  const requests = [];
  const sockets = new Set();
  let tcpConnections = 0;
  const send = (res, status, body) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };
  const server = https.createServer({ cert, key }, (req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url, 'https://127.0.0.1');
      requests.push({ method: req.method, path: url.pathname, headers: { ...req.headers } });
      if (req.method === 'POST' && url.pathname === '/api/auth/api-keys/exchange') {
        let body = {};
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {}
        if (req.headers['x-owox-api-key-id'] !== apiKeyId || body.apiKeySecret !== apiKeySecret) {
          return send(res, 401, { statusCode: 401, message: 'Unauthorized' });
        }
        const accessToken = randomBytes(24).toString('base64url');
        tokens.add(accessToken);
        return send(res, 200, { accessToken, accessTokenExpiresIn: 900 });
      }
      if (req.method === 'GET' && url.pathname === '/api/data-storages') {
        const auth = req.headers['x-owox-authorization'] ?? '';
        if (!auth.startsWith('Bearer ') || !tokens.has(auth.slice(7))) {
          return send(res, 401, { statusCode: 401, message: 'Unauthorized' });
        }
        return send(res, 200, storages);
      }
      send(res, 404, { statusCode: 404, message: `Cannot ${req.method} ${url.pathname}`, error: 'Not Found' });
    });
  });
  server.on('connection', (socket) => {
    tcpConnections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // A client that refuses our certificate aborts the handshake; that is expected here.
  server.on('tlsClientError', () => {});
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  const origin = `https://127.0.0.1:${port}`;
  return {
    origin,
    port,
    credentials: { apiOrigin: origin, apiKeyId, apiKeySecret },
    requests,
    get tcpConnections() {
      return tcpConnections;
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
