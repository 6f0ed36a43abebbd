// The `intermission` command run from a pipeline against a remote gateway: --url/--token (or
// INTERMISSION_URL/INTERMISSION_TOKEN) send it through the gateway's API, never to a database.
// Judged by exit codes, output, what a customer of the gateway gets and the rows written.

import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { makeToken } from '../helpers/admin.js';
import { type CliResult, runCli as runCliAnywhere } from '../helpers/cli.js';
import { createTestDatabase, stopTestServer, type TestDatabase } from '../helpers/database.js';
import { startGateway, waitFor, type TestGateway } from '../helpers/gateway.js';
import { request } from '../helpers/http.js';
import { startUpstream, type Upstream } from '../helpers/upstream.js';
import { auditRows, clearWindows, customerGets } from '../admin/windows-fixtures.js';

// Were the CLI to fall back to a database, this one refuses at once, and the tests would see it.
const NO_DATABASE = 'postgres://nobody@127.0.0.1:1/none';

let db: TestDatabase;
let upstream: Upstream;
let gw: TestGateway;
let operator: string;
let viewer: string;

/** The CLI with a database that refuses at once, so that only the gateway's API can answer. */
function runCli(args: string[], env: Record<string, string | undefined>): Promise<CliResult> {
  return runCliAnywhere(args, { DATABASE_URL: NO_DATABASE, ...env });
}

/** As a pipeline runs it: the gateway and the token in the environment. */
function remote(token: string, ...args: string[]): Promise<CliResult> {
  return runCli(args, { INTERMISSION_URL: gw.url, INTERMISSION_TOKEN: token });
}

async function windowCount(): Promise<number> {
  return Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM windows')).rows[0]!.n);
}

/** A port nothing listens on: one the system just handed out and took back. */
async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function assertNoSecret(result: CliResult, token: string): void {
  assert.ok(!result.stdout.includes(token) && !result.stderr.includes(token), 'the token is never printed');
}

before(async () => {
  db = await createTestDatabase();
  upstream = await startUpstream();
  gw = await startGateway(db.url, upstream.url);
  operator = await makeToken(gw.pool, 'operator', 'deploy-pipeline');
  viewer = await makeToken(gw.pool, 'viewer', 'dashboard');
});

after(async () => {
  await gw.close();
  await upstream.close();
  await db.drop();
  await stopTestServer();
});

beforeEach(async () => {
  await clearWindows(db, gw);
  await customerGets(gw, 200);
});

