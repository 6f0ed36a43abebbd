// The components pages as SREs use them: real gateway, real PostgreSQL, forms posted with their
// CSRF tokens and redirects followed. Adding, listing, editing and deleting components and groups,
// each change audited.

import assert from 'node:assert/strict';
import { before, beforeEach, describe, it } from 'node:test';
import { api, csrfOf, makeToken, type Browser } from '../helpers/admin.js';
import type { TestDatabase } from '../helpers/database.js';
import type { TestGateway } from '../helpers/gateway.js';
import { useGateway } from '../helpers/harness.js';
import { clearComponents, componentPages, signInSres } from './components-fixtures.js';
import { ADMIN, API, auditRows, hiddenFields } from './fixtures.js';
import { clearWindows } from './windows-fixtures.js';

const harness = useGateway();
let db: TestDatabase;
let gw: TestGateway;
let operator: Browser;
let viewer: Browser;
let operatorToken: string;

before(async () => {
  ({ db, gw } = await harness);
  ({ operator, viewer } = await signInSres(gw));
  operatorToken = await makeToken(gw.pool, 'operator');
});

beforeEach(async () => {
  await clearWindows(db, gw);
  await clearComponents(db);
});

const { add, addGroup, component, order, writes } = componentPages(() => ({ db, operator }));

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
