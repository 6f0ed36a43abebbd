// The dashboard and the window pages as an SRE uses them: forms with CSRF tokens, server-rendered
// confirmations, redirects followed, times in their zone. Customers' requests go through the real
// gateway, so each test sees what an action does to traffic.

import assert from 'node:assert/strict';
import { before, beforeEach, describe, it } from 'node:test';
import { csrfOf, signedIn, type Browser } from '../helpers/admin.js';
import type { TestDatabase } from '../helpers/database.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { useGateway } from '../helpers/harness.js';
import { request } from '../helpers/http.js';
import { startUpstream } from '../helpers/upstream.js';
import { ADMIN, auditRows, hiddenFields, SCRIPT } from './fixtures.js';
import { clearWindows, customerGets, NEXT_YEAR, retryAfter, springForward, writes } from './windows-fixtures.js';

const harness = useGateway();
let db: TestDatabase;
let gw: TestGateway;
let sre: Browser;
let viewer: Browser;

before(async () => {
  ({ db, gw } = await harness);
  sre = await signedIn(gw.pool, gw.url, ADMIN, 'operator', 'sre@example.com');
  viewer = await signedIn(gw.pool, gw.url, ADMIN, 'viewer', 'viewer@example.com');
});

beforeEach(() => clearWindows(db, gw));

/** Starts maintenance from the dashboard's quick form: the form, then the confirmation. */
async function startFromDashboard(fields: Record<string, string> = {}) {
  const confirmation = await sre.submit(`${ADMIN}/maintenance/start`, { title: 'Maintenance', duration: '30m', mode: 'block', response: 'render', ...fields }, ADMIN);
  return sre.post(`${ADMIN}/maintenance/start`, hiddenFields(confirmation.body));
}

async function latestWindowId(): Promise<string> {
  return (await db.query<{ id: string }>('SELECT max(id)::text AS id FROM windows')).rows[0]!.id;
}

