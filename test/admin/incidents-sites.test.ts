// Incidents with two sites: each site lists and changes its own incidents; another site's incident
// is "not found" by id (its timeline too), and its components cannot be named on one's own.

import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { signedIn } from '../helpers/admin.js';
import { ADMIN } from './fixtures.js';
import { B_MARK, B_SLUG, fingerprint, type TwoSites, useTwoSites } from './sites-fixtures.js';

const twoSites = useTwoSites();
let { db, gw, b, call, member: operator } = {} as TwoSites;
before(async () => ({ db, gw, b, call, member: operator } = await twoSites));

describe('incidents of another site', () => {
  it('lists only its own site’s incidents, open and resolved', async () => {
    await call('POST', '/incidents', { title: 'Slow checkout', body: 'Looking into it.' });
    for (const query of ['', '?state=open', '?state=resolved']) {
      const res = await call('GET', `/incidents${query}`);
      assert.equal(res.status, 200);
      assert.doesNotMatch(JSON.stringify(res.body), new RegExp(B_MARK));
    }
  });

  it('answers 404 for another site’s incident by id, to reads and changes, and changes nothing of it', async () => {
    const before = await fingerprint(db, b.siteId);
    const attempts: [string, string, unknown?][] = [
      ['GET', `/incidents/${b.incident}`],
      ['GET', `/incidents/${b.incident}/updates`],
      ['PATCH', `/incidents/${b.incident}`, { title: 'taken over' }],
      ['POST', `/incidents/${b.incident}/updates`, { body: 'Fixed by someone else', issue_fixed: true }],
    ];
    for (const [method, path, body] of attempts) {
      const res = await call(method, path, body);
      assert.equal(res.status, 404, `${method} ${path}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.error.message, `there is no incident #${b.incident}`);
    }
    assert.equal(await fingerprint(db, b.siteId), before);
  });

  it('refuses another site’s component on an incident with a 400 naming it, and reports nothing', async () => {
    const count = async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM incidents')).rows[0]!.n;
    const incidents = await count();
    const res = await call('POST', '/incidents', { title: 'Blog is slow', body: 'x', component_ids: [b.component] });
    assert.equal(res.status, 400);
    assert.equal(res.body.error.field, 'component_ids');
    assert.match(res.body.error.message, new RegExp(`\\b${b.component}\\b`));
    assert.equal(await count(), incidents);
    const own = await call('POST', '/incidents', { title: 'Own', body: 'x' });
    const edited = await call('PATCH', `/incidents/${own.body.incident.id}`, { component_ids: [b.component] });
    assert.equal(edited.status, 400);
    assert.deepEqual((await call('GET', `/incidents/${own.body.incident.id}`)).body.component_ids, []);
  });

  it('shows the other site’s incident on its own pages, and posts its updates there', async () => {
    const browser = await signedIn(gw.pool, gw.url, ADMIN, 'operator', 'blog-incidents@example.com', { site: B_SLUG });
    const base = `${ADMIN}/sites/${B_SLUG}`;
    const page = await browser.get(`${base}/incidents/${b.incident}`);
    assert.equal(page.status, 200);
    assert.match(page.body, new RegExp(`${B_MARK} outage`));
    const posted = await browser.submit(`${base}/incidents/${b.incident}/updates`, { body: 'Found it.', status: 'identified' });
    assert.equal(posted.url, `${base}/incidents/${b.incident}`);
    assert.match(posted.body, /Found it\./);
    const { rows } = await db.query<{ site_id: string }>("SELECT site_id::text FROM updates WHERE body = 'Found it.'");
    assert.deepEqual(rows.map((row) => row.site_id), [b.siteId]);
  });
});
