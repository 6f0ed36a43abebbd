// Managing sites from the admin area, as a global admin: through the API and through the pages a
// site is added, changed and removed, each in force on the gateway within a second and audited;
// bad input is refused naming the field and leaves every site as it was; nobody else may do it.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { api, type Browser, makeToken, signedIn } from '../helpers/admin.js';
import type { TestDatabase } from '../helpers/database.js';
import { type TestGateway, waitFor } from '../helpers/gateway.js';
import { useGateway } from '../helpers/harness.js';
import { request } from '../helpers/http.js';
import { startUpstream, type Upstream } from '../helpers/upstream.js';
import { ADMIN, API } from './fixtures.js';

const harness = useGateway();
let db: TestDatabase;
let gw: TestGateway;
let shopUpstream: Upstream;
let blogUpstream: Upstream;
let globalAdmin: string;
let siteAdmin: string;
let boss: Browser;

before(async () => {
  ({ db, gw, upstream: shopUpstream } = await harness);
  blogUpstream = await startUpstream();
  globalAdmin = await makeToken(gw.pool, 'admin', 'everywhere', null, null);
  siteAdmin = await makeToken(gw.pool, 'admin', 'site-admin', null, 'default');
  boss = await signedIn(gw.pool, gw.url, ADMIN, 'admin', 'boss@example.com', { globalAdmin: true });
});

after(async () => {
  await blogUpstream?.close();
});

const call = (method: string, path: string, body?: unknown, token = globalAdmin) => api(gw.url, token, method, `${API}${path}`, body);

/** Which upstream answered a request for this host: 'shop' (UPSTREAM_URL), 'blog', or the status code. */
async function routedTo(host: string): Promise<string> {
  const before = blogUpstream.seen.length;
  const res = await request(`${gw.url}/echo`, { headers: { host } });
  if (res.status !== 200) return String(res.status);
  return blogUpstream.seen.length > before ? 'blog' : 'shop';
}

/** Every site with its hosts and upstream, to show a refused change left them as they were. */
async function allSites(): Promise<string> {
  const { rows } = await db.query<{ s: string }>(
    `SELECT string_agg(concat_ws(' ', s.slug, s.upstream_url, s.is_default, (SELECT string_agg(host, ',' ORDER BY host) FROM site_hosts h WHERE h.site_id = s.id)), '; ' ORDER BY s.slug) AS s FROM sites s`,
  );
  return rows[0]!.s;
}

const auditActions = async (slug: string) =>
  (await db.query<{ action: string }>("SELECT action FROM audit_log WHERE kind = 'sites' AND (after->>'slug' = $1 OR before->>'slug' = $1) ORDER BY id", [slug])).rows.map((r) => r.action);

