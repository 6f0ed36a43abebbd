// The one door to the database: a pg Pool whose idle-client errors are logged, not thrown.

import pg from 'pg';
import type { Logger } from '../log.js';

export type Pool = pg.Pool;

export interface PoolOptions {
  url: string;
  log: Logger;
  max?: number;
  /** Name shown in pg_stat_activity, so an SRE can tell gateway connections apart. */
  applicationName?: string;
}

export function createPool({ url, log, max = 10, applicationName = 'intermission' }: PoolOptions): Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    application_name: applicationName,
    connectionTimeoutMillis: 5000,
    idleTimeoutMillis: 30000,
    // Admin writes fail fast with a clear message rather than hanging on a lost server.
    statement_timeout: 15000,
  });
  // An idle client losing its server emits 'error' on the pool; unhandled, it would crash the process.
  pool.on('error', function onIdleClientError(err) {
    log.warn({ err: err.message }, 'database connection lost');
  });
  return pool;
}

export interface TransactionOptions {
  /** Every statement sees the same moment, and nothing can be written: for loading a consistent picture. */
  readOnly?: boolean;
}

/** Runs fn in a transaction on one client; rolls back on any error. */
export async function transaction<T>(pool: Pool, fn: (client: pg.PoolClient) => Promise<T>, { readOnly = false }: TransactionOptions = {}): Promise<T> {
  const client = await pool.connect();
  // pg-pool only listens for errors on idle clients: a connection lost between two statements of
  // a checked-out one would be an uncaught 'error'. The next statement fails on its own; the
  // broken client is then destroyed rather than returned to the pool.
  let lost: Error | undefined;
  const onLost = (err: Error): void => {
    lost = err;
  };
  client.on('error', onLost);
  try {
    await client.query(readOnly ? 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY' : 'BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.off('error', onLost);
    client.release(lost);
  }
}
