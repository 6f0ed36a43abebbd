// Where the database is: DATABASE_URL when set, else the embedded server in DATA_DIR.

import type { Config } from '../config/config.js';
import type { Logger } from '../log.js';
import { findRunningEmbeddedPostgres, startEmbeddedPostgres } from './embedded.js';

export interface DatabaseHandle {
  url: string;
  /** Which database this is, for logs and messages; never contains a password. */
  description: string;
  /** Stops the embedded server if this process started it; a no-op otherwise. */
  stop(): Promise<void>;
}

const NOTHING_TO_STOP = async () => undefined;

/** For the gateway: use DATABASE_URL, or start (and own) the embedded server. */
export async function openDatabase(config: Pick<Config, 'databaseUrl' | 'dataDir'>, log: Logger): Promise<DatabaseHandle> {
  if (config.databaseUrl) {
    return { url: config.databaseUrl, description: 'DATABASE_URL', stop: NOTHING_TO_STOP };
  }
  const embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, log });
  return { url: embedded.url, description: `embedded PostgreSQL in ${config.dataDir}`, stop: embedded.stop };
}

/**
 * For the CLI: the same database, but when a gateway already runs the embedded server in
 * DATA_DIR, connect to it instead of starting a second one.
 */
export async function attachDatabase(config: Pick<Config, 'databaseUrl' | 'dataDir'>, log: Logger): Promise<DatabaseHandle> {
  if (!config.databaseUrl) {
    const running = await findRunningEmbeddedPostgres({ dataDir: config.dataDir });
    if (running) return { url: running, description: `embedded PostgreSQL in ${config.dataDir}`, stop: NOTHING_TO_STOP };
  }
  return openDatabase(config, log);
}
