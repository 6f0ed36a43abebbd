// The `intermission` command as an SRE runs it: a real process on a real database, judged by
// its exit code, what it prints and the rows it leaves behind.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startEmbeddedPostgres } from '../../src/db/embedded.js';
import { verifyBypassToken } from '../../src/decide/bypass-token.js';
import { createLogger } from '../../src/log.js';
import { assertOneLineError, type CliResult, runCli } from '../helpers/cli.js';
import { createTestDatabase, stopTestServer, type TestDatabase } from '../helpers/database.js';
import type { WindowRow as StoredWindow } from '../../src/maintenance/windows.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

let db: TestDatabase;

/** Runs the CLI with only the environment given: no UPSTREAM_URL, no PUBLIC_URL, no PORT. */
function run(...args: string[]): Promise<CliResult> {
  return runCli(args, { DATABASE_URL: db.url });
}

type WindowRow = Omit<StoredWindow, 'component_ids'> & { created_by: string };

async function windows(): Promise<WindowRow[]> {
  return (await db.query<WindowRow>('SELECT *, id::text AS id FROM windows ORDER BY windows.id')).rows;
}

async function count(table: 'windows' | 'bypass_links'): Promise<number> {
  return Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]!.n);
}

async function insertWindow(title: string, startsIn: string, endsIn: string | null, extra = ''): Promise<string> {
  const ends = endsIn === null ? 'NULL' : `now() + interval '${endsIn}'`;
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO windows (title, starts_at, ends_at${extra ? ', path_prefixes' : ''})
     VALUES ($1, now() + interval '${startsIn}', ${ends}${extra ? `, '${extra}'` : ''}) RETURNING id::text`,
    [title],
  );
  return rows[0]!.id;
}

before(async () => {
  db = await createTestDatabase();
});

after(async () => {
  await db.drop();
  await stopTestServer();
});

beforeEach(async () => {
  await db.query('TRUNCATE windows, bypass_links RESTART IDENTITY CASCADE');
});

describe('intermission maintenance on', () => {
  it('starts an open-ended window for all paths that blocks everything', async () => {
    const result = await run('maintenance', 'on');
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^Maintenance is ON \(window #1\) with no end; all paths; block\n/);
    assert.equal(result.stderr, '');
    const [row, ...rest] = await windows();
    assert.equal(rest.length, 0);
    assert.equal(row!.ends_at, null);
    assert.equal(row!.ended_at, null);
    assert.equal(row!.mode, 'block');
    assert.equal(row!.response, 'render');
    assert.deepEqual(row!.path_prefixes, []);
    assert.equal(row!.title, 'Maintenance');
    assert.match(row!.created_by, /^cli/);
    assert.ok(Math.abs(row!.starts_at.getTime() - Date.now()) < 10_000);
  });

  it('ends the window after --for, with the title and message given', async () => {
    const result = await run('maintenance', 'on', '--for', '30m', '--title', 'Database upgrade', '--message', 'Back by 15:00 UTC.');
    assert.equal(result.code, 0, result.stderr);
    const [row] = await windows();
    assert.equal(row!.ends_at!.getTime() - row!.starts_at.getTime(), 30 * MINUTE);
    assert.equal(row!.title, 'Database upgrade');
    assert.equal(row!.message, 'Back by 15:00 UTC.');
    assert.equal(result.stdout, `Maintenance is ON (window #${row!.id}) until ${row!.ends_at!.toISOString()} (in 30 minutes); all paths; block\n`);
  });

  it('ends the window at --until, whatever offset it was given in', async () => {
    const end = new Date(Math.ceil((Date.now() + 2 * HOUR) / 1000) * 1000);
    const withOffset = new Date(end.getTime() + 2 * HOUR).toISOString().replace(/\.000Z$/, '+02:00');
    const result = await run('maintenance', 'on', '--until', withOffset);
    assert.equal(result.code, 0, result.stderr);
    const [row] = await windows();
    assert.equal(row!.ends_at!.toISOString(), end.toISOString());
    assert.match(result.stdout, new RegExp(`until ${end.toISOString()} \\(in (1 hour 59 minutes|2 hours)\\)`));
  });

  it('scopes a read-only redirecting window to paths and hosts', async () => {
    const result = await run('maintenance', 'on', '--read-only', '--paths', '/api, /checkout', '--hosts', 'Shop.Example.com', '--redirect');
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /with no end; paths \/api, \/checkout; hosts shop\.example\.com; read-only; redirect\n/);
    const [row] = await windows();
    assert.equal(row!.mode, 'read_only');
    assert.equal(row!.response, 'redirect');
    assert.deepEqual(row!.path_prefixes, ['/api', '/checkout']);
    assert.deepEqual(row!.hosts, ['shop.example.com']);
  });

  it('refuses bad input with exit code 2, naming the flag, and writes nothing', async () => {
    const cases: [string[], RegExp][] = [
      [['--for', 'abc'], /--for "abc" is not a duration: use e\.g\. 30m, 2h or 1h30m/],
      [['--for', '0m'], /--for "0m" is zero/],
      [['--for', '400d'], /--for "400d" is too long/],
      [['--for', '1h', '--until', '2099-01-01T00:00:00Z'], /--for and --until cannot be used together/],
      [['--until', '2099-01-01T00:00:00'], /--until .* has no UTC offset, so it is ambiguous/],
      [['--until', '2020-01-01T00:00:00Z'], /--until .* is in the past/],
      [['--paths', 'api'], /--paths has "api"/],
      [['--hosts', 'shop.example.com:8080'], /--hosts has "shop\.example\.com:8080"/],
      [['--title', 'x'.repeat(201)], /--title is 201 characters long/],
      [['--message', 'x'.repeat(5001)], /--message is 5001 characters long/],
    ];
    for (const [args, pattern] of cases) assertOneLineError(await run('maintenance', 'on', ...args), pattern);
    assert.equal(await count('windows'), 0);
  });

  it('explains an unknown flag and exits 2', async () => {
    const result = await run('maintenance', 'on', '--fro', '1h');
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^intermission: unknown option '--fro'\n\(Did you mean --for\?\)/);
    assert.equal(await count('windows'), 0);
  });
});

