// A tiny forward proxy for tests: absolute-form HTTP requests are forwarded, CONNECT is
// tunnelled. It records what passed through it, so a test can prove a request took (or did
// not take) the proxy. It listens on 127.0.0.1 only.
//
// `hostMap` rewrites a target host (e.g. a made-up non-loopback name) to a local address,
// so "the client asked the proxy for owox-api.example" can be served by a local server.

import http from 'node:http';
import net from 'node:net';

export async function startProxy({ hostMap = {} } = {}) {
  const seen = []; // { kind: 'http' | 'connect', method, target, host, port }
  const sockets = new Set();
  const mapHost = (host) => (Object.hasOwn(hostMap, host) ? hostMap[host] : host);

  const server = http.createServer((req, res) => {
    let target;
    try {
      target = new URL(req.url);
    } catch {
      // Origin-form: this was not sent to us as a proxy.
      res.writeHead(400, { 'content-type': 'text/plain' });
      res.end('proxy: absolute-form request expected');
      return;
    }
    seen.push({
      kind: 'http',
      method: req.method,
      target: req.url,
      host: target.hostname,
      port: Number(target.port || 80),
      headers: { ...req.headers },
    });
    const headers = { ...req.headers };
    delete headers['proxy-connection'];
    delete headers['proxy-authorization'];
    const upstream = http.request(
      {
        host: mapHost(target.hostname),
        port: Number(target.port || 80),
        method: req.method,
        path: target.pathname + target.search,
        headers,
        agent: false,
      },
      (up) => {
        res.writeHead(up.statusCode, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end('proxy: upstream failed');
    });
    req.pipe(upstream);
  });

  server.on('connect', (req, clientSocket, head) => {
    const [host, portText] = splitHostPort(req.url);
    seen.push({ kind: 'connect', method: 'CONNECT', target: req.url, host, port: Number(portText), headers: { ...req.headers } });
    const upstream = net.connect(Number(portText), mapHost(host), () => {
      clientSocket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head && head.length) upstream.write(head);
      upstream.pipe(clientSocket);
      clientSocket.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    const destroyBoth = () => {
      upstream.destroy();
      clientSocket.destroy();
    };
    upstream.on('error', destroyBoth);
    clientSocket.on('error', destroyBoth);
  });

  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    seen,
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function splitHostPort(authority) {
  if (authority.startsWith('[')) {
    const end = authority.indexOf(']');
    return [authority.slice(1, end), authority.slice(end + 2)];
  }
  const colon = authority.lastIndexOf(':');
  return [authority.slice(0, colon), authority.slice(colon + 1)];
}
