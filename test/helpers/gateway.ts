// A gateway built in-process from its real parts, listening on port 0 in front of a test upstream.

import type { AddressInfo } from 'node:net';
import { loadConfig, type Config } from '../../src/config/config.js';
import { createPool, type Pool } from '../../src/db/pool.js';
import { createGateway, type Gateway } from '../../src/gateway.js';
import { createAutomation } from '../../src/jobs/automation.js';
import type { Scheduler } from '../../src/jobs/scheduler.js';
import { createLogger } from '../../src/log.js';
import { createSnapshotStore, type SnapshotStore } from '../../src/snapshot/store.js';

export interface TestGateway {
  url: string;
  port: number;
  config: Readonly<Config>;
  store: SnapshotStore;
  pool: Pool;
  gateway: Gateway;
  automation: Scheduler;
  close(): Promise<void>;
}

export async function startGateway(databaseUrl: string, upstreamUrl: string, env: Record<string, string> = {}): Promise<TestGateway> {
  const config = loadConfig({
    UPSTREAM_URL: upstreamUrl,
    DATABASE_URL: databaseUrl,
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'silent',
    WORKERS: '1',
    ...env,
  });
  const log = createLogger(config.logLevel);
  const store = createSnapshotStore({ url: databaseUrl, log, reloadIntervalMs: config.snapshotReloadMs });
  await store.start();
  const pool = createPool({ url: databaseUrl, log, max: 4 });
  const gateway = createGateway({ config, upstream: config.upstreamUrl!, store, pool, log });
  const address: AddressInfo = await gateway.listen(0, '127.0.0.1');
  const automation = createAutomation({ config, upstream: config.upstreamUrl!, pool, log });
  return {
    url: `http://127.0.0.1:${address.port}`,
    port: address.port,
    config,
    store,
    pool,
    gateway,
    automation,
    async close() {
      await automation.stop();
      await gateway.shutdown();
      await pool.end();
      await store.close();
    },
  };
}

/** Polls until check() is true, or fails after timeoutMs with the message. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, message: string): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await check()) return Date.now() - started;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms: ${message}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
