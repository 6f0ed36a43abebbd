// The status page's view model: what a reader is told for a given snapshot, time and reason.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  EMPTY_SNAPSHOT,
  NO_SETTINGS,
  type Component,
  type ComponentGroup,
  type Incident,
  type MaintenanceWindow,
  type Snapshot,
  type Update,
} from '../../src/snapshot/types.js';
import { buildStatusView, NO_END_TEXT, pageStatus, type PageOptions } from '../../src/status/view-model.js';
import { relativeText, utcText } from '../../src/status/time-text.js';
import { win } from '../helpers/windows.js';

const MINUTE = 60_000;
const NOW = Date.UTC(2026, 10, 22, 14, 5); // 14:05 UTC, 22 Nov 2026
const OPTIONS: PageOptions = { siteName: 'Acme', supportEmail: 'help@acme.test', statusPath: '/status' };

function windowOf(fields: Partial<MaintenanceWindow> & { id: string }): MaintenanceWindow {
  return win({ title: `Window ${fields.id}`, message: '', startsAt: NOW - 10 * MINUTE, endsAt: NOW + 25 * MINUTE, ...fields });
}

function component(id: string, status: Component['status'], position = 0): Component {
  return { id, name: `Component ${id}`, description: '', status, position, groupId: null };
}

function grouped(id: string, status: Component['status'], groupId: string | null, position = 0): Component {
  return { ...component(id, status, position), groupId };
}

function group(id: string, position: number): ComponentGroup {
  return { id, name: `Group ${id}`, position };
}

function updateOf(fields: Partial<Update> & { id: string; createdAt: number }): Update {
  return { windowId: null, incidentId: null, status: null, subjectTitle: null, body: `Body of ${fields.id}`, ...fields };
}

