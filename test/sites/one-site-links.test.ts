// The database keeps links within one site, for any writer (here plain SQL, as an SRE or a script
// would write): a window, incident or series names only its own site's components, an update tells
// of its own site's window or incident, a component joins only its own site's group, and no row
// moves to another site. Links within a site, and what deleting one end does, work as before.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, stopTestServer, type TestDatabase } from '../helpers/database.js';

let db: TestDatabase;
const shop = { site: '', component: '', group: '', window: '', incident: '', series: '' };
const blog = { ...shop };

async function id(sql: string, params: unknown[]): Promise<string> {
  return (await db.query<{ id: string }>(`${sql} RETURNING id::text`, params)).rows[0]!.id;
}

async function fill(into: typeof shop, slug: string): Promise<void> {
  into.site = (await db.query<{ id: string }>('SELECT id::text FROM sites WHERE slug = $1', [slug])).rows[0]!.id;
  into.group = await id('INSERT INTO component_groups (site_id, name, position) VALUES ($1, $2, 0)', [into.site, `${slug} group`]);
  into.component = await id('INSERT INTO components (site_id, name, position) VALUES ($1, $2, 0)', [into.site, `${slug} API`]);
  into.window = await id("INSERT INTO windows (site_id, title, starts_at, ends_at) VALUES ($1, 'Upgrade', now() + interval '1 day', now() + interval '25 hours')", [into.site]);
  into.incident = await id("INSERT INTO incidents (site_id, title, status) VALUES ($1, 'Slow', 'investigating')", [into.site]);
  into.series = await id("INSERT INTO window_series (site_id, title, cron, time_zone, duration) VALUES ($1, 'Nightly', '0 3 * * *', 'UTC', interval '1 hour')", [into.site]);
}

/** The SQLSTATE, constraint and message a statement fails with; it must fail. */
async function refusal(sql: string, params: unknown[]): Promise<{ code: string; constraint: string; message: string }> {
  try {
    await db.query(sql, params);
  } catch (err) {
    const { code, constraint, message } = err as { code: string; constraint: string; message: string };
    return { code, constraint, message };
  }
  throw new Error(`not refused: ${sql} ${JSON.stringify(params)}`);
}

before(async () => {
  db = await createTestDatabase();
  await db.query("INSERT INTO sites (slug) VALUES ('blog')");
  await fill(shop, 'default');
  await fill(blog, 'blog');
});

after(async () => {
  await db?.drop();
  await stopTestServer();
});

