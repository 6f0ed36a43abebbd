// Bypass links with two sites: each site lists and revokes its own links; another site's link is
// "not found" by id; a link made for a site points at one of that site's hosts, where it works.

import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { api } from '../helpers/admin.js';
import { request } from '../helpers/http.js';
import { API } from './fixtures.js';
import { B_HOST, B_MARK, B_SLUG, fingerprint, type TwoSites, useTwoSites } from './sites-fixtures.js';

const twoSites = useTwoSites();
let { db, gw, b, call, globalAdmin } = {} as TwoSites;
before(async () => ({ db, gw, b, call, globalAdmin } = await twoSites));

describe('bypass links of another site', () => {
  it('lists only its own site’s links, and answers 404 for another’s by id, revoking nothing', async () => {
    await call('POST', '/bypass-links', { note: 'Site A tester' });
    const list = await call('GET', '/bypass-links');
    assert.deepEqual(list.body.links.map((l: { note: string }) => l.note), ['Site A tester']);
    const before = await fingerprint(db, b.siteId);
    for (const method of ['GET', 'DELETE']) {
      const res = await call(method, `/bypass-links/${b.link}`, method === 'DELETE' ? {} : undefined);
      assert.equal(res.status, 404, `${method}: ${JSON.stringify(res.body)}`);
    }
    assert.equal(await fingerprint(db, b.siteId), before);
    assert.doesNotMatch(JSON.stringify(list.body), new RegExp(B_MARK));
  });

  it('points a link made for another site at that site’s host, where it lets its holder through', async () => {
    const made = await api(gw.url, globalAdmin, 'POST', `${API}/sites/${B_SLUG}/bypass-links`, { note: 'Blog tester' });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    const url = new URL(made.body.url);
    assert.equal(url.hostname, B_HOST);
    const { rows } = await db.query<{ site_id: string }>('SELECT site_id::text FROM bypass_links WHERE id = $1', [made.body.id]);
    assert.equal(rows[0]!.site_id, b.siteId);
    // Opened on the blog's host, through this gateway, it sets the bypass cookie.
    const path = `${url.pathname}${url.search}`;
    const opened = await request(`${gw.url}${path}`, { headers: { host: B_HOST } });
    assert.ok(opened.status < 400, `${opened.status} ${opened.body}`);
    assert.match(String(opened.headers['set-cookie'] ?? ''), /=/);
    // On the default site's host it is refused, as an unknown link.
    assert.equal((await request(`${gw.url}${path}`)).status, 403);
  });
});