function incidentOf(fields: Partial<Incident> & { id: string }): Incident {
  return {
    title: `Incident ${fields.id}`,
    status: 'investigating',
    impact: 'minor',
    createdAt: NOW - 30 * MINUTE,
    resolvedAt: null,
    componentIds: [],
    updates: [],
    ...fields,
  };
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

test('updates are newest first, at most ten, naming their window', () => {
  const held = windowOf({ id: 'w1', title: 'Database upgrade' });
  const updates: Update[] = Array.from({ length: 12 }, (_, i) => ({
    id: `u${i}`,
    windowId: i === 11 ? 'w1' : null,
    incidentId: null,
    status: null,
    subjectTitle: i === 11 ? 'Database upgrade' : null,
    body: `update ${i}`,
    createdAt: NOW - (12 - i) * MINUTE,
  }));
  // Stored out of order on purpose: the view must not trust the order it was given.
  const shuffled = [...updates.slice(6), ...updates.slice(0, 6)];
  const view = buildStatusView(snapshotOf({ windows: [held], updates: shuffled }), NOW, { kind: 'status' }, OPTIONS);
  assert.deepEqual(view.updates.map((u) => u.id), ['u11', 'u10', 'u9', 'u8', 'u7', 'u6', 'u5', 'u4', 'u3', 'u2']);
  assert.equal(view.updates[0]?.subject, 'Database upgrade');
  assert.equal(view.updates[0]?.subjectKindLabel, 'Maintenance');
  assert.equal(view.updates[1]?.subject, null);
  assert.equal(view.updates[1]?.subjectKindLabel, null);
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

test('settings override the site name and support email from the environment; blank ones fall back', () => {
  const settings = { ...NO_SETTINGS, siteName: 'Acme Cloud', supportEmail: 'ops@acme.test', footerText: 'Acme Inc.\nBerlin' };
  const view = buildStatusView(snapshotOf({ settings }), NOW, { kind: 'status' }, OPTIONS);
  assert.equal(view.siteName, 'Acme Cloud');
  assert.equal(view.title, 'Acme Cloud status');
  assert.equal(view.supportEmail, 'ops@acme.test');
  assert.equal(view.footerText, 'Acme Inc.\nBerlin');

  const held = windowOf({ id: 'w1' });
  const page = buildStatusView(snapshotOf({ settings }), NOW, { kind: 'maintenance', windows: [held] }, OPTIONS);
  assert.equal(page.headline, 'Acme Cloud is down for maintenance');

  const blank = { ...NO_SETTINGS, siteName: '  ', supportEmail: '', footerText: ' \n ' };
  const fallback = buildStatusView(snapshotOf({ settings: blank }), NOW, { kind: 'status' }, OPTIONS);
  assert.equal(fallback.siteName, 'Acme');
  assert.equal(fallback.supportEmail, 'help@acme.test');
  assert.equal(fallback.footerText, null);
  assert.equal(fallback.logoUrl, null);
  assert.equal(fallback.brandStylesheet, null);
});

test('the logo is an http(s) URL or a path on this site, and nothing else', () => {
  const cases: [string, string | null][] = [
    ['https://cdn.acme.test/logo.svg', 'https://cdn.acme.test/logo.svg'],
    ['http://acme.test/logo.png', 'http://acme.test/logo.png'],
    ['/static/logo.png', '/static/logo.png'],
    ['javascript:alert(1)', null],
    ['data:image/svg+xml,<svg onload=alert(1)>', null],
    ['//evil.test/logo.png', null],
    ['/\\evil.test/logo.png', null],
    ['/\t/evil.test/logo.png', null],
    ['ftp://acme.test/logo.png', null],
    ['logo.png', null],
  ];
  for (const [logoUrl, expected] of cases) {
    const view = buildStatusView(snapshotOf({ settings: { ...NO_SETTINGS, logoUrl } }), NOW, { kind: 'status' }, OPTIONS);
    assert.equal(view.logoUrl, expected, logoUrl);
  }
});

test('a brand colour links its stylesheet under the status path', () => {
  const view = buildStatusView(snapshotOf({ settings: { ...NO_SETTINGS, brandColor: '#1A7F37' } }), NOW, { kind: 'status' }, { ...OPTIONS, statusPath: '/maint' });
  assert.equal(view.brandStylesheet, '/maint/assets/brand/1a7f37.css');
  const bad = buildStatusView(snapshotOf({ settings: { ...NO_SETTINGS, brandColor: 'red;}body{display:none' } }), NOW, { kind: 'status' }, OPTIONS);
  assert.equal(bad.brandStylesheet, null);
});

test('components are listed ungrouped first, then by group position, each group showing its worst status', () => {
  const snapshot = snapshotOf({
    componentGroups: [group('g-late', 2), group('g-early', 1), group('g-empty', 0)],
    components: [
      grouped('db', 'operational', 'g-late', 2),
      grouped('cache', 'partial_outage', 'g-late', 1),
      grouped('web', 'degraded_performance', 'g-early', 1),
      grouped('loose-b', 'operational', null, 5),
      grouped('loose-a', 'operational', null, 1),
      grouped('orphan', 'operational', 'g-deleted', 3),
    ],
  });
  const view = buildStatusView(snapshot, NOW, { kind: 'status' }, OPTIONS);
  assert.deepEqual(
    view.componentGroups.map((g) => [g.id, g.name, g.status, g.statusLabel, g.components.map((c) => c.id)]),
    [
      [null, null, 'operational', 'Operational', ['loose-a', 'orphan', 'loose-b']],
      ['g-early', 'Group g-early', 'degraded_performance', 'Degraded performance', ['web']],
      ['g-late', 'Group g-late', 'partial_outage', 'Partial outage', ['cache', 'db']],
    ],
  );
  assert.deepEqual(view.components.map((c) => c.id), ['loose-a', 'orphan', 'loose-b', 'web', 'cache', 'db']);
  assert.equal(view.state, 'partial_outage');
});

test('a window in force marks grouped components under maintenance, and their group with them', () => {
  const snapshot = snapshotOf({
    componentGroups: [group('g', 1)],
    components: [grouped('api', 'operational', 'g', 1), grouped('jobs', 'operational', 'g', 2)],
  });
  const held = windowOf({ id: 'w1', componentIds: ['api'] });
  const view = buildStatusView(snapshot, NOW, { kind: 'maintenance', windows: [held] }, OPTIONS);
  assert.equal(view.componentGroups[0]?.status, 'under_maintenance');
  assert.equal(view.componentGroups[0]?.severity, 'maintenance');
  assert.deepEqual(view.componentGroups[0]?.components.map((c) => c.status), ['under_maintenance', 'operational']);
});

test('open incidents raise the overall state by their impact; resolved ones do not', () => {
  const cases: [Incident['impact'], string, string][] = [
    ['none', 'operational', 'All systems operational'],
    ['minor', 'degraded', 'Degraded performance'],
    ['major', 'partial_outage', 'Partial outage'],
    ['critical', 'major_outage', 'Major outage'],
  ];
  const components = [component('a', 'operational')];
  for (const [impact, state, label] of cases) {
    const open = buildStatusView(snapshotOf({ components, incidents: [incidentOf({ id: 'i', impact })] }), NOW, { kind: 'status' }, OPTIONS);
    assert.equal(open.state, state, impact);
    assert.equal(open.headline, label, impact);
    const resolved = incidentOf({ id: 'i', impact, status: 'resolved', resolvedAt: NOW - MINUTE });
    const after = buildStatusView(snapshotOf({ components, incidents: [resolved] }), NOW, { kind: 'status' }, OPTIONS);
    assert.equal(after.state, 'operational', `resolved ${impact}`);
  }
  // The worse of a component and an incident wins, either way round.
  const worse = buildStatusView(
    snapshotOf({ components: [component('a', 'major_outage')], incidents: [incidentOf({ id: 'i', impact: 'minor' })] }),
    NOW,
    { kind: 'status' },
    OPTIONS,
  );
  assert.equal(worse.state, 'major_outage');
  const overMaintenance = buildStatusView(snapshotOf({ windows: [windowOf({ id: 'w' })], incidents: [incidentOf({ id: 'i', impact: 'major' })] }), NOW, { kind: 'status' }, OPTIONS);
  assert.equal(overMaintenance.state, 'partial_outage');
});

test('open incidents come newest first with their updates newest first; resolved ones are apart and last a week', () => {
  const snapshot = snapshotOf({
    components: [component('api', 'operational', 2), component('web', 'operational', 1)],
    incidents: [
      incidentOf({
        id: 'older',
        title: 'Slow checkout',
        status: 'identified',
        impact: 'major',
        createdAt: NOW - 60 * MINUTE,
        componentIds: ['api', 'web', 'gone'],
        updates: [
          updateOf({ id: 'u1', incidentId: 'older', status: 'investigating', createdAt: NOW - 60 * MINUTE }),
          updateOf({ id: 'u3', incidentId: 'older', status: null, createdAt: NOW - 5 * MINUTE }),
          updateOf({ id: 'u2', incidentId: 'older', status: 'identified', createdAt: NOW - 20 * MINUTE }),
        ],
      }),
      incidentOf({ id: 'newer', createdAt: NOW - 10 * MINUTE, impact: 'none' }),
      incidentOf({ id: 'yesterday', status: 'resolved', createdAt: NOW - 30 * 60 * MINUTE, resolvedAt: NOW - 24 * 60 * MINUTE }),
      incidentOf({ id: 'today', status: 'resolved', createdAt: NOW - 3 * 60 * MINUTE, resolvedAt: NOW - 60 * MINUTE }),
      incidentOf({ id: 'last-month', status: 'resolved', createdAt: NOW - 8 * 24 * 60 * MINUTE, resolvedAt: NOW - 7 * 24 * 60 * MINUTE - MINUTE }),
    ],
  });
  const view = buildStatusView(snapshot, NOW, { kind: 'status' }, OPTIONS);
  assert.deepEqual(view.incidents.map((i) => i.id), ['newer', 'older']);
  assert.deepEqual(view.resolvedIncidents.map((i) => i.id), ['today', 'yesterday']);
  const older = view.incidents[1]!;
  assert.equal(older.title, 'Slow checkout');
  assert.equal(older.statusLabel, 'Identified');
  assert.equal(older.impactLabel, 'Major impact');
  assert.equal(older.severity, 'major');
  assert.deepEqual(older.components, ['Component web', 'Component api'], 'names in page order, unknown ids left out');
  assert.deepEqual(older.updates.map((u) => [u.id, u.statusLabel]), [['u3', 'Update'], ['u2', 'Identified'], ['u1', 'Investigating']]);
  assert.equal(older.updates[0]?.createdAtText, '14:00 UTC, 22 Nov 2026');
  assert.equal(view.incidents[0]?.impactLabel, 'No impact');
  assert.equal(view.resolvedIncidents[0]?.resolvedAtText, '13:05 UTC, 22 Nov 2026');
});

test('the timeline mixes window and incident updates in time order, naming each subject', () => {
  const updates = [
    updateOf({ id: 'w', windowId: 'w1', subjectTitle: 'Database upgrade', createdAt: NOW - 10 * MINUTE }),
    updateOf({ id: 'i', incidentId: 'i1', status: 'monitoring', subjectTitle: 'Slow checkout', createdAt: NOW - 2 * MINUTE }),
    updateOf({ id: 'n', createdAt: NOW - 20 * MINUTE }),
  ];
  const view = buildStatusView(snapshotOf({ updates }), NOW, { kind: 'status' }, OPTIONS);
  assert.deepEqual(
    view.updates.map((u) => [u.id, u.subjectKind, u.subjectKindLabel, u.subject, u.statusLabel]),
    [
      ['i', 'incident', 'Incident', 'Slow checkout', 'Monitoring'],
      ['w', 'window', 'Maintenance', 'Database upgrade', null],
      ['n', null, null, null, null],
    ],
  );
});

test('the trouble page shows open incidents but not resolved ones or components', () => {
  const snapshot = snapshotOf({
    components: [component('a', 'operational')],
    incidents: [incidentOf({ id: 'open' }), incidentOf({ id: 'done', status: 'resolved', resolvedAt: NOW - MINUTE })],
  });
  const view = buildStatusView(snapshot, NOW, { kind: 'trouble', status: 502 }, OPTIONS);
  assert.deepEqual(view.incidents.map((i) => i.id), ['open']);
  assert.deepEqual(view.resolvedIncidents, []);
  assert.deepEqual(view.componentGroups, []);
  assert.equal(view.state, 'trouble');
});

test('says Major outage (and Statuspage\'s Major Service Outage) while the checks judge the application down, whatever the components say', () => {
  const down: Snapshot = { ...EMPTY_SNAPSHOT, components: [component('c1', 'operational')], upstream: { state: 'down', since: NOW - MINUTE, outageId: '7' } };
  assert.equal(buildStatusView(down, NOW, { kind: 'status' }, OPTIONS).headline, 'Major outage');
  assert.deepEqual(pageStatus(down, NOW), { indicator: 'critical', description: 'Major Service Outage' });
  assert.deepEqual(pageStatus({ ...down, upstream: { state: 'up', since: NOW, outageId: null } }, NOW), { indicator: 'none', description: 'All Systems Operational' });
});