describe('the dashboard', () => {
  it('says in one line that traffic is forwarded, and that the application answers', async () => {
    const page = await sre.get(ADMIN);
    assert.equal(page.status, 200);
    assert.match(page.body, /Traffic is forwarded to the application/);
    assert.match(page.body, /Application up/);
  });

  it('says when the application does not answer, without failing itself', async () => {
    const dead = await startUpstream();
    const address = dead.url;
    await dead.close();
    const other = await startGateway(db.url, address);
    try {
      const browser = await signedIn(other.pool, other.url, ADMIN, 'viewer');
      const page = await browser.get(ADMIN);
      assert.equal(page.status, 200);
      assert.match(page.body, /Application not answering/);
      assert.match(page.body, /ECONNREFUSED/);
    } finally {
      await other.close();
    }
  });

  it('starts maintenance in two clicks: a confirmation first (nothing written), then customers are held', async () => {
    const before = await writes(db);
    const confirmation = await sre.submit(`${ADMIN}/maintenance/start`, { title: 'Maintenance', duration: '30m', mode: 'block', response: 'render' }, ADMIN);
    assert.equal(confirmation.status, 200);
    assert.match(confirmation.body, /Start maintenance now\?/);
    assert.match(confirmation.body, /Yes, start now/);
    assert.equal(await writes(db), before, 'the confirmation writes nothing');
    await customerGets(gw, 200);

    const done = await sre.post(`${ADMIN}/maintenance/start`, hiddenFields(confirmation.body));
    assert.equal(done.url, ADMIN);
    assert.match(done.body, /Maintenance started: “Maintenance” holds traffic until/);
    assert.match(done.body, /Traffic is held/);
    const held = await customerGets(gw, 503);
    assert.ok(Math.abs(retryAfter(held) - 1800) <= 2);
    const [audit] = await auditRows(db, 'window.start');
    assert.equal(audit!.actor, 'user:sre@example.com');
  });

  it('extends by 15 minutes from the dashboard, and the customers\' Retry-After follows', async () => {
    await startFromDashboard();
    const id = await latestWindowId();
    const before = retryAfter(await customerGets(gw, 503));
    const page = await sre.submit(`${ADMIN}/windows/${id}/extend`, { by: '15m', back: 'dashboard' }, ADMIN);
    assert.equal(page.url, ADMIN);
    assert.match(page.body, /now ends/);
    let after = before;
    const deadline = Date.now() + 1000;
    while (after < before + 800 && Date.now() < deadline) after = retryAfter(await customerGets(gw, 503));
    assert.ok(Math.abs(after - (before + 900)) <= 3, `Retry-After ${before} -> ${after}`);
  });

  it('ends maintenance after a confirmation, and customers reach the application again', async () => {
    await startFromDashboard();
    const id = await latestWindowId();
    await customerGets(gw, 503);
    const confirmation = await sre.submit(`${ADMIN}/windows/${id}/end`, { back: 'dashboard' }, ADMIN);
    assert.match(confirmation.body, /End “Maintenance” now\?/);
    await customerGets(gw, 503);
    const done = await sre.post(`${ADMIN}/windows/${id}/end`, hiddenFields(confirmation.body));
    assert.equal(done.url, ADMIN);
    assert.match(done.body, /Ended “Maintenance”/);
    assert.match(done.body, /Traffic is forwarded/);
    await customerGets(gw, 200);
  });

  it('sets a new end typed in the SRE\'s zone', async () => {
    await startFromDashboard();
    const id = await latestWindowId();
    const page = await sre.submit(`${ADMIN}/windows/${id}/extend`, { until: `${NEXT_YEAR}-01-10T09:30`, time_zone: 'Asia/Tokyo', back: 'dashboard' }, ADMIN);
    assert.equal(page.status, 200);
    const { rows } = await db.query<{ ends_at: Date }>('SELECT ends_at FROM windows WHERE id = $1', [id]);
    assert.equal(rows[0]!.ends_at.toISOString(), `${NEXT_YEAR}-01-10T00:30:00.000Z`);
  });

  it('shows the form again with the error and what was typed when the duration is wrong, writing nothing', async () => {
    const before = await writes(db);
    const page = await sre.submit(`${ADMIN}/maintenance/start`, { title: 'Typo', duration: '3x' }, ADMIN);
    assert.equal(page.status, 400);
    assert.match(page.body, /duration &#34;3x&#34; is not a duration/);
    assert.match(page.body, /aria-invalid="true"/);
    assert.match(page.body, /value="Typo"/);
    assert.equal(await writes(db), before);
  });
});

describe('scheduling from the pages', () => {
  it('schedules in the zone chosen, shows it back in that zone, and warns about an overlap', async () => {
    const fields = { title: 'Database upgrade', starts_at: `${NEXT_YEAR}-01-15T14:00`, time_zone: 'Europe/Paris', duration: '2h', kind: 'maintenance', mode: 'block', response: 'render' };
    const first = await sre.submit(`${ADMIN}/windows`, fields, `${ADMIN}/windows/new`);
    assert.match(first.url, /\/admin\/windows\/\d+\?zone=Europe%2FParis/);
    assert.match(first.body, /Scheduled “Database upgrade”/);
    assert.match(first.body, /15 Jan \d{4}, 14:00 (CET|GMT\+1)/);
    const { rows } = await db.query<{ starts_at: Date; ends_at: Date }>("SELECT starts_at, ends_at FROM windows WHERE title = 'Database upgrade'");
    assert.equal(rows[0]!.starts_at.toISOString(), `${NEXT_YEAR}-01-15T13:00:00.000Z`);
    assert.equal(rows[0]!.ends_at.toISOString(), `${NEXT_YEAR}-01-15T15:00:00.000Z`);

    const second = await sre.submit(`${ADMIN}/windows`, { ...fields, title: 'Cache flush', starts_at: `${NEXT_YEAR}-01-15T15:00` }, `${ADMIN}/windows/new`);
    assert.match(second.body, /overlaps #\d+ “Database upgrade”/);
  });

  it('refuses a start the clocks skip for daylight saving, naming the field, and writes nothing', async () => {
    const before = await writes(db);
    const page = await sre.submit(`${ADMIN}/windows`, { title: 'Gap', starts_at: `${springForward()}T02:30`, time_zone: 'Europe/Paris', duration: '1h' }, `${ADMIN}/windows/new`);
    assert.equal(page.status, 400);
    assert.match(page.body, /does not exist in Europe\/Paris/);
    assert.match(page.body, /id="starts_at"[^>]*aria-invalid="true"/);
    assert.equal(await writes(db), before);
  });

  it('edits an upcoming window: moving the start keeps the duration', async () => {
    await sre.submit(`${ADMIN}/windows`, { title: 'Movable', starts_at: `${NEXT_YEAR}-02-01T10:00`, time_zone: 'UTC', duration: '90m' }, `${ADMIN}/windows/new`);
    const id = await latestWindowId();
    const form = await sre.get(`${ADMIN}/windows/${id}/edit?zone=UTC`);
    assert.match(form.body, /value="Movable"/);
    const saved = await sre.post(`${ADMIN}/windows/${id}/edit`, { _csrf: csrfOf(form.body), title: 'Moved', starts_at: `${NEXT_YEAR}-02-03T10:00`, time_zone: 'UTC', duration: '1h30m', message: '', paths: '', hosts: '', kind: 'maintenance', mode: 'block', response: 'render', component_ids: '' });
    assert.match(saved.body, /Saved “Moved”/);
    const { rows } = await db.query<{ starts_at: Date; ends_at: Date }>('SELECT starts_at, ends_at FROM windows WHERE id = $1', [id]);
    assert.equal(rows[0]!.starts_at.toISOString(), `${NEXT_YEAR}-02-03T10:00:00.000Z`);
    assert.equal(rows[0]!.ends_at.toISOString(), `${NEXT_YEAR}-02-03T11:30:00.000Z`);
  });

  it('cancels an upcoming window after a confirmation; it then lists as cancelled', async () => {
    await sre.submit(`${ADMIN}/windows`, { title: 'Called off', starts_at: `${NEXT_YEAR}-02-01T10:00`, time_zone: 'UTC', duration: '1h' }, `${ADMIN}/windows/new`);
    const id = await latestWindowId();
    const confirmation = await sre.submit(`${ADMIN}/windows/${id}/cancel`, {}, `${ADMIN}/windows/${id}`);
    assert.match(confirmation.body, /Cancel “Called off”\?/);
    const done = await sre.post(`${ADMIN}/windows/${id}/cancel`, hiddenFields(confirmation.body));
    assert.match(done.body, /Cancelled “Called off”/);
    const list = await sre.get(`${ADMIN}/windows`);
    assert.match(list.body, /Called off[\s\S]*Cancelled/);
    assert.equal((await auditRows(db, 'window.cancel')).length, 1);
  });

  it('posts an update that shows on the status page, and "issue fixed" ends the window', async () => {
    await startFromDashboard({ title: 'Migration' });
    const id = await latestWindowId();
    await customerGets(gw, 503);
    const posted = await sre.submit(`${ADMIN}/windows/${id}/updates`, { body: 'Copying the last tables.' }, `${ADMIN}/windows/${id}`);
    assert.match(posted.body, /Update posted/);
    const fixed = await sre.submit(`${ADMIN}/windows/${id}/updates`, { body: 'Done: all good.', issue_fixed: 'on' }, `${ADMIN}/windows/${id}`);
    assert.match(fixed.body, /and “Migration” ended/);
    await customerGets(gw, 200);
    const status = await request(`${gw.url}/status`);
    assert.match(status.body, /Done: all good\./);
    const posts = (await auditRows(db, 'update.post')).filter((row) => String(row.after?.window_id) === id);
    assert.deepEqual(posts.map((row) => [row.actor, row.after!.body]), [['user:sre@example.com', 'Copying the last tables.'], ['user:sre@example.com', 'Done: all good.']]);
    assert.equal((await auditRows(db, 'window.end')).filter((row) => row.object_id === id).length, 1, 'ending the window is recorded as its own action');
    const dashboard = await sre.get(ADMIN);
    assert.match(dashboard.body, new RegExp(`Done: all good\\.</p>\\s*<p class="muted"><a href="${ADMIN}/windows/${id}">Migration</a>`), 'the dashboard names the window of the update');
  });
});

describe('what a page must never do', () => {
  it('escapes a script typed in every text field of a window, on every page that shows it', async () => {
    await startFromDashboard({ title: SCRIPT, message: SCRIPT });
    const id = await latestWindowId();
    await sre.submit(`${ADMIN}/windows/${id}/updates`, { body: SCRIPT }, `${ADMIN}/windows/${id}`);
    for (const path of [ADMIN, `${ADMIN}/windows`, `${ADMIN}/windows/${id}`, `${ADMIN}/windows/${id}/edit`]) {
      const page = await sre.get(path);
      assert.equal(page.status, 200, path);
      assert.ok(!page.body.includes(SCRIPT), `${path} reflects the script raw`);
      assert.match(page.body, /&lt;script&gt;/, path);
    }
  });

  it('refuses a viewer every change (403) though they can read every page', async () => {
    await startFromDashboard();
    const id = await latestWindowId();
    const before = await writes(db);
    for (const path of [ADMIN, `${ADMIN}/windows`, `${ADMIN}/windows/${id}`, `${ADMIN}/windows/new`]) {
      assert.equal((await viewer.get(path)).status, 200, path);
    }
    const csrf = csrfOf((await viewer.get(ADMIN)).body);
    for (const [path, fields] of [
      [`${ADMIN}/maintenance/start`, { title: 'x', duration: '5m', confirm: 'yes' }],
      [`${ADMIN}/windows/${id}/extend`, { by: '15m' }],
      [`${ADMIN}/windows/${id}/end`, { confirm: 'yes' }],
      [`${ADMIN}/windows/${id}/updates`, { body: 'x' }],
    ] as const) {
      const res = await viewer.post(path, { _csrf: csrf, ...fields });
      assert.equal(res.status, 403, path);
      assert.match(res.body, /your role \(viewer\) cannot do this/);
    }
    assert.equal(await writes(db), before);
  });

  it('refuses a form posted with a wrong CSRF token, writing nothing', async () => {
    const before = await writes(db);
    const res = await sre.post(`${ADMIN}/maintenance/start`, { _csrf: 'forged', title: 'x', duration: '5m', confirm: 'yes' });
    assert.equal(res.status, 403);
    assert.match(res.body, /CSRF check failed/);
    assert.equal(await writes(db), before);
  });

  it('answers 404 with a page for a window that does not exist', async () => {
    for (const id of ['424242', 'nope']) {
      const res = await sre.get(`${ADMIN}/windows/${id}`);
      assert.equal(res.status, 404);
      assert.match(res.body, /Not found/);
    }
  });
});
