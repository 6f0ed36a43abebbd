// Recurring series with two sites: each site lists and changes its own series; another site's is
// "not found" by id and its components cannot be named; and every occurrence, made when a series is
// created or by the expansion job, is a window of the series' own site, naming its components only.

import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { writeAs } from '../../src/audit/write-as.js';
import { expandSeries } from '../../src/maintenance/series.js';
import { api } from '../helpers/admin.js';
import { API } from './fixtures.js';
import { B_MARK, B_SLUG, fingerprint, type TwoSites, useTwoSites } from './sites-fixtures.js';

const twoSites = useTwoSites();
let { db, gw, b, call, globalAdmin } = {} as TwoSites;
before(async () => ({ db, gw, b, call, globalAdmin } = await twoSites));
const nightly = { title: 'Nightly', cron: '30 2 * * *', time_zone: 'UTC', duration: '30m' };

async function sitesOfOccurrences(seriesId: string): Promise<string[]> {
  const { rows } = await db.query<{ site_id: string }>('SELECT DISTINCT site_id::text FROM windows WHERE series_id = $1', [seriesId]);
  return rows.map((row) => row.site_id);
}

describe('series of another site', () => {
  it('lists only its own site’s series, and answers 404 for another’s by id, changing nothing', async () => {
    await call('POST', '/series', nightly);
    const list = await call('GET', '/series');
    assert.deepEqual(list.body.series.map((s: { title: string }) => s.title), ['Nightly']);
    const before = await fingerprint(db, b.siteId);
    for (const [method, body] of [['GET'], ['PATCH', { title: 'taken over' }], ['DELETE', {}]] as const) {
      const res = await call(method, `/series/${b.series}`, body);
      assert.equal(res.status, 404, `${method}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.error.message, `there is no series #${b.series}`);
    }
    assert.equal(await fingerprint(db, b.siteId), before);
  });

  it('refuses another site’s component on a series with a 400 naming it, and makes no occurrence', async () => {
    const res = await call('POST', '/series', { ...nightly, title: 'With B', component_ids: [b.component] });
    assert.equal(res.status, 400);
    assert.equal(res.body.error.field, 'component_ids');
    assert.match(res.body.error.message, new RegExp(`\\b${b.component}\\b`));
    const { rows } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM windows WHERE title = 'With B'");
    assert.equal(rows[0]!.n, 0);
  });

  it('makes the occurrences of a series created under /sites/blog blog’s windows, with blog’s component', async () => {
    const res = await api(gw.url, globalAdmin, 'POST', `${API}/sites/${B_SLUG}/series`, { ...nightly, title: 'Blog nightly', component_ids: [b.component] });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.ok(res.body.occurrences.length > 0);
    assert.deepEqual(await sitesOfOccurrences(res.body.series.id), [b.siteId]);
    assert.deepEqual(res.body.occurrences[0].component_ids, [b.component]);
  });

  it('expands a series written in plain SQL into windows of its own site, naming only that site’s components, which are all it may name', async () => {
    const own = await call('POST', '/components', { name: 'Own component' });
    // A component id of the default site slipped into B's series by hand is refused by the database.
    await assert.rejects(db.query('UPDATE window_series SET component_ids = $2 WHERE id = $1', [b.series, [b.component, own.body.id]]), /is in another site/);
    await db.query('UPDATE window_series SET component_ids = $2 WHERE id = $1', [b.series, [b.component]]);
    const expansion = await writeAs(gw.pool, 'system', 'series.expand', (client) => expandSeries(client, 3));
    assert.ok(expansion.created > 0);
    assert.deepEqual(await sitesOfOccurrences(b.series), [b.siteId]);
    const { rows } = await db.query<{ component_id: string }>(
      'SELECT DISTINCT wc.component_id::text FROM window_components wc JOIN windows w ON w.id = wc.window_id WHERE w.series_id = $1',
      [b.series],
    );
    assert.deepEqual(rows.map((row) => row.component_id), [b.component]);
    const listed = await call('GET', '/windows');
    assert.doesNotMatch(JSON.stringify(listed.body), new RegExp(B_MARK), 'B’s occurrences are not the default site’s windows');
  });
});
