// The embedded PostgreSQL for real: start-up and persistence, the data folder lock, a server
// orphaned by kill -9 of its gateway, start-up failures, and the CLI's lookup of a running server.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { appendFile, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { after, test } from 'node:test';
import pg from 'pg';
import { findRunningEmbeddedPostgres, startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/db/embedded.js';
import { createLogger, type Logger } from '../../src/log.js';

const silent = createLogger('silent');
const dirs: string[] = [];
const started: EmbeddedDatabase[] = [];

after(async () => {
  for (const db of started) await db.stop();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

// Short paths: the socket path must stay under 104 bytes.
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'imdb-'));
  dirs.push(dir);
  return dir;
}

async function start(dataDir: string, log = silent): Promise<EmbeddedDatabase> {
  const db = await startEmbeddedPostgres({ dataDir, log });
  started.push(db);
  return db;
}

async function query(url: string, sql: string, params?: unknown[]): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(sql, params);
  } finally {
    await client.end();
  }
}

function recordingLogger(): { log: Logger; messages: () => string[] } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { log: createLogger('info', sink), messages: () => lines.map((line) => (JSON.parse(line) as { msg: string }).msg) };
}

function postmasterPid(dataDir: string): number {
  return Number(readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
}

// kill(pid, 0) alone also succeeds for a zombie that nobody has reaped yet.
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return !/^[ZX]$/.test(stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3));
}

test('starts a server that pg reaches through a unix socket only', async () => {
  const db = await start(await tempDir());
  assert.match(db.url, /^postgres:\/\/postgres:[^@]+@localhost\/intermission\?host=%2F/);
  const { rows } = await query(db.url, "SELECT current_database() AS db, current_setting('listen_addresses') AS tcp");
  assert.deepEqual(rows, [{ db: 'intermission', tcp: '' }]);
});

test('initialises the data folder once and keeps its data across restarts', async () => {
  const dataDir = await tempDir();
  const first = await start(dataDir);
  await query(first.url, 'CREATE TABLE kept (note text)');
  await query(first.url, 'INSERT INTO kept VALUES ($1)', ['still here']);
  const initialisedAt = (await stat(path.join(dataDir, 'postgres', 'PG_VERSION'))).mtimeMs;
  await first.stop();

  const second = await start(dataDir);
  assert.equal(second.url, first.url);
  assert.equal((await stat(path.join(dataDir, 'postgres', 'PG_VERSION'))).mtimeMs, initialisedAt);
  const { rows } = await query(second.url, 'SELECT note FROM kept');
  assert.deepEqual(rows, [{ note: 'still here' }]);
});

test('delivers LISTEN/NOTIFY between two connections', async () => {
  const db = await start(await tempDir());
  const listener = new pg.Client({ connectionString: db.url });
  await listener.connect();
  try {
    await listener.query('LISTEN windows_changed');
    const received = once(listener, 'notification');
    await query(db.url, "SELECT pg_notify('windows_changed', 'window 7')");
    const [message] = (await received) as [pg.Notification];
    assert.equal(message.channel, 'windows_changed');
    assert.equal(message.payload, 'window 7');
  } finally {
    await listener.end();
  }
});

test('keeps the generated password in a file only its owner can read', async () => {
  const dataDir = await tempDir();
  const db = await start(dataDir);
  const file = path.join(dataDir, 'password');
  assert.equal((await stat(file)).mode & 0o777, 0o600);
  const password = (await readFile(file, 'utf8')).trim();
  assert.ok(password.length >= 24);
  assert.equal(new URL(db.url).password, encodeURIComponent(password));
});

test('refuses a second start on a busy data folder, naming the pid that holds it', async () => {
  const dataDir = await tempDir();
  const db = await start(dataDir);
  await assert.rejects(startEmbeddedPostgres({ dataDir, log: silent }), (err: Error & { code?: string }) => {
    assert.equal(err.code, 'GW_ERR_EMBEDDED_BUSY');
    assert.match(err.message, new RegExp(`DATA_DIR ${dataDir} is in use by another Intermission process \\(pid ${process.pid}\\)`));
    assert.match(err.message, /set DATA_DIR to another folder, or set DATABASE_URL/);
    return true;
  });
  // The refused start left the running server and its lock alone.
  await query(db.url, 'SELECT 1');
  assert.equal(readFileSync(path.join(dataDir, 'intermission.lock'), 'utf8').split('\n')[0], String(process.pid));
});

