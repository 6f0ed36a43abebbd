// The Components and Component groups endpoints of the automation API, as a pipeline uses them:
// real gateway, real PostgreSQL. Every change is audited; every bad request is refused with a
// code and the field, and writes nothing.

import assert from 'node:assert/strict';
import { before, beforeEach, describe, it } from 'node:test';
import { api, makeToken } from '../helpers/admin.js';
import type { TestDatabase } from '../helpers/database.js';
import type { TestGateway } from '../helpers/gateway.js';
import { useGateway } from '../helpers/harness.js';
import { clearComponents, componentWrites } from './components-fixtures.js';
import { API, auditRows, SCRIPT } from './fixtures.js';

const harness = useGateway();
let db: TestDatabase;
let gw: TestGateway;
let operator: string;
let viewer: string;

before(async () => {
  ({ db, gw } = await harness);
  operator = await makeToken(gw.pool, 'operator', 'status-bot');
  viewer = await makeToken(gw.pool, 'viewer', 'reader');
});

beforeEach(async () => {
  await clearComponents(db);
});

function call(method: string, path: string, body?: unknown, token = operator) {
  return api(gw.url, token, method, `${API}${path}`, body);
}

const writes = () => componentWrites(db);

async function create(name: string, fields: Record<string, unknown> = {}): Promise<any> {
  const res = await call('POST', '/components', { name, ...fields });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body;
}

