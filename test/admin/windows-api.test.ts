// The Windows endpoints of the automation API, as a deploy pipeline uses them: real gateway,
// real upstream, real PostgreSQL. Every change must reach customers within a second, and every
// bad request must be refused with a code and a field while writing nothing.

import assert from 'node:assert/strict';
import { before, beforeEach, describe, it } from 'node:test';
import { api, makeToken } from '../helpers/admin.js';
import type { TestDatabase } from '../helpers/database.js';
import type { TestGateway } from '../helpers/gateway.js';
import { useGateway } from '../helpers/harness.js';
import { request } from '../helpers/http.js';
import { API, auditRows, SCRIPT } from './fixtures.js';
import { clearWindows, customerGets, NEXT_YEAR, retryAfter, writes } from './windows-fixtures.js';

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

beforeEach(() => clearWindows(db, gw));

function call(method: string, path: string, body?: unknown, token = operator) {
  return api(gw.url, token, method, `${API}${path}`, body);
}

describe('starting and ending maintenance from a pipeline', () => {
  it('starts a window for 20 minutes: customers get 503 within a second, with Retry-After', async () => {
    const res = await call('POST', '/windows/start', { title: 'Deploy v42', duration: '20m', message: 'Back soon.' });
    assert.equal(res.status, 201);
    assert.equal(res.body.window.state, 'in_force');
    assert.equal(res.body.window.title, 'Deploy v42');
    assert.deepEqual(res.body.warnings, []);
    const held = await customerGets(gw, 503);
    assert.ok(Math.abs(retryAfter(held) - 1200) <= 2, `Retry-After ${retryAfter(held)}`);
    assert.match(held.body, /Deploy v42/);
  });

  it('defaults the title to "Maintenance" and keeps an open-ended window until it is ended', async () => {
    const started = await call('POST', '/windows/start', {});
    assert.equal(started.status, 201);
    assert.equal(started.body.window.title, 'Maintenance');
    assert.equal(started.body.window.ends_at, null);
    const held = await customerGets(gw, 503);
    assert.equal(held.headers['retry-after'], undefined, 'no end, no Retry-After');
    const ended = await call('POST', `/windows/${started.body.window.id}/end`, {});
    assert.equal(ended.status, 200);
    assert.equal(ended.body.window.state, 'over');
    await customerGets(gw, 200);
  });

  it('extends a window by 15 minutes, and customers\' Retry-After follows', async () => {
    const { body } = await call('POST', '/windows/start', { duration: '10m' });
    const before = retryAfter(await customerGets(gw, 503));
    const res = await call('POST', `/windows/${body.window.id}/extend`, { by: '15m' });
    assert.equal(res.status, 200);
    assert.equal(Date.parse(res.body.window.ends_at) - Date.parse(body.window.ends_at), 15 * 60_000);
    let after = before;
    const deadline = Date.now() + 1000;
    while (after < before + 800 && Date.now() < deadline) after = retryAfter(await customerGets(gw, 503));
    assert.ok(Math.abs(after - (before + 900)) <= 3, `Retry-After went from ${before} to ${after}`);
  });

  it('sets a new end with until, given as a local time in a zone', async () => {
    const { body } = await call('POST', '/windows/start', { duration: '10m' });
    const res = await call('POST', `/windows/${body.window.id}/extend`, { until: `${NEXT_YEAR}-01-15T14:00`, time_zone: 'Europe/Paris' });
    assert.equal(res.status, 200);
    assert.equal(res.body.window.ends_at, `${NEXT_YEAR}-01-15T13:00:00.000Z`);
  });

  it('refuses to extend an open-ended window by a duration (409), and says to set an end', async () => {
    const { body } = await call('POST', '/windows/start', {});
    const before = await writes(db);
    const res = await call('POST', `/windows/${body.window.id}/extend`, { by: '15m' });
    assert.equal(res.status, 409);
    assert.equal(res.body.error.code, 'GW_ERR_CONFLICT');
    assert.match(res.body.error.message, /set an end time \(until\)/);
    assert.equal(await writes(db), before);
  });

  it('ends every window in force with POST /maintenance/end, scoped ones included, and leaves upcoming ones', async () => {
    await call('POST', '/windows/start', { duration: '1h' });
    await call('POST', '/windows/start', { duration: '1h', paths: ['/checkout'] });
    const upcoming = await call('POST', '/windows', { title: 'Later', starts_at: `${NEXT_YEAR}-03-01T10:00:00Z`, duration: '1h' });
    await customerGets(gw, 503);
    const res = await call('POST', '/maintenance/end', {});
    assert.equal(res.status, 200);
    assert.equal(res.body.ended.length, 2);
    await customerGets(gw, 200);
    await customerGets(gw, 200, '/checkout/pay');
    const later = await call('GET', `/windows/${upcoming.body.window.id}`, undefined, viewer);
    assert.equal(later.body.state, 'upcoming');
  });

  it('records every change in the audit log under the token\'s name', async () => {
    const { body } = await call('POST', '/windows/start', { title: 'Audited', duration: '30m' });
    await call('POST', `/windows/${body.window.id}/extend`, { by: '15m' });
    await call('POST', `/windows/${body.window.id}/end`, {});
    for (const action of ['window.start', 'window.extend', 'window.end']) {
      const rows = (await auditRows(db, action)).filter((row) => row.object_id === body.window.id);
      assert.equal(rows.length, 1, action);
      assert.equal(rows[0]!.actor, 'token:deploy-pipeline');
    }
    const [extend] = (await auditRows(db, 'window.extend')).filter((row) => row.object_id === body.window.id);
    assert.notEqual(extend!.before!.ends_at, extend!.after!.ends_at);
  });
});

