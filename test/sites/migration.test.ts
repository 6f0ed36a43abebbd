// Migrating a single-site database to sites: a database filled by the schema before sites (001-006)
// is migrated to the current schema, and every row is still there, belongs to the default site, and
// the gateway serves it as before.

import assert from 'node:assert/strict';
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { migrate, MIGRATIONS_DIR } from '../../src/db/migrate.js';
import { createPool } from '../../src/db/pool.js';
import { createLogger } from '../../src/log.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { createTestDatabase, stopTestServer, type TestDatabase } from '../helpers/database.js';
import { request } from '../helpers/http.js';
import { startUpstream, type Upstream } from '../helpers/upstream.js';

const silent = createLogger('silent');
// The last migration before sites.
const BEFORE_SITES = 6;

// What a busy single-site installation holds: every table that now belongs to a site, with rows
// that point at each other, plus people, tokens and history.
const FILL = `
  INSERT INTO component_groups (name) VALUES ('Core');
  INSERT INTO components (name, status, group_id) VALUES ('API', 'operational', (SELECT id FROM component_groups)),
                                                         ('Checkout', 'degraded_performance', NULL);
  INSERT INTO windows (title, message, starts_at, ends_at) VALUES
    ('Database upgrade', 'Moving to new disks.', now() - interval '10 minutes', now() + interval '1 hour'),
    ('Last week', '', now() - interval '7 days', now() - interval '6 days');
  INSERT INTO window_components SELECT w.id, c.id FROM windows w, components c WHERE w.title = 'Database upgrade' AND c.name = 'API';
  INSERT INTO updates (window_id, body) SELECT id, 'Started on time.' FROM windows WHERE title = 'Database upgrade';
  INSERT INTO updates (body) VALUES ('A general notice.');
  INSERT INTO incidents (title, status, impact) VALUES ('Slow checkout', 'identified', 'minor');
  INSERT INTO incident_components SELECT i.id, c.id FROM incidents i, components c WHERE c.name = 'Checkout';
  INSERT INTO updates (incident_id, status, body) SELECT id, 'identified', 'A slow query.' FROM incidents;
  INSERT INTO bypass_links (note, expires_at) VALUES ('QA', now() + interval '1 day');
  INSERT INTO window_series (title, cron, time_zone, duration) VALUES ('Weekly', '0 3 * * 1', 'Europe/Berlin', interval '1 hour');
  INSERT INTO webhooks (url, events, secret) VALUES ('http://127.0.0.1:9/hook', '{window.started}', 'a-secret-of-sixteen-chars');
  INSERT INTO events (type, data) VALUES ('window.started', '{"window": {"id": 1}}');
  INSERT INTO outages (detected_by, cause, ended_at) VALUES ('health_check', 'HTTP 502', now());
  INSERT INTO held_requests (window_id, count) SELECT id, 42 FROM windows WHERE title = 'Last week';
  UPDATE settings SET site_name = 'Acme Shop', support_email = 'help@acme.test', brand_color = '#1a7f37', reminder_minutes = 30;
  UPDATE upstream_health SET failures = 2;
  INSERT INTO users (email, name, role, password_hash) VALUES ('admin@acme.test', 'Ada', 'admin', 'x'), ('ops@acme.test', 'Otto', 'operator', 'x');
  INSERT INTO api_tokens (name, token_hash, prefix, role) VALUES ('deploy', 'hash-deploy', 'imt_dep', 'operator'), ('root', 'hash-root', 'imt_roo', 'admin');
`;

const SITE_TABLES = ['components', 'component_groups', 'windows', 'window_series', 'incidents', 'updates', 'bypass_links', 'webhooks', 'outages', 'events', 'settings', 'upstream_health'];
const OTHER_TABLES = ['window_components', 'incident_components', 'held_requests', 'webhook_deliveries', 'users', 'api_tokens', 'audit_log', 'component_status_changes'];

async function counts(db: TestDatabase, tables: string[]): Promise<Record<string, number>> {
  const result: Record<string, number> = {};
  for (const table of tables) result[table] = Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]!.n);
  return result;
}

