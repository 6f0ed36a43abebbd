// The quick controls of the components list: setting a status (the status page follows it, and a
// window in force shows the component under maintenance) and moving components and groups.

import assert from 'node:assert/strict';
import { before, beforeEach, describe, it } from 'node:test';
import { api, csrfOf, makeToken, signedIn, type Browser } from '../helpers/admin.js';
import type { TestDatabase } from '../helpers/database.js';
import { waitFor, type TestGateway } from '../helpers/gateway.js';
import { useGateway } from '../helpers/harness.js';
import { clearComponents, componentPages, shownStatus } from './components-fixtures.js';
import { ADMIN, API, auditRows } from './fixtures.js';
import { clearWindows } from './windows-fixtures.js';

const harness = useGateway();
let db: TestDatabase;
let gw: TestGateway;
let operator: Browser;
let operatorToken: string;

before(async () => {
  ({ db, gw } = await harness);
  operator = await signedIn(gw.pool, gw.url, ADMIN, 'operator', 'ops@example.com');
  operatorToken = await makeToken(gw.pool, 'operator');
});

beforeEach(async () => {
  await clearWindows(db, gw);
  await clearComponents(db);
});

const { add, addGroup, component, order, writes } = componentPages(() => ({ db, operator }));

describe('setting a status', () => {
  it('sets a status with the quick control; the status page follows and the audit log records component.status', async () => {
    const target = await add('API');
    const list = await operator.get(`${ADMIN}/components`);
    const res = await operator.post(`${ADMIN}/components/${target.id}/status`, { _csrf: csrfOf(list.body), status: 'major_outage' });
    assert.equal(res.url, `${ADMIN}/components`);
    assert.match(res.body, /“API” is now major outage/);
    assert.match(res.body, /badge--outage">Major outage/);
    assert.equal((await component('API')).status, 'major_outage');
    const [audit] = await auditRows(db, 'component.status');
    assert.equal(audit!.before!.status, 'operational');
    assert.equal(audit!.after!.status, 'major_outage');
    await waitFor(async () => (await shownStatus(gw, 'API')) === 'Major outage', 1000, 'the status page shows the outage');
  });

  it('shows a component named by a window in force as under maintenance, unless its own status is worse, and restores it after', async () => {
    const disk = await add('Database');
    const started = await api(gw.url, operatorToken, 'POST', `${API}/windows/start`, { title: 'Disk swap', duration: '1h', component_ids: [disk.id] });
    assert.equal(started.status, 201);
    await waitFor(async () => (await operator.get(`${ADMIN}/components`)).body.includes('Shown under maintenance while “Disk swap” is in force'), 1000, 'the list names the window');
    await waitFor(async () => (await shownStatus(gw, 'Database')) === 'Under maintenance', 1000, 'the status page shows maintenance');

    const list = await operator.get(`${ADMIN}/components`);
    const worse = await operator.post(`${ADMIN}/components/${disk.id}/status`, { _csrf: csrfOf(list.body), status: 'major_outage' });
    assert.match(worse.body, /“Disk swap” is in force, but this status is worse, so the status page shows it/);
    await waitFor(async () => (await shownStatus(gw, 'Database')) === 'Major outage', 1000, 'an outage outranks maintenance');
    const fixed = await operator.post(`${ADMIN}/components/${disk.id}/status`, { _csrf: csrfOf(list.body), status: 'degraded_performance' });
    assert.doesNotMatch(fixed.body, /until “Disk swap” ends/);
    const ok = await operator.post(`${ADMIN}/components/${disk.id}/status`, { _csrf: csrfOf(list.body), status: 'operational' });
    assert.match(ok.body, /The status page shows it under maintenance until “Disk swap” ends; then it shows operational/);
    await waitFor(async () => (await shownStatus(gw, 'Database')) === 'Under maintenance', 1000, 'maintenance again');

    await api(gw.url, operatorToken, 'POST', `${API}/windows/${started.body.window.id}/end`, {});
    await waitFor(async () => !(await operator.get(`${ADMIN}/components`)).body.includes('Disk swap'), 1000, 'the window is over');
    await waitFor(async () => (await shownStatus(gw, 'Database')) === 'Operational', 1000, 'the status page restores the component');
  });
});

describe('ordering', () => {
  it('moves components up and down with plain forms, renumbering only what moved', async () => {
    await add('A');
    await add('B');
    const c = await add('C');
    const list = await operator.get(`${ADMIN}/components`);
    const csrf = csrfOf(list.body);
    assert.match(list.body, /aria-label="Move A up" disabled/);
    assert.match(list.body, /aria-label="Move C down" disabled/);
    const res = await operator.post(`${ADMIN}/components/${c.id}/move`, { _csrf: csrf, direction: 'up' });
    assert.equal(res.url, `${ADMIN}/components`);
    assert.deepEqual(await order(null), ['A', 'C', 'B']);
    const moves = await auditRows(db, 'component.reorder');
    assert.deepEqual(moves.map((m) => [m.after!.name, m.before!.position, m.after!.position]).sort(), [['B', 1, 2], ['C', 2, 1]]);
    await operator.post(`${ADMIN}/components/${c.id}/move`, { _csrf: csrf, direction: 'up' });
    const before = await writes();
    await operator.post(`${ADMIN}/components/${c.id}/move`, { _csrf: csrf, direction: 'up' });
    assert.deepEqual(await order(null), ['C', 'A', 'B']);
    assert.equal(await writes(), before, 'already first: nothing written');
  });

  it('moves groups up and down', async () => {
    await addGroup('One');
    const two = await addGroup('Two');
    const list = await operator.get(`${ADMIN}/components`);
    await operator.post(`${ADMIN}/components/groups/${two}/move`, { _csrf: csrfOf(list.body), direction: 'up' });
    const { rows } = await db.query<{ name: string }>('SELECT name FROM component_groups ORDER BY position');
    assert.deepEqual(rows.map((r) => r.name), ['Two', 'One']);
    assert.equal((await auditRows(db, 'component_group.reorder')).length, 2);
  });

  it('refuses a direction that is neither up nor down', async () => {
    const a = await add('A');
    const list = await operator.get(`${ADMIN}/components`);
    const before = await writes();
    const res = await operator.post(`${ADMIN}/components/${a.id}/move`, { _csrf: csrfOf(list.body), direction: 'sideways' });
    assert.equal(res.status, 400);
    assert.match(res.body, /direction: must be up or down/);
    assert.equal(await writes(), before);
  });
});
