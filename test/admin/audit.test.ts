// The audit log through the page (any signed-in user) and the API: newest first, who did what to
// which object and which fields changed, filters by actor, kind and action, and keyset pages.

import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { api, Browser, makeToken, signedIn } from '../helpers/admin.js';
import type { TestDatabase } from '../helpers/database.js';
import { waitFor, type TestGateway } from '../helpers/gateway.js';
import { useGateway } from '../helpers/harness.js';
import { ADMIN, API, ESCAPED, SCRIPT } from './fixtures.js';

const harness = useGateway();
let db: TestDatabase;
let gw: TestGateway;
let admin: Browser;
let viewer: Browser;
let deployToken: string;
let viewerToken: string;
let windowId: string;

/** The ids of the entries on an audit page, in the order shown. */
function entryIds(html: string): string[] {
  return [...html.matchAll(/<span class="muted">#(\d+)<\/span><\/td>/g)].map((match) => match[1]!);
}

/** The rows of the audit table, one string of HTML each. */
function entryRows(html: string): string[] {
  const body = html.slice(html.indexOf('<tbody>'), html.indexOf('</tbody>'));
  return body.split('<tr>').slice(1);
}

/** The site's entries (a site's audit log leaves out other sites' and global ones such as a new user). */
async function allIds(where = 'true', params: unknown[] = []): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT id::text FROM audit_log WHERE site_id = (SELECT id FROM sites WHERE is_default) AND ${where} ORDER BY at DESC, id DESC`,
    params,
  );
  return rows.map((row) => row.id);
}

before(async () => {
  ({ db, gw } = await harness);
  admin = await signedIn(gw.pool, gw.url, ADMIN, 'admin', 'admin@example.com');
  viewer = await signedIn(gw.pool, gw.url, ADMIN, 'viewer', 'viewer@example.com');
  deployToken = await makeToken(gw.pool, 'operator', 'deploy');
  viewerToken = await makeToken(gw.pool, 'viewer', 'reader');
  // A history made the ways people make it: a pipeline's token, and an admin on the pages.
  const started = await api(gw.url, deployToken, 'POST', `${API}/windows/start`, { title: `Deploy ${SCRIPT}`, duration: '1h', message: 'Rolling out' });
  assert.equal(started.status, 201);
  windowId = started.body.window.id;
  assert.equal((await api(gw.url, deployToken, 'POST', `${API}/windows/${windowId}/extend`, { by: '15m' })).status, 200);
  assert.equal((await admin.submit(`${ADMIN}/settings`, { site_name: 'Audited Shop', support_email: '', logo_url: '', brand_color: '', footer_text: '' })).status, 200);
  assert.equal((await api(gw.url, deployToken, 'POST', `${API}/bypass-links`, { note: 'QA', duration: '1h' })).status, 201);
  // The lifecycle job records the window's start (actor system) on its next tick; after that the
  // history stays still for the hour the window lasts, so pages and queries agree.
  await waitFor(async () => (await db.query<{ lifecycle: string }>('SELECT lifecycle FROM windows WHERE id = $1', [windowId])).rows[0]!.lifecycle === 'in_progress', 3000, 'the window started by the lifecycle job');
});

describe('the audit log page', () => {
  it('lists every change newest first, with who, the action and the object linked to its page', async () => {
    const page = await viewer.get(`${ADMIN}/audit`);
    assert.equal(page.status, 200);
    assert.deepEqual(entryIds(page.body), await allIds());
    // The newest change a person made; the lifecycle job's rows (actor system) may be newer.
    const rows = entryRows(page.body).filter((row) => !row.includes('<td>system</td>'));
    assert.match(rows[0]!, /token:deploy[\s\S]*bypass_link\.create[\s\S]*<a href="\/admin\/bypass-links">bypass link [0-9a-f]{8} “QA”<\/a>/);
    const extend = rows.find((row) => row.includes('window.extend'))!;
    assert.match(extend, /token:deploy/);
    assert.ok(extend.includes(`<a href="/admin/windows/${windowId}">window #${windowId} “Deploy ${ESCAPED}”</a>`));
  });

  it('shows only the fields a change changed, before and after', async () => {
    const rows = entryRows((await admin.get(`${ADMIN}/audit`)).body);
    const extend = rows.find((row) => row.includes('window.extend'))!;
    assert.match(extend, /<dt>ends_at<\/dt>\s*<dd><del>[^<]+UTC<\/del> → <span>[^<]+UTC<\/span><\/dd>/);
    assert.doesNotMatch(extend, /<dt>title<\/dt>/, 'the title did not change');
    const settings = rows.find((row) => row.includes('settings.update'))!;
    assert.match(settings, /<dt>site_name<\/dt>\s*<dd><del>\(empty\)<\/del> → <span>Audited Shop<\/span>/);
    assert.doesNotMatch(settings, /<dt>footer_text<\/dt>/);
    const start = rows.find((row) => row.includes('window.start'))!;
    assert.match(start, /<dt>title<\/dt>\s*<dd><span>Deploy &lt;script&gt;/, 'a creation shows the values it was given');
  });

  it('renders scripts in any recorded value escaped', async () => {
    const page = await admin.get(`${ADMIN}/audit`);
    assert.ok(!page.body.includes(SCRIPT));
    assert.ok(page.body.includes(ESCAPED));
  });

  it('shows times in the zone the person chose', async () => {
    await db.query("UPDATE users SET time_zone = 'Asia/Tokyo' WHERE email = 'viewer@example.com'");
    const page = await viewer.get(`${ADMIN}/audit`);
    assert.match(page.body, /Times in Asia\/Tokyo/);
    assert.match(entryRows(page.body)[0]!, /GMT\+9|JST/);
    await db.query("UPDATE users SET time_zone = NULL WHERE email = 'viewer@example.com'");
  });

  it('filters by actor, kind and action, offering the values seen', async () => {
    const page = await viewer.get(`${ADMIN}/audit`);
    assert.match(page.body, /<option>token:deploy<\/option>/);
    assert.match(page.body, /<option>user:admin@example.com<\/option>/);
    assert.match(page.body, /<option value="settings">Settings<\/option>/);
    assert.match(page.body, /<option>window.extend<\/option>/);

    const byActor = await viewer.get(`${ADMIN}/audit?actor=${encodeURIComponent('token:deploy')}`);
    assert.deepEqual(entryIds(byActor.body), await allIds('actor = $1', ['token:deploy']));
    assert.match(byActor.body, /<option selected>token:deploy<\/option>/);
    const byKind = await viewer.get(`${ADMIN}/audit?kind=settings`);
    assert.deepEqual(entryIds(byKind.body), await allIds("kind = 'settings'"));
    const byAction = await viewer.get(`${ADMIN}/audit?action=window.extend&kind=windows`);
    assert.deepEqual(entryIds(byAction.body), await allIds("action = 'window.extend' AND kind = 'windows'"));
    assert.equal(entryIds(byAction.body).length, 1);
    const none = await viewer.get(`${ADMIN}/audit?actor=nobody`);
    assert.match(none.body, /No change matches these filters/);
  });

  it('pages through older entries with ?before=, keeping the filters, each entry once', async () => {
    const expected = await allIds();
    assert.ok(expected.length > 8, `${expected.length} entries`);
    const seen: string[] = [];
    let path: string | null = `${ADMIN}/audit?limit=3`;
    let pages = 0;
    while (path) {
      const page = await viewer.get(path);
      assert.equal(page.status, 200);
      const ids = entryIds(page.body);
      assert.ok(ids.length <= 3);
      seen.push(...ids);
      const older = /<a href="([^"]+)">Older entries →<\/a>/.exec(page.body)?.[1]?.replace(/&amp;/g, '&');
      if (older) assert.match(older, /limit=3&before=\d+/);
      if (pages > 0) assert.match(page.body, /← Newest/);
      path = older ?? null;
      pages += 1;
    }
    assert.deepEqual(seen, expected);
    assert.equal(pages, Math.ceil(expected.length / 3));
  });

  it('links objects on admin-only pages for admins only', async () => {
    const forAdmin = entryRows((await admin.get(`${ADMIN}/audit?kind=settings`)).body);
    const forViewer = entryRows((await viewer.get(`${ADMIN}/audit?kind=settings`)).body);
    assert.match(forAdmin.find((row) => row.includes('settings.update'))!, /<a href="\/admin\/settings">settings<\/a>/);
    assert.doesNotMatch(forViewer.find((row) => row.includes('settings.update'))!, /href="\/admin\/settings"/);
  });

  it('answers a malformed cursor or filter with 400, and an anonymous visitor with the sign-in page', async () => {
    assert.equal((await viewer.get(`${ADMIN}/audit?before=abc`)).status, 400);
    assert.equal((await viewer.get(`${ADMIN}/audit?limit=100000`)).status, 400);
    assert.equal((await viewer.get(`${ADMIN}/audit?actor=a&actor=b`)).status, 400);
    assert.equal((await viewer.get(`${ADMIN}/audit?actor=${'x'.repeat(400)}`)).status, 400);
    const page = await viewer.get(`${ADMIN}/audit?before=999999999`);
    assert.equal(page.status, 200);
    assert.deepEqual(entryIds(page.body), []);
    const anonymous = await new Browser(gw.url).get(`${ADMIN}/audit`);
    assert.match(anonymous.url, /\/admin\/login\?next=/);
  });
});

