// What the propagation and outage benches share: a scratch database (DATABASE_URL's server, or an
// embedded one), gateways on it in this process, and a clock for "until every gateway answers".

import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { loadConfig } from '../src/config/config.js';
import { startEmbeddedPostgres } from '../src/db/embedded.js';
import { createPool, type Pool } from '../src/db/pool.js';
import { createGateway } from '../src/gateway.js';
import { createAutomation } from '../src/jobs/automation.js';
import { createLogger } from '../src/log.js';
import { createSnapshotStore } from '../src/snapshot/store.js';

const POLL_MS = 2;
export const silent = createLogger('silent');

export interface BenchDatabase {
  url: string;
  /** What the figures were measured on, for the report. */
  description: string;
  close(): Promise<void>;
}

export async function openDatabase(name: string): Promise<BenchDatabase> {
  const server = process.env.DATABASE_URL;
  if (server) {
    const admin = new pg.Client({ connectionString: server });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(server);
    url.pathname = `/${name}`;
    return { url: url.href, description: 'DATABASE_URL', close: async () => undefined };
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), `${name}-`));
  const embedded = await startEmbeddedPostgres({ dataDir: dir, log: silent });
  return { url: embedded.url, description: 'embedded PostgreSQL', close: async () => { await embedded.stop(); await rm(dir, { recursive: true, force: true }); } };
}

export interface BenchGateway {
  url: string;
  pool: Pool;
  close(): Promise<void>;
}

/** A gateway in this process; `env` on top of the bench's own settings. With jobs unless JOBS=off. */
export async function startGatewayOn(databaseUrl: string, upstreamUrl: string, env: Record<string, string> = {}): Promise<BenchGateway> {
  const config = loadConfig({ UPSTREAM_URL: upstreamUrl, DATABASE_URL: databaseUrl, PORT: '0', LOG_LEVEL: 'silent', WORKERS: '1', ...env });
  const store = createSnapshotStore({ url: databaseUrl, log: silent, reloadIntervalMs: config.snapshotReloadMs });
  await store.start();
  const pool = createPool({ url: databaseUrl, log: silent, max: 4 });
  const gateway = createGateway({ config, upstream: config.upstreamUrl!, store, pool, log: silent });
  const { port } = await gateway.listen(0, '127.0.0.1');
  const jobs = createAutomation({ config, upstream: config.upstreamUrl!, pool, log: silent });
  return {
    url: `http://127.0.0.1:${port}`,
    pool,
    close: async () => {
      await jobs.stop();
      await gateway.shutdown();
      await pool.end();
      await store.close();
    },
  };
}

/** Milliseconds from `since` until every gateway answers a customer with `status`. */
export async function untilAll(urls: string[], status: number, since: number, giveUpMs: number): Promise<number> {
  const pending = new Set(urls);
  while (pending.size > 0) {
    for (const url of [...pending]) {
      const res = await fetch(`${url}/shop`, { headers: { accept: 'text/html' } });
      await res.arrayBuffer();
      if (res.status === status) pending.delete(url);
    }
    if (performance.now() - since > giveUpMs) throw new Error(`still not ${status} after ${giveUpMs} ms`);
    if (pending.size > 0) await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  return performance.now() - since;
}

export function summary(label: string, values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(1);
  return `${label.padEnd(44)} p50 ${at(0.5).padStart(7)} ms   p95 ${at(0.95).padStart(7)} ms   max ${at(1).padStart(7)} ms`;
}
