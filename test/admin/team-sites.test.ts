// Teams, tokens and the audit log with two sites: a person has a role in each site they work in
// and none elsewhere; a token acts in its own site only; each site's audit log holds its own
// entries, and only a global admin reads every site's at once.

import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { api, Browser, makeUser } from '../helpers/admin.js';
import type { TestDatabase } from '../helpers/database.js';
import type { TestGateway } from '../helpers/gateway.js';
import { ADMIN, API } from './fixtures.js';
import { B_MARK, B_SLUG, type SiteACall, useTwoSites } from './sites-fixtures.js';

const twoSites = useTwoSites({ role: 'admin' });
let db: TestDatabase;
let gw: TestGateway;
let call: SiteACall;
let globalAdmin: string;
const PERSON = 'both@example.com';
let personId: string;
let person: Browser;

before(async () => {
  ({ db, gw, call, globalAdmin } = await twoSites);
  personId = await makeUser(gw.pool, PERSON, 'viewer');
  person = new Browser(gw.url);
  await person.signIn(ADMIN, PERSON);
});

const inB = (method: string, path: string, body?: unknown, token = globalAdmin) => api(gw.url, token, method, `${API}/sites/${B_SLUG}${path}`, body);
const roleIn = async (siteCall: typeof inB, id: string) => (await siteCall('GET', '/users')).body.users.find((u: { id: string }) => u.id === id)?.role;

describe('a team per site', () => {
  it('adds someone who has an account to another site’s team with a role of its own there', async () => {
    const added = await inB('POST', '/users', { email: PERSON, role: 'operator' });
    assert.equal(added.status, 201, JSON.stringify(added.body));
    assert.equal(added.body.invite, null, 'an account exists: no invite link');
    assert.equal(await roleIn(inB, personId), 'operator');
    assert.equal(await roleIn(call, personId), 'viewer');
    // A viewer in the first site, an operator in blog: the pages follow the role of the site.
    const window = { title: 'Team test', starts_at: `${new Date().getUTCFullYear() + 1}-07-02T03:00`, duration: '1h', time_zone: 'UTC', kind: 'maintenance', mode: 'block', response: 'render' };
    assert.equal((await person.submit(`${ADMIN}/windows`, window, `${ADMIN}/windows/new`)).status, 403);
    const saved = await person.submit(`${ADMIN}/sites/${B_SLUG}/windows`, window, `${ADMIN}/sites/${B_SLUG}/windows/new`);
    assert.match(saved.url, new RegExp(`^${ADMIN}/sites/${B_SLUG}/windows/\\d+`));
    const made = await db.query<{ slug: string }>("SELECT s.slug FROM windows w JOIN sites s ON s.id = w.site_id WHERE w.title = 'Team test'");
    assert.deepEqual(made.rows, [{ slug: B_SLUG }]);
    const dashboard = await person.get(ADMIN);
    assert.match(dashboard.body, /class="site-switcher"/);
    assert.match(dashboard.body, new RegExp(`href="${ADMIN}/sites/${B_SLUG}"`));
  });

  it('takes someone out of one team, keeping their account and their role elsewhere', async () => {
    const removed = await inB('DELETE', `/users/${personId}`, {});
    assert.equal(removed.status, 200, JSON.stringify(removed.body));
    assert.equal(await roleIn(inB, personId), undefined);
    assert.equal(await roleIn(call, personId), 'viewer');
    assert.equal((await person.raw('GET', `${ADMIN}/sites/${B_SLUG}`)).status, 404, 'a site with no role in it does not exist for them');
    const dashboard = await person.get(ADMIN);
    assert.equal(dashboard.status, 200);
    assert.doesNotMatch(dashboard.body, /class="site-switcher"/, 'one site of theirs left: no switcher');
  });
});