describe('scheduling', () => {
  it('schedules a window in a time zone, stores it in UTC, and lists it as upcoming', async () => {
    const res = await call('POST', '/windows', {
      title: 'Kernel upgrade', starts_at: `${NEXT_YEAR}-07-01T02:00`, time_zone: 'America/New_York', duration: '2h', kind: 'downtime', paths: '/api',
    });
    assert.equal(res.status, 201);
    assert.equal(res.body.window.starts_at, `${NEXT_YEAR}-07-01T06:00:00.000Z`);
    assert.equal(res.body.window.ends_at, `${NEXT_YEAR}-07-01T08:00:00.000Z`);
    assert.equal(res.body.window.kind, 'downtime');
    assert.deepEqual(res.body.window.paths, ['/api']);
    const list = await call('GET', '/windows', undefined, viewer);
    assert.ok(list.body.windows.some((w: { id: string; state: string }) => w.id === res.body.window.id && w.state === 'upcoming'));
    await customerGets(gw, 200, '/api/orders');
  });

  it('warns about an overlapping window but saves it', async () => {
    const first = await call('POST', '/windows', { title: 'First', starts_at: `${NEXT_YEAR}-05-01T10:00:00Z`, duration: '2h' });
    const second = await call('POST', '/windows', { title: 'Second', starts_at: `${NEXT_YEAR}-05-01T11:00:00Z`, duration: '2h' });
    assert.equal(second.status, 201);
    assert.deepEqual(second.body.warnings.map((w: { code: string; window_id: string }) => [w.code, w.window_id]), [['overlap', first.body.window.id]]);
  });

  it('moves an upcoming window\'s start and keeps its duration; cancelling it keeps the record', async () => {
    const { body } = await call('POST', '/windows', { title: 'Movable', starts_at: `${NEXT_YEAR}-06-01T10:00:00Z`, duration: '90m' });
    const moved = await call('PATCH', `/windows/${body.window.id}`, { starts_at: `${NEXT_YEAR}-06-02T10:00:00Z` });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    assert.equal(moved.body.window.ends_at, `${NEXT_YEAR}-06-02T11:30:00.000Z`);
    const cancelled = await call('DELETE', `/windows/${body.window.id}`, {});
    assert.equal(cancelled.status, 200);
    assert.equal(cancelled.body.window.state, 'cancelled');
    const past = await call('GET', '/windows?scope=past', undefined, viewer);
    assert.ok(past.body.windows.some((w: { id: string }) => w.id === body.window.id));
  });

  it('refuses to change the start of a window in force (409) and names the field', async () => {
    const { body } = await call('POST', '/windows/start', { duration: '1h' });
    const res = await call('PATCH', `/windows/${body.window.id}`, { starts_at: `${NEXT_YEAR}-01-01T00:00:00Z` });
    assert.equal(res.status, 409);
    assert.match(res.body.error.message, /starts_at cannot change/);
  });
});