describe('intermission maintenance through a remote gateway', () => {
  it('turns maintenance on for 20 minutes, and a customer is held within a second', async () => {
    const result = await remote(operator, 'maintenance', 'on', '--for', '20m');
    assert.equal(result.code, 0, result.stderr);
    const { rows } = await db.query<{ id: string; ends_at: Date; starts_at: Date; created_by: string }>(
      'SELECT id::text, starts_at, ends_at, created_by FROM windows WHERE ended_at IS NULL',
    );
    assert.equal(rows.length, 1);
    const window = rows[0]!;
    assert.equal(window.ends_at.getTime() - window.starts_at.getTime(), 20 * 60_000);
    assert.equal(result.stdout, `Maintenance is ON (window #${window.id}) until ${window.ends_at.toISOString()} (in 20 minutes); all paths; block\n`);
    assert.equal(result.stderr, '');
    assert.equal(window.created_by, 'token:deploy-pipeline');
    await customerGets(gw, 503);
    const audit = (await auditRows(db, 'window.start')).filter((row) => row.object_id === window.id);
    assert.equal(audit.length, 1);
    assert.equal(audit[0]!.actor, 'token:deploy-pipeline');
    assertNoSecret(result, operator);
  });

  it('turns maintenance off, and the customer reaches the application again', async () => {
    assert.equal((await remote(operator, 'maintenance', 'on', '--title', 'Deploy', '--paths', '/shop')).code, 0);
    await customerGets(gw, 503);
    const result = await remote(operator, 'maintenance', 'off');
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^Maintenance is OFF: ended 1 window \(#\d+\)\.\n$/);
    await customerGets(gw, 200);
    assert.equal((await auditRows(db, 'window.end')).at(-1)!.actor, 'token:deploy-pipeline');
  });

  it('schedules a window with --url and --token given as flags', async () => {
    const at = new Date(Math.ceil((Date.now() + 3_600_000) / 1000) * 1000).toISOString();
    const result = await runCli(['maintenance', 'schedule', '--url', gw.url, '--token', operator, '--at', at, '--for', '2h', '--title', 'Database upgrade', '--read-only'], {});
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, new RegExp(`^Scheduled window #\\d+ "Database upgrade": from ${at.replace(/\./g, '\\.')} \\(in (59 minutes|1 hour)\\) until .* \\(2 hours\\); all paths; read-only\\n$`));
    const { rows } = await db.query<{ starts_at: Date; mode: string }>("SELECT starts_at, mode FROM windows WHERE title = 'Database upgrade'");
    assert.equal(rows[0]!.starts_at.toISOString(), at);
    assert.equal(rows[0]!.mode, 'read_only');
  });

  it('prints the status as the database mode does, as text and as JSON, for a viewer token', async () => {
    assert.equal((await remote(operator, 'maintenance', 'on', '--for', '1h', '--title', 'Upgrade')).code, 0);
    const text = await remote(viewer, 'status');
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^Maintenance is ON: 1 window in force\n {2}#\d+ "Upgrade": since \S+, until \S+ \(in (59 minutes|1 hour)\); all paths; block\n/);
    const json = await remote(viewer, 'status', '--json');
    assert.equal(json.code, 0, json.stderr);
    const body = JSON.parse(json.stdout) as { maintenance: boolean; inForce: { title: string }[] };
    assert.equal(body.maintenance, true);
    assert.deepEqual(body.inForce.map((window) => window.title), ['Upgrade']);
  });
});

describe('intermission bypass-link through a remote gateway', () => {
  it('prints the link the gateway made, which lets its holder past maintenance', async () => {
    assert.equal((await remote(operator, 'maintenance', 'on')).code, 0);
    await customerGets(gw, 503);
    const result = await remote(operator, 'bypass-link', '--for', '15m', '--note', 'QA');
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, new RegExp(`^${gw.url}/_gateway/bypass\\?token=\\S+\\n$`));
    assert.match(result.stderr, /^Bypass link [0-9a-f-]{36}, expires \S+ \(in 15 minutes\):\n$/);
    const { rows } = await db.query<{ note: string; created_by: string }>('SELECT note, created_by FROM bypass_links');
    assert.deepEqual(rows.at(-1), { note: 'QA', created_by: 'token:deploy-pipeline' });
    // The holder opens the link, gets the cookie, and reaches the application while customers do not.
    const url = result.stdout.trim();
    let opened = await request(url);
    await waitFor(async () => (opened = await request(url)).status === 303, 1000, 'the new link is known to the gateway');
    const cookie = opened.headers['set-cookie']![0]!.split(';', 1)[0]!;
    const holder = await request(`${gw.url}/shop/cart`, { headers: { accept: 'text/html', cookie } });
    assert.equal(holder.status, 200);
  });

  it('points the link at --base-url when given', async () => {
    const result = await remote(operator, 'bypass-link', '--base-url', 'https://shop.example.com');
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^https:\/\/shop\.example\.com\/_gateway\/bypass\?token=\S+\n$/);
  });
});

