// The components pages as SREs use them: real gateway, real PostgreSQL, forms posted with their
// CSRF tokens and redirects followed. Every change is audited; every refused one writes nothing.

import assert from 'node:assert/strict';
import { before, beforeEach, describe, it } from 'node:test';
import { api, csrfOf, makeToken, signedIn, type Browser } from '../helpers/admin.js';
import type { TestDatabase } from '../helpers/database.js';
import { waitFor, type TestGateway } from '../helpers/gateway.js';
import { useGateway } from '../helpers/harness.js';
import { clearComponents, componentRow, componentWrites, groupIdOf, orderIn, shownStatus, type ComponentRow } from './components-fixtures.js';
import { ADMIN, API, auditRows, hiddenFields, SCRIPT } from './fixtures.js';
import { clearWindows } from './windows-fixtures.js';

const harness = useGateway();
let db: TestDatabase;
let gw: TestGateway;
let operator: Browser;
let viewer: Browser;
let operatorToken: string;

before(async () => {
  ({ db, gw } = await harness);
  operator = await signedIn(gw.pool, gw.url, ADMIN, 'operator', 'ops@example.com');
  viewer = await signedIn(gw.pool, gw.url, ADMIN, 'viewer', 'look@example.com');
  operatorToken = await makeToken(gw.pool, 'operator');
});

beforeEach(async () => {
  await clearWindows(db, gw);
  await clearComponents(db);
});

const component = (name: string) => componentRow(db, name);
const order = (groupName: string | null) => orderIn(db, groupName);
const writes = () => componentWrites(db);

async function add(name: string, fields: Record<string, string> = {}): Promise<ComponentRow> {
  const res = await operator.submit(`${ADMIN}/components`, { name, description: '', status: 'operational', group_id: '', ...fields }, `${ADMIN}/components/new`);
  assert.equal(res.status, 200, res.body);
  return component(name);
}

async function addGroup(name: string): Promise<string> {
  const res = await operator.submit(`${ADMIN}/components/groups`, { name }, `${ADMIN}/components/groups/new`);
  assert.equal(res.status, 200);
  return groupIdOf(db, name);
}

function positionsOf(html: string, ...names: string[]): number[] {
  return names.map((name) => {
    const at = html.indexOf(`>${name}</a>`);
    assert.ok(at >= 0, `${name} is on the page`);
    return at;
  });
}

