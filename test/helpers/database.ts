// A fresh database for each test file: on the server in DATABASE_URL when it is set (CI runs
// this machine's PostgreSQL), else on an embedded server started for this test process.

import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/db/embedded.js';
import { prepareDatabase } from '../../src/db/prepare.js';
import { createLogger } from '../../src/log.js';

export interface TestDatabase {
  url: string;
  /** The server's URL with the maintenance database, for CREATE/DROP DATABASE. */
  serverUrl: string;
  query<T extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<pg.QueryResult<T>>;
  drop(): Promise<void>;
}

const silent = createLogger('silent');
let embedded: Promise<{ server: EmbeddedDatabase; dir: string }> | undefined;

async function serverUrl(): Promise<string> {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  embedded ??= (async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'im-test-'));
    const server = await startEmbeddedPostgres({ dataDir: dir, log: silent });
    return { server, dir };
  })();
  return (await embedded).server.url;
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.href;
}

/** Creates an empty database; with `migrated` (the default) the schema is applied. */
export async function createTestDatabase({ migrated = true } = {}): Promise<TestDatabase> {
  const server = await serverUrl();
  const name = `im_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = withDatabase(server, name);
  if (migrated) await prepareDatabase(url, silent);
  const pool = new pg.Pool({ connectionString: url, max: 3 });
  pool.on('error', () => undefined);
  return {
    url,
    serverUrl: server,
    query: (sql, params) => pool.query(sql, params as unknown[]),
    async drop() {
      await pool.end();
      const client = new pg.Client({ connectionString: server });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

/** Stops the embedded server of this test process, if one was started: call it in after(). */
export async function stopTestServer(): Promise<void> {
  if (!embedded) return;
  const { server, dir } = await embedded;
  embedded = undefined;
  await server.stop();
  await rm(dir, { recursive: true, force: true });
}