describe('components through the API', () => {
  it('creates, reads, lists, changes and deletes a component, each change audited under its action', async () => {
    const created = await create('API', { description: 'REST', status: 'partial_outage' });
    assert.equal(created.name, 'API');
    assert.equal(created.status, 'partial_outage');
    assert.equal(created.group_id, null);
    assert.equal(created.position, 0);
    assert.match(created.created_at, /Z$/);
    assert.deepEqual((await call('GET', `/components/${created.id}`, undefined, viewer)).body, created);
    const listed = await call('GET', '/components', undefined, viewer);
    assert.deepEqual(listed.body.components.map((c: any) => c.name), ['API']);

    const status = await call('PATCH', `/components/${created.id}`, { status: 'operational' });
    assert.equal(status.status, 200);
    assert.equal(status.body.status, 'operational');
    const renamed = await call('PATCH', `/components/${created.id}`, { name: 'Public API', description: '' });
    assert.equal(renamed.body.name, 'Public API');

    const deleted = await call('DELETE', `/components/${created.id}`);
    assert.equal(deleted.status, 204);
    assert.equal((await call('GET', `/components/${created.id}`)).status, 404);

    for (const action of ['component.create', 'component.status', 'component.update', 'component.delete']) {
      const rows = await auditRows(db, action);
      assert.equal(rows.length, 1, action);
      assert.equal(rows[0]!.actor, 'token:status-bot');
      assert.equal(rows[0]!.object_id, created.id);
    }
  });

  it('changes nothing, and writes nothing, when the values given are the ones it has', async () => {
    const created = await create('Same', { status: 'major_outage' });
    const before = await writes();
    const res = await call('PATCH', `/components/${created.id}`, { name: 'Same', status: 'major_outage' });
    assert.equal(res.status, 200);
    assert.equal(await writes(), before);
  });

  it('moves a component to a position within its group, the others making room', async () => {
    const ids = [];
    for (const name of ['A', 'B', 'C', 'D']) ids.push((await create(name)).id);
    const moved = await call('PATCH', `/components/${ids[3]}`, { position: 1 });
    assert.equal(moved.body.position, 1);
    const names = (await call('GET', '/components')).body.components.map((c: any) => `${c.name}${c.position}`);
    assert.deepEqual(names, ['A0', 'D1', 'B2', 'C3']);
    assert.equal((await auditRows(db, 'component.reorder')).length, 3, 'D, B and C moved; A did not');
    const last = await call('PATCH', `/components/${ids[0]}`, { position: 500 });
    assert.equal(last.body.position, 3, 'past the end is last');
  });

  it('keeps positions whole when many moves arrive at once', async () => {
    const ids = [];
    for (const name of ['A', 'B', 'C', 'D', 'E', 'F']) ids.push((await create(name)).id);
    await Promise.all(ids.map((id, index) => call('PATCH', `/components/${id}`, { position: (index * 7) % ids.length })));
    const { rows } = await db.query<{ position: number }>('SELECT position FROM components ORDER BY position');
    assert.deepEqual(rows.map((r) => r.position), [0, 1, 2, 3, 4, 5]);
  });

  it('refuses bad input with 400, the field named, and nothing written', async () => {
    const existing = await create('Taken');
    const before = await writes();
    const cases: [string, string, unknown, string, RegExp][] = [
      ['POST', '/components', { name: 'Taken' }, 'name', /name “Taken” is taken/],
      ['POST', '/components', {}, 'name', /name/],
      ['POST', '/components', { name: '' }, 'name', /name is empty/],
      ['POST', '/components', { name: 5 }, 'name', /name: /],
      ['POST', '/components', { name: 'x'.repeat(201) }, 'name', /at most 200/],
      ['POST', '/components', { name: 'Two\nlines' }, 'name', /one line/],
      ['POST', '/components', { name: 'Ok', status: 'on_fire' }, 'status', /must be one of operational, degraded_performance/],
      ['POST', '/components', { name: 'Ok', status: 3 }, 'status', /status: /],
      ['POST', '/components', { name: 'Ok', group_id: 'abc' }, 'group_id', /not a group id/],
      ['POST', '/components', { name: 'Ok', group_id: 1.5 }, 'group_id', /not a group id/],
      ['POST', '/components', { name: 'Ok', group_id: '999999' }, 'group_id', /no component group #999999/],
      ['POST', '/components', { name: 'Ok', description: 'x'.repeat(2001) }, 'description', /at most 2000/],
      ['POST', '/components', { name: 'Ok', colour: 'red' }, '', /colour/],
      ['PATCH', `/components/${existing.id}`, {}, '', /nothing to change/],
      ['PATCH', `/components/${existing.id}`, { position: -1 }, 'position', /position: /],
      ['PATCH', `/components/${existing.id}`, { position: '1' }, 'position', /position: /],
      ['PATCH', `/components/${existing.id}`, { position: 1.5 }, 'position', /position: /],
      ['PATCH', `/components/${existing.id}`, { status: null }, 'status', /status: /],
    ];
    for (const [method, path, body, field, message] of cases) {
      const res = await call(method, path, body);
      assert.equal(res.status, 400, `${JSON.stringify(body)}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.error.code, 'GW_ERR_VALIDATION');
      if (field) assert.equal(res.body.error.field, field, JSON.stringify(body));
      assert.match(res.body.error.message, message);
    }
    assert.equal(await writes(), before);
  });

  it('refuses malformed JSON with 400 and an oversized body with 413, writing nothing', async () => {
    const before = await writes();
    const malformed = await call('POST', '/components', '{"name": "x",');
    assert.equal(malformed.status, 400);
    assert.equal(malformed.body.error.code, 'GW_ERR_VALIDATION');
    const huge = await call('POST', '/components', { name: 'Big', description: 'x'.repeat(70_000) });
    assert.equal(huge.status, 413);
    assert.equal(huge.body.error.code, 'GW_ERR_TOO_LARGE');
    const array = await call('POST', '/components', [{ name: 'x' }]);
    assert.equal(array.status, 400);
    assert.equal(await writes(), before);
  });

  it('answers 404 for unknown ids and for paths that are not ids', async () => {
    const before = await writes();
    for (const [method, path, body] of [
      ['GET', '/components/999999', undefined],
      ['GET', '/components/abc', undefined],
      ['PATCH', '/components/999999', { status: 'operational' }],
      ['DELETE', '/components/999999', undefined],
      ['GET', '/component-groups/999999', undefined],
      ['PATCH', '/component-groups/999999', { name: 'x' }],
      ['DELETE', '/component-groups/12345678901234567890', undefined],
    ] as const) {
      const res = await call(method, path, body);
      assert.equal(res.status, 404, `${method} ${path}`);
      assert.equal(res.body.error.code, 'GW_ERR_NOT_FOUND');
    }
    assert.equal(await writes(), before);
  });

  it('refuses writes from a viewer token with 403 and without a token with 401', async () => {
    const existing = await create('A');
    const before = await writes();
    for (const [method, path, body] of [
      ['POST', '/components', { name: 'B' }],
      ['PATCH', `/components/${existing.id}`, { status: 'major_outage' }],
      ['DELETE', `/components/${existing.id}`, undefined],
      ['POST', '/component-groups', { name: 'G' }],
    ] as const) {
      const refused = await call(method, path, body, viewer);
      assert.equal(refused.status, 403, `${method} ${path}`);
      assert.equal(refused.body.error.code, 'GW_ERR_FORBIDDEN');
      assert.equal((await api(gw.url, undefined, method, `${API}${path}`, body)).status, 401);
    }
    assert.equal(await writes(), before);
  });

  it('returns <script> in names as data, exactly as given', async () => {
    const created = await create(`N ${SCRIPT}`, { description: SCRIPT });
    assert.equal(created.name, `N ${SCRIPT}`);
    assert.equal((await call('GET', `/components/${created.id}`)).body.description, SCRIPT);
  });
});

describe('component groups through the API', () => {
  it('creates groups, puts components in them, reorders, renames and deletes them', async () => {
    const backend = (await call('POST', '/component-groups', { name: 'Backend' })).body;
    const frontend = (await call('POST', '/component-groups', { name: 'Frontend' })).body;
    assert.deepEqual([backend.position, frontend.position], [0, 1]);
    await create('Loose');
    const db1 = await create('Database', { group_id: backend.id });
    const queue = await create('Queue', { group_id: Number(backend.id) });
    assert.equal(queue.position, 1);
    await create('Web', { group_id: frontend.id });

    const groups = (await call('GET', '/component-groups', undefined, viewer)).body.groups;
    assert.deepEqual(groups.map((g: any) => [g.name, g.component_ids]), [['Backend', [db1.id, queue.id]], ['Frontend', [(await call('GET', '/components')).body.components[3].id]]]);
    assert.deepEqual((await call('GET', '/components')).body.components.map((c: any) => c.name), ['Loose', 'Database', 'Queue', 'Web']);

    const moved = await call('PATCH', `/component-groups/${frontend.id}`, { position: 0 });
    assert.equal(moved.body.position, 0);
    assert.deepEqual((await call('GET', '/components')).body.components.map((c: any) => c.name), ['Loose', 'Web', 'Database', 'Queue']);
    const renamed = await call('PATCH', `/component-groups/${backend.id}`, { name: 'Storage' });
    assert.equal(renamed.body.name, 'Storage');
    assert.equal((await call('PATCH', `/component-groups/${backend.id}`, { name: 'Frontend' })).body.error.field, 'name');

    const ungrouped = await call('PATCH', `/components/${db1.id}`, { group_id: null });
    assert.equal(ungrouped.body.group_id, null);
    assert.equal(ungrouped.body.position, 1, 'last among those in no group');

    assert.equal((await call('DELETE', `/component-groups/${backend.id}`)).status, 204);
    const after = (await call('GET', '/components')).body.components;
    assert.deepEqual(after.map((c: any) => [c.name, c.group_id, c.position]), [['Loose', null, 0], ['Database', null, 1], ['Queue', null, 2], ['Web', frontend.id, 0]]);
    assert.deepEqual((await call('GET', '/component-groups')).body.groups.map((g: any) => [g.name, g.position]), [['Frontend', 0]]);

    for (const action of ['component_group.create', 'component_group.reorder', 'component_group.rename', 'component_group.delete']) {
      assert.ok((await auditRows(db, action)).length > 0, action);
    }
  });

  it('refuses a taken group name, an empty one and unknown fields, naming the field', async () => {
    await call('POST', '/component-groups', { name: 'Taken' });
    const before = await writes();
    for (const [body, field, message] of [
      [{ name: 'Taken' }, 'name', /name “Taken” is taken: another group/],
      [{ name: ' ' }, 'name', /name is empty/],
      [{ name: 'Ok', position: 2 }, '', /position/],
    ] as const) {
      const res = await call('POST', '/component-groups', body);
      assert.equal(res.status, 400);
      if (field) assert.equal(res.body.error.field, field);
      assert.match(res.body.error.message, message);
    }
    assert.equal(await writes(), before);
  });
});
