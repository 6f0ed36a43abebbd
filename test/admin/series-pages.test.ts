// The recurring series pages as an SRE uses them: the simple choices and the raw expression,
// edit and delete with CSRF tokens and a confirmation, and occurrences shown in the windows list.

import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { csrfOf, signedIn, type Browser } from '../helpers/admin.js';
import type { TestDatabase } from '../helpers/database.js';
import type { TestGateway } from '../helpers/gateway.js';
import { useGateway } from '../helpers/harness.js';
import { ADMIN, AUDIT_BY_PEOPLE, auditRows, ESCAPED, hiddenFields, SCRIPT } from './fixtures.js';
import { NEXT_YEAR } from './windows-fixtures.js';

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

const details = { message: '', paths: '', hosts: '', kind: 'maintenance', mode: 'block', response: 'render', component_ids: '' };

async function writes(): Promise<string> {
  const { rows } = await db.query<{ n: string }>(
    `SELECT concat_ws(',', (SELECT count(*) FROM window_series), (SELECT count(*) FROM windows), ${AUDIT_BY_PEOPLE}, (SELECT coalesce(max(updated_at)::text, '') FROM window_series)) AS n`,
  );
  return rows[0]!.n;
}

async function createWeekly(title: string) {
  return sre.submit(
    `${ADMIN}/series`,
    { ...details, title, repeat: 'weekly', weekdays: ['1', '4'], at: '22:00', time_zone: 'Europe/Berlin', duration: '1h', ends_on: '' },
    `${ADMIN}/series/new`,
  );
}

function idFrom(url: string): string {
  return /\/series\/(\d+)/.exec(url)![1]!;
}

