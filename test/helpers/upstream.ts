// A real upstream application for integration tests, on a real socket on port 0.

import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';

export interface Upstream {
  url: string;
  port: number;
  /** Requests received, newest last. */
  seen: { method: string; url: string; headers: http.IncomingHttpHeaders }[];
  /** Requests whose client went away before the upstream answered (from /slow). */
  aborted: number;
  /** TCP connections accepted so far. */
  connections: number;
  close(): Promise<void>;
}

/**
 * Routes: /echo (method, url, headers and body as JSON), /upload (sha256 of the streamed body),
 * /slow?ms=N (answers after N ms), /shop/* (an HTML page, for browsers), /sse (three events, 200 ms apart), /big?kb=N, /respond/N (answers with status N),
 * and WebSocket echo on any path.
 */
export async function startUpstream(): Promise<Upstream> {
  const seen: Upstream['seen'] = [];
  const state = { aborted: 0, connections: 0 };
  const server = http.createServer(function upstream(req, res) {
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    const url = new URL(req.url ?? '/', 'http://upstream');
    if (url.pathname === '/upload') {
      const hash = createHash('sha256');
      let bytes = 0;
      req.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        hash.update(chunk);
      });
      req.on('end', () => res.end(JSON.stringify({ bytes, sha256: hash.digest('hex'), maxRss: process.memoryUsage().rss })));
      return;
    }
    if (url.pathname === '/slow') {
      const timer = setTimeout(() => res.end('slow done'), Number(url.searchParams.get('ms') ?? 1000));
      res.on('close', () => {
        if (!res.writableFinished) {
          clearTimeout(timer);
          state.aborted += 1;
        }
      });
      return;
    }
    if (url.pathname === '/sse') {
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
      let n = 0;
      const timer = setInterval(() => {
        n += 1;
        res.write(`data: event ${n} at ${Date.now()}\n\n`);
        if (n === 3) {
          clearInterval(timer);
          res.end();
        }
      }, 200);
      res.on('close', () => clearInterval(timer));
      return;
    }
    if (url.pathname === '/big') {
      res.end(Buffer.alloc(Number(url.searchParams.get('kb') ?? 64) * 1024, 'x'));
      return;
    }
    if (url.pathname.startsWith('/shop')) {
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.end(`<!doctype html><html lang="en"><title>The shop</title><h1>Welcome to the shop</h1><p>${url.pathname}</p></html>`);
      return;
    }
    const status = /^\/respond\/(\d{3})$/.exec(url.pathname);
    if (status) {
      res.statusCode = Number(status[1]);
      res.end(`status ${status[1]}`);
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      res.setHeader('Content-Type', 'application/json');
      res.setHeader('X-Upstream', 'yes');
      res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString() }));
    });
  });
  server.on('connection', () => {
    state.connections += 1;
  });
  const wss = new WebSocketServer({ server });
  wss.on('connection', (socket) => socket.on('message', (data, binary) => socket.send(data, { binary })));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    seen,
    get aborted() {
      return state.aborted;
    },
    get connections() {
      return state.connections;
    },
    close: () =>
      new Promise((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
