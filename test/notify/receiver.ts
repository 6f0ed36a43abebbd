// A webhook receiver made by the test: a real HTTP server on port 0 that records every request
// (raw body, headers, arrival time) and answers as the test says: a status, or not at all (hang).

import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  at: number;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** The nth request (from 1) gets this status, or no answer at all. */
export type Answer = (n: number, request: Received) => number | 'hang';

export interface Receiver {
  url: string;
  received: Received[];
  /** Requests still waiting for an answer (hanging). */
  readonly open: number;
  close(): Promise<void>;
}

export async function startReceiver(answer: Answer = () => 200): Promise<Receiver> {
  const received: Received[] = [];
  const state = { open: 0 };
  const server = http.createServer(function receive(req, res) {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request: Received = { at: Date.now(), path: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      received.push(request);
      const status = answer(received.length, request);
      if (status === 'hang') {
        state.open += 1;
        res.on('close', () => (state.open -= 1));
        return;
      }
      res.statusCode = status;
      if (status >= 300 && status < 400) res.setHeader('Location', '/elsewhere');
      res.end(status >= 400 ? `refused: status ${status}` : 'ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    get open() {
      return state.open;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The JSON body of a request. */
export function json(request: Received): any {
  return JSON.parse(request.body);
}