describe('updates', () => {
  it('posts an update that customers see, and "issue fixed" ends the window in the same step', async () => {
    const { body } = await call('POST', '/windows/start', { title: 'Migration', duration: '1h' });
    const first = await call('POST', `/windows/${body.window.id}/updates`, { body: 'Halfway there.' });
    assert.equal(first.status, 201);
    assert.equal(first.body.window.state, 'in_force');
    await customerGets(gw, 503);
    const fixed = await call('POST', `/windows/${body.window.id}/updates`, { body: 'All done.', issue_fixed: true });
    assert.equal(fixed.body.window.state, 'over');
    await customerGets(gw, 200);
    const list = await call('GET', `/windows/${body.window.id}/updates`, undefined, viewer);
    assert.deepEqual(list.body.updates.map((u: { body: string }) => u.body), ['Halfway there.', 'All done.']);
    const status = await request(`${gw.url}/status`);
    assert.match(status.body, /All done\./);
  });
});

describe('bad requests: a clear 4xx, nothing written', () => {
  const cases: [string, string, string, unknown, number, string | undefined][] = [
    ['wrong type for title', 'POST', '/windows/start', { title: 5 }, 400, 'title'],
    ['an unknown field', 'POST', '/windows/start', { titel: 'typo' }, 400, 'titel'],
    ['a duration that is not one', 'POST', '/windows/start', { duration: 'soon' }, 400, 'duration'],
    ['a zero duration', 'POST', '/windows/start', { duration: '0m' }, 400, 'duration'],
    ['a window longer than a year', 'POST', '/windows/start', { duration: '400d' }, 400, 'duration'],
    ['duration and ends_at together', 'POST', '/windows/start', { duration: '1h', ends_at: `${NEXT_YEAR}-01-01T00:00:00Z` }, 400, 'duration'],
    ['an end in the past', 'POST', '/windows/start', { ends_at: '2020-01-01T00:00:00Z' }, 400, 'ends_at'],
    ['a time with no offset and no zone', 'POST', '/windows', { title: 'x', starts_at: `${NEXT_YEAR}-01-01T10:00`, duration: '1h' }, 400, 'starts_at'],
    ['a date that does not exist', 'POST', '/windows', { title: 'x', starts_at: `${NEXT_YEAR}-02-30T10:00:00Z`, duration: '1h' }, 400, 'starts_at'],
    ['a year out of range', 'POST', '/windows', { title: 'x', starts_at: '99999-01-01T10:00:00Z', duration: '1h' }, 400, 'starts_at'],
    ['a start in the past', 'POST', '/windows', { title: 'x', starts_at: '2020-01-01T10:00:00Z', duration: '1h' }, 400, 'starts_at'],
    ['an end before the start', 'POST', '/windows', { title: 'x', starts_at: `${NEXT_YEAR}-01-01T10:00:00Z`, ends_at: `${NEXT_YEAR}-01-01T09:00:00Z` }, 400, 'ends_at'],
    ['no duration and no end', 'POST', '/windows', { title: 'x', starts_at: `${NEXT_YEAR}-01-01T10:00:00Z` }, 400, 'duration'],
    ['an unknown time zone', 'POST', '/windows', { title: 'x', starts_at: `${NEXT_YEAR}-01-01T10:00`, time_zone: 'Mars/Olympus', duration: '1h' }, 400, 'time_zone'],
    ['a path without a slash', 'POST', '/windows/start', { paths: ['checkout'] }, 400, 'paths'],
    ['a host with a scheme', 'POST', '/windows/start', { hosts: ['https://shop.example.com'] }, 400, 'hosts'],
    ['a component that does not exist', 'POST', '/windows/start', { component_ids: ['424242'] }, 400, 'component_ids'],
    ['a title of 201 characters', 'POST', '/windows/start', { title: 'x'.repeat(201) }, 400, 'title'],
    ['a mode that is not one', 'POST', '/windows/start', { mode: 'sometimes' }, 400, 'mode'],
    ['an empty update', 'POST', '/windows/1/updates', { body: '   ' }, 400, 'body'],
    ['an empty change', 'PATCH', '/windows/1', {}, 400, undefined],
  ];

  for (const [name, method, path, body, status, field] of cases) {
    it(`refuses ${name} with ${status}${field ? ` naming ${field}` : ''}`, async () => {
      // Some cases need a window #1 to exist, so the id is not what fails.
      if ((await db.query('SELECT 1 FROM windows WHERE id = 1')).rowCount === 0) await call('POST', '/windows/start', { duration: '1m' });
      const before = await writes(db);
      const res = await call(method, path, body);
      assert.equal(res.status, status, JSON.stringify(res.body));
      assert.equal(res.body.error.code, 'GW_ERR_VALIDATION');
      assert.equal(res.body.error.field, field);
      assert.ok(res.body.error.message.length > 10);
      assert.equal(await writes(db), before, 'nothing written');
    });
  }

  it('answers malformed JSON with 400 and an oversized body with 413', async () => {
    const before = await writes(db);
    const malformed = await call('POST', '/windows/start', '{"title": ');
    assert.equal(malformed.status, 400);
    assert.equal(malformed.body.error.code, 'GW_ERR_VALIDATION');
    const huge = await call('POST', '/windows/start', { title: 'x', message: 'y'.repeat(100_000) });
    assert.equal(huge.status, 413);
    assert.equal(huge.body.error.code, 'GW_ERR_TOO_LARGE');
    assert.equal(await writes(db), before);
  });

  it('refuses a form-encoded body with 415 rather than start a window without the duration it names', async () => {
    const before = await writes(db);
    // What `curl -d duration=20m` sends when Content-Type is forgotten.
    const res = await request(`${gw.url}${API}/windows/start`, {
      method: 'POST',
      headers: { authorization: `Bearer ${operator}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'duration=20m',
    });
    assert.equal(res.status, 415);
    const { error } = JSON.parse(res.body);
    assert.equal(error.code, 'GW_ERR_UNSUPPORTED_MEDIA_TYPE');
    assert.match(error.message, /Content-Type: application\/json/);
    assert.equal(await writes(db), before);
    await customerGets(gw, 200);
  });

  it('answers 404 for windows that do not exist, whatever the id looks like', async () => {
    for (const id of ['999999', 'abc', '1e3', '-1', '99999999999999999999']) {
      const res = await call('POST', `/windows/${id}/end`, {});
      assert.equal(res.status, 404, id);
      assert.equal(res.body.error.code, 'GW_ERR_NOT_FOUND');
    }
  });

  it('refuses a viewer token every write (403), and an anonymous one everything (401)', async () => {
    const before = await writes(db);
    const refused = await call('POST', '/windows/start', { duration: '5m' }, viewer);
    assert.equal(refused.status, 403);
    assert.match(refused.body.error.message, /needs operator/);
    const anonymous = await api(gw.url, undefined, 'GET', `${API}/windows`);
    assert.equal(anonymous.status, 401);
    assert.equal(await writes(db), before);
  });

  it('keeps scripts in titles and messages as text: JSON stays JSON, the status page escapes them', async () => {
    const res = await call('POST', '/windows/start', { title: SCRIPT, message: SCRIPT, duration: '5m' });
    assert.equal(res.body.window.title, SCRIPT);
    const held = await customerGets(gw, 503);
    assert.ok(!held.body.includes(SCRIPT), 'not reflected raw');
    assert.match(held.body, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  });
});