test('stops the server left running by a gateway killed with kill -9, then starts its own', async () => {
  const dataDir = await tempDir();
  const script = path.join(dataDir, 'gateway.mjs');
  const embeddedModule = new URL('../../src/db/embedded.js', import.meta.url).href;
  const logModule = new URL('../../src/log.js', import.meta.url).href;
  await writeFile(
    script,
    `import { startEmbeddedPostgres } from ${JSON.stringify(embeddedModule)};
import { createLogger } from ${JSON.stringify(logModule)};
const db = await startEmbeddedPostgres({ dataDir: process.argv[2], log: createLogger('silent') });
console.log(db.url);
setInterval(() => {}, 60_000);
`,
  );
  const gateway = spawn(process.execPath, [script, dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = once(gateway, 'exit');
  const [url] = (await Promise.race([
    once(createInterface({ input: gateway.stdout }), 'line'),
    exited.then(() => assert.fail('the child gateway exited before its database was ready')),
  ])) as [string];
  const orphan = postmasterPid(dataDir);

  gateway.kill('SIGKILL');
  await exited;
  assert.ok(isRunning(orphan), 'postgres outlives a gateway killed with kill -9');

  const { log, messages } = recordingLogger();
  const db = await start(dataDir, log);
  assert.equal(db.url, url);
  assert.ok(!isRunning(orphan), 'the orphaned server was stopped');
  assert.notEqual(postmasterPid(dataDir), orphan);
  assert.ok(messages().includes('taking over the lock of a gateway that is no longer running'));
  assert.ok(messages().includes('stopping a postgres server left running by an earlier gateway'));
  await query(db.url, 'SELECT 1');
});

test("reports the server's own log lines when it fails to start, and frees the data folder", async () => {
  const dataDir = await tempDir();
  await (await start(dataDir)).stop();
  const conf = path.join(dataDir, 'postgres', 'postgresql.conf');
  const original = await readFile(conf, 'utf8');
  await appendFile(conf, '\nno_such_setting = 1\n');

  await assert.rejects(startEmbeddedPostgres({ dataDir, log: silent }), (err: Error & { code?: string }) => {
    assert.equal(err.code, 'GW_ERR_EMBEDDED_START');
    assert.match(err.message, new RegExp(`server in ${dataDir}/postgres exited with code 1`));
    assert.match(err.message, /unrecognized configuration parameter "no_such_setting"/);
    return true;
  });
  assert.ok(!existsSync(path.join(dataDir, 'intermission.lock')));

  await writeFile(conf, original);
  await query((await start(dataDir)).url, 'SELECT 1');
});

test('finds the URL of a running server for the CLI, and nothing once it has stopped', async () => {
  const dataDir = await tempDir();
  assert.equal(await findRunningEmbeddedPostgres({ dataDir }), undefined);
  const db = await start(dataDir);
  assert.equal(await findRunningEmbeddedPostgres({ dataDir }), db.url);
  await db.stop();
  assert.equal(await findRunningEmbeddedPostgres({ dataDir }), undefined);
  assert.ok(!existsSync(path.join(dataDir, 'intermission.lock')));
});

test('refuses a DATA_DIR too long for a unix socket path before creating anything', async () => {
  const dataDir = path.join(os.tmpdir(), 'imdb-'.padEnd(100, 'x'));
  await assert.rejects(startEmbeddedPostgres({ dataDir, log: silent }), (err: Error & { code?: string }) => {
    assert.equal(err.code, 'GW_ERR_EMBEDDED_PATH');
    assert.match(err.message, new RegExp(`DATA_DIR ${dataDir} is too long`));
    return true;
  });
  assert.ok(!existsSync(dataDir));
});