describe('intermission maintenance off', () => {
  it('ends every window in force, scoped ones too, and leaves the others alone', async () => {
    const open = await insertWindow('open', '-1 hour', null);
    const scoped = await insertWindow('scoped', '-5 minutes', '1 hour', '{/api}');
    const later = await insertWindow('later', '1 day', '1 day 2 hours');
    const over = await insertWindow('over', '-2 hours', '-1 hour');
    const result = await run('maintenance', 'off');
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, new RegExp(`^Maintenance is OFF: ended 2 windows \\(#${open}, #${scoped}\\)\\.\\n`));
    assert.match(result.stdout, new RegExp(`Next scheduled: #${later} "later": from `));
    const ended = new Map((await windows()).map((row) => [row.id, row.ended_at]));
    assert.ok(ended.get(open) instanceof Date);
    assert.ok(ended.get(scoped) instanceof Date);
    assert.equal(ended.get(later), null);
    assert.equal(ended.get(over), null);
  });

  it('says so and exits 0 when no maintenance was in force', async () => {
    await insertWindow('later', '1 day', '1 day 2 hours');
    const result = await run('maintenance', 'off');
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^Maintenance is OFF: no maintenance was in force\.\n/);
    assert.equal((await windows())[0]!.ended_at, null);
  });

  it('takes no arguments', async () => {
    const result = await run('maintenance', 'off', 'now');
    assert.equal(result.code, 2);
    assert.match(result.stderr, /too many arguments for 'off'/);
  });
});

