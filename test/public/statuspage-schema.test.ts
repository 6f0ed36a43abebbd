// Every Statuspage v2 endpoint, read as a consumer written from Statuspage's documentation would
// read it, after real data was made through the admin API: components and a group, an open and a
// resolved incident with updates, a window in force, an upcoming one, a completed and a cancelled one.

import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { makeToken } from '../helpers/admin.js';
import type { TestDatabase } from '../helpers/database.js';
import type { TestGateway } from '../helpers/gateway.js';
import { useGateway } from '../helpers/harness.js';
import { admin, fromNow, v2, waitForDocument } from './fixtures.js';
import { DOCUMENTS, type DocumentPath, type V2Component, type V2Group, type V2Incident, type V2Maintenance } from './statuspage-schemas.js';

const harness = useGateway({ SITE_NAME: 'Acme Shop' });
let db: TestDatabase;
let gw: TestGateway;
const ids: Record<string, string> = {};
const HOUR = 3_600_000;

before(async () => {
  ({ db, gw } = await harness);
  const token = await makeToken(gw.pool, 'operator', 'schema');
  const call = (method: string, path: string, body?: unknown) => admin(gw, token, method, path, body);

  ids.payments = (await call('POST', '/component-groups', { name: 'Payments' })).id;
  ids.api = (await call('POST', '/components', { name: 'API', description: 'The public REST API' })).id;
  ids.checkout = (await call('POST', '/components', { name: 'Checkout', group_id: ids.payments })).id;
  ids.billing = (await call('POST', '/components', { name: 'Billing', group_id: ids.payments, status: 'degraded_performance' })).id;

  ids.resolved = (await call('POST', '/incidents', { title: 'Slow logins', body: 'Looking into slow logins.', impact: 'minor' })).incident.id;
  await call('POST', `/incidents/${ids.resolved}/updates`, { body: 'A fix is out; watching.', status: 'monitoring' });
  await call('POST', `/incidents/${ids.resolved}/updates`, { body: 'All good again.', issue_fixed: true });
  ids.open = (await call('POST', '/incidents', { title: 'API errors', body: 'Some requests fail.', impact: 'major', component_ids: [ids.api] })).incident.id;
  await call('POST', `/incidents/${ids.open}/updates`, { body: 'Found the cause.', status: 'identified' });

  ids.completed = (await call('POST', '/windows/start', { title: 'Quick deploy', duration: '1h' })).window.id;
  await call('POST', `/windows/${ids.completed}/end`, {});
  ids.cancelled = (await call('POST', '/windows', { title: 'Called off', starts_at: fromNow(2 * HOUR), duration: '1h' })).window.id;
  await call('DELETE', `/windows/${ids.cancelled}`, {});
  ids.upcoming = (await call('POST', '/windows', { title: 'Network work', starts_at: fromNow(24 * HOUR), duration: '2h', message: 'Brief blips expected.' })).window.id;
  ids.inForce = (await call('POST', '/windows/start', { title: 'Database upgrade', duration: '1h', message: 'We are upgrading.', component_ids: [ids.checkout] })).window.id;
  await call('POST', `/windows/${ids.inForce}/updates`, { body: 'Halfway there.' });

  await waitForDocument<{ scheduled_maintenances: V2Maintenance[] }>(
    gw,
    'scheduled-maintenances.json',
    (json) => json.scheduled_maintenances.some((m) => m.incident_updates.some((u) => u.body === 'Halfway there.')),
    'the last change is served',
  );
});

async function read<T = any>(path: DocumentPath): Promise<T> {
  const res = await v2<T>(gw, path);
  assert.equal(res.status, 200, `${path}: ${res.body}`);
  return res.json;
}

const named = <T extends { name: string }>(list: T[], name: string): T => {
  const found = list.find((item) => item.name === name);
  assert.ok(found, `no "${name}" in ${JSON.stringify(list.map((item) => item.name))}`);
  return found;
};