describe('links between sites', () => {
  it('refuses a component of another site on a window, an incident or a series, naming it', async () => {
    const attempts: [string, unknown[], string][] = [
      ['INSERT INTO window_components (window_id, component_id) VALUES ($1, $2)', [shop.window, blog.component], 'window_components_one_site'],
      ['INSERT INTO incident_components (incident_id, component_id) VALUES ($1, $2)', [shop.incident, blog.component], 'incident_components_one_site'],
      ['UPDATE window_series SET component_ids = ARRAY[$2::bigint, $3::bigint] WHERE id = $1', [shop.series, shop.component, blog.component], 'window_series_components_one_site'],
    ];
    for (const [sql, params, constraint] of attempts) {
      const refused = await refusal(sql, params);
      assert.equal(refused.code, '23514', sql);
      assert.equal(refused.constraint, constraint);
      assert.match(refused.message, new RegExp(`component ${blog.component} is in another site`));
    }
    const links = await db.query('SELECT 1 FROM window_components UNION ALL SELECT 1 FROM incident_components');
    assert.equal(links.rowCount, 0, 'nothing was half-saved');
  });

  it('refuses a group, window, incident, series or component of another site where a row points at one', async () => {
    const attempts: [string, unknown[], string][] = [
      ['UPDATE components SET group_id = $2 WHERE id = $1', [shop.component, blog.group], 'components_group_same_site'],
      ["INSERT INTO updates (site_id, window_id, body) VALUES ($1, $2, 'Note')", [shop.site, blog.window], 'updates_window_same_site'],
      ["INSERT INTO updates (site_id, incident_id, status, body) VALUES ($1, $2, 'identified', 'Note')", [shop.site, blog.incident], 'updates_incident_same_site'],
      ['UPDATE windows SET series_id = $2, occurrence_at = starts_at WHERE id = $1', [shop.window, blog.series], 'windows_series_same_site'],
      ['UPDATE settings SET upstream_component_id = $2 WHERE site_id = $1', [shop.site, blog.component], 'settings_upstream_component_same_site'],
      ["INSERT INTO outages (site_id, detected_by, cause, incident_id) VALUES ($1, 'requests', 'test', $2)", [shop.site, blog.incident], 'outages_incident_same_site'],
    ];
    for (const [sql, params, constraint] of attempts) {
      const refused = await refusal(sql, params);
      assert.deepEqual([refused.code, refused.constraint], ['23503', constraint], sql);
    }
  });

  it('keeps every row in the site it was made in', async () => {
    for (const table of ['components', 'windows', 'incidents', 'window_series', 'component_groups']) {
      const refused = await refusal(`UPDATE ${table} SET site_id = $1 WHERE site_id = $2`, [blog.site, shop.site]);
      assert.equal(refused.code, '23514', table);
      assert.match(refused.message, /cannot move to another site/);
    }
  });
});

describe('links within a site', () => {
  it('links a site’s own rows, and deleting one end clears or removes the link as before', async () => {
    await db.query('INSERT INTO window_components (window_id, component_id) VALUES ($1, $2)', [blog.window, blog.component]);
    await db.query('INSERT INTO incident_components (incident_id, component_id) VALUES ($1, $2)', [blog.incident, blog.component]);
    await db.query('UPDATE window_series SET component_ids = ARRAY[$2::bigint] WHERE id = $1', [blog.series, blog.component]);
    await db.query('UPDATE components SET group_id = $2 WHERE id = $1', [blog.component, blog.group]);
    await db.query('UPDATE windows SET series_id = $2, occurrence_at = starts_at WHERE id = $1', [blog.window, blog.series]);
    await db.query('UPDATE settings SET upstream_component_id = $2 WHERE site_id = $1', [blog.site, blog.component]);
    await db.query("INSERT INTO updates (site_id, incident_id, status, body) VALUES ($1, $2, 'identified', 'Found it')", [blog.site, blog.incident]);
    // Plain SQL that leaves out site_id writes to the default site, and links its rows as ever.
    await db.query('INSERT INTO window_components (window_id, component_id) VALUES ($1, $2)', [shop.window, shop.component]);

    await db.query('DELETE FROM component_groups WHERE id = $1', [blog.group]);
    await db.query('DELETE FROM window_series WHERE id = $1', [blog.series]);
    const component = await db.query('SELECT group_id, site_id::text FROM components WHERE id = $1', [blog.component]);
    assert.deepEqual(component.rows[0], { group_id: null, site_id: blog.site });
    const window = await db.query('SELECT series_id, site_id::text FROM windows WHERE id = $1', [blog.window]);
    assert.deepEqual(window.rows[0], { series_id: null, site_id: blog.site });
    await db.query('DELETE FROM components WHERE id = $1', [blog.component]);
    const settings = await db.query('SELECT upstream_component_id FROM settings WHERE site_id = $1', [blog.site]);
    assert.equal(settings.rows[0]!.upstream_component_id, null);
    await db.query('DELETE FROM incidents WHERE id = $1', [blog.incident]);
    assert.equal((await db.query('SELECT 1 FROM updates WHERE incident_id = $1', [blog.incident])).rowCount, 0);
    assert.equal((await db.query('SELECT 1 FROM window_components WHERE window_id = $1', [shop.window])).rowCount, 1);
  });
});