describe('intermission maintenance schedule', () => {
  it('plans a future window and prints its id', async () => {
    const at = new Date(Math.ceil((Date.now() + 3 * 24 * HOUR) / 1000) * 1000);
    const result = await run('maintenance', 'schedule', '--at', at.toISOString(), '--for', '2h', '--title', 'Database upgrade', '--read-only', '--paths', '/api', '--redirect');
    assert.equal(result.code, 0, result.stderr);
    const [row] = await windows();
    assert.match(result.stdout, new RegExp(`^Scheduled window #${row!.id} "Database upgrade": from ${at.toISOString()} \\(in .+\\) until .+ \\(2 hours\\); paths /api; read-only; redirect\\n$`));
    assert.equal(row!.starts_at.toISOString(), at.toISOString());
    assert.equal(row!.ends_at!.getTime() - at.getTime(), 2 * HOUR);
    assert.equal(row!.mode, 'read_only');
    assert.equal(row!.response, 'redirect');
    assert.deepEqual(row!.path_prefixes, ['/api']);
  });

  it('refuses a past start, a local time without offset and other bad input, writing nothing', async () => {
    const base = ['--for', '2h', '--title', 'Upgrade'];
    const cases: [string[], RegExp][] = [
      [['--at', '2020-01-01T00:00:00Z', ...base], /--at "2020-01-01T00:00:00Z" is in the past/],
      [['--at', '2099-01-01T14:00:00', ...base], /--at "2099-01-01T14:00:00" has no UTC offset, so it is ambiguous: add Z or an offset/],
      [['--at', 'tomorrow', ...base], /--at "tomorrow" is not an ISO 8601 time/],
      [['--at', '2099-01-01T14:00:00Z', '--for', '2x', '--title', 'Upgrade'], /--for "2x" is not a duration/],
      [['--at', '2099-01-01T14:00:00Z', '--for', '2h', '--title', ' '], /--title is empty/],
      [['--at', '2099-01-01T14:00:00Z', ...base, '--paths', 'checkout'], /--paths has "checkout"/],
    ];
    for (const [args, pattern] of cases) assertOneLineError(await run('maintenance', 'schedule', ...args), pattern);
    assert.equal(await count('windows'), 0);
  });

  it('requires --at, --for and --title', async () => {
    for (const missing of ['--at', '--for', '--title']) {
      const args = ['--at', '2099-01-01T14:00:00Z', '--for', '2h', '--title', 'Upgrade'];
      args.splice(args.indexOf(missing), 2);
      const result = await run('maintenance', 'schedule', ...args);
      assert.equal(result.code, 2);
      assert.match(result.stderr, new RegExp(`^intermission: required option '${missing} <\\w+>' not specified`));
    }
    assert.equal(await count('windows'), 0);
  });
});

describe('intermission status', () => {
  it('tells when nothing is in force or coming, as text and JSON', async () => {
    const text = await run('status');
    assert.equal(text.code, 0, text.stderr);
    assert.equal(text.stdout, 'Maintenance is OFF: no window in force.\nNothing scheduled.\n');
    const json = JSON.parse((await run('status', '--json')).stdout) as Record<string, unknown>;
    assert.equal(json.maintenance, false);
    assert.deepEqual(json.inForce, []);
    assert.deepEqual(json.upcoming, []);
  });

  it('lists what is in force and what is coming, as text and JSON', async () => {
    const now = await insertWindow('Database upgrade', '-10 minutes', null, '{/api}');
    const later = await insertWindow('Payments switch', '2 days', '2 days 30 minutes');
    await insertWindow('Old one', '-2 hours', '-1 hour');
    const text = await run('status');
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^Maintenance is ON: 1 window in force\n/);
    assert.match(text.stdout, new RegExp(`\\n  #${now} "Database upgrade": since \\S+Z, no end; paths /api; block\\n`));
    assert.match(text.stdout, new RegExp(`\\nComing up:\\n  #${later} "Payments switch": from \\S+Z \\(in 2 days\\), until \\S+Z; all paths; block\\n$`));
    assert.doesNotMatch(text.stdout, /Old one/);

    const json = await run('status', '--json');
    assert.equal(json.code, 0, json.stderr);
    const body = JSON.parse(json.stdout) as { maintenance: boolean; now: string; inForce: Record<string, unknown>[]; upcoming: Record<string, unknown>[] };
    assert.equal(body.maintenance, true);
    assert.ok(!Number.isNaN(Date.parse(body.now)));
    assert.deepEqual(body.inForce.map((w) => [w.id, w.title, w.endsAt, w.pathPrefixes]), [[Number(now), 'Database upgrade', null, ['/api']]]);
    assert.deepEqual(body.upcoming.map((w) => [w.id, w.title, w.mode, w.response]), [[Number(later), 'Payments switch', 'block', 'render']]);
    assert.equal(Date.parse(body.upcoming[0]!.endsAt as string) - Date.parse(body.upcoming[0]!.startsAt as string), 30 * MINUTE);
  });
});

