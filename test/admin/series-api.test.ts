// The recurring series endpoints as a pipeline uses them, and what series add to the windows
// endpoints (series_id, detached, verify_upstream). Every bad request names its field and writes
// nothing.

import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { api, makeToken } from '../helpers/admin.js';
import type { TestDatabase } from '../helpers/database.js';
import type { TestGateway } from '../helpers/gateway.js';
import { useGateway } from '../helpers/harness.js';
import { API, AUDIT_BY_PEOPLE, auditRows } from './fixtures.js';
import { NEXT_YEAR } from './windows-fixtures.js';

const harness = useGateway();
let db: TestDatabase;
let gw: TestGateway;
let operator: string;
let viewer: string;

before(async () => {
  ({ db, gw } = await harness);
  operator = await makeToken(gw.pool, 'operator', 'deploy-pipeline');
  viewer = await makeToken(gw.pool, 'viewer', 'dashboard-bot');
});

function call(method: string, path: string, body?: unknown, token = operator) {
  return api(gw.url, token, method, `${API}${path}`, body);
}

/** Rows of series and windows, and the audit log: unchanged means nothing was written. */
async function writes(): Promise<string> {
  const { rows } = await db.query<{ n: string }>(
    `SELECT concat_ws(',', (SELECT count(*) FROM window_series), (SELECT count(*) FROM windows), ${AUDIT_BY_PEOPLE}) AS n`,
  );
  return rows[0]!.n;
}

const nightly = { title: 'Nightly maintenance', cron: '30 2 * * *', time_zone: 'Europe/Berlin', duration: '90m', message: 'Back at 04:00.' };

describe('the series endpoints', () => {
  it('creates a series with its occurrences, reads it back and lists it', async () => {
    const created = await call('POST', '/series', { ...nightly, mode: 'read_only', paths: ['/checkout'], verify_upstream: true, ends_on: `${NEXT_YEAR}-12-31` });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const { series, occurrences } = created.body;
    assert.equal(series.description, 'Every day at 02:30');
    assert.equal(series.duration, '1h30m');
    assert.equal(series.ends_on, `${NEXT_YEAR}-12-31`);
    assert.equal(series.next_starts.length, 3);
    assert.ok(occurrences.length >= 13);
    assert.deepEqual(
      [occurrences[0].series_id, occurrences[0].detached, occurrences[0].mode, occurrences[0].paths, occurrences[0].verify_upstream],
      [series.id, false, 'read_only', ['/checkout'], true],
    );
    const read = await call('GET', `/series/${series.id}`, undefined, viewer);
    assert.equal(read.status, 200);
    assert.equal(read.body.series.cron, '30 2 * * *');
    assert.equal(read.body.occurrences.length, occurrences.length);
    const list = await call('GET', '/series', undefined, viewer);
    assert.ok(list.body.series.some((s: { id: string }) => s.id === series.id));
    const [audit] = await auditRows(db, 'series.create');
    assert.equal(audit!.actor, 'token:deploy-pipeline');
  });

  it('changes a series and answers with its regenerated occurrences', async () => {
    const { body } = await call('POST', '/series', { ...nightly, title: 'To change' });
    const res = await call('PATCH', `/series/${body.series.id}`, { cron: '0 1 L * *', duration: '2h', ends_on: null });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.series.description, 'Monthly on the last day at 01:00');
    assert.ok(res.body.removed >= 13);
    assert.ok(res.body.occurrences.every((w: { starts_at: string }) => w.starts_at !== body.occurrences[0].starts_at));
  });

  it('deletes a series and its upcoming occurrences', async () => {
    const { body } = await call('POST', '/series', { ...nightly, title: 'To delete' });
    const res = await call('DELETE', `/series/${body.series.id}`);
    assert.equal(res.status, 200);
    assert.equal(res.body.removed, body.occurrences.length);
    assert.equal((await db.query('SELECT 1 FROM windows WHERE title = $1', ['To delete'])).rowCount, 0);
  });

  it('lets a viewer read but not write (403), and answers 404 for a series that does not exist', async () => {
    const before = await writes();
    assert.equal((await call('POST', '/series', nightly, viewer)).status, 403);
    assert.equal((await call('DELETE', '/series/1', undefined, viewer)).status, 403);
    assert.equal((await call('GET', '/series/424242')).status, 404);
    assert.equal((await call('PATCH', '/series/424242', { title: 'x' })).status, 404);
    assert.equal(await writes(), before);
  });
});

