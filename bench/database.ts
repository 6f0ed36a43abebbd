// The database the bench's gateways run on: a dedicated database on the server in DATABASE_URL
// (never the one the URL names), or a temp DATA_DIR for the embedded server, deleted afterwards.

import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Children } from './children.js';
import { ROOT } from './targets.js';

// The gateway applies its migrations to whatever database it is given: keep them out of the
// server's own "postgres" database.
const BENCH_DATABASE = 'intermission_bench';
const CLI = path.join(ROOT, 'dist', 'src', 'cli', 'main.js');

export interface BenchDatabase {
  /** For the printed report; never contains a password. */
  description: string;
  /** What a gateway or the CLI needs in its environment to use this database. */
  env: Record<string, string>;
  /** Turns maintenance on (a 30-minute window, so a crashed run does not leave it on for good). */
  maintenanceOn(children: Children): Promise<void>;
  maintenanceOff(children: Children): Promise<void>;
  /** Deletes the temp DATA_DIR; stops a postgres a killed gateway left behind in it. */
  cleanup(): Promise<void>;
}

async function ensureDatabase(serverUrl: string): Promise<string> {
  const client = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [BENCH_DATABASE]);
    if (!rowCount) await client.query(`CREATE DATABASE ${BENCH_DATABASE}`);
  } finally {
    await client.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${BENCH_DATABASE}`;
  return url.href;
}

async function runCli(children: Children, env: Record<string, string>, args: string[]): Promise<string> {
  const { DATABASE_URL: _url, DATA_DIR: _dir, ...inherited } = process.env;
  const child = children.start('intermission cli', process.execPath, [CLI, ...args], { env: { ...inherited, ...env }, cwd: ROOT, keepOutput: true });
  const code = await child.exited;
  if (code !== 0) throw new Error(`intermission ${args.join(' ')} failed (${code}):\n${child.tail()}`);
  return child.stdout().trim();
}

function maintenanceCommands(env: Record<string, string>) {
  return {
    async maintenanceOn(children: Children) {
      await runCli(children, env, ['maintenance', 'on', '--for', '30m', '--title', 'Benchmark', '--message', 'Measuring the maintenance response.']);
    },
    async maintenanceOff(children: Children) {
      await runCli(children, env, ['maintenance', 'off']);
    },
  };
}

export async function openBenchDatabase(databaseUrl: string | undefined): Promise<BenchDatabase> {
  if (databaseUrl) {
    let url: string;
    try {
      url = await ensureDatabase(databaseUrl);
    } catch (err) {
      throw new Error(`could not create the database ${BENCH_DATABASE} on the DATABASE_URL server: ${(err as Error).message}`);
    }
    const parsed = new URL(url);
    const env = { DATABASE_URL: url };
    return {
      description: `PostgreSQL at ${parsed.host}, database ${BENCH_DATABASE}`,
      env,
      ...maintenanceCommands(env),
      cleanup: async () => undefined,
    };
  }

  // Short: the embedded server's unix socket lives inside it and sun_path is about 104 bytes.
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'im-bench-'));
  const env = { DATA_DIR: dataDir };
  return {
    description: `embedded PostgreSQL in a temp DATA_DIR (${dataDir})`,
    env,
    ...maintenanceCommands(env),
    async cleanup() {
      await stopLeftoverPostgres(path.join(dataDir, 'postgres', 'postmaster.pid'));
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Only after a gateway was killed: its embedded server would otherwise outlive the bench. */
async function stopLeftoverPostgres(pidFile: string): Promise<void> {
  if (!existsSync(pidFile)) return;
  const pid = Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) return;
  process.stderr.write(`bench: stopping the embedded postgres (pid ${pid}) a gateway left running\n`);
  process.kill(pid, 'SIGINT');
  for (let waited = 0; waited < 15_000 && alive(pid); waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
  if (alive(pid)) process.kill(pid, 'SIGKILL');
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