describe('one site', () => {
  it('shows nothing of sites, but to a global admin the way to add one in Settings', async () => {
    const siteAdmin = await signedIn(gw.pool, gw.url, ADMIN, 'admin', 'one-site-admin@example.com', { globalAdmin: false });
    for (const browser of [siteAdmin, boss]) {
      for (const path of ['', '/windows', '/components', '/incidents', '/health', '/audit', '/users', '/tokens']) {
        const page = await browser.get(`${ADMIN}${path}`);
        assert.equal(page.status, 200, path);
        assert.doesNotMatch(page.body, /\/sites\b|site-switcher|slug|all_sites/i, `${path || '/'} mentions sites`);
      }
    }
    assert.doesNotMatch((await siteAdmin.get(`${ADMIN}/settings`)).body, /\/sites\b/);
    assert.match((await boss.get(`${ADMIN}/settings`)).body, new RegExp(`<a href="${ADMIN}/sites">Add a site</a>`));
    // A pipeline's answers name no site either.
    const pipeline = await makeToken(gw.pool, 'operator', 'pipeline');
    const made = await call('POST', '/windows', { title: 'One-site window', duration: '1h', starts_at: new Date(Date.now() + 86_400_000).toISOString() }, pipeline);
    assert.equal(made.status, 201, JSON.stringify(made.body));
    const windows = await call('GET', '/windows', undefined, pipeline);
    assert.match(JSON.stringify(windows.body), /One-site window/);
    assert.doesNotMatch(JSON.stringify(windows.body), /"site/);
    assert.equal((await call('DELETE', `/windows/${made.body.window.id}`, {}, pipeline)).status, 200);
  });
});

describe('sites through the API', () => {
  it('adds a site whose host reaches its own upstream within a second, and reads it back', async () => {
    const added = await call('POST', '/sites', { slug: 'blog', hosts: ['blog.example.com', '*.blog.example.com'], upstream: blogUpstream.url });
    assert.equal(added.status, 201, JSON.stringify(added.body));
    assert.deepEqual(added.body.hosts, ['*.blog.example.com', 'blog.example.com']);
    const took = await waitFor(async () => (await routedTo('eu.blog.example.com')) === 'blog', 1000, 'the new site routes');
    assert.ok(took < 1000);
    assert.equal(await routedTo('blog.example.com'), 'blog');
    assert.equal(await routedTo('shop.example.com'), 'shop', 'other hosts still reach the default site');
    assert.equal((await call('GET', '/sites/blog')).body.upstream, blogUpstream.url);
    assert.deepEqual((await call('GET', '/sites')).body.sites.map((s: { slug: string }) => s.slug).sort(), ['blog', 'default']);
  });

  it('replaces the hosts of a site and moves the default flag to it, in force within a second', async () => {
    const changed = await call('PATCH', '/sites/blog', { hosts: ['news.example.com'], default: true });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    await waitFor(async () => (await routedTo('news.example.com')) === 'blog', 1000, 'the new host routes');
    // blog.example.com is no longer named: the default site answers it, and that is blog now.
    assert.equal(await routedTo('anything.example.org'), 'blog');
    assert.equal((await call('GET', '/sites/default')).body.default, false);
    const back = await call('PATCH', '/sites/default', { default: true });
    assert.equal(back.status, 200, JSON.stringify(back.body));
    await waitFor(async () => (await routedTo('anything.example.org')) === 'shop', 1000, 'the default moved back');
  });

  it('refuses bad input with 400 naming the field, and changes no site', async () => {
    const before_ = await allSites();
    const refusals: [string, string, unknown, RegExp][] = [
      ['POST', '/sites', { slug: 'Blog!', hosts: ['x.example.com'] }, /slug/],
      ['POST', '/sites', { slug: 'api', hosts: ['x.example.com'] }, /slug \\"api\\" is a path of the status page/],
      ['POST', '/sites', { slug: 'news', hosts: ['news.example.com'] }, /news\.example\.com \(site blog\)/],
      ['POST', '/sites', { slug: 'news', hosts: ['*.*.example.com'] }, /hosts/],
      ['POST', '/sites', { slug: 'news', hosts: ['n.example.com'], upstream: 'ftp://files.example.com' }, /upstream/],
      ['POST', '/sites', { slug: 'news', hosts: ['n.example.com'], colour: 'red' }, /colour/],
      ['POST', '/sites', { slug: 'blog', hosts: ['n.example.com'] }, /blog/],
      ['PATCH', '/sites/blog', {}, /nothing to change/],
      ['PATCH', '/sites/blog', { default: 'yes' }, /default/],
    ];
    for (const [method, path, body, message] of refusals) {
      const res = await call(method, path, body);
      assert.equal(res.status, 400, `${method} ${JSON.stringify(body)}: ${res.status} ${JSON.stringify(res.body)}`);
      assert.match(JSON.stringify(res.body), message, JSON.stringify(body));
    }
    assert.equal(await allSites(), before_);
  });

  it('lets only global admins add, change or remove sites', async () => {
    const before_ = await allSites();
    assert.equal((await call('POST', '/sites', { slug: 'mine', hosts: ['mine.example.com'] }, siteAdmin)).status, 403);
    assert.equal((await call('PATCH', '/sites/default', { upstream: 'http://10.0.0.1' }, siteAdmin)).status, 403);
    assert.equal((await call('DELETE', '/sites/default', {}, siteAdmin)).status, 403);
    assert.equal((await boss.raw('GET', `${ADMIN}/sites`)).status, 200);
    assert.equal(await allSites(), before_);
  });

  it('removes a site with everything in it, stops routing to it, and keeps the last one', async () => {
    const component = await call('POST', '/sites/blog/components', { name: 'Comments' });
    assert.equal(component.status, 201, JSON.stringify(component.body));
    const removed = await call('DELETE', '/sites/blog', {});
    assert.equal(removed.status, 200, JSON.stringify(removed.body));
    assert.equal((await db.query("SELECT 1 FROM components WHERE name = 'Comments'")).rowCount, 0);
    await waitFor(async () => (await routedTo('news.example.com')) === 'shop', 1000, 'the removed site no longer routes');
    // Two changes: the PATCH above, and the default flag moving back away from it.
    assert.deepEqual(await auditActions('blog'), ['site.create', 'site.update', 'site.update', 'site.delete']);
    const last = await call('DELETE', '/sites/default', {});
    assert.equal(last.status, 400);
    assert.match(last.body.error.message, /only one/);
  });
});

describe('the sites pages', () => {
  it('adds a site from the form, and shows the error beside the values typed when a host is taken', async () => {
    const added = await boss.submit(`${ADMIN}/sites`, { slug: 'docs', hosts: 'docs.example.com\n*.docs.example.com', upstream: '' });
    assert.equal(added.status, 200);
    assert.match(added.body, /Added site docs/);
    assert.match(added.body, /its status page at \/status\/&lt;slug&gt; on any host/);
    assert.match(added.body, /\*\.docs\.example\.com, docs\.example\.com/, 'the list shows its hosts');
    const refused = await boss.submit(`${ADMIN}/sites`, { slug: 'docs-two', hosts: 'two.example.com\ndocs.example.com', upstream: blogUpstream.url }, `${ADMIN}/sites`);
    assert.equal(refused.status, 400);
    assert.match(refused.body, /docs\.example\.com \(site docs\) already belongs to another site/);
    assert.match(refused.body, /value="docs-two"/, 'the slug typed is kept');
    assert.ok(refused.body.includes(`value="${blogUpstream.url}"`), 'the upstream typed is kept');
    assert.equal((await db.query("SELECT 1 FROM sites WHERE slug = 'docs-two'")).rowCount, 0);
    await waitFor(async () => /<title>[^<]*docs/.test((await request(`${gw.url}/status`, { headers: { host: 'www.docs.example.com', accept: 'text/html' } })).body), 1000, 'the docs site serves its own page');
  });

  it('changes a site’s upstream from its page, and removes it only after a confirmation', async () => {
    const saved = await boss.submit(`${ADMIN}/sites/docs/edit`, { hosts: 'docs.example.com', upstream: blogUpstream.url });
    assert.equal(saved.status, 200);
    assert.match(saved.body, /Saved site docs/);
    await waitFor(async () => (await routedTo('docs.example.com')) === 'blog', 1000, 'docs forwards to its own upstream');
    const asked = await boss.submit(`${ADMIN}/sites/docs/remove`, {}, `${ADMIN}/sites/docs/edit`);
    assert.match(asked.body, /Remove site docs\?/);
    assert.equal((await db.query("SELECT 1 FROM sites WHERE slug = 'docs'")).rowCount, 1, 'nothing removed before the confirmation');
    const done = await boss.submit(`${ADMIN}/sites/docs/remove`, { confirm: 'yes' }, `${ADMIN}/sites/docs/edit`);
    assert.match(done.body, /Removed site docs/);
    assert.equal((await db.query("SELECT 1 FROM sites WHERE slug = 'docs'")).rowCount, 0);
  });

  it('shows the sites pages to global admins only', async () => {
    const siteAdmin = await signedIn(gw.pool, gw.url, ADMIN, 'admin', 'site-admin@example.com', { globalAdmin: false });
    assert.equal((await siteAdmin.raw('GET', `${ADMIN}/sites`)).status, 403);
    assert.equal((await siteAdmin.raw('GET', `${ADMIN}/sites/default/edit`)).status, 403);
    assert.doesNotMatch((await siteAdmin.get(ADMIN)).body, new RegExp(`href="${ADMIN}/sites"`));
  });
});
