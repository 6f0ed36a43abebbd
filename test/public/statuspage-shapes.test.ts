// The pure shaping of maintenance windows, with a fixed now: the state the API tells follows the
// clock as the status page does, verifying included, and updates carry the state of their time.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PublicData, PublicMaintenance } from '../../src/public/public-data.js';
import { maintenanceStatus, shapeAll, v2Document } from '../../src/public/statuspage-shapes.js';

const T = Date.parse('2030-05-01T10:00:00.000Z');
const MIN = 60_000;

function maintenance(overrides: Partial<PublicMaintenance['window']> = {}, completedAt: number | null = null): PublicMaintenance {
  return {
    window: {
      id: '7', title: 'Upgrade', message: '', startsAt: T, endsAt: T + 60 * MIN, endedAt: null, mode: 'block', response: 'render',
      pathPrefixes: [], hosts: [], componentIds: [], lifecycle: 'scheduled', verifyUpstream: false, ...overrides,
    },
    kind: 'maintenance',
    createdAt: T - 60 * MIN,
    updatedAt: T - 60 * MIN,
    completedAt,
    updates: [
      { id: '3', status: null, body: 'Checking the application.', createdAt: T + 61 * MIN },
      { id: '2', status: null, body: 'Started.', createdAt: T + MIN },
      { id: '1', status: null, body: 'Planned.', createdAt: T - 30 * MIN },
    ],
  };
}

function data(m: PublicMaintenance): PublicData {
  return { pageId: 'abcdefghijkl', siteName: null, settingsUpdatedAt: 0, components: [], groups: [], incidents: [], maintenances: [m] };
}

const shape = (m: PublicMaintenance, now: number) =>
  shapeAll(data(m), { pageUrl: 'https://example.com/status', siteName: 'Shop', status: { indicator: 'none', description: 'All Systems Operational' }, now });

describe('maintenance as Statuspage tells it', () => {
  it('is scheduled before its start and in progress from its start to its end, by the clock alone', () => {
    const m = maintenance();
    assert.equal(maintenanceStatus(m, T - 1), 'scheduled');
    assert.equal(maintenanceStatus(m, T), 'in_progress');
    assert.equal(maintenanceStatus(m, T + 60 * MIN - 1), 'in_progress');
    assert.equal(maintenanceStatus(m, T + 60 * MIN), 'completed');
    const doc = v2Document('scheduled-maintenances/active.json', shape(m, T + 5 * MIN));
    assert.deepEqual((doc.scheduled_maintenances as { id: string }[]).map((x) => x.id), ['m7']);
    const quiet = { ...m, updates: m.updates.filter((u) => u.createdAt < T) };
    assert.equal(shape(quiet, T + 5 * MIN).maintenances[0]!.json.updated_at, new Date(T).toISOString(), 'its start is its latest change');
  });

  it('is verifying past its end while it waits for the application\'s check, then completed when the check passed', () => {
    const waiting = maintenance({ verifyUpstream: true, lifecycle: 'verifying' });
    const json = shape(waiting, T + 62 * MIN).maintenances[0]!.json;
    assert.equal(json.status, 'verifying');
    assert.equal(json.monitoring_at, new Date(T + 60 * MIN).toISOString());
    assert.deepEqual((json.incident_updates as { status: string }[]).map((u) => u.status), ['verifying', 'in_progress', 'scheduled']);

    const done = maintenance({ verifyUpstream: true, lifecycle: 'completed' }, T + 63 * MIN);
    const completed = shape(done, T + 70 * MIN).maintenances[0]!.json;
    assert.deepEqual([completed.status, completed.resolved_at], ['completed', new Date(T + 63 * MIN).toISOString()]);
  });

  it('keeps the planned end in scheduled_until when ended early, and is resolved at the early end', () => {
    const json = shape(maintenance({ endedAt: T + 20 * MIN, lifecycle: 'in_progress' }), T + 30 * MIN).maintenances[0]!.json;
    assert.equal(json.status, 'completed');
    assert.equal(json.scheduled_until, new Date(T + 60 * MIN).toISOString());
    assert.equal(json.resolved_at, new Date(T + 20 * MIN).toISOString());
  });
});
