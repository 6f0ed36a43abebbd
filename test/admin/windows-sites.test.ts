// Windows with two sites: an operator of the default site lists, reads and changes that site's
// windows only; another site's window is "not found" by id, its components cannot be named, and
// ending all maintenance ends this site's only. Under /sites/<slug> the same routes act in that site.

import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { api, signedIn } from '../helpers/admin.js';
import { ADMIN, API, hiddenFields } from './fixtures.js';
import { B_MARK, B_SLUG, fingerprint, type TwoSites, useTwoSites } from './sites-fixtures.js';

const twoSites = useTwoSites();
let { db, gw, b, call, globalAdmin, member: operator } = {} as TwoSites;
before(async () => ({ db, gw, b, call, globalAdmin, member: operator } = await twoSites));

describe('windows of another site', () => {
  it('lists only its own site’s windows, current and past', async () => {
    await call('POST', '/windows', { title: 'Site A upgrade', starts_at: new Date(Date.now() + 86_400_000).toISOString(), duration: '1h' });
    for (const scope of ['current_and_upcoming', 'past']) {
      const res = await call('GET', `/windows?scope=${scope}`);
      assert.equal(res.status, 200);
      assert.doesNotMatch(JSON.stringify(res.body), new RegExp(B_MARK));
    }
    assert.ok((await call('GET', '/windows')).body.windows.some((w: { title: string }) => w.title === 'Site A upgrade'));
  });

  it('answers 404 for another site’s window by id, to reads and to every change, and changes nothing of it', async () => {
    const before = await fingerprint(db, b.siteId);
    const id = b.window;
    const attempts: [string, string, unknown?][] = [
      ['GET', `/windows/${id}`],
      ['GET', `/windows/${id}/updates`],
      ['PATCH', `/windows/${id}`, { title: 'taken over' }],
      ['POST', `/windows/${id}/extend`, { by: '15m' }],
      ['POST', `/windows/${id}/end`, {}],
      ['DELETE', `/windows/${id}`, {}],
      ['POST', `/windows/${id}/updates`, { body: 'not yours', issue_fixed: false }],
    ];
    for (const [method, path, body] of attempts) {
      const res = await call(method, path, body);
      assert.equal(res.status, 404, `${method} ${path}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.error.code, 'GW_ERR_NOT_FOUND');
      assert.equal(res.body.error.message, `there is no window #${id}`);
    }
    assert.equal(await fingerprint(db, b.siteId), before);
  });

  it('refuses another site’s component on a window with a 400 naming its id, and saves nothing', async () => {
    const count = async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM windows')).rows[0]!.n;
    const windows = await count();
    const scheduled = await call('POST', '/windows', { title: 'Needs B', starts_at: new Date(Date.now() + 86_400_000).toISOString(), duration: '1h', component_ids: [b.component] });
    assert.equal(scheduled.status, 400);
    assert.equal(scheduled.body.error.field, 'component_ids');
    assert.match(scheduled.body.error.message, new RegExp(`\\b${b.component}\\b`));
    const started = await call('POST', '/windows/start', { title: 'Needs B now', component_ids: [b.component] });
    assert.equal(started.status, 400);
    assert.equal(await count(), windows);

    const own = await call('POST', '/windows', { title: 'Own', starts_at: new Date(Date.now() + 86_400_000).toISOString(), duration: '1h' });
    const edited = await call('PATCH', `/windows/${own.body.window.id}`, { component_ids: [b.component] });
    assert.equal(edited.status, 400);
    assert.equal(edited.body.error.field, 'component_ids');
    assert.deepEqual((await call('GET', `/windows/${own.body.window.id}`)).body.component_ids, []);
  });

  it('ends its own site’s maintenance only, and warns of overlaps within the site only', async () => {
    const inB = await db.query<{ id: string }>(
      "INSERT INTO windows (site_id, title, starts_at, ends_at) VALUES ($1, $2, now() - interval '1 minute', now() + interval '1 hour') RETURNING id::text",
      [b.siteId, `${B_MARK} in force`],
    );
    const started = await call('POST', '/windows/start', { title: 'A deploy', duration: '1h' });
    assert.equal(started.status, 201);
    assert.deepEqual(started.body.warnings, [], 'a window of another site is no overlap');
    const ended = await call('POST', '/maintenance/end', {});
    assert.deepEqual(ended.body.ended.map((w: { title: string }) => w.title), ['A deploy']);
    const { rows } = await db.query<{ ended_at: Date | null }>('SELECT ended_at FROM windows WHERE id = $1', [inB.rows[0]!.id]);
    assert.equal(rows[0]!.ended_at, null, 'B’s window is still in force');
  });

  it('acts in the site the URL names: a window scheduled under /sites/blog is blog’s, with blog’s component', async () => {
    const res = await api(gw.url, globalAdmin, 'POST', `${API}/sites/${B_SLUG}/windows`, {
      title: 'Blog migration', starts_at: new Date(Date.now() + 3 * 86_400_000).toISOString(), duration: '30m', component_ids: [b.component],
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const { rows } = await db.query<{ site_id: string }>('SELECT site_id::text FROM windows WHERE id = $1', [res.body.window.id]);
    assert.equal(rows[0]!.site_id, b.siteId);
    assert.equal((await call('GET', `/windows/${res.body.window.id}`)).status, 404);
  });
});

describe('the windows pages of two sites', () => {
  it('schedules from /admin/sites/blog/windows/new and lands on that window’s page under the same prefix', async () => {
    const browser = await signedIn(gw.pool, gw.url, ADMIN, 'operator', 'blog-operator@example.com', { site: B_SLUG });
    const base = `${ADMIN}/sites/${B_SLUG}`;
    const dashboard = await browser.get(base);
    assert.equal(dashboard.status, 200);
    assert.match(dashboard.body, new RegExp(`${B_MARK} upgrade`), 'the dashboard lists the site’s upcoming window');
    assert.doesNotMatch(dashboard.body, /Site A upgrade|A deploy/);
    const list = await browser.get(`${base}/windows`);
    assert.equal(list.status, 200);
    assert.match(list.body, new RegExp(`${B_MARK} upgrade`));
    assert.doesNotMatch(list.body, /Site A upgrade/);
    const saved = await browser.submit(`${base}/windows`, {
      title: 'Blog page window', starts_at: `${new Date().getUTCFullYear() + 1}-07-02T03:00`, duration: '1h', time_zone: 'UTC',
      kind: 'maintenance', mode: 'block', response: 'render', component_ids: [b.component],
    }, `${base}/windows/new`);
    assert.equal(saved.status, 200);
    assert.match(saved.url, new RegExp(`^${base}/windows/\\d+`));
    assert.match(saved.body, /Blog page window/);
    const id = /windows\/(\d+)/.exec(saved.url)![1]!;
    // Its confirmation posts back under the same prefix.
    const confirm = await browser.submit(`${base}/windows/${id}/cancel`, {}, `${base}/windows/${id}`);
    assert.match(confirm.body, new RegExp(`action="${base}/windows/${id}/cancel"`));
    const cancelled = await browser.post(`${base}/windows/${id}/cancel`, hiddenFields(confirm.body));
    assert.equal(cancelled.url, `${base}/windows/${id}`);
    // The default site's pages do not know it; this operator has no role there at all.
    assert.equal((await browser.raw('GET', `${ADMIN}/windows/${id}`)).status, 404);
  });
});
