// A small stand-in for the customer's application, for the demo and the compose file:
// a few pages, a form that writes, a JSON endpoint and a health check.

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escape(title)} · Sample shop</title></head>
<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;line-height:1.5">
<header><strong>Sample shop</strong> · <a href="/">Home</a> · <a href="/products">Products</a> · <a href="/orders">Orders</a></header>
<main><h1>${escape(title)}</h1>${body}</main>
<footer><p><small>This is the sample application behind Intermission.</small></p></footer></body></html>`;
}

export function createSampleApp(): http.Server {
  const orders: string[] = [];
  return http.createServer(function sampleApp(req, res) {
    const url = new URL(req.url ?? '/', 'http://sample');
    const html = (status: number, body: string) => {
      res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(body);
    };
    if (url.pathname === '/healthz') {
      res.end('ok');
    } else if (url.pathname === '/api/time') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ now: new Date().toISOString() }));
    } else if (url.pathname === '/orders' && req.method === 'POST') {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk.slice(0, 1000)));
      req.on('end', () => {
        orders.push(new URLSearchParams(body).get('item')?.slice(0, 100) || 'something');
        res.writeHead(303, { Location: '/orders' });
        res.end();
      });
    } else if (url.pathname === '/orders') {
      const list = orders.map((item) => `<li>${escape(item)}</li>`).join('') || '<li>No orders yet.</li>';
      html(200, page('Orders', `<ul>${list}</ul><form method="post"><label>Item <input name="item" value="Teapot"></label> <button>Order</button></form>`));
    } else if (url.pathname === '/products') {
      html(200, page('Products', '<ul><li>Teapot</li><li>Kettle</li><li>Mug</li></ul>'));
    } else if (url.pathname === '/') {
      html(200, page('Welcome', `<p>Served by the application at ${escape(new Date().toISOString())}.</p>`));
    } else {
      html(404, page('Not found', '<p>No such page.</p>'));
    }
  });
}

// Run on its own (as the compose file's sample application): PORT, default 3000.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const server = createSampleApp();
  server.listen(Number(process.env.PORT ?? 3000), process.env.HOST ?? '0.0.0.0', () => {
    process.stdout.write(`sample application listening on port ${(server.address() as AddressInfo).port}\n`);
  });
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}
