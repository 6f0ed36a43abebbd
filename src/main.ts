// The composition root: reads the config, opens the database, and runs the gateway, in one
// process or as one worker per core. The only place that wires modules together.

import cluster from 'node:cluster';
import { loadConfig, requireUpstream, type Config } from './config/config.js';
import { redactUrl } from './config/parse.js';
import { openDatabase, type DatabaseHandle } from './db/open.js';
import { prepareDatabase } from './db/prepare.js';
import { DatabaseError, GatewayError } from './errors.js';
import { ensureFirstAdmin } from './accounts/first-admin.js';
import { createPool } from './db/pool.js';
import { createGateway } from './gateway.js';
import { createAutomation } from './jobs/automation.js';
import { createLogger, type Logger } from './log.js';
import { createSnapshotStore } from './snapshot/store.js';

const WORKER_READY = 'intermission:listening';

/** Serves traffic in this process until SIGTERM; returns the function that stops it. */
async function serve(config: Readonly<Config>, databaseUrl: string, log: Logger): Promise<() => Promise<void>> {
  const upstream = requireUpstream(config);
  const store = createSnapshotStore({ url: databaseUrl, log: log.child({ module: 'snapshot' }), reloadIntervalMs: config.snapshotReloadMs });
  await store.start();
  const pool = createPool({ url: databaseUrl, log: log.child({ module: 'db' }), max: 5, applicationName: 'intermission-admin' });
  const gateway = createGateway({ config, upstream, store, pool, log });
  const address = await gateway.listen(config.port, config.host);
  const automation = createAutomation({ config, upstream, pool, log });
  if (cluster.isWorker) process.send?.({ type: WORKER_READY, port: address.port });
  else log.info({ port: address.port, upstream: upstream.origin, statusPath: config.statusPath }, 'gateway listening');
  return async function stopServing() {
    await automation.stop();
    await gateway.shutdown();
    await pool.end();
    await store.close();
  };
}

/** Forks one worker per configured core and waits until each one listens. */
function runWorkers(config: Readonly<Config>, databaseUrl: string, log: Logger): Promise<() => Promise<void>> {
  let stopping = false;
  const listening = new Set<number>();
  return new Promise((resolve, reject) => {
    cluster.on('message', function onWorkerMessage(worker, message: { type?: string; port?: number }) {
      if (message?.type !== WORKER_READY) return;
      listening.add(worker.id);
      if (listening.size === config.workers) {
        log.info({ port: message.port, workers: config.workers, upstream: config.upstreamUrl?.origin }, 'gateway listening');
        resolve(stopWorkers);
      }
    });
    cluster.on('exit', function onWorkerExit(worker, code, signal) {
      if (stopping) return;
      if (listening.size < config.workers) {
        reject(new Error(`a gateway worker exited during start-up (code ${code ?? signal})`));
        return;
      }
      // A worker that dies on its own is replaced, so one crash does not halve capacity.
      log.error({ worker: worker.id, code, signal }, 'gateway worker died; starting a new one');
      cluster.fork({ DATABASE_URL: databaseUrl });
    });
    for (let i = 0; i < config.workers; i += 1) cluster.fork({ DATABASE_URL: databaseUrl });
  });

  async function stopWorkers(): Promise<void> {
    stopping = true;
    const workers = Object.values(cluster.workers ?? {});
    await Promise.all(
      workers.map((worker) => new Promise<void>((resolve) => {
        if (!worker || worker.isDead()) return resolve();
        worker.once('exit', () => resolve());
        worker.process.kill('SIGTERM');
      })),
    );
  }
}

async function main(): Promise<void> {
  let config: Readonly<Config>;
  try {
    config = loadConfig();
    requireUpstream(config);
  } catch (err) {
    process.stderr.write(`intermission: ${(err as Error).message}\n`);
    process.exit(2);
  }
  const log = createLogger(config.logLevel);

  if (cluster.isWorker) {
    // Workers get the database URL from the primary, which already prepared it.
    const stop = await serve(config, config.databaseUrl!, log);
    // A Ctrl-C reaches the primary and the workers alike; the primary's SIGTERM that follows is not a second request.
    onSignals(log, stop, false);
    return;
  }

  const database = await openDatabase(config, log);
  try {
    await prepareDatabase(database.url, log).catch((err: unknown) => {
      throw unusableDatabase(err, database);
    });
    log.info({ database: database.description }, 'database ready');
    await firstAdmin(config, database.url, log);
    const stop = config.workers > 1 ? await runWorkers(config, database.url, log) : await serve(config, database.url, log);
    onSignals(log, async () => {
      await stop();
      await database.stop();
    });
  } catch (err) {
    await database.stop().catch(() => undefined);
    throw err;
  }
}

/** With no user yet: the first admin from ADMIN_EMAIL/ADMIN_PASSWORD, or a setup link in the log. */
async function firstAdmin(config: Readonly<Config>, databaseUrl: string, log: Logger): Promise<void> {
  const pool = createPool({ url: databaseUrl, log, max: 1, applicationName: 'intermission-setup' });
  try {
    const base = config.publicUrl?.href.replace(/\/$/, '') ?? `http://localhost:${config.port}`;
    await ensureFirstAdmin(pool, { email: config.adminEmail, password: config.adminPassword, adminUrl: `${base}${config.adminPath}` }, log);
  } finally {
    await pool.end();
  }
}

/** A database that is down, unknown or refuses the login is an outage or a setting, not a bug: say which, without a stack. */
function unusableDatabase(err: unknown, database: DatabaseHandle): unknown {
  if (err instanceof GatewayError) return err;
  const reason = (err as Error)?.message || (err as { code?: string })?.code || String(err);
  return new DatabaseError(`could not reach or prepare the database (${database.description}: ${redactUrl(database.url)}): ${reason}`, { cause: err });
}

function onSignals(log: Logger, stop: () => Promise<void>, exitOnSecondSignal = true): void {
  let stopping = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, function onStopSignal() {
      if (stopping) {
        if (!exitOnSecondSignal) return;
        log.warn({ signal }, 'second signal: exiting now');
        process.exit(1);
      }
      stopping = true;
      log.info({ signal }, 'shutting down: finishing requests in flight');
      stop().then(
        () => {
          log.info('stopped');
          process.exit(0);
        },
        (err: Error) => {
          log.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
}

main().catch(function onFatal(err: unknown) {
  const message = err instanceof GatewayError ? `${err.message} [${err.code}]` : (err as Error)?.stack ?? String(err);
  process.stderr.write(`intermission: could not start: ${message}\n`);
  process.exit(1);
});