describe('intermission migrate', () => {
  it('applies the migrations once, then says the schema is up to date', async () => {
    const fresh = await createTestDatabase({ migrated: false });
    try {
      const first = await runCli(['migrate'], { DATABASE_URL: fresh.url });
      assert.equal(first.code, 0, first.stderr);
      assert.match(first.stdout, /^Applied \d+ migrations?:\n  001_core\.sql\n/);
      const secrets = await fresh.query<{ name: string }>('SELECT name FROM gateway_secrets');
      assert.deepEqual(secrets.rows.map((row) => row.name), ['bypass']);
      const second = await runCli(['migrate'], { DATABASE_URL: fresh.url });
      assert.equal(second.code, 0, second.stderr);
      assert.equal(second.stdout, 'The schema is up to date: no migrations to apply.\n');
    } finally {
      await fresh.drop();
    }
  });

  it('prepares a fresh database before any other command', async () => {
    const fresh = await createTestDatabase({ migrated: false });
    try {
      const result = await runCli(['maintenance', 'on'], { DATABASE_URL: fresh.url });
      assert.equal(result.code, 0, result.stderr);
      assert.equal((await fresh.query('SELECT 1 FROM windows')).rowCount, 1);
    } finally {
      await fresh.drop();
    }
  });
});

describe('intermission bypass-link', () => {
  async function secret(): Promise<string> {
    return (await db.query<{ value: string }>("SELECT value FROM gateway_secrets WHERE name = 'bypass'")).rows[0]!.value;
  }

  it('prints a URL whose token verifies and names a stored link', async () => {
    const result = await run('bypass-link', '--for', '2h', '--note', 'QA checks the release', '--base-url', 'https://shop.example.com/app/');
    assert.equal(result.code, 0, result.stderr);
    const match = /^https:\/\/shop\.example\.com\/app\/_gateway\/bypass\?token=([^\s&]+)\n$/.exec(result.stdout);
    assert.ok(match, result.stdout);
    const claims = verifyBypassToken(await secret(), decodeURIComponent(match[1]!), Date.now());
    assert.ok(claims, 'the token verifies with the shared secret');
    const { rows } = await db.query<{ note: string; expires_at: Date; revoked_at: Date | null }>('SELECT note, expires_at, revoked_at FROM bypass_links WHERE id = $1', [claims.linkId]);
    assert.equal(rows[0]!.note, 'QA checks the release');
    assert.equal(rows[0]!.revoked_at, null);
    assert.equal(rows[0]!.expires_at.getTime(), claims.expiresAt);
    assert.ok(Math.abs(claims.expiresAt - (Date.now() + 2 * HOUR)) < 10_000);
    assert.match(result.stderr, new RegExp(`^Bypass link ${claims.linkId}, expires \\S+ \\(in 2 hours\\):\\n$`));
  });

  it('uses PUBLIC_URL, else localhost and PORT, and lasts an hour by default', async () => {
    const publicUrl = await runCli(['bypass-link'], { DATABASE_URL: db.url, PUBLIC_URL: 'https://status.example.com' });
    assert.equal(publicUrl.code, 0, publicUrl.stderr);
    assert.match(publicUrl.stdout, /^https:\/\/status\.example\.com\/_gateway\/bypass\?token=v1\./);
    const local = await runCli(['bypass-link'], { DATABASE_URL: db.url, PORT: '9090' });
    assert.match(local.stdout, /^http:\/\/localhost:9090\/_gateway\/bypass\?token=v1\./);
    const { rows } = await db.query<{ ms: number }>('SELECT extract(epoch FROM expires_at - created_at) * 1000 AS ms FROM bypass_links');
    for (const row of rows) assert.ok(Math.abs(Number(row.ms) - HOUR) < 10_000);
  });

  it('refuses bad input with exit code 2 and writes nothing', async () => {
    const cases: [string[], RegExp][] = [
      [['--for', '31d'], /--for "31d" is too long: at most 30d/],
      [['--for', 'soon'], /--for "soon" is not a duration/],
      [['--note', 'x'.repeat(201)], /--note is 201 characters long/],
      [['--base-url', 'shop.example.com'], /--base-url "shop\.example\.com" is not an http/],
    ];
    for (const [args, pattern] of cases) assertOneLineError(await run('bypass-link', ...args), pattern);
    assert.equal(await count('bypass_links'), 0);
  });
});

