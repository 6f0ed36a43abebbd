// Recurring series against a real PostgreSQL and a real gateway: expansion into concrete windows,
// idempotent however often it runs; edits that regenerate only what was not changed by hand;
// deletion that keeps history; and an occurrence holding customers like any window.

import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { DateTime } from 'luxon';
import { writeAs } from '../../src/audit/write-as.js';
import { expandSeries } from '../../src/maintenance/series.js';
import { api, makeToken } from '../helpers/admin.js';
import type { TestDatabase } from '../helpers/database.js';
import { waitFor, type TestGateway } from '../helpers/gateway.js';
import { useGateway } from '../helpers/harness.js';
import { API } from '../admin/fixtures.js';
import { customer } from '../admin/windows-fixtures.js';

const harness = useGateway();
let db: TestDatabase;
let gw: TestGateway;
let operator: string;

before(async () => {
  ({ db, gw } = await harness);
  operator = await makeToken(gw.pool, 'operator', 'series-pipeline');
});

function call(method: string, path: string, body?: unknown) {
  return api(gw.url, operator, method, `${API}${path}`, body);
}

interface OccurrenceRow {
  id: string;
  title: string;
  series_id: string | null;
  starts_at: Date;
  ends_at: Date;
  ended_at: Date | null;
  occurrence_at: Date;
  detached: boolean;
}

async function occurrencesOf(seriesId: string): Promise<OccurrenceRow[]> {
  const { rows } = await db.query<OccurrenceRow>(
    'SELECT id::text, title, series_id::text, starts_at, ends_at, ended_at, occurrence_at, detached FROM windows WHERE series_id = $1 ORDER BY occurrence_at, id',
    [seriesId],
  );
  return rows;
}

/** A daily expression, in UTC, whose next start is `seconds` from now. */
function dailySoon(seconds: number): string {
  const at = new Date(Date.now() + seconds * 1000);
  return `${at.getUTCSeconds()} ${at.getUTCMinutes()} ${at.getUTCHours()} * * *`;
}

describe('expanding a series', () => {
  it('makes concrete windows over the horizon at once, each at 02:30 in the series\' zone', async () => {
    const res = await call('POST', '/series', { title: 'Nightly vacuum', cron: '30 2 * * *', time_zone: 'Europe/Berlin', duration: '1h' });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const rows = await occurrencesOf(res.body.series.id);
    assert.ok(rows.length >= 13 && rows.length <= 15, `${rows.length} occurrences over 14 days`);
    assert.equal(res.body.created, rows.length);
    for (const row of rows) {
      assert.equal(DateTime.fromJSDate(row.starts_at, { zone: 'Europe/Berlin' }).toFormat('HH:mm'), '02:30');
      assert.equal(row.occurrence_at.getTime(), row.starts_at.getTime());
      assert.equal(row.ends_at.getTime() - row.starts_at.getTime(), 3600_000);
      assert.equal(row.title, 'Nightly vacuum');
    }
  });

  it('changes nothing when expanded again, by the job or directly', async () => {
    const { body } = await call('POST', '/series', { title: 'Idempotent', cron: '0 4 * * *', time_zone: 'UTC', duration: '30m' });
    const before = await occurrencesOf(body.series.id);
    await gw.automation.runNow('series');
    await gw.automation.runNow('series');
    const again = await writeAs(gw.pool, 'test', 'series.expand', (client) => expandSeries(client, gw.config.seriesHorizonDays, body.series.id));
    assert.equal(again.created, 0);
    assert.deepEqual(await occurrencesOf(body.series.id), before);
  });

  it('holds customers when an occurrence starts: the request path sees a plain window', async () => {
    const res = await call('POST', '/series', { title: 'Series hold', cron: dailySoon(3), time_zone: 'UTC', duration: '1h', paths: ['/series-held'] });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal((await customer(gw, '/series-held/cart')).status, 200);
    await waitFor(async () => (await customer(gw, '/series-held/cart')).status === 503, 8000, 'the occurrence holds customers once it starts');
    const held = await customer(gw, '/series-held/cart');
    assert.match(held.body, /Series hold/);
    assert.ok(Math.abs(Number(held.headers['retry-after']) - 3600) <= 5);
    assert.equal((await customer(gw, '/elsewhere')).status, 200, 'only its paths are held');
    await call('POST', `/windows/${res.body.occurrences[0].id}/end`, {});
  });
});

