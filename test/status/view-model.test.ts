// The status page's view model: what a reader is told for a given snapshot, time and reason.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EMPTY_SNAPSHOT, type Component, type MaintenanceWindow, type Snapshot, type Update } from '../../src/snapshot/types.js';
import { buildStatusView, NO_END_TEXT, type PageOptions } from '../../src/status/view-model.js';
import { relativeText, utcText } from '../../src/status/time-text.js';
import { win } from '../helpers/windows.js';

const MINUTE = 60_000;
const NOW = Date.UTC(2026, 10, 22, 14, 5); // 14:05 UTC, 22 Nov 2026
const OPTIONS: PageOptions = { siteName: 'Acme', supportEmail: 'help@acme.test', statusPath: '/status' };

function windowOf(fields: Partial<MaintenanceWindow> & { id: string }): MaintenanceWindow {
  return win({ title: `Window ${fields.id}`, message: '', startsAt: NOW - 10 * MINUTE, endsAt: NOW + 25 * MINUTE, ...fields });
}

function component(id: string, status: Component['status'], position = 0): Component {
  return { id, name: `Component ${id}`, description: '', status, position };
}

function snapshotOf(fields: Partial<Snapshot>): Snapshot {
  return { ...EMPTY_SNAPSHOT, version: 1, ...fields };
}

test('overall state is operational when every component is', () => {
  const view = buildStatusView(snapshotOf({ components: [component('a', 'operational'), component('b', 'operational')] }), NOW, { kind: 'status' }, OPTIONS);
  assert.equal(view.state, 'operational');
  assert.equal(view.stateLabel, 'All systems operational');
  assert.equal(view.severity, 'none');
});

test('overall state is the worst component status', () => {
  const cases: [Component['status'][], string, string][] = [
    [['operational', 'degraded_performance'], 'degraded', 'minor'],
    [['degraded_performance', 'partial_outage', 'operational'], 'partial_outage', 'major'],
    [['partial_outage', 'major_outage', 'degraded_performance'], 'major_outage', 'critical'],
    [['operational', 'under_maintenance'], 'maintenance', 'maintenance'],
    [['under_maintenance', 'degraded_performance'], 'degraded', 'minor'],
  ];
  for (const [statuses, state, severity] of cases) {
    const components = statuses.map((s, i) => component(String(i), s, i));
    const view = buildStatusView(snapshotOf({ components }), NOW, { kind: 'status' }, OPTIONS);
    assert.equal(view.state, state, statuses.join(','));
    assert.equal(view.severity, severity, statuses.join(','));
  }
});

test('a window in force on the status page shows maintenance unless something is worse', () => {
  const windows = [windowOf({ id: 'w1' })];
  const calm = buildStatusView(snapshotOf({ windows, components: [component('a', 'operational')] }), NOW, { kind: 'status' }, OPTIONS);
  assert.equal(calm.state, 'maintenance');
  assert.equal(calm.windows.length, 1);
  const outage = buildStatusView(snapshotOf({ windows, components: [component('a', 'major_outage')] }), NOW, { kind: 'status' }, OPTIONS);
  assert.equal(outage.state, 'major_outage');
});

test('the status page lists every window in force, scoped or not, and not the ended ones', () => {
  const windows = [
    windowOf({ id: 'all' }),
    windowOf({ id: 'api', pathPrefixes: ['/api'] }),
    windowOf({ id: 'ended-early', endedAt: NOW - MINUTE }),
    windowOf({ id: 'later', startsAt: NOW + 60 * MINUTE, endsAt: NOW + 120 * MINUTE }),
  ];
  const view = buildStatusView(snapshotOf({ windows }), NOW, { kind: 'status' }, OPTIONS);
  assert.deepEqual(view.windows.map((w) => w.id), ['all', 'api']);
});

