// `intermission sites` as an SRE runs it: a real process on a real database, judged by its exit
// code, what it prints and the rows it leaves behind. Bad input exits 2 naming what is wrong and
// writes nothing.

import assert from 'node:assert/strict';
import os from 'node:os';
import { after, before, describe, it } from 'node:test';
import { assertOneLineError, type CliResult, runCli } from '../helpers/cli.js';
import { createTestDatabase, stopTestServer, type TestDatabase } from '../helpers/database.js';

let db: TestDatabase;

function run(...args: string[]): Promise<CliResult> {
  return runCli(args, { DATABASE_URL: db.url });
}

async function sites(): Promise<{ slug: string; upstream_url: string | null; is_default: boolean; hosts: string[] }[]> {
  const { rows } = await db.query<{ slug: string; upstream_url: string | null; is_default: boolean; hosts: string[] }>(
    `SELECT s.slug, s.upstream_url, s.is_default,
            coalesce((SELECT array_agg(h.host ORDER BY h.host) FROM site_hosts h WHERE h.site_id = s.id), '{}') AS hosts
     FROM sites s ORDER BY s.slug`,
  );
  return rows;
}

before(async () => {
  db = await createTestDatabase();
});

after(async () => {
  await db.drop();
  await stopTestServer();
});

describe('intermission sites add', () => {
  it('adds a site with its hosts and upstream, in the name of the shell user', async () => {
    const result = await run('sites', 'add', 'shop', '--host', 'Shop.Example.com', '--host', '*.shop.example.com', '--upstream', 'http://10.0.0.5:8080/');
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, 'Added site shop: hosts *.shop.example.com, shop.example.com; upstream http://10.0.0.5:8080\n');
    const shop = (await sites()).find((site) => site.slug === 'shop');
    assert.deepEqual(shop, { slug: 'shop', upstream_url: 'http://10.0.0.5:8080', is_default: false, hosts: ['*.shop.example.com', 'shop.example.com'] });
    const { rows } = await db.query<{ actor: string; action: string }>("SELECT actor, action FROM audit_log WHERE kind = 'sites' ORDER BY id DESC LIMIT 1");
    assert.deepEqual(rows[0], { actor: `cli:${os.userInfo().username}`, action: 'site.create' });
  });

  it('refuses a host another site has, naming the host and its site, and adds nothing', async () => {
    const before = await sites();
    const result = await run('sites', 'add', 'blog', '--host', 'blog.example.com', '--host', 'shop.example.com', '--upstream', 'http://10.0.0.6');
    assertOneLineError(result, /shop\.example\.com \(site shop\) already belongs to another site/);
    assert.deepEqual(await sites(), before);
  });

  it('refuses a bad slug, a bad host, a bad URL and a site with no host, naming each, and adds nothing', async () => {
    const before = await sites();
    assertOneLineError(await run('sites', 'add', 'Blog_1', '--host', 'blog.example.com'), /slug "Blog_1" is not a site slug/);
    assertOneLineError(await run('sites', 'add', 'history', '--host', 'blog.example.com'), /slug "history" is a path of the status page/);
    assertOneLineError(await run('sites', 'add', 'blog', '--host', 'https://blog.example.com/'), /--host "https:\/\/blog\.example\.com\/" is not a host name/);
    assertOneLineError(await run('sites', 'add', 'blog', '--host', 'blog.example.com', '--upstream', 'ftp://blog'), /--upstream/);
    assertOneLineError(await run('sites', 'add', 'blog', '--host', 'blog.example.com', '--upstream', 'not a url'), /--upstream/);
    assertOneLineError(await run('sites', 'add', 'blog'), /at least one --host/);
    assertOneLineError(await run('sites', 'add', 'shop', '--host', 'other.example.com'), /a site named shop exists already/);
    assert.deepEqual(await sites(), before);
  });
});

describe('intermission sites list', () => {
  it('lists every site as a table, and as JSON for scripts', async () => {
    const text = await run('sites', 'list');
    assert.equal(text.code, 0, text.stderr);
    assert.equal(
      text.stdout,
      [
        'SLUG     DEFAULT  UPSTREAM              HOSTS',
        'default  yes      UPSTREAM_URL',
        'shop              http://10.0.0.5:8080  *.shop.example.com, shop.example.com',
        '',
      ].join('\n'),
    );
    const json = await run('sites', 'list', '--json');
    assert.equal(json.code, 0, json.stderr);
    assert.deepEqual(JSON.parse(json.stdout), [
      { slug: 'default', hosts: [], upstream: null, default: true },
      { slug: 'shop', hosts: ['*.shop.example.com', 'shop.example.com'], upstream: 'http://10.0.0.5:8080', default: false },
    ]);
  });
});

describe('intermission sites set', () => {
  it("replaces a site's hosts and upstream, and moves the default to it", async () => {
    const result = await run('sites', 'set', 'shop', '--host', 'shop.example.org', '--upstream', 'http://10.0.0.7:8080', '--default');
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^Changed site shop: hosts shop\.example\.org; upstream http:\/\/10\.0\.0\.7:8080; default/);
    const list = await sites();
    assert.deepEqual(list.map((site) => [site.slug, site.is_default, site.hosts]), [['default', false, []], ['shop', true, ['shop.example.org']]]);
    assert.equal((await run('sites', 'set', 'shop', '--upstream', 'default')).code, 0);
    assert.equal((await sites()).find((site) => site.slug === 'shop')!.upstream_url, null);
  });

  it('refuses a change that names nothing, or a site that does not exist', async () => {
    assertOneLineError(await run('sites', 'set', 'shop'), /nothing to change/);
    const missing = await run('sites', 'set', 'nope', '--default');
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /there is no site nope/);
  });
});

describe('intermission sites remove', () => {
  it('removes a site without asking and says what went with it', async () => {
    const id = (await db.query<{ id: string }>("SELECT id::text FROM sites WHERE slug = 'default'")).rows[0]!.id;
    await db.query("INSERT INTO windows (title, site_id) VALUES ('Upgrade', $1), ('Later', $1)", [id]);
    await db.query("INSERT INTO components (name, site_id) VALUES ('API', $1)", [id]);
    const result = await run('sites', 'remove', 'default');
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, 'Removed site default: no hosts; upstream UPSTREAM_URL\nRemoved with it: 2 windows and 1 component.\n');
    assert.deepEqual((await sites()).map((site) => site.slug), ['shop']);
    assert.equal((await db.query('SELECT 1 FROM windows WHERE site_id = $1', [id])).rowCount, 0);
  });

  it('refuses to remove the last site, and a bad slug', async () => {
    assertOneLineError(await run('sites', 'remove', 'shop'), /site shop is the only one: a gateway needs at least one site/);
    assertOneLineError(await run('sites', 'remove', 'NOPE!'), /slug "NOPE!" is not a site slug/);
    assert.deepEqual((await sites()).map((site) => site.slug), ['shop']);
  });
});
