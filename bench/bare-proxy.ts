// Child process: the baseline the gateway is held to, a raw http.Server calling proxy.web with a
// keep-alive agent and nothing else. argv: <http-proxy|http-proxy-3> <upstream url> [xfwd].

import http from 'node:http';
import type { Duplex } from 'node:stream';
import httpProxy from 'http-proxy';
import { createProxyServer } from 'http-proxy-3';
import { listenForBench } from './listen.js';

const [library, target, extra] = process.argv.slice(2);
if ((library !== 'http-proxy' && library !== 'http-proxy-3') || !target) {
  process.stderr.write('usage: bare-proxy.js <http-proxy|http-proxy-3> <upstream url> [xfwd]\n');
  process.exit(2);
}

// Without a keep-alive agent http-proxy opens a connection per request and loses most of its speed.
const agent = new http.Agent({ keepAlive: true, maxFreeSockets: 256 });
// The same options for both: http-proxy-3 is a drop-in, only its factory is not the default export.
const options = { target, agent, xfwd: extra === 'xfwd' };

// Without a listener an upstream error is an unhandled 'error' event and the process dies.
function onProxyError(err: Error, _req: http.IncomingMessage, res: http.ServerResponse | Duplex): void {
  if (res instanceof http.ServerResponse) {
    if (res.headersSent) res.destroy();
    else res.writeHead(502, { 'Content-Type': 'text/plain' }).end(`bad gateway: ${err.message}\n`);
  } else {
    res.destroy();
  }
}

function createProxy(): { web(req: http.IncomingMessage, res: http.ServerResponse): void } {
  if (library === 'http-proxy') return httpProxy.createProxyServer(options).on('error', onProxyError);
  return createProxyServer(options).on('error', onProxyError);
}
const proxy = createProxy();

const server = http.createServer(function forward(req, res) {
  proxy.web(req, res);
});
listenForBench(server);