describe('Statuspage v2 endpoints', () => {
  for (const path of Object.keys(DOCUMENTS) as DocumentPath[]) {
    it(`answers ${path} with every field Statuspage documents, typed, and nothing else`, async () => {
      const res = await v2(gw, path);
      assert.equal(res.status, 200);
      assert.equal(res.headers['content-type'], 'application/json; charset=utf-8');
      const parsed = DOCUMENTS[path].safeParse(res.json);
      assert.ok(parsed.success, `${path} does not match:\n${parsed.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n')}`);
    });
  }

  it('names the page with its stable id from the database, the site name and its URL', async () => {
    const { page } = await read('status.json');
    const { rows } = await db.query<{ page_id: string }>('SELECT page_id FROM settings');
    assert.deepEqual(page, { ...page, id: rows[0]!.page_id, name: 'Acme Shop', url: `${gw.url}/status`, time_zone: 'Etc/UTC' });
    assert.equal((await read('components.json')).page.id, page.id);
  });

  it('lists groups as components with group: true and their members, and shows a component under a window in force as under maintenance', async () => {
    const { components } = await read<{ components: (V2Component | V2Group)[] }>('components.json');
    assert.deepEqual(components.map((c) => c.name), ['API', 'Payments', 'Checkout', 'Billing'], 'the page order: ungrouped, then each group');
    const group = named(components, 'Payments') as V2Group;
    const api = named(components, 'API');
    const checkout = named(components, 'Checkout');
    const billing = named(components, 'Billing');
    assert.equal(group.group, true);
    assert.deepEqual(group.components, [checkout.id, billing.id]);
    assert.deepEqual([checkout.group_id, billing.group_id, api.group_id], [group.id, group.id, null]);
    assert.notEqual(group.id, api.id, 'a group and a component never share an id');
    assert.deepEqual([api.status, checkout.status, billing.status], ['operational', 'under_maintenance', 'degraded_performance']);
    assert.deepEqual([api.description, checkout.description], ['The public REST API', null]);
    assert.ok(components.every((c) => c.showcase === !c.group && c.start_date === null && c.only_show_if_degraded === false));
  });

  it('lists incidents newest first with their updates newest first, and only open ones as unresolved', async () => {
    const { incidents } = await read<{ incidents: V2Incident[] }>('incidents.json');
    assert.deepEqual(incidents.map((i) => i.id), [ids.open, ids.resolved]);
    const [open, resolved] = incidents as [V2Incident, V2Incident];
    assert.deepEqual([open.status, open.impact, open.resolved_at, open.monitoring_at], ['identified', 'major', null, null]);
    assert.deepEqual(open.incident_updates.map((u) => [u.status, u.body]), [['identified', 'Found the cause.'], ['investigating', 'Some requests fail.']]);
    assert.ok(open.incident_updates.every((u) => u.incident_id === open.id && u.affected_components === null));
    assert.deepEqual(open.components.map((c) => [c.name, c.group]), [['API', false]]);
    assert.deepEqual(resolved.incident_updates.map((u) => u.status), ['resolved', 'monitoring', 'investigating']);
    assert.equal(resolved.status, 'resolved');
    assert.equal(resolved.resolved_at, resolved.incident_updates[0]!.created_at);
    assert.equal(resolved.monitoring_at, resolved.incident_updates[1]!.created_at);
    const unresolved = await read<{ incidents: V2Incident[] }>('incidents/unresolved.json');
    assert.deepEqual(unresolved.incidents.map((i) => i.id), [ids.open]);
  });

  it('lists maintenance newest first, without cancelled windows, each with the state the page shows', async () => {
    const { scheduled_maintenances: all } = await read<{ scheduled_maintenances: V2Maintenance[] }>('scheduled-maintenances.json');
    assert.deepEqual(all.map((m) => [m.name, m.status]), [['Network work', 'scheduled'], ['Database upgrade', 'in_progress'], ['Quick deploy', 'completed']]);
    const [upcoming, inForce, completed] = all as [V2Maintenance, V2Maintenance, V2Maintenance];
    assert.equal(Date.parse(upcoming.scheduled_until!) - Date.parse(upcoming.scheduled_for), 2 * HOUR);
    assert.deepEqual(upcoming.incident_updates.map((u) => [u.status, u.body]), [['scheduled', 'Brief blips expected.']]);
    assert.deepEqual(inForce.incident_updates.map((u) => [u.status, u.body]), [['in_progress', 'Halfway there.'], ['in_progress', 'We are upgrading.']]);
    assert.deepEqual(inForce.components.map((c) => [c.name, c.status]), [['Checkout', 'under_maintenance']]);
    assert.equal(inForce.resolved_at, null);
    // Ended early: the plan stays as it was announced, and the end is when it was resolved.
    assert.equal(Date.parse(completed.scheduled_until!) - Date.parse(completed.scheduled_for), HOUR);
    assert.ok(completed.resolved_at !== null && Date.parse(completed.resolved_at) < Date.parse(completed.scheduled_until!));
    assert.ok(all.every((m) => m.impact === 'maintenance' && m.incident_updates.every((u) => u.incident_id === m.id)));

    const upcomingOnly = await read<{ scheduled_maintenances: V2Maintenance[] }>('scheduled-maintenances/upcoming.json');
    assert.deepEqual(upcomingOnly.scheduled_maintenances.map((m) => m.name), ['Network work']);
    const active = await read<{ scheduled_maintenances: V2Maintenance[] }>('scheduled-maintenances/active.json');
    assert.deepEqual(active.scheduled_maintenances.map((m) => m.name), ['Database upgrade']);
  });

  it('sums up: components, unresolved incidents, upcoming and active maintenance, and the status', async () => {
    const summary = await read('summary.json');
    assert.deepEqual(Object.keys(summary), ['page', 'components', 'incidents', 'scheduled_maintenances', 'status']);
    assert.deepEqual(summary.components, (await read('components.json')).components);
    assert.deepEqual(summary.incidents, (await read('incidents/unresolved.json')).incidents);
    assert.deepEqual(summary.scheduled_maintenances.map((m: V2Maintenance) => m.name), ['Network work', 'Database upgrade']);
    assert.deepEqual(summary.status, (await read('status.json')).status);
    const latest = [...summary.components, ...(await read('incidents.json')).incidents].map((x: { updated_at: string }) => Date.parse(x.updated_at));
    assert.ok(Date.parse(summary.page.updated_at) >= Math.max(...latest), 'page.updated_at is the latest change it shows');
  });
});