describe('the audit log API', () => {
  it('reads entries newest first with the rows before and after and the fields that changed', async () => {
    const res = await api(gw.url, viewerToken, 'GET', `${API}/audit?action=window.extend`);
    assert.equal(res.status, 200);
    assert.equal(res.body.entries.length, 1);
    const [entry] = res.body.entries;
    assert.equal(entry.actor, 'token:deploy');
    assert.equal(entry.kind, 'windows');
    assert.equal(entry.object_id, windowId);
    assert.deepEqual(entry.changed_fields, ['ends_at']);
    assert.equal(entry.before.title, `Deploy ${SCRIPT}`, 'raw JSON, for machines');
    assert.ok(Date.parse(entry.after.ends_at) > Date.parse(entry.before.ends_at));
    assert.equal(res.body.next_before, null);
  });

  it('walks every entry once with the next_before cursor', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `limit=4&before=${cursor}` : 'limit=4';
      const res = await api(gw.url, viewerToken, 'GET', `${API}/audit?${query}`);
      assert.equal(res.status, 200);
      seen.push(...res.body.entries.map((entry: { id: string }) => entry.id));
      cursor = res.body.next_before;
    } while (cursor);
    assert.deepEqual(seen, await allIds());
  });

  it('filters by actor and kind together', async () => {
    const res = await api(gw.url, viewerToken, 'GET', `${API}/audit?actor=${encodeURIComponent('user:admin@example.com')}&kind=settings`);
    assert.deepEqual(res.body.entries.map((entry: { id: string }) => entry.id), await allIds("actor = 'user:admin@example.com' AND kind = 'settings'"));
    assert.ok(res.body.entries.length >= 1);
  });

  it('refuses bad queries with 400 naming the field, and anonymous calls with 401', async () => {
    for (const [query, field] of [['limit=0', 'limit'], ['limit=201', 'limit'], ['before=1e3', 'before'], ['colour=blue', undefined]] as const) {
      const res = await api(gw.url, viewerToken, 'GET', `${API}/audit?${query}`);
      assert.equal(res.status, 400, query);
      if (field) assert.equal(res.body.error.field, field);
    }
    assert.equal((await api(gw.url, undefined, 'GET', `${API}/audit`)).status, 401);
  });
});