describe('bad series requests', () => {
  const cases: [string, Record<string, unknown>, string, RegExp][] = [
    ['an unknown zone', { ...nightly, time_zone: 'Mars/Olympus' }, 'time_zone', /not a time zone/],
    ['a minute out of range', { ...nightly, cron: '61 2 * * *' }, 'cron', /minute "61" is out of range/],
    ['several bad cron fields', { ...nightly, cron: '0 25 * 13 *' }, 'cron', /hour "25" is out of range.*month "13" is out of range/],
    ['a bad duration', { ...nightly, duration: '3x' }, 'duration', /not a duration/],
    ['a duration over 7 days', { ...nightly, duration: '8d' }, 'duration', /too long/],
    ['occurrences that would overlap', { ...nightly, cron: '0 */2 * * *', duration: '3h' }, 'duration', /occurrences would overlap/],
    ['an end date that does not exist', { ...nightly, ends_on: `${NEXT_YEAR}-02-30` }, 'ends_on', /not a date/],
    ['an end date in the past', { ...nightly, ends_on: '2020-01-01' }, 'ends_on', /in the past/],
    ['a missing cron', { title: 'x', time_zone: 'UTC', duration: '1h' }, 'cron', /missing/],
    ['an unknown field', { ...nightly, starts_at: '2027-01-01T00:00:00Z' }, 'starts_at', /not a field here/],
    ['an unknown component', { ...nightly, component_ids: ['424242'] }, 'component_ids', /no component has that id/],
  ];
  for (const [what, body, field, message] of cases) {
    it(`refuses ${what} with 400 naming ${field}, and saves nothing`, async () => {
      const before = await writes();
      const res = await call('POST', '/series', body);
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.equal(res.body.error.code, 'GW_ERR_VALIDATION');
      assert.equal(res.body.error.field, field);
      assert.match(res.body.error.message, message);
      assert.equal(await writes(), before);
    });
  }

  it('refuses a bad change with 400 and leaves the series and its occurrences as they were', async () => {
    const { body } = await call('POST', '/series', { ...nightly, title: 'Unchanged' });
    const before = await writes();
    const res = await call('PATCH', `/series/${body.series.id}`, { cron: '0 0 30 2 *' });
    assert.equal(res.status, 400);
    assert.match(res.body.error.message, /day of month "30" never happens in month "2"/);
    assert.equal(await writes(), before);
    assert.equal((await call('GET', `/series/${body.series.id}`)).body.series.cron, '30 2 * * *');
  });
});

describe('verify_upstream on one-off windows', () => {
  it('is false unless asked for, and can be set on a schedule and changed later', async () => {
    const plain = await call('POST', '/windows', { title: 'Plain', starts_at: `${NEXT_YEAR}-03-01T10:00:00Z`, duration: '1h' });
    assert.equal(plain.body.window.verify_upstream, false);
    assert.equal(plain.body.window.series_id, null);
    const verified = await call('POST', '/windows', { title: 'Verified', starts_at: `${NEXT_YEAR}-03-02T10:00:00Z`, duration: '1h', verify_upstream: true });
    assert.equal(verified.status, 201);
    assert.equal(verified.body.window.verify_upstream, true);
    const patched = await call('PATCH', `/windows/${verified.body.window.id}`, { verify_upstream: false });
    assert.equal(patched.body.window.verify_upstream, false);
    const renamed = await call('PATCH', `/windows/${verified.body.window.id}`, { title: 'Renamed' });
    assert.equal(renamed.body.window.verify_upstream, false, 'absent leaves it as it was');
    const started = await call('POST', '/windows/start', { duration: '5m', verify_upstream: true, paths: ['/verify-only'] });
    assert.equal(started.body.window.verify_upstream, true);
    await call('POST', `/windows/${started.body.window.id}/end`, {});
  });
});