test('maintenance marks the components of the windows in force under_maintenance', () => {
  const snapshot = snapshotOf({
    components: [component('web', 'operational', 1), component('api', 'operational', 2), component('db', 'major_outage', 3)],
  });
  const held = windowOf({ id: 'w1', componentIds: ['api', 'db'] });
  const view = buildStatusView(snapshot, NOW, { kind: 'maintenance', windows: [held] }, OPTIONS);
  assert.deepEqual(
    view.components.map((c) => [c.id, c.status, c.statusLabel]),
    [
      ['web', 'operational', 'Operational'],
      ['api', 'under_maintenance', 'Under maintenance'],
      ['db', 'major_outage', 'Major outage'],
    ],
  );
  assert.equal(view.state, 'maintenance');
  assert.equal(view.headline, 'Acme is down for maintenance');
});

test('a window with an end gives ISO, UTC text and a relative time', () => {
  const held = windowOf({ id: 'w1', title: 'Database upgrade', message: 'Moving to PostgreSQL 17.' });
  const view = buildStatusView(snapshotOf({ windows: [held] }), NOW, { kind: 'maintenance', windows: [held] }, OPTIONS);
  const [w] = view.windows;
  assert.equal(w?.title, 'Database upgrade');
  assert.equal(w?.message, 'Moving to PostgreSQL 17.');
  assert.equal(w?.endsAt, '2026-11-22T14:30:00.000Z');
  assert.equal(w?.endsAtText, '14:30 UTC, 22 Nov 2026');
  assert.equal(w?.endsInText, 'in about 25 minutes');
  assert.equal(view.endsAtMs, NOW + 25 * MINUTE);
  assert.equal(view.endsInText, 'in about 25 minutes');
});

test('an open-ended window has a null end and says no end is announced', () => {
  const held = windowOf({ id: 'w1', endsAt: null });
  const view = buildStatusView(snapshotOf({ windows: [held] }), NOW, { kind: 'maintenance', windows: [held] }, OPTIONS);
  assert.equal(view.windows[0]?.endsAt, null);
  assert.equal(view.windows[0]?.endsAtText, NO_END_TEXT);
  assert.equal(view.windows[0]?.endsInText, null);
  assert.equal(view.endsAtMs, null);
  assert.equal(view.endsAtText, 'No end time announced');
});

test('a window ended early shows when it actually ended', () => {
  const held = windowOf({ id: 'w1', endsAt: NOW + 60 * MINUTE, endedAt: NOW + 5 * MINUTE });
  const view = buildStatusView(snapshotOf({ windows: [held] }), NOW, { kind: 'maintenance', windows: [held] }, OPTIONS);
  assert.equal(view.endsAtMs, NOW + 5 * MINUTE);
});

test('a request held by several windows is held until the last one ends', () => {
  const a = windowOf({ id: 'a', endsAt: NOW + 10 * MINUTE });
  const b = windowOf({ id: 'b', endsAt: NOW + 40 * MINUTE });
  const view = buildStatusView(snapshotOf({ windows: [a, b] }), NOW, { kind: 'maintenance', windows: [a, b] }, OPTIONS);
  assert.equal(view.endsAtMs, NOW + 40 * MINUTE);
  const open = windowOf({ id: 'open', endsAt: null });
  assert.equal(buildStatusView(snapshotOf({}), NOW, { kind: 'maintenance', windows: [a, open] }, OPTIONS).endsAtMs, null);
});

test('read-only windows say reads still work', () => {
  const held = windowOf({ id: 'w1', mode: 'read_only' });
  const view = buildStatusView(snapshotOf({}), NOW, { kind: 'maintenance', windows: [held] }, OPTIONS);
  assert.equal(view.readOnly, true);
  assert.match(view.headline, /read-only/);
  assert.equal(buildStatusView(snapshotOf({}), NOW, { kind: 'maintenance', windows: [windowOf({ id: 'b' })] }, OPTIONS).readOnly, false);
});