describe('creating a series from the form', () => {
  it('turns "every week on Monday and Thursday at 22:00" into an expression, and shows it in words', async () => {
    const page = await createWeekly('Weekly release freeze');
    assert.match(page.url, /\/admin\/series\/\d+$/);
    assert.match(page.body, /Created “Weekly release freeze”: \d+ occurrences are scheduled/);
    assert.match(page.body, /Every Monday and Thursday at 22:00/);
    const { rows } = await db.query<{ cron: string; time_zone: string }>('SELECT cron, time_zone FROM window_series WHERE id = $1', [idFrom(page.url)]);
    assert.deepEqual(rows[0], { cron: '0 22 * * 1,4', time_zone: 'Europe/Berlin' });
    const [audit] = await auditRows(db, 'series.create');
    assert.equal(audit!.actor, 'user:sre@example.com');
    const list = await sre.get(`${ADMIN}/series`);
    assert.match(list.body, /Weekly release freeze[\s\S]*Every Monday and Thursday at 22:00[\s\S]*Europe\/Berlin/);
  });

  it('takes monthly on the last day, and a raw expression for experts', async () => {
    const monthly = await sre.submit(`${ADMIN}/series`, { ...details, title: 'Month end', repeat: 'monthly', month_day: 'L', at: '01:00', time_zone: 'UTC', duration: '2h' }, `${ADMIN}/series/new`);
    assert.match(monthly.body, /Monthly on the last day at 01:00/);
    const raw = await sre.submit(`${ADMIN}/series`, { ...details, title: 'Last Friday', repeat: 'cron', cron: '0 9 * * 5L', at: '', time_zone: 'UTC', duration: '30m' }, `${ADMIN}/series/new`);
    assert.match(raw.body, /Cron: 0 9 \* \* 5L/);
  });

  it('shows the form again with the error next to the field and what was typed, writing nothing', async () => {
    const before = await writes();
    const page = await sre.submit(`${ADMIN}/series`, { ...details, title: 'Typo', repeat: 'cron', cron: '61 2 * * *', time_zone: 'UTC', duration: '1h' }, `${ADMIN}/series/new`);
    assert.equal(page.status, 400);
    assert.match(page.body, /minute &#34;61&#34; is out of range/);
    assert.match(page.body, /id="cron"[^>]*value="61 2 \* \* \*"[^>]*aria-invalid="true"/);
    assert.match(page.body, /value="Typo"/);
    const noDays = await sre.submit(`${ADMIN}/series`, { ...details, title: 'No days', repeat: 'weekly', at: '10:00', time_zone: 'UTC', duration: '1h' }, `${ADMIN}/series/new`);
    assert.equal(noDays.status, 400);
    assert.match(noDays.body, /choose at least one day of the week/);
    assert.equal(await writes(), before);
  });
});

describe('editing and deleting a series from the pages', () => {
  it('shows the choice it was made with, and regenerates its occurrences when saved', async () => {
    const id = idFrom((await createWeekly('Editable')).url);
    const form = await sre.get(`${ADMIN}/series/${id}/edit`);
    assert.match(form.body, /name="repeat" value="weekly" checked/);
    assert.match(form.body, /name="weekdays" value="1" checked/);
    assert.match(form.body, /name="weekdays" value="4" checked/);
    assert.doesNotMatch(form.body, /name="weekdays" value="2" checked/);
    const saved = await sre.post(`${ADMIN}/series/${id}/edit`, {
      _csrf: csrfOf(form.body), ...details, title: 'Edited', repeat: 'daily', at: '03:15', time_zone: 'Europe/Berlin', duration: '45m', ends_on: '',
    });
    assert.equal(saved.url, `${ADMIN}/series/${id}`);
    assert.match(saved.body, /Saved “Edited”: its upcoming occurrences were regenerated/);
    assert.match(saved.body, /Every day at 03:15/);
    const { rows } = await db.query<{ n: string }>("SELECT count(*)::text AS n FROM windows WHERE series_id = $1 AND title = 'Edited'", [id]);
    assert.ok(Number(rows[0]!.n) >= 13);
  });

  it('deletes after a confirmation, which writes nothing by itself', async () => {
    const id = idFrom((await createWeekly('Doomed')).url);
    const before = await writes();
    const confirmation = await sre.submit(`${ADMIN}/series/${id}/delete`, {}, `${ADMIN}/series/${id}`);
    assert.match(confirmation.body, /Delete “Doomed”\?/);
    assert.equal(await writes(), before);
    const done = await sre.post(`${ADMIN}/series/${id}/delete`, hiddenFields(confirmation.body));
    assert.equal(done.url, `${ADMIN}/series`);
    assert.match(done.body, /Deleted “Doomed” and \d+ upcoming occurrences/);
    assert.equal((await db.query('SELECT 1 FROM window_series WHERE id = $1', [id])).rowCount, 0);
  });

  it('refuses a viewer every change (403) and a forged CSRF token, though a viewer reads every page', async () => {
    const id = idFrom((await createWeekly('Guarded')).url);
    const before = await writes();
    for (const path of [`${ADMIN}/series`, `${ADMIN}/series/new`, `${ADMIN}/series/${id}`, `${ADMIN}/series/${id}/edit`]) {
      assert.equal((await viewer.get(path)).status, 200, path);
    }
    const csrf = csrfOf((await viewer.get(`${ADMIN}/series`)).body);
    for (const path of [`${ADMIN}/series`, `${ADMIN}/series/${id}/edit`, `${ADMIN}/series/${id}/delete`]) {
      const res = await viewer.post(path, { _csrf: csrf, ...details, title: 'x', repeat: 'daily', at: '01:00', time_zone: 'UTC', duration: '1h', confirm: 'yes' });
      assert.equal(res.status, 403, path);
    }
    const forged = await sre.post(`${ADMIN}/series/${id}/delete`, { _csrf: 'forged', confirm: 'yes' });
    assert.equal(forged.status, 403);
    assert.match(forged.body, /CSRF check failed/);
    assert.equal(await writes(), before);
  });
});

describe('occurrences among the windows', () => {
  it('links an occurrence to its series in the windows list and on its page, and says when it was edited', async () => {
    const id = idFrom((await createWeekly('Linked')).url);
    const { rows } = await db.query<{ id: string }>('SELECT id::text FROM windows WHERE series_id = $1 ORDER BY starts_at LIMIT 1', [id]);
    const windowId = rows[0]!.id;
    const list = await sre.get(`${ADMIN}/windows`);
    assert.match(list.body, new RegExp(`#${windowId} · Maintenance window · <a href="${ADMIN}/series/${id}">series #${id}</a></span>`));
    const page = await sre.get(`${ADMIN}/windows/${windowId}`);
    assert.match(page.body, /An occurrence of <a href="[^"]+">series #\d+<\/a><\/dd>/);
    assert.match(page.body, /Skip this occurrence…/);

    const confirmation = await sre.submit(`${ADMIN}/windows/${windowId}/cancel`, {}, `${ADMIN}/windows/${windowId}`);
    await sre.post(`${ADMIN}/windows/${windowId}/cancel`, hiddenFields(confirmation.body));
    const skipped = await sre.get(`${ADMIN}/windows/${windowId}`);
    assert.match(skipped.body, /edited by hand, so changes to the series leave it alone/);
    const seriesPage = await sre.get(`${ADMIN}/series/${id}`);
    assert.match(seriesPage.body, new RegExp(`#${windowId} · Maintenance window · <a[^>]+>series #${id}</a>, edited`));
  });

  it('escapes a script typed in a series title on every page that shows it', async () => {
    const id = idFrom((await createWeekly(SCRIPT)).url);
    for (const path of [`${ADMIN}/series`, `${ADMIN}/series/${id}`, `${ADMIN}/series/${id}/edit`, `${ADMIN}/windows`]) {
      const page = await sre.get(path);
      assert.equal(page.status, 200, path);
      assert.ok(!page.body.includes(SCRIPT), `${path} reflects the script raw`);
      assert.ok(page.body.includes(ESCAPED), path);
    }
  });
});

describe('verify upstream on the window forms', () => {
  it('offers the box on the schedule form and saves it', async () => {
    const form = await sre.get(`${ADMIN}/windows/new`);
    assert.match(form.body, /name="verify_upstream"/);
    assert.match((await sre.get(`${ADMIN}/maintenance/start`)).body, /Keep holding traffic after the end until the application passes a health check/);
    const page = await sre.post(`${ADMIN}/windows`, { _csrf: csrfOf(form.body), ...details, title: 'Verified', starts_at: `${NEXT_YEAR}-01-01T10:00`, time_zone: 'UTC', duration: '1h', verify_upstream: 'on' });
    assert.match(page.body, /Scheduled “Verified”/);
    const { rows } = await db.query<{ id: string; verify_upstream: boolean }>("SELECT id::text, verify_upstream FROM windows WHERE title = 'Verified'");
    assert.equal(rows[0]!.verify_upstream, true);
    const edit = await sre.get(`${ADMIN}/windows/${rows[0]!.id}/edit?zone=UTC`);
    assert.match(edit.body, /name="verify_upstream" checked/);
  });
});