describe('adding and listing components', () => {
  it('tells an SRE with no components yet what they are for, and offers to add one', async () => {
    const page = await operator.get(`${ADMIN}/components`);
    assert.equal(page.status, 200);
    assert.match(page.body, /No components yet/);
    assert.match(page.body, /href="\/admin\/components\/new">Add a component</);
    assert.equal((await operator.get(`${ADMIN}/components/groups`)).url, `${ADMIN}/components`);
  });

  it('adds a component through the form; the list shows it with its status badge and the audit log records who', async () => {
    const res = await operator.submit(`${ADMIN}/components`, { name: 'API', description: 'The public REST API', status: 'degraded_performance', group_id: '' }, `${ADMIN}/components/new`);
    assert.equal(res.url, `${ADMIN}/components`);
    assert.match(res.body, /Added “API”/);
    assert.match(res.body, /<span class="badge badge--warn">Degraded performance<\/span>/);
    assert.match(res.body, /The public REST API/);
    const row = await component('API');
    assert.equal(row.status, 'degraded_performance');
    const [audit] = await auditRows(db, 'component.create');
    assert.equal(audit!.actor, 'user:ops@example.com');
    assert.equal(audit!.kind, 'components');
    assert.equal(audit!.object_id, row.id);
    assert.equal(audit!.after!.name, 'API');
  });

  it('lists components in no group first, then each group in order, each in its own order', async () => {
    const backend = await addGroup('Backend');
    const frontend = await addGroup('Frontend');
    await add('Website', { group_id: frontend });
    await add('Database', { group_id: backend });
    await add('Queue', { group_id: backend });
    await add('DNS');
    const page = await viewer.get(`${ADMIN}/components`);
    const [dns, database, queue, website] = positionsOf(page.body, 'DNS', 'Database', 'Queue', 'Website');
    assert.ok(dns! < database! && database! < queue! && queue! < website!, 'DNS, then Backend (Database, Queue), then Frontend (Website)');
    assert.ok(page.body.indexOf('Backend') < page.body.indexOf('Frontend'));
    assert.deepEqual(await order('Backend'), ['Database', 'Queue']);
  });

  it('puts a component added from an empty group\'s link in that group', async () => {
    const group = await addGroup('Payments');
    const form = await operator.get(`${ADMIN}/components/new?group=${group}`);
    assert.match(form.body, new RegExp(`<option value="${group}" selected>Payments</option>`));
  });

  it('keeps what was typed and marks the field when the name is taken, writing nothing', async () => {
    await add('Checkout');
    const before = await writes();
    const res = await operator.submit(`${ADMIN}/components`, { name: ' Checkout ', description: 'kept text', status: 'major_outage', group_id: '' }, `${ADMIN}/components/new`);
    assert.equal(res.status, 400);
    assert.match(res.body, /name “Checkout” is taken/);
    assert.match(res.body, /id="name" name="name" maxlength="200" required value=" Checkout " aria-invalid="true"/);
    assert.match(res.body, /kept text<\/textarea>/);
    assert.match(res.body, /value="major_outage" checked/);
    assert.equal(await writes(), before);
  });

  it('refuses an empty name, a name of 201 characters and an unknown status, naming the field', async () => {
    const before = await writes();
    const cases: [Record<string, string>, RegExp][] = [
      [{ name: '   ' }, /name is empty/],
      [{ name: 'x'.repeat(201) }, /name is 201 characters long: at most 200/],
      [{ name: 'Ok', status: 'on_fire' }, /status: must be one of operational/],
      [{ name: 'Ok', group_id: '999999' }, /no component group #999999/],
      [{ name: 'Ok', description: 'd'.repeat(2001) }, /description is 2001 characters long/],
    ];
    for (const [fields, message] of cases) {
      const res = await operator.submit(`${ADMIN}/components`, { name: '', status: 'operational', group_id: '', ...fields }, `${ADMIN}/components/new`);
      assert.equal(res.status, 400, JSON.stringify(fields));
      assert.match(res.body, message);
    }
    assert.equal(await writes(), before);
  });
});

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

describe('editing', () => {
  it('renames a component and moves it to another group, where it goes last; the old group closes the gap', async () => {
    const backend = await addGroup('Backend');
    const frontend = await addGroup('Frontend');
    await add('Web', { group_id: frontend });
    const api1 = await add('API', { group_id: backend });
    await add('Jobs', { group_id: backend });
    const page = await operator.get(`${ADMIN}/components/${api1.id}`);
    assert.match(page.body, /value="API"/);
    const res = await operator.post(`${ADMIN}/components/${api1.id}`, { _csrf: csrfOf(page.body), name: 'Public API', description: 'v2', status: 'operational', group_id: frontend });
    assert.equal(res.url, `${ADMIN}/components`);
    assert.match(res.body, /Saved “Public API”/);
    assert.deepEqual(await order('Frontend'), ['Web', 'Public API']);
    assert.deepEqual(await order('Backend'), ['Jobs']);
    assert.equal((await component('Jobs')).position, 0);
    const [audit] = await auditRows(db, 'component.update');
    assert.deepEqual([audit!.before!.name, audit!.after!.name, audit!.after!.description], ['API', 'Public API', 'v2']);
  });

  it('records a status changed on the edit form as component.status, and an unchanged form as nothing', async () => {
    const a = await add('A');
    const page = await operator.get(`${ADMIN}/components/${a.id}`);
    const fields = { _csrf: csrfOf(page.body), name: 'A', description: '', group_id: '' };
    const before = await writes();
    await operator.post(`${ADMIN}/components/${a.id}`, { ...fields, status: 'operational' });
    assert.equal(await writes(), before, 'nothing changed, nothing written');
    await operator.post(`${ADMIN}/components/${a.id}`, { ...fields, status: 'partial_outage' });
    assert.equal((await auditRows(db, 'component.status')).length, 1);
    assert.equal((await auditRows(db, 'component.update')).length, 0);
  });

  it('shows viewers the component read-only, without a form', async () => {
    const a = await add('A', { description: 'about A' });
    const page = await viewer.get(`${ADMIN}/components/${a.id}`);
    assert.equal(page.status, 200);
    assert.match(page.body, /about A/);
    assert.doesNotMatch(page.body, /action="\/admin\/components\/\d+"/);
    assert.doesNotMatch(page.body, /Delete component/);
    const list = await viewer.get(`${ADMIN}/components`);
    assert.doesNotMatch(list.body, /name="status"|name="direction"|Add a component/);
  });
});

describe('deleting', () => {
  it('deletes a component only after a confirmation that says which windows name it', async () => {
    const a = await add('Search');
    await add('Other');
    await api(gw.url, operatorToken, 'POST', `${API}/windows/start`, { duration: '1h', component_ids: [a.id] });
    const page = await operator.get(`${ADMIN}/components/${a.id}`);
    const before = await writes();
    const confirm = await operator.post(`${ADMIN}/components/${a.id}/delete`, { _csrf: csrfOf(page.body) });
    assert.equal(confirm.status, 200);
    assert.match(confirm.body, /Delete “Search”\?/);
    assert.match(confirm.body, /1 window in force or upcoming name it/);
    assert.equal(await writes(), before, 'asking writes nothing');
    const done = await operator.post(`${ADMIN}/components/${a.id}/delete`, hiddenFields(confirm.body));
    assert.equal(done.url, `${ADMIN}/components`);
    assert.match(done.body, /Deleted “Search”/);
    assert.equal((await db.query('SELECT 1 FROM components WHERE id = $1', [a.id])).rowCount, 0);
    assert.equal((await db.query('SELECT 1 FROM window_components WHERE component_id = $1', [a.id])).rowCount, 0);
    const [audit] = await auditRows(db, 'component.delete');
    assert.equal(audit!.before!.name, 'Search');
    assert.equal(audit!.after, null);
    assert.equal((await component('Other')).position, 0, 'the gap is closed');
  });

  it('renames a group, then deletes it after confirmation; its components stay, last among those in no group', async () => {
    const group = await addGroup('Old name');
    await add('Loose');
    await add('G1', { group_id: group });
    await add('G2', { group_id: group });
    const page = await operator.get(`${ADMIN}/components/groups/${group}`);
    assert.match(page.body, /G1/);
    const renamed = await operator.post(`${ADMIN}/components/groups/${group}`, { _csrf: csrfOf(page.body), name: 'New name' });
    assert.match(renamed.body, /Saved the group “New name”/);
    assert.equal((await auditRows(db, 'component_group.rename')).length, 1);
    const confirm = await operator.post(`${ADMIN}/components/groups/${group}/delete`, { _csrf: csrfOf(page.body) });
    assert.match(confirm.body, /Its 2 components stay on the status page/);
    assert.equal((await db.query('SELECT 1 FROM component_groups')).rowCount, 1, 'asking deletes nothing');
    const done = await operator.post(`${ADMIN}/components/groups/${group}/delete`, hiddenFields(confirm.body));
    assert.match(done.body, /Deleted the group “New name”/);
    assert.deepEqual(await order(null), ['Loose', 'G1', 'G2']);
    const audit = await auditRows(db, 'component_group.delete');
    assert.deepEqual(audit.map((a) => a.kind).sort(), ['component_groups', 'components', 'components']);
  });
});

describe('what the pages refuse', () => {
  it('escapes <script> in every text field on every page that shows it', async () => {
    const group = await addGroup(`G ${SCRIPT}`);
    const res = await operator.submit(`${ADMIN}/components`, { name: `N ${SCRIPT}`, description: `D ${SCRIPT}`, status: 'operational', group_id: group }, `${ADMIN}/components/new`);
    assert.equal(res.status, 200);
    const id = (await db.query<{ id: string }>('SELECT id::text FROM components')).rows[0]!.id;
    const pages = [
      res.body,
      (await operator.get(`${ADMIN}/components`)).body,
      (await viewer.get(`${ADMIN}/components`)).body,
      (await operator.get(`${ADMIN}/components/${id}`)).body,
      (await viewer.get(`${ADMIN}/components/${id}`)).body,
      (await operator.get(`${ADMIN}/components/groups/${group}`)).body,
      (await operator.post(`${ADMIN}/components/${id}/delete`, { _csrf: csrfOf(res.body) })).body,
      (await operator.post(`${ADMIN}/components/groups/${group}/delete`, { _csrf: csrfOf(res.body) })).body,
      (await operator.submit(`${ADMIN}/components`, { name: `N ${SCRIPT}`, status: 'operational' }, `${ADMIN}/components/new`)).body,
    ];
    for (const body of pages) {
      assert.ok(!body.includes(SCRIPT), 'no raw script');
      assert.ok(body.includes('&lt;script&gt;'), 'escaped');
    }
  });

  it('answers 404 for ids that do not exist or are not ids, on every page', async () => {
    const list = await operator.get(`${ADMIN}/components`);
    const csrf = csrfOf(list.body);
    for (const path of ['/components/999999', '/components/abc', '/components/groups/999999', '/components/groups/1x']) {
      assert.equal((await operator.get(`${ADMIN}${path}`)).status, 404, path);
    }
    const before = await writes();
    const posts: [string, Record<string, string>][] = [
      ['/components/999999/status', { status: 'operational' }],
      ['/components/999999/move', { direction: 'up' }],
      ['/components/999999/delete', { confirm: 'yes' }],
      ['/components/999999/delete', {}],
      ['/components/999999', { name: 'x' }],
      ['/components/groups/999999', { name: 'x' }],
      ['/components/groups/999999/move', { direction: 'up' }],
      ['/components/groups/999999/delete', { confirm: 'yes' }],
      ['/components/groups/999999/delete', {}],
    ];
    for (const [path, fields] of posts) {
      const res = await operator.post(`${ADMIN}${path}`, { _csrf: csrf, ...fields });
      assert.equal(res.status, 404, path);
    }
    assert.equal(await writes(), before);
  });

  it('refuses a viewer\'s form posts with 403, and posts with a missing or wrong CSRF token', async () => {
    const a = await add('A');
    const viewerCsrf = csrfOf((await viewer.get(`${ADMIN}/components`)).body);
    const before = await writes();
    const attempts: [string, Record<string, string>][] = [
      ['/components', { name: 'New', status: 'operational' }],
      [`/components/${a.id}/status`, { status: 'major_outage' }],
      [`/components/${a.id}/move`, { direction: 'down' }],
      [`/components/${a.id}/delete`, { confirm: 'yes' }],
      [`/components/${a.id}`, { name: 'Renamed' }],
      ['/components/groups', { name: 'G' }],
    ];
    for (const [path, fields] of attempts) {
      assert.equal((await viewer.raw('POST', `${ADMIN}${path}`, { _csrf: viewerCsrf, ...fields })).status, 403, `viewer ${path}`);
      assert.equal((await operator.raw('POST', `${ADMIN}${path}`, fields)).status, 403, `no CSRF ${path}`);
      assert.equal((await operator.raw('POST', `${ADMIN}${path}`, { _csrf: 'forged', ...fields })).status, 403, `wrong CSRF ${path}`);
    }
    assert.equal(await writes(), before);
  });

  it('refuses an oversized form with 413, writing nothing', async () => {
    const list = await operator.get(`${ADMIN}/components`);
    const before = await writes();
    const res = await operator.raw('POST', `${ADMIN}/components`, { _csrf: csrfOf(list.body), name: 'Big', description: 'x'.repeat(70_000) });
    assert.equal(res.status, 413);
    assert.equal(await writes(), before);
  });
});