describe('failures through a remote gateway', () => {
  it('refuses bad flags with exit code 2 naming the flag, before sending anything', async () => {
    const before = await windowCount();
    const result = await remote(operator, 'maintenance', 'on', '--for', 'abc');
    assert.equal(result.code, 2);
    assert.equal(result.stdout, '');
    assert.equal(result.stderr, 'intermission: --for "abc" is not a duration: use e.g. 30m, 2h or 1h30m\n');
    assert.equal(await windowCount(), before);
  });

  it('exits 2 with the API\'s message naming the field when the gateway refuses the input', async () => {
    const before = await windowCount();
    const result = await remote(operator, 'maintenance', 'schedule', '--at', '2099-01-01T00:00:00Z', '--for', '1h', '--title', 'Far away');
    assert.equal(result.code, 2, result.stderr);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /^intermission: the gateway refused the input \(400\): starts_at 2099-01-01T00:00:00\.000Z is too far ahead[^\n]*\n$/);
    assert.equal(await windowCount(), before);
  });

  it('exits 1 with the 403 message when a viewer token tries to turn maintenance on, writing nothing', async () => {
    const before = await windowCount();
    const result = await remote(viewer, 'maintenance', 'on', '--for', '20m');
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.equal(result.stderr, "intermission: the token is not allowed to do this (403): this token's role (viewer) cannot do this: it needs operator or above\n");
    assert.equal(await windowCount(), before);
    assertNoSecret(result, viewer);
  });

  it('exits 1 with the 401 message for a wrong, revoked or expired token, and never prints it', async () => {
    const revoked = await makeToken(gw.pool, 'operator', 'revoked-one');
    await db.query("UPDATE api_tokens SET revoked_at = now() WHERE name = 'revoked-one'");
    const before = await windowCount();
    for (const token of ['imt_this-is-not-a-token', revoked]) {
      const result = await remote(token, 'maintenance', 'on');
      assert.equal(result.code, 1);
      assert.match(result.stderr, /^intermission: the token was refused \(401\): [^\n]+\(check --token or INTERMISSION_TOKEN: it may be mistyped, revoked or expired\)\n$/);
      assertNoSecret(result, token);
    }
    assert.equal(await windowCount(), before);
  });

  it('exits 1 clearly when the gateway cannot be reached', async () => {
    const port = await closedPort();
    const result = await runCli(['status'], { INTERMISSION_URL: `http://127.0.0.1:${port}`, INTERMISSION_TOKEN: operator });
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, new RegExp(`^intermission: could not reach the gateway at http://127\\.0\\.0\\.1:${port}/admin/api/v1: [^\\n]*ECONNREFUSED[^\\n]*\\(check --url, and that the gateway is running\\)\\n$`));
    assertNoSecret(result, operator);
  });

  it('exits 1 when the admin path is wrong, instead of reading another answer as the API\'s', async () => {
    const result = await remote(operator, 'status', '--admin-path', '/not-admin');
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^intermission: .*\/not-admin\/api\/v1.*check --url and --admin-path/);
  });

  it('asks for what is missing: a token for --url, a gateway for a token', async () => {
    const noToken = await runCli(['status', '--url', gw.url], {});
    assert.equal(noToken.code, 2);
    assert.equal(noToken.stderr, 'intermission: --url needs an API token: set INTERMISSION_TOKEN (or give --token)\n');
    const noUrl = await runCli(['maintenance', 'off'], { INTERMISSION_TOKEN: operator });
    assert.equal(noUrl.code, 2);
    assert.match(noUrl.stderr, /^intermission: a token was given but no gateway: add --url/);
    const badUrl = await remote(operator, 'status', '--url', 'ftp://shop.example.com');
    assert.equal(badUrl.code, 2);
    assert.match(badUrl.stderr, /--url "ftp:\/\/shop\.example\.com" is not an http:\/\/ or https:\/\/ URL/);
    const badPath = await remote(operator, 'status', '--admin-path', 'admin/');
    assert.equal(badPath.code, 2);
    assert.match(badPath.stderr, /--admin-path="admin\/" is invalid/);
  });

  it('documents --url, --token and --admin-path in each command\'s help', async () => {
    for (const command of [['maintenance', 'on'], ['maintenance', 'off'], ['maintenance', 'schedule'], ['status'], ['bypass-link']]) {
      const help = await runCli([...command, '--help'], {});
      assert.equal(help.code, 0);
      for (const text of ['--url <url>', '--token <token>', '--admin-path <path>', 'INTERMISSION_TOKEN']) {
        assert.ok(help.stdout.includes(text), `${command.join(' ')} --help mentions ${text}`);
      }
    }
  });
});