describe('migrating a single-site database to sites', () => {
  let db: TestDatabase;
  let dir: string;
  let before_: Record<string, number>;
  let pageId: string;
  let upstream: Upstream;
  let gw: TestGateway | undefined;

  before(async () => {
    db = await createTestDatabase({ migrated: false });
    dir = await mkdtemp(path.join(os.tmpdir(), 'im-before-sites-'));
    for (const file of await readdir(MIGRATIONS_DIR)) {
      if (Number.parseInt(file, 10) <= BEFORE_SITES) await cp(path.join(MIGRATIONS_DIR, file), path.join(dir, file));
    }
    const pool = createPool({ url: db.url, log: silent, max: 2 });
    try {
      await migrate(pool, silent, dir);
      await db.query(FILL);
      before_ = await counts(db, [...SITE_TABLES, ...OTHER_TABLES]);
      pageId = (await db.query<{ page_id: string }>('SELECT page_id FROM settings')).rows[0]!.page_id;
      await migrate(pool, silent);
    } finally {
      await pool.end();
    }
    upstream = await startUpstream();
  });
  after(async () => {
    await gw?.close();
    await upstream?.close();
    await db?.drop();
    await rm(dir, { recursive: true, force: true });
    await stopTestServer();
  });

  it('keeps every row, and the audit log only grows', async () => {
    const now = await counts(db, [...SITE_TABLES, ...OTHER_TABLES]);
    for (const table of [...SITE_TABLES, ...OTHER_TABLES]) {
      if (table === 'audit_log') assert.ok(now[table]! >= before_[table]!, 'audit_log lost entries');
      else assert.equal(now[table], before_[table], `${table} has ${now[table]} rows, had ${before_[table]}`);
    }
  });

  it('gives every row to one default site that answers every host', async () => {
    const sites = (await db.query<{ id: string; slug: string; is_default: boolean; upstream_url: string | null }>('SELECT id::text, slug, is_default, upstream_url FROM sites')).rows;
    assert.deepEqual(sites.map(({ slug, is_default, upstream_url }) => ({ slug, is_default, upstream_url })), [{ slug: 'default', is_default: true, upstream_url: null }]);
    assert.equal((await db.query('SELECT 1 FROM site_hosts')).rowCount, 0);
    for (const table of SITE_TABLES) {
      const { rows } = await db.query<{ site_id: string }>(`SELECT DISTINCT site_id::text FROM ${table}`);
      assert.deepEqual(rows.map((row) => row.site_id), [sites[0]!.id], `${table} rows belong to the default site`);
    }
    const { rows } = await db.query<{ n: string }>('SELECT count(*) AS n FROM audit_log WHERE site_id IS DISTINCT FROM $1', [sites[0]!.id]);
    assert.equal(Number(rows[0]!.n), 0, 'every earlier audit entry is recorded as the default site');
  });

  it("keeps the site's settings, page id and upstream health", async () => {
    const settings = (await db.query('SELECT site_name, support_email, brand_color, reminder_minutes, page_id FROM settings')).rows;
    assert.deepEqual(settings, [{ site_name: 'Acme Shop', support_email: 'help@acme.test', brand_color: '#1a7f37', reminder_minutes: 30, page_id: pageId }]);
    assert.deepEqual((await db.query('SELECT state, failures FROM upstream_health')).rows, [{ state: 'up', failures: 2 }]);
  });

  it('keeps everyone\'s role in the one site, admins acting in every site, and tokens where they acted', async () => {
    const people = await db.query(
      `SELECT u.email, u.global_admin, s.slug, m.role FROM users u
       LEFT JOIN site_members m ON m.user_id = u.id LEFT JOIN sites s ON s.id = m.site_id ORDER BY u.email`,
    );
    assert.deepEqual(people.rows, [
      { email: 'admin@acme.test', global_admin: true, slug: 'default', role: 'admin' },
      { email: 'ops@acme.test', global_admin: false, slug: 'default', role: 'operator' },
    ]);
    const tokens = await db.query('SELECT t.name, t.role, s.slug FROM api_tokens t LEFT JOIN sites s ON s.id = t.site_id ORDER BY t.name');
    assert.deepEqual(tokens.rows, [
      { name: 'deploy', role: 'operator', slug: 'default' },
      { name: 'root', role: 'admin', slug: null },
    ]);
  });

  it('serves the same pages from the migrated data', async () => {
    gw = await startGateway(db.url, upstream.url);
    const held = await request(`${gw.url}/cart`, { headers: { host: 'any.example.org', accept: 'text/html' } });
    assert.equal(held.status, 503);
    assert.match(held.body, /Database upgrade/);
    const summary = JSON.parse((await request(`${gw.url}/status/api/v2/summary.json`)).body) as { page: { id: string; name: string }; components: { name: string }[] };
    assert.equal(summary.page.id, pageId);
    assert.equal(summary.page.name, 'Acme Shop');
    assert.deepEqual(summary.components.map((component) => component.name).sort(), ['API', 'Checkout', 'Core']);
  });

  it('lets a new site reuse component names the first site has', async () => {
    await db.query("INSERT INTO sites (slug) VALUES ('second')");
    await db.query("INSERT INTO components (name, site_id) SELECT 'API', id FROM sites WHERE slug = 'second'");
    await assert.rejects(db.query("INSERT INTO components (name) VALUES ('API')"), /components_name_unique/);
  });
});