describe('editing a series', () => {
  it('regenerates its upcoming occurrences, keeping one edited and one skipped by hand', async () => {
    const { body } = await call('POST', '/series', { title: 'Deploy freeze', cron: '0 22 * * *', time_zone: 'UTC', duration: '1h' });
    const id = body.series.id;
    const [, edited, skipped] = await occurrencesOf(id);
    const moved = await call('PATCH', `/windows/${edited!.id}`, { title: 'Moved by hand', starts_at: new Date(edited!.starts_at.getTime() + 1800_000).toISOString() });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    assert.equal(moved.body.window.detached, true);
    assert.equal(moved.body.window.series_id, id);
    const cancelled = await call('DELETE', `/windows/${skipped!.id}`, {});
    assert.equal(cancelled.body.window.state, 'cancelled');
    assert.equal(cancelled.body.window.detached, true);
    const total = (await occurrencesOf(id)).length;

    const changed = await call('PATCH', `/series/${id}`, { cron: '0 23 * * *', title: 'Later freeze' });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    assert.equal(changed.body.removed, total - 2);
    const rows = await occurrencesOf(id);
    const kept = rows.filter((row) => row.detached);
    assert.deepEqual(kept.map((row) => [row.id, row.title]), [[edited!.id, 'Moved by hand'], [skipped!.id, 'Deploy freeze']]);
    assert.equal(kept[1]!.ended_at?.getTime(), kept[1]!.starts_at.getTime(), 'the skipped one is still cancelled');
    const regenerated = rows.filter((row) => !row.detached);
    assert.ok(regenerated.length >= 13);
    assert.ok(regenerated.every((row) => row.starts_at.getUTCHours() === 23 && row.title === 'Later freeze'));
  });

  it('never brings a skipped occurrence back, whether the series is edited back or expanded again', async () => {
    const { body } = await call('POST', '/series', { title: 'Skippable', cron: '15 5 * * *', time_zone: 'UTC', duration: '20m' });
    const id = body.series.id;
    const [, skipped] = await occurrencesOf(id);
    await call('DELETE', `/windows/${skipped!.id}`, {});
    await call('PATCH', `/series/${id}`, { title: 'Skippable, renamed' });
    await gw.automation.runNow('series');
    const atSlot = (await occurrencesOf(id)).filter((row) => row.occurrence_at.getTime() === skipped!.occurrence_at.getTime());
    assert.equal(atSlot.length, 1);
    assert.equal(atSlot[0]!.id, skipped!.id);
    assert.equal(atSlot[0]!.ended_at?.getTime(), atSlot[0]!.starts_at.getTime());
  });
});

describe('deleting a series', () => {
  it('removes its upcoming occurrences and keeps past ones and those changed by hand, as one-off windows', async () => {
    const { body } = await call('POST', '/series', { title: 'Short-lived', cron: dailySoon(3), time_zone: 'UTC', duration: '2s' });
    const id = body.series.id;
    const [first, , edited] = await occurrencesOf(id);
    await call('PATCH', `/windows/${edited!.id}`, { title: 'Kept by hand' });
    await waitFor(async () => (await call('GET', `/windows/${first!.id}`)).body.state === 'over', 10_000, 'the first occurrence is over');
    const total = (await occurrencesOf(id)).length;

    const res = await call('DELETE', `/series/${id}`, {});
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.removed, total - 2);
    const { rows } = await db.query<{ id: string; series_id: string | null; title: string }>(
      'SELECT id::text, series_id::text, title FROM windows WHERE id = ANY ($1::bigint[]) ORDER BY id',
      [[first!.id, edited!.id]],
    );
    assert.deepEqual(rows, [
      { id: first!.id, series_id: null, title: 'Short-lived' },
      { id: edited!.id, series_id: null, title: 'Kept by hand' },
    ]);
    assert.equal((await db.query('SELECT 1 FROM windows WHERE occurrence_at > now() AND title = $1', ['Short-lived'])).rowCount, 0);
    assert.equal((await call('GET', `/series/${id}`)).status, 404);
  });
});
