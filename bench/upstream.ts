// Child process: the application behind every target, a plain node:http server with fixed bodies,
// in its own process so that its CPU is not charged to the proxy under test.

import http from 'node:http';
import { listenForBench } from './listen.js';
import { BODIES } from './plan.js';

// Allocated once: the upstream should cost as little per request as possible.
const bodies = new Map<string, Buffer>(BODIES.map((body) => [body.path, Buffer.alloc(body.bytes, 'a')]));
const fallback = bodies.get(BODIES[0].path)!;

const server = http.createServer(function answer(req, res) {
  const body = bodies.get(req.url ?? '') ?? fallback;
  res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': body.length });
  res.end(body);
});
// Longer than any pause in the bench, so a proxy's pooled connection is never closed under it
// (that race shows up as rare 502s, which say nothing about the proxy's speed).
server.keepAliveTimeout = 120_000;
server.headersTimeout = 121_000;
listenForBench(server);
