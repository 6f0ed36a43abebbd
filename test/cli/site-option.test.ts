// --site on the commands that act in one site: on the database, a window goes to the site named,
// or without --site to the default one, as with a single site; with several sites and no default,
// the command says to name one. Remote, --site goes to the site's API below /sites/<slug>.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { makeToken } from '../helpers/admin.js';
import { type CliResult, runCli } from '../helpers/cli.js';
import { createTestDatabase, stopTestServer, type TestDatabase } from '../helpers/database.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { startUpstream, type Upstream } from '../helpers/upstream.js';
import { addSite } from '../../src/sites/sites.js';

let db: TestDatabase;

function run(...args: string[]): Promise<CliResult> {
  return runCli(args, { DATABASE_URL: db.url });
}

async function windowsBySite(): Promise<[string, string][]> {
  const { rows } = await db.query<{ slug: string; title: string }>('SELECT s.slug, w.title FROM windows w JOIN sites s ON s.id = w.site_id ORDER BY w.id');
  return rows.map((row) => [row.slug, row.title]);
}

before(async () => {
  db = await createTestDatabase();
  assert.equal((await run('sites', 'add', 'blog', '--host', 'blog.example.com')).code, 0);
});

after(async () => {
  await db.drop();
  await stopTestServer();
});

describe('--site on the database', () => {
  it('acts in the site named, and in the default site without --site', async () => {
    assert.equal((await run('maintenance', 'on', '--site', 'blog', '--title', 'Blog work')).code, 0);
    assert.equal((await run('maintenance', 'schedule', '--at', new Date(Date.now() + 3_600_000).toISOString(), '--for', '1h', '--title', 'Shop work')).code, 0);
    assert.deepEqual(await windowsBySite(), [['blog', 'Blog work'], ['default', 'Shop work']]);

    const blogStatus = await run('status', '--site', 'blog', '--json');
    assert.equal(blogStatus.code, 0, blogStatus.stderr);
    assert.deepEqual(JSON.parse(blogStatus.stdout).inForce.map((window: { title: string }) => window.title), ['Blog work']);
    const shopStatus = JSON.parse((await run('status', '--json')).stdout);
    assert.equal(shopStatus.maintenance, false);
    assert.deepEqual(shopStatus.upcoming.map((window: { title: string }) => window.title), ['Shop work']);

    const off = await run('maintenance', 'off');
    assert.match(off.stdout, /no maintenance was in force/, "turning off the default site leaves the blog's window alone");
    assert.match((await run('maintenance', 'off', '--site', 'blog')).stdout, /ended 1 window/);

    const link = await run('bypass-link', '--site', 'blog', '--for', '10m');
    assert.equal(link.code, 0, link.stderr);
    const { rows } = await db.query<{ slug: string }>('SELECT s.slug FROM bypass_links b JOIN sites s ON s.id = b.site_id');
    assert.deepEqual(rows.map((row) => row.slug), ['blog']);
  });

  it('refuses a site that does not exist, or a bad slug, with exit code 2 naming --site', async () => {
    const before = await windowsBySite();
    const missing = await run('maintenance', 'on', '--site', 'nope');
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^intermission: --site nope: there is no site nope/);
    const bad = await run('status', '--site', 'Not A Slug');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--site "Not A Slug" is not a site slug/);
    assert.deepEqual(await windowsBySite(), before);
  });

  it('asks for --site when there are several sites and none is the default', async () => {
    await db.query('UPDATE sites SET is_default = false');
    const result = await run('maintenance', 'on');
    assert.equal(result.code, 2);
    assert.match(result.stderr, /there are 2 sites and none is the default: name the one to act in with --site \(one of blog, default\)/);
    assert.equal((await run('status', '--site', 'default')).code, 0);
    await db.query("UPDATE sites SET is_default = true WHERE slug = 'default'");
  });
});

describe('--site through the API', () => {
  let upstream: Upstream;
  let gw: TestGateway;
  let admin: string;

  before(async () => {
    upstream = await startUpstream();
    gw = await startGateway(db.url, upstream.url);
    admin = await makeToken(gw.pool, 'admin', 'pipeline');
    await addSite(gw.pool, { slug: 'docs', hosts: ['docs.example.com'], upstreamUrl: null });
  });

  after(async () => {
    await gw?.close();
    await upstream?.close();
  });

  it('manages sites through the API with a global admin token, with the same output and exit codes', async () => {
    const env = { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', INTERMISSION_URL: gw.url, INTERMISSION_TOKEN: admin };
    const added = await runCli(['sites', 'add', 'api-site', '--host', 'api.example.com', '--upstream', 'http://10.0.0.9:8080'], env);
    assert.equal(added.code, 0, added.stderr);
    assert.equal(added.stdout, 'Added site api-site: hosts api.example.com; upstream http://10.0.0.9:8080\n');
    const taken = await runCli(['sites', 'add', 'other', '--host', 'api.example.com'], env);
    assert.equal(taken.code, 2);
    assert.match(taken.stderr, /api\.example\.com \(site api-site\) already belongs to another site/);
    const list = await runCli(['sites', 'list', '--json'], env);
    assert.equal(list.code, 0, list.stderr);
    assert.ok(JSON.parse(list.stdout).some((site: { slug: string }) => site.slug === 'api-site'));
    const changed = await runCli(['sites', 'set', 'api-site', '--upstream', 'default'], env);
    assert.equal(changed.code, 0, changed.stderr);
    assert.match(changed.stdout, /upstream UPSTREAM_URL/);
    const removed = await runCli(['sites', 'remove', 'api-site'], env);
    assert.equal(removed.code, 0, removed.stderr);
    assert.equal(removed.stdout, 'Removed site api-site: hosts api.example.com; upstream UPSTREAM_URL\nRemoved with it: everything it held.\n');
    assert.equal((await db.query("SELECT 1 FROM sites WHERE slug = 'api-site'")).rowCount, 0);
  });

  it("sends the command to the site's own API below /sites/<slug>", async () => {
    const env = { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', INTERMISSION_URL: gw.url, INTERMISSION_TOKEN: admin };
    const on = await runCli(['maintenance', 'on', '--site', 'docs', '--title', 'Docs rebuild'], env);
    assert.equal(on.code, 0, on.stderr);
    const { rows } = await db.query<{ slug: string }>("SELECT s.slug FROM windows w JOIN sites s ON s.id = w.site_id WHERE w.title = 'Docs rebuild'");
    assert.deepEqual(rows.map((row) => row.slug), ['docs']);
    const missing = await runCli(['status', '--site', 'nope'], env);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /not found \(404\)/);
  });
});