describe('help, version and failures', () => {
  it('explains every command and its flags with --help', async () => {
    const expected: [string[], string[]][] = [
      [[], ['maintenance', 'status', 'bypass-link', 'migrate', 'DATABASE_URL', 'Examples:']],
      [['maintenance'], ['on', 'off', 'schedule', 'Examples:']],
      [['maintenance', 'on'], ['--for', '--until', '--title', '--message', '--read-only', '--paths', '--hosts', '--redirect', 'Examples:']],
      [['maintenance', 'off'], ['in force', 'Examples:']],
      [['maintenance', 'schedule'], ['--at', '--for', '--title', '--message', '--read-only', '--paths', '--redirect', 'Examples:']],
      [['status'], ['--json', 'Examples:']],
      [['migrate'], ['migrations', 'Examples:']],
      [['bypass-link'], ['--for', '--note', '--base-url', 'Examples:']],
    ];
    for (const [command, words] of expected) {
      const result = await runCli([...command, '--help'], {});
      assert.equal(result.code, 0, `${command.join(' ')} --help: ${result.stderr}`);
      for (const word of words) assert.ok(result.stdout.includes(word), `${command.join(' ')} --help mentions ${word}`);
    }
  });

  it('prints the version', async () => {
    const result = await runCli(['--version'], {});
    assert.equal(result.code, 0);
    assert.match(result.stdout, /^\d+\.\d+\.\d+/);
  });

  it('exits 2 on an unknown command and on a bad setting', async () => {
    const unknown = await runCli(['maintenence'], {});
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /^intermission: unknown command 'maintenence'/);
    const badSetting = await runCli(['status'], { DATABASE_URL: 'mysql://db/x' });
    assertOneLineError(badSetting, /DATABASE_URL=.* is invalid: expected a postgres:\/\/ or postgresql:\/\/ URL/);
  });

  it('exits 1 naming the database, without its password, when it cannot connect', async () => {
    const result = await runCli(['status'], { DATABASE_URL: 'postgres://intermission:hunter2@127.0.0.1:1/intermission' });
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /^intermission: could not connect to the database at postgres:\/\/intermission:\*\*\*@127\.0\.0\.1:1\/intermission \(DATABASE_URL\)[^\n]*\n$/);
    assert.doesNotMatch(result.stderr, /hunter2|\n\s+at /);
  });
});

describe('without DATABASE_URL', () => {
  it('starts the embedded server in DATA_DIR for one command and stops it, or uses the one a gateway runs', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'im-cli-'));
    try {
      const on = await runCli(['maintenance', 'on', '--for', '1h'], { DATA_DIR: dataDir });
      assert.equal(on.code, 0, on.stderr);
      assert.match(on.stdout, /^Maintenance is ON \(window #1\)/);
      assert.equal(existsSync(path.join(dataDir, 'postgres', 'postmaster.pid')), false, 'the server it started is stopped');

      // As a running gateway would: own the server while the CLI attaches to it.
      const server = await startEmbeddedPostgres({ dataDir, log: createLogger('silent') });
      try {
        const status = await runCli(['status', '--json'], { DATA_DIR: dataDir });
        assert.equal(status.code, 0, status.stderr);
        assert.deepEqual((JSON.parse(status.stdout) as { inForce: { id: number }[] }).inForce.map((w) => w.id), [1]);
        assert.equal(existsSync(path.join(dataDir, 'postgres', 'postmaster.pid')), true, "the gateway's server keeps running");
      } finally {
        await server.stop();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