test('upcoming lists windows not yet started, soonest first, at most five', () => {
  const windows = [
    windowOf({ id: 'now' }),
    ...[6, 2, 4, 1, 5, 3].map((h) => windowOf({ id: `h${h}`, startsAt: NOW + h * 60 * MINUTE, endsAt: NOW + (h + 1) * 60 * MINUTE })),
    windowOf({ id: 'called-off', startsAt: NOW + 30 * MINUTE, endsAt: NOW + 90 * MINUTE, endedAt: NOW - MINUTE }),
  ];
  const view = buildStatusView(snapshotOf({ windows }), NOW, { kind: 'status' }, OPTIONS);
  assert.deepEqual(view.upcoming.map((w) => w.id), ['h1', 'h2', 'h3', 'h4', 'h5']);
  assert.equal(view.upcoming[0]?.startsInText, 'in about 1 hour');
  assert.equal(view.upcoming[0]?.startsAtText, '15:05 UTC, 22 Nov 2026');
});

test('updates are newest first, at most ten, with their window title', () => {
  const held = windowOf({ id: 'w1', title: 'Database upgrade' });
  const updates: Update[] = Array.from({ length: 12 }, (_, i) => ({
    id: `u${i}`,
    windowId: i === 11 ? 'w1' : null,
    body: `update ${i}`,
    createdAt: NOW - (12 - i) * MINUTE,
  }));
  // Stored out of order on purpose: the view must not trust the order it was given.
  const shuffled = [...updates.slice(6), ...updates.slice(0, 6)];
  const view = buildStatusView(snapshotOf({ windows: [held], updates: shuffled }), NOW, { kind: 'status' }, OPTIONS);
  assert.deepEqual(view.updates.map((u) => u.id), ['u11', 'u10', 'u9', 'u8', 'u7', 'u6', 'u5', 'u4', 'u3', 'u2']);
  assert.equal(view.updates[0]?.windowTitle, 'Database upgrade');
  assert.equal(view.updates[1]?.windowTitle, null);
  assert.equal(view.updates[0]?.createdAt, '2026-11-22T14:04:00.000Z');
  assert.equal(view.updates[0]?.createdAtText, '14:04 UTC, 22 Nov 2026');
});

test('trouble says the application is not responding, with its status', () => {
  const view = buildStatusView(snapshotOf({ components: [component('a', 'operational')] }), NOW, { kind: 'trouble', status: 502 }, OPTIONS);
  assert.equal(view.state, 'trouble');
  assert.equal(view.severity, 'critical');
  assert.equal(view.headline, "We're having unexpected trouble");
  assert.match(view.message, /not responding; we've been alerted/);
  assert.equal(view.endsAtMs, null);
  assert.deepEqual(view.components, [], 'components would claim operational while the application is down');
  const slow = buildStatusView(snapshotOf({}), NOW, { kind: 'trouble', status: 504 }, OPTIONS);
  assert.match(slow.message, /taking too long/);
});

test('support email, status path and site name pass through', () => {
  const view = buildStatusView(snapshotOf({}), NOW, { kind: 'status' }, { siteName: 'Shop', supportEmail: undefined, statusPath: '/maint' });
  assert.equal(view.supportEmail, null);
  assert.equal(view.statusPath, '/maint');
  assert.equal(view.title, 'Shop status');
  assert.equal(view.generatedAtText, '14:05 UTC, 22 Nov 2026');
});

test('time texts read naturally', () => {
  assert.equal(utcText(Date.UTC(2026, 0, 3, 9, 7)), '09:07 UTC, 3 Jan 2026');
  assert.equal(relativeText(NOW - 1, NOW), 'any moment now');
  assert.equal(relativeText(NOW + 20_000, NOW), 'in less than a minute');
  assert.equal(relativeText(NOW + MINUTE, NOW), 'in about 1 minute');
  assert.equal(relativeText(NOW + 3 * 60 * MINUTE, NOW), 'in about 3 hours');
  assert.equal(relativeText(NOW + 3 * 24 * 60 * MINUTE, NOW), 'in about 3 days');
});
