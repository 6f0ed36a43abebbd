// `npm run bench:streams`: what open status pages cost a gateway. Opens BENCH_STREAMS event
// streams (default 5000) to one gateway process, reports its memory per stream, then commits a
// change with plain SQL and times until every stream has heard it.
// DATABASE_URL: a server of yours (a scratch database is made on it); unset: an embedded server.

import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { prepareDatabase } from '../src/db/prepare.js';
import { createChildren } from './children.js';
import { openDatabase, silent, summary } from './two-gateways.js';

const STREAMS = Number(process.env.BENCH_STREAMS ?? 5000);
const CHANGES = 5;
const CONNECT_BATCH = 250;
const GATEWAY_MAIN = fileURLToPath(new URL('../src/main.js', import.meta.url));

function rssBytes(pid: number): number {
  const line = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(line![1]) * 1024;
}

async function heapUsed(url: string): Promise<number> {
  const text = await (await fetch(`${url}/_gateway/metrics`)).text();
  return Number(/^intermission_process_nodejs_heap_size_used_bytes (\S+)$/m.exec(text)![1]);
}

/** One stream: calls onEvent with the time each complete event arrives. */
function openStream(url: string, onEvent: (at: number) => void): Promise<http.ClientRequest> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${url}/status/events`, { agent: false, headers: { accept: 'text/event-stream' } }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`stream answered ${res.statusCode}`));
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (chunk.includes('event: status')) onEvent(performance.now());
      });
      res.on('error', () => undefined);
      resolve(req);
    });
    req.on('error', reject);
  });
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

async function main(): Promise<void> {
  const database = await openDatabase('intermission_streams');
  await prepareDatabase(database.url, silent);
  const children = createChildren();
  const upstream = http.createServer((_req, res) => res.end('ok'));
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const sql = new pg.Client({ connectionString: database.url });
  await sql.connect();
  await sql.query("INSERT INTO components (name) VALUES ('API')");
  const streams: http.ClientRequest[] = [];
  try {
    const gateway = children.start('gateway', process.execPath, [GATEWAY_MAIN], {
      env: {
        PATH: process.env.PATH,
        DATABASE_URL: database.url,
        UPSTREAM_URL: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`,
        HOST: '127.0.0.1',
        PORT: '0',
        WORKERS: '1',
        JOBS: 'false',
        LOG_LEVEL: 'info',
        EVENTS_MAX_STREAMS: String(STREAMS + 10),
      },
    });
    const port = await gateway.waitForLine((line) => (line.includes('gateway listening') ? (JSON.parse(line) as { port: number }).port : undefined), 30_000);
    const url = `http://127.0.0.1:${port}`;
    // A few pages first, so the figures leave out what the first request of any kind costs.
    for (let i = 0; i < 3; i += 1) await (await fetch(`${url}/status`)).text();
    const before = { rss: rssBytes(gateway.pid), heap: await heapUsed(url) };

    const heard: number[][] = [];
    for (let opened = 0; opened < STREAMS; opened += CONNECT_BATCH) {
      const batch = Array.from({ length: Math.min(CONNECT_BATCH, STREAMS - opened) }, (_, i) => {
        const times: number[] = [];
        heard[opened + i] = times;
        return openStream(url, (at) => times.push(at));
      });
      streams.push(...(await Promise.all(batch)));
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const after = { rss: rssBytes(gateway.pid), heap: await heapUsed(url) };

    const fanOut: number[] = [];
    for (let change = 0; change < CHANGES; change += 1) {
      const expected = change + 2; // the state on connect, then one per change
      const t0 = performance.now();
      await sql.query('UPDATE components SET status = $1', [change % 2 === 0 ? 'major_outage' : 'operational']);
      while (heard.some((times) => times.length < expected)) {
        if (performance.now() - t0 > 10_000) throw new Error(`change ${change + 1}: not every stream heard it within 10 s`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      fanOut.push(Math.max(...heard.map((times) => times[expected - 1]!)) - t0);
    }

    process.stdout.write(`Event streams on one gateway process, ${database.description}:\n`);
    process.stdout.write(`  ${STREAMS} open streams: RSS ${mb(before.rss)} -> ${mb(after.rss)}, heap used ${mb(before.heap)} -> ${mb(after.heap)}\n`);
    process.stdout.write(`  per stream: ${((after.rss - before.rss) / STREAMS / 1024).toFixed(1)} KB of RSS, ${((after.heap - before.heap) / STREAMS / 1024).toFixed(1)} KB of heap\n`);
    process.stdout.write(`${summary(`  SQL commit -> all ${STREAMS} streams heard it (${CHANGES}x)`, fanOut)}\n`);
  } finally {
    for (const req of streams) req.destroy();
    await sql.end();
    await children.stopAll();
    upstream.close();
    await database.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:streams failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
