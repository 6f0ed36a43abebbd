// Migrations on a real server: idempotent, safe when replicas start together, and loud when an
// applied file was edited or a new one fails (nothing half-applied).

import assert from 'node:assert/strict';
import { appendFile, cp, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { migrate, MIGRATIONS_DIR } from '../../src/db/migrate.js';
import { createPool, type Pool } from '../../src/db/pool.js';
import { DatabaseError } from '../../src/errors.js';
import { createLogger } from '../../src/log.js';
import { createTestDatabase, stopTestServer, type TestDatabase } from '../helpers/database.js';
import { CLI_MAIN, killLeftovers, runNode } from '../helpers/process.js';

const silent = createLogger('silent');
const databases: TestDatabase[] = [];
const pools: Pool[] = [];
const dirs: string[] = [];

after(async () => {
  await killLeftovers();
  for (const pool of pools) await pool.end().catch(() => undefined);
  for (const db of databases) await db.drop();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  await stopTestServer();
});

async function freshDatabase(): Promise<TestDatabase> {
  const db = await createTestDatabase({ migrated: false });
  databases.push(db);
  return db;
}

function pool(db: TestDatabase): Pool {
  const created = createPool({ url: db.url, log: silent, max: 2 });
  pools.push(created);
  return created;
}

async function migrationFiles(): Promise<string[]> {
  return (await readdir(MIGRATIONS_DIR)).filter((file) => file.endsWith('.sql')).sort();
}

async function appliedRows(db: TestDatabase): Promise<{ version: number; name: string }[]> {
  return (await db.query<{ version: number; name: string }>('SELECT version, name FROM schema_migrations ORDER BY version')).rows;
}

async function tableExists(db: TestDatabase, name: string): Promise<boolean> {
  return (await db.query<{ found: string | null }>('SELECT to_regclass($1)::text AS found', [name])).rows[0]!.found !== null;
}

/** A copy of migrations/ to edit, with the same file names. */
async function copyOfMigrations(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'im-migrations-'));
  dirs.push(dir);
  await cp(MIGRATIONS_DIR, dir, { recursive: true });
  return dir;
}

describe('migrations', () => {
  it('applies every file once, and nothing on the second run', async () => {
    const db = await freshDatabase();
    const files = await migrationFiles();
    assert.deepEqual(await migrate(pool(db), silent), files);
    assert.deepEqual(await migrate(pool(db), silent), []);
    assert.deepEqual((await appliedRows(db)).map((row) => row.name), files);
  });

  it('lets three pools migrate one fresh database at the same time: each file applied exactly once, no error', async () => {
    const db = await freshDatabase();
    const files = await migrationFiles();
    const results = await Promise.all([migrate(pool(db), silent), migrate(pool(db), silent), migrate(pool(db), silent)]);
    assert.deepEqual(results.flat().sort(), files, `applied: ${JSON.stringify(results)}`);
    assert.deepEqual((await appliedRows(db)).map((row) => row.name), files);
  });

  it('lets two `intermission migrate` processes race on one fresh database: both succeed, each file applied once', async () => {
    const db = await freshDatabase();
    const files = await migrationFiles();
    const runs = await Promise.all([0, 1].map(() => runNode(CLI_MAIN, ['migrate'], { DATABASE_URL: db.url })));
    for (const run of runs) assert.equal(run.code, 0, run.stderr);
    const outputs = runs.map((run) => run.stdout).sort();
    assert.match(outputs.join('\n'), new RegExp(`Applied ${files.length} migration`));
    assert.match(outputs.join('\n'), /The schema is up to date/);
    assert.deepEqual((await appliedRows(db)).map((row) => row.name), files);
  });

  it('refuses an applied migration whose checksum no longer matches, naming the file', async () => {
    const db = await freshDatabase();
    await migrate(pool(db), silent);
    const [first] = await migrationFiles();
    await db.query("UPDATE schema_migrations SET checksum = 'tampered' WHERE name = $1", [first]);
    await assert.rejects(migrate(pool(db), silent), (err: Error) => {
      assert.ok(err instanceof DatabaseError);
      assert.match(err.message, new RegExp(`migration ${first!.replace('.', '\\.')} was changed after it was applied`));
      assert.match(err.message, /add a new migration instead/);
      return true;
    });
  });

  it('refuses an edited applied file and applies none of the files after it', async () => {
    const db = await freshDatabase();
    await migrate(pool(db), silent);
    const dir = await copyOfMigrations();
    const [first] = await migrationFiles();
    await appendFile(path.join(dir, first!), '\n-- an edit after the fact\n');
    await writeFile(path.join(dir, '900_later.sql'), 'CREATE TABLE later_probe (id integer);\n');
    await assert.rejects(migrate(pool(db), silent, dir), new RegExp(`migration ${first!.replace('.', '\\.')} was changed after it was applied`));
    assert.equal(await tableExists(db, 'later_probe'), false);
    assert.equal((await appliedRows(db)).some((row) => row.version === 900), false);
  });

  it('rolls a failing migration back completely and names it', async () => {
    const db = await freshDatabase();
    const dir = await copyOfMigrations();
    await writeFile(path.join(dir, '901_broken.sql'), 'CREATE TABLE half_done (id integer);\nSELECT * FROM no_such_table;\n');
    await assert.rejects(migrate(pool(db), silent, dir), /migration 901_broken\.sql failed: .*no_such_table/);
    assert.equal(await tableExists(db, 'half_done'), false);
    // What came before it is applied and stays applied.
    assert.deepEqual((await appliedRows(db)).map((row) => row.name), await migrationFiles());
    assert.equal(await tableExists(db, 'windows'), true);
  });
});
