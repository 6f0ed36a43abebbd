// `npm run bench:propagation`: how long a change made through the automation API takes to be in
// force for customers on two gateways that share one database, as a deploy pipeline sees it:
// from the call to start (or end) maintenance until both gateways answer 503 (or 200 again).
// DATABASE_URL: a server of yours (a scratch database is made on it); unset: an embedded server.

import http from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createApiToken } from '../src/accounts/api-tokens.js';
import { writeAs } from '../src/audit/write-as.js';
import { loadConfig } from '../src/config/config.js';
import { startEmbeddedPostgres } from '../src/db/embedded.js';
import { createPool } from '../src/db/pool.js';
import { prepareDatabase } from '../src/db/prepare.js';
import { createGateway } from '../src/gateway.js';
import { createLogger } from '../src/log.js';
import { createSnapshotStore } from '../src/snapshot/store.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 30);
const SCRATCH_DATABASE = 'intermission_propagation';
const POLL_MS = 2;
const GIVE_UP_MS = 5000;
const silent = createLogger('silent');

async function openDatabase(): Promise<{ url: string; close(): Promise<void> }> {
  const server = process.env.DATABASE_URL;
  if (server) {
    const admin = new pg.Client({ connectionString: server });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${SCRATCH_DATABASE} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${SCRATCH_DATABASE}`);
    await admin.end();
    const url = new URL(server);
    url.pathname = `/${SCRATCH_DATABASE}`;
    return { url: url.href, close: async () => undefined };
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'im-propagation-'));
  const embedded = await startEmbeddedPostgres({ dataDir: dir, log: silent });
  return { url: embedded.url, close: async () => { await embedded.stop(); await rm(dir, { recursive: true, force: true }); } };
}

async function startGatewayOn(databaseUrl: string, upstreamUrl: string) {
  const config = loadConfig({ UPSTREAM_URL: upstreamUrl, DATABASE_URL: databaseUrl, PORT: '0', LOG_LEVEL: 'silent', WORKERS: '1' });
  const store = createSnapshotStore({ url: databaseUrl, log: silent, reloadIntervalMs: config.snapshotReloadMs });
  await store.start();
  const pool = createPool({ url: databaseUrl, log: silent, max: 4 });
  const gateway = createGateway({ config, upstream: config.upstreamUrl!, store, pool, log: silent });
  const { port } = await gateway.listen(0, '127.0.0.1');
  return { url: `http://127.0.0.1:${port}`, pool, close: async () => { await gateway.shutdown(); await pool.end(); await store.close(); } };
}

/** Milliseconds from `since` until every gateway answers a customer with `status`. */
async function untilAll(urls: string[], status: number, since: number): Promise<number> {
  const pending = new Set(urls);
  while (pending.size > 0) {
    for (const url of [...pending]) {
      const res = await fetch(`${url}/shop`, { headers: { accept: 'text/html' } });
      await res.arrayBuffer();
      if (res.status === status) pending.delete(url);
    }
    if (performance.now() - since > GIVE_UP_MS) throw new Error(`still not ${status} after ${GIVE_UP_MS} ms`);
    if (pending.size > 0) await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  return performance.now() - since;
}

function summary(label: string, values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(1);
  return `${label.padEnd(44)} p50 ${at(0.5).padStart(6)} ms   p95 ${at(0.95).padStart(6)} ms   max ${at(1).padStart(6)} ms`;
}

async function main(): Promise<void> {
  const database = await openDatabase();
  await prepareDatabase(database.url, silent);
  const upstream = http.createServer((_req, res) => res.end('ok'));
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  const gateways = [await startGatewayOn(database.url, upstreamUrl), await startGatewayOn(database.url, upstreamUrl)];
  const urls = gateways.map((g) => g.url);
  const { secret } = await writeAs(gateways[0]!.pool, 'bench', 'token.create', (client) => createApiToken(client, { name: 'bench', role: 'operator', expiresInMs: 3600_000 }));
  const headers = { authorization: `Bearer ${secret}`, 'content-type': 'application/json' };
  const results = { startApi: [] as number[], startInForce: [] as number[], endApi: [] as number[], endInForce: [] as number[] };
  try {
    for (let round = 0; round < ROUNDS; round += 1) {
      let t0 = performance.now();
      const started = await fetch(`${urls[0]}/admin/api/v1/windows/start`, { method: 'POST', headers, body: JSON.stringify({ duration: '10m' }) });
      if (started.status !== 201) throw new Error(`start answered ${started.status}: ${await started.text()}`);
      results.startApi.push(performance.now() - t0);
      results.startInForce.push(await untilAll(urls, 503, t0));
      t0 = performance.now();
      const ended = await fetch(`${urls[0]}/admin/api/v1/maintenance/end`, { method: 'POST', headers, body: '{}' });
      if (ended.status !== 200) throw new Error(`end answered ${ended.status}: ${await ended.text()}`);
      results.endApi.push(performance.now() - t0);
      results.endInForce.push(await untilAll(urls, 200, t0));
    }
  } finally {
    for (const gateway of gateways) await gateway.close();
    upstream.close();
    await database.close();
  }
  process.stdout.write(`Propagation over ${ROUNDS} rounds, 2 gateways, ${process.env.DATABASE_URL ? 'DATABASE_URL' : 'embedded PostgreSQL'}:\n`);
  process.stdout.write(`${summary('POST /windows/start answered', results.startApi)}\n`);
  process.stdout.write(`${summary('  customers held on both gateways', results.startInForce)}\n`);
  process.stdout.write(`${summary('POST /maintenance/end answered', results.endApi)}\n`);
  process.stdout.write(`${summary('  customers forwarded on both gateways', results.endInForce)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:propagation failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