describe('tokens per site', () => {
  it('acts in its own site only, wherever it is sent', async () => {
    const made = await inB('POST', '/tokens', { name: 'blog pipeline', role: 'operator' });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    assert.equal(made.body.token.site, B_SLUG);
    const token: string = made.body.secret;
    const own = await api(gw.url, token, 'GET', `${API}/windows`);
    assert.equal(own.status, 200);
    assert.match(JSON.stringify(own.body), new RegExp(B_MARK), 'the token’s own API is its site’s');
    assert.equal((await api(gw.url, token, 'GET', `${API}/sites/default/windows`)).status, 404);
    assert.equal((await api(gw.url, token, 'POST', `${API}/sites/default/windows`, { title: 'Not mine', duration: '1h' })).status, 404);
    // A site's admin lists that site's tokens; the first site's admin does not see blog's.
    assert.ok((await inB('GET', '/tokens')).body.tokens.some((t: { name: string }) => t.name === 'blog pipeline'));
    assert.ok(!(await call('GET', '/tokens')).body.tokens.some((t: { name: string }) => t.name === 'blog pipeline'));
  });

  it('makes a global token for global admins only', async () => {
    const refused = await call('POST', '/tokens', { name: 'everything', role: 'admin', global: true });
    assert.equal(refused.status, 403, JSON.stringify(refused.body));
    assert.equal((await db.query("SELECT 1 FROM api_tokens WHERE name = 'everything'")).rowCount, 0);
    const made = await call('POST', '/tokens', { name: 'everything', role: 'admin', global: true }, globalAdmin);
    assert.equal(made.status, 201, JSON.stringify(made.body));
    assert.equal(made.body.token.site, null);
  });
});

describe('the audit log per site', () => {
  it('reads a site’s own entries, and every site’s for a global admin only', async () => {
    const own = await call('GET', '/audit?limit=200');
    assert.equal(own.status, 200);
    assert.ok(own.body.entries.length > 0);
    assert.deepEqual([...new Set(own.body.entries.map((e: { site: string }) => e.site))], ['default']);
    const blog = await inB('GET', '/audit?limit=200');
    assert.ok(blog.body.entries.some((e: { action: string; after: { name?: string } | null }) => e.action === 'token.create' && e.after?.name === 'blog pipeline'));
    assert.ok(blog.body.entries.every((e: { site: string }) => e.site === B_SLUG));
    const refused = await call('GET', '/audit?all_sites=true');
    assert.equal(refused.status, 403);
    assert.match(refused.body.error.message, /all_sites/);
    const every = await call('GET', '/audit?all_sites=true&limit=200', undefined, globalAdmin);
    const sites = new Set(every.body.entries.map((e: { site: string | null }) => e.site));
    assert.ok(sites.has('default') && sites.has(B_SLUG) && sites.has(null), [...sites].join(', '));
  });

  it('keeps the all-sites view when the page’s filters are used', async () => {
    const boss = new Browser(gw.url);
    await makeUser(gw.pool, 'boss@example.com', 'admin', { globalAdmin: true });
    await boss.signIn(ADMIN, 'boss@example.com');
    const page = await boss.get(`${ADMIN}/audit?all_sites=true`);
    assert.match(page.body, /<th scope="col">Site<\/th>/);
    assert.match(page.body, /<input type="hidden" name="all_sites" value="true">/);
    const filtered = await boss.get(`${ADMIN}/audit?all_sites=true&action=token.create`);
    assert.match(filtered.body, /<th scope="col">Site<\/th>/);
    assert.match(filtered.body, new RegExp(`<td>${B_SLUG}</td>`));
    assert.match(filtered.body, /href="\/admin\/audit\?all_sites=true">Clear filters/);
    // Each entry links to its object's page in its own site.
    assert.match(filtered.body, new RegExp(`<a href="${ADMIN}/sites/${B_SLUG}/tokens">API token #\\d+ “blog pipeline”</a>`));
    assert.match(filtered.body, new RegExp(`<a href="${ADMIN}/tokens">API token #\\d+ “everything”</a>`));
  });
});
