// Settings with two sites: each site's settings page and endpoints read and save that site's row
// only, with that site's defaults (the environment's for the default site, the slug for another);
// its health settings may name only its own components.

import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { api, signedIn } from '../helpers/admin.js';
import { ADMIN, API } from './fixtures.js';
import { B_MARK, B_SLUG, fingerprint, type TwoSites, useTwoSites } from './sites-fixtures.js';

const twoSites = useTwoSites({ role: 'admin', env: { SITE_NAME: 'Example Shop', SUPPORT_EMAIL: 'help@shop.example.com' } });
let { db, gw, b, call, globalAdmin, member: admin } = {} as TwoSites;
before(async () => ({ db, gw, b, call, globalAdmin, member: admin } = await twoSites));

describe('settings of two sites', () => {
  it('reads and saves its own site’s settings only', async () => {
    const before = await fingerprint(db, b.siteId);
    const saved = await call('PATCH', '/settings', { site_name: 'The Shop', brand_color: '#112233' });
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
    assert.equal(saved.body.site_name, 'The Shop');
    assert.deepEqual(saved.body.defaults, { site_name: 'Example Shop', support_email: 'help@shop.example.com' });
    assert.equal(await fingerprint(db, b.siteId), before, 'the other site’s settings are untouched');
    const other = await api(gw.url, globalAdmin, 'GET', `${API}/sites/${B_SLUG}/settings`);
    assert.equal(other.body.site_name, `${B_MARK} name`);
    assert.equal(other.body.brand_color, null);
    assert.deepEqual(other.body.defaults, { site_name: B_SLUG, support_email: null }, 'another site does not borrow the environment’s e-mail');
  });

  it('shows and saves the other site’s settings on its own page', async () => {
    const browser = await signedIn(gw.pool, gw.url, ADMIN, 'admin', 'blog-admin@example.com', { site: B_SLUG, globalAdmin: false });
    const base = `${ADMIN}/sites/${B_SLUG}`;
    const page = await browser.get(`${base}/settings`);
    assert.equal(page.status, 200);
    assert.match(page.body, new RegExp(`value="${B_MARK} name"`));
    assert.match(page.body, new RegExp(`href="/status/${B_SLUG}"`));
    const saved = await browser.submit(`${base}/settings`, { site_name: 'The Blog', support_email: '', logo_url: '', brand_color: '', footer_text: '' });
    assert.equal(saved.url, `${base}/settings`);
    const { rows } = await db.query<{ site_id: string }>("SELECT site_id::text FROM settings WHERE site_name = 'The Blog'");
    assert.deepEqual(rows.map((row) => row.site_id), [b.siteId]);
    assert.equal((await call('GET', '/settings')).body.site_name, 'The Shop');
  });

  it('refuses another site’s component as the upstream’s with a 400 naming it', async () => {
    const res = await call('PATCH', '/health/settings', { upstream_component_id: b.component });
    assert.equal(res.status, 400);
    assert.equal(res.body.error.field, 'upstream_component_id');
    assert.match(res.body.error.message, new RegExp(`#${b.component}\\b`));
    const own = await api(gw.url, globalAdmin, 'PATCH', `${API}/sites/${B_SLUG}/health/settings`, { upstream_component_id: b.component, auto_incidents: false });
    assert.equal(own.status, 200, JSON.stringify(own.body));
    const { rows } = await db.query<{ site_id: string; upstream_component_id: string | null; auto_incidents: boolean }>(
      'SELECT site_id::text, upstream_component_id::text, auto_incidents FROM settings ORDER BY site_id',
    );
    assert.deepEqual(rows.find((row) => row.site_id === b.siteId), { site_id: b.siteId, upstream_component_id: b.component, auto_incidents: false });
    assert.equal(rows.find((row) => row.site_id !== b.siteId)!.upstream_component_id, null);
    assert.equal((await call('GET', '/health')).body.settings.upstream_component_id, null);
    assert.equal((await api(gw.url, globalAdmin, 'GET', `${API}/sites/${B_SLUG}/health`)).body.settings.upstream_component_id, b.component);
  });
});
