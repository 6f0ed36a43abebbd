// What every CLI command needs: the gateway's config, a logger on stderr (stdout is the
// command's output), and the same database a gateway uses, prepared and closed afterwards.

import os from 'node:os';
import { pino } from 'pino';
import { loadConfig, type Config } from '../config/config.js';
import { redactUrl } from '../config/parse.js';
import { attachDatabase } from '../db/open.js';
import { createPool, type Pool } from '../db/pool.js';
import { prepareDatabase } from '../db/prepare.js';
import { DatabaseError, GatewayError } from '../errors.js';
import { createLogger, type Logger } from '../log.js';

export interface Cli {
  config: Readonly<Config>;
  log: Logger;
  /** Who is acting, recorded in created_by, e.g. "cli:alice". */
  actor: string;
}

export interface CliDatabase {
  pool: Pool;
  url: string;
}

function actor(): string {
  try {
    return `cli:${os.userInfo().username}`;
  } catch {
    // A container user without a passwd entry has no name.
    return 'cli';
  }
}

/** Reads the environment like the gateway does; UPSTREAM_URL is not needed here. */
export function loadCli(env: NodeJS.ProcessEnv = process.env): Cli {
  const config = loadConfig(env);
  // The gateway logs at info; a command should print only its result unless asked for more.
  const level = env.LOG_LEVEL?.trim() ? config.logLevel : 'warn';
  return { config, log: createLogger(level, pino.destination(2)), actor: actor() };
}

function wrap(err: unknown, message: string): GatewayError {
  if (err instanceof GatewayError) return err;
  return new DatabaseError(`${message}: ${(err as Error)?.message ?? String(err)}`, { cause: err });
}

/**
 * Runs fn with a pool on the gateway's database: DATABASE_URL, or the embedded server in DATA_DIR
 * (the running gateway's, or one started for this command and stopped after). With `prepare`
 * (the default) migrations run first, so a command works on a fresh database.
 */
export async function withDatabase<T>(cli: Cli, fn: (db: CliDatabase) => Promise<T>, { prepare = true } = {}): Promise<T> {
  let handle: Awaited<ReturnType<typeof attachDatabase>>;
  try {
    handle = await attachDatabase(cli.config, cli.log);
  } catch (err) {
    throw wrap(err, `could not open the embedded database in ${cli.config.dataDir}`);
  }
  // Ctrl-C while an embedded server was started for us: stop it instead of leaving it behind.
  const onSignal = (signal: NodeJS.Signals): void => {
    cli.log.warn({ signal }, 'interrupted: stopping');
    void handle.stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const pool = createPool({ url: handle.url, log: cli.log, max: 2, applicationName: 'intermission-cli' });
  try {
    try {
      await pool.query('SELECT 1');
    } catch (err) {
      throw wrap(err, `could not connect to the database at ${redactUrl(handle.url)} (${handle.description})`);
    }
    if (prepare) {
      try {
        await prepareDatabase(handle.url, cli.log);
      } catch (err) {
        throw wrap(err, 'preparing the database schema failed');
      }
    }
    return await fn({ pool, url: handle.url });
  } finally {
    await pool.end().catch(() => undefined);
    await handle.stop();
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}
