// The rendered status page: escaped, CSP-clean, linked to its assets, and cheap to serve again.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EMPTY_SNAPSHOT, NO_SETTINGS, type Incident, type MaintenanceWindow, type Snapshot } from '../../src/snapshot/types.js';
import { createStatusRenderer } from '../../src/status/render.js';
import { buildStatusView, type PageOptions, type PageState } from '../../src/status/view-model.js';
import { win } from '../helpers/windows.js';

// Compiled to dist/test/status/, so the repository root is three levels up.
const VIEWS_DIR = fileURLToPath(new URL('../../../views/', import.meta.url));
const MINUTE = 60_000;
const NOW = Date.UTC(2026, 10, 22, 14, 5);
const EVIL = '<script>alert(1)</script>';
const OPTIONS: PageOptions = { siteName: 'Acme', supportEmail: 'help@acme.test', statusPath: '/status' };

const held: MaintenanceWindow = win({
  id: 'w1',
  title: `Upgrade ${EVIL}`,
  message: `We are moving ${EVIL} "quoted" & 'single'`,
  startsAt: NOW - 10 * MINUTE,
  endsAt: NOW + 25 * MINUTE,
  componentIds: ['c1'],
});

const snapshot: Snapshot = {
  ...EMPTY_SNAPSHOT,
  version: 7,
  windows: [held, { ...held, id: 'w2', title: `Later ${EVIL}`, startsAt: NOW + 60 * MINUTE, endsAt: null }],
  components: [
    { id: 'c1', name: `API ${EVIL}`, description: `Public API ${EVIL}`, status: 'operational', position: 1, groupId: null },
    { id: 'c2', name: 'Website', description: '', status: 'degraded_performance', position: 2, groupId: null },
  ],
  updates: [{ id: 'u1', windowId: 'w1', incidentId: null, status: null, subjectTitle: held.title, body: `Halfway there ${EVIL}`, createdAt: NOW - MINUTE }],
};

const outage: Incident = {
  id: 'i1',
  title: `Checkout errors ${EVIL}`,
  status: 'identified',
  impact: 'major',
  createdAt: NOW - 30 * MINUTE,
  resolvedAt: null,
  componentIds: ['c3'],
  updates: [
    { id: 'u3', windowId: null, incidentId: 'i1', status: 'identified', subjectTitle: null, body: `Found it ${EVIL}\nFixing now`, createdAt: NOW - 10 * MINUTE },
    { id: 'u2', windowId: null, incidentId: 'i1', status: 'investigating', subjectTitle: null, body: 'Looking into it', createdAt: NOW - 30 * MINUTE },
  ],
};

/** Everything Settings and the admin area add: branding, groups, an open and a resolved incident. */
const branded: Snapshot = {
  ...snapshot,
  settings: {
    ...NO_SETTINGS,
    siteName: `Acme ${EVIL}`,
    supportEmail: 'ops@acme.test',
    logoUrl: 'https://cdn.acme.test/logo.svg?a=1&b="2"',
    brandColor: '#0a2540',
    footerText: `Acme Inc. ${EVIL}\nBerlin`,
  },
  componentGroups: [{ id: 'g1', name: `Payments ${EVIL}`, position: 1 }],
  components: [...snapshot.components, { id: 'c3', name: 'Checkout', description: '', status: 'operational', position: 1, groupId: 'g1' }],
  incidents: [
    outage,
    { ...outage, id: 'i0', title: `Slow search ${EVIL}`, status: 'resolved', impact: 'minor', resolvedAt: NOW - 60 * MINUTE, updates: [] },
  ],
  updates: [
    ...snapshot.updates,
    { ...outage.updates[0]!, subjectTitle: outage.title, createdAt: NOW - 2 * MINUTE },
  ],
};

const renderer = createStatusRenderer({ viewsDir: VIEWS_DIR });

function page(state: PageState, options: PageOptions = OPTIONS): string {
  return renderer.render(buildStatusView(snapshot, NOW, state, options));
}

test('data in the window, message, component and update comes out escaped', () => {
  for (const state of [{ kind: 'maintenance', windows: [held] }, { kind: 'status' }] as PageState[]) {
    const html = page(state);
    assert.ok(!html.includes(EVIL), `raw script in the ${state.kind} page`);
    assert.ok(html.includes('Upgrade &lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.ok(html.includes('We are moving &lt;script&gt;alert(1)&lt;/script&gt; &#34;quoted&#34; &amp; &#39;single&#39;'));
    assert.ok(html.includes('API &lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.ok(html.includes('Public API &lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.ok(html.includes('Halfway there &lt;script&gt;alert(1)&lt;/script&gt;'));
  }
});

test('a site name and support email cannot break out of their attributes', () => {
  const html = page({ kind: 'status' }, { siteName: '"><img src=x onerror=alert(1)>', supportEmail: 'a@b.test"><b>', statusPath: '/status' });
  assert.ok(!html.includes('<img src=x'));
  assert.ok(html.includes('href="mailto:a@b.test&#34;&gt;&lt;b&gt;"'));
});

test('assets are linked under a custom status path', () => {
  const html = page({ kind: 'maintenance', windows: [held] }, { ...OPTIONS, statusPath: '/maint' });
  assert.match(html, /<link rel="stylesheet" href="\/maint\/assets\/status\.css">/);
  assert.match(html, /<script src="\/maint\/assets\/status\.js" defer><\/script>/);
  assert.match(html, /data-status-path="\/maint"/);
});

test('the page has no inline styles or inline scripts, so a strict CSP holds', () => {
  for (const state of [{ kind: 'maintenance', windows: [held] }, { kind: 'status' }, { kind: 'trouble', status: 502 }] as PageState[]) {
    const html = renderer.render(buildStatusView(branded, NOW, state, OPTIONS));
    assert.doesNotMatch(html, /\sstyle\s*=/i);
    assert.doesNotMatch(html, /<style[\s>]/i);
    assert.doesNotMatch(html, /\son[a-z]+\s*=/i);
    const scripts = html.match(/<script\b[^>]*>/gi) ?? [];
    assert.equal(scripts.length, 1);
    for (const tag of scripts) assert.match(tag, /\ssrc="/);
    assert.match(html, /<noscript><meta http-equiv="refresh" content="60"><\/noscript>/);
  }
});

test('the maintenance page shows the expected end, the countdown data and the support address', () => {
  const html = page({ kind: 'maintenance', windows: [held] });
  assert.match(html, /<html lang="en">/);
  assert.equal(html.match(/<h1[\s>]/g)?.length, 1);
  assert.match(html, /data-state="maintenance"/);
  assert.match(html, new RegExp(`data-ends-at="${NOW + 25 * MINUTE}"`));
  assert.match(html, /<time datetime="2026-11-22T14:30:00.000Z" data-local>14:30 UTC, 22 Nov 2026<\/time>/);
  assert.match(html, /in about 25 minutes/);
  assert.match(html, /<a href="mailto:help@acme.test">help@acme.test<\/a>/);
  assert.match(html, /Powered by Intermission/);
  assert.match(html, /Under maintenance/);
});

test('an open-ended window says no end time is announced', () => {
  const open = { ...held, endsAt: null };
  const html = page({ kind: 'maintenance', windows: [open] });
  assert.match(html, /No end time announced/);
  assert.match(html, /data-ends-at=""/);
});

test('the trouble page says the application is not responding', () => {
  const html = page({ kind: 'trouble', status: 502 });
  assert.match(html, /We&#39;re having unexpected trouble/);
  assert.match(html, /the application is not responding; we&#39;ve been alerted/i);
  assert.match(html, /data-state="trouble"/);
});

test('the memo returns the same page for the same key and renders anew for a new key', () => {
  const memoRenderer = createStatusRenderer({ viewsDir: VIEWS_DIR, memoSize: 2 });
  let builds = 0;
  const build = (now: number) => () => {
    builds += 1;
    return buildStatusView(snapshot, now, { kind: 'maintenance', windows: [held] }, OPTIONS);
  };
  const first = memoRenderer.renderCached('7:w1:maintenance:0', build(NOW));
  const again = memoRenderer.renderCached('7:w1:maintenance:0', build(NOW + 5 * MINUTE));
  assert.equal(again, first);
  assert.equal(builds, 1);

  const later = memoRenderer.renderCached('7:w1:maintenance:5', build(NOW + 5 * MINUTE));
  assert.notEqual(later, first);
  assert.match(later, /in about 20 minutes/);
  assert.equal(builds, 2);

  // Only the last few are kept: a third key pushes the first one out.
  memoRenderer.renderCached('7:w1:maintenance:6', build(NOW + 6 * MINUTE));
  memoRenderer.renderCached('7:w1:maintenance:0', build(NOW));
  assert.equal(builds, 4);
});

test('a missing or broken template fails at construction', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'intermission-views-'));
  try {
    assert.throws(() => createStatusRenderer({ viewsDir: dir }), { code: 'GW_ERR_CONFIG' });
    fs.writeFileSync(path.join(dir, 'status.ejs'), '<p><%= view.title </p>');
    assert.throws(() => createStatusRenderer({ viewsDir: dir }), { code: 'GW_ERR_CONFIG' });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

function brandedPage(state: PageState = { kind: 'status' }): string {
  return renderer.render(buildStatusView(branded, NOW, state, OPTIONS));
}

/** The text of the page's headings, in order: the outline a screen reader user moves through. */
function headings(html: string): string[] {
  return [...html.matchAll(/<h([1-3])[^>]*>([\s\S]*?)<\/h\1>/g)].map((m) => `h${m[1]} ${m[2]!.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim()}`);
}

test('what Settings and the admin area hold comes out escaped: site name, footer, group, incident, update', () => {
  for (const state of [{ kind: 'maintenance', windows: [held] }, { kind: 'status' }, { kind: 'trouble', status: 504 }] as PageState[]) {
    const html = brandedPage(state);
    assert.ok(!html.includes(EVIL), `raw script in the ${state.kind} page`);
    assert.ok(html.includes('Acme &lt;script&gt;alert(1)&lt;/script&gt;'), 'site name');
    assert.ok(html.includes('Acme Inc. &lt;script&gt;alert(1)&lt;/script&gt;\nBerlin'), 'footer, with its line break');
    assert.ok(html.includes('Checkout errors &lt;script&gt;alert(1)&lt;/script&gt;'), 'incident title');
    assert.ok(html.includes('Found it &lt;script&gt;alert(1)&lt;/script&gt;\nFixing now'), 'update body');
  }
  const status = brandedPage();
  assert.ok(status.includes('Payments &lt;script&gt;alert(1)&lt;/script&gt;'), 'group name');
  assert.ok(status.includes('Slow search &lt;script&gt;alert(1)&lt;/script&gt;'), 'resolved incident title');
});

test('the logo is an image with the site name as its text, and the brand colour a linked stylesheet', () => {
  const html = brandedPage();
  assert.match(html, /<img class="site-logo" src="https:\/\/cdn\.acme\.test\/logo\.svg\?a=1&amp;b=%222%22" alt="Acme &lt;script&gt;alert\(1\)&lt;\/script&gt;">/);
  assert.match(html, /<link rel="stylesheet" href="\/status\/assets\/brand\/0a2540\.css">/);
  assert.match(html, /<title>Acme &lt;script&gt;alert\(1\)&lt;\/script&gt; status<\/title>/);
  assert.match(html, /<a href="mailto:ops@acme.test">ops@acme.test<\/a>/);
  const plain = page({ kind: 'status' });
  assert.doesNotMatch(plain, /<img|assets\/brand\//);
  assert.match(plain, /<a class="site-name" href="\/status">Acme<\/a>/);
});

test('incidents come above the components, groups under their own headings, resolved incidents folded at the end', () => {
  const html = brandedPage();
  assert.deepEqual(headings(html), [
    'h1 Partial outage',
    'h2 Current maintenance',
    `h3 Upgrade ${EVIL.replace(/</g, '&lt;').replace(/>/g, '&gt;')}`,
    'h2 Incidents',
    'h3 Checkout errors &lt;script&gt;alert(1)&lt;/script&gt;',
    'h2 Components',
    'h3 Payments &lt;script&gt;alert(1)&lt;/script&gt;',
    'h2 Upcoming maintenance',
    'h3 Later &lt;script&gt;alert(1)&lt;/script&gt;',
    'h2 Updates',
    'h2 Recently resolved',
    'h2 Need help?',
  ]);
  // The group's status is the worst of its components, in words next to its heading.
  assert.match(html, /id="group-g1">Payments[^<]*<\/h3>\s*<span class="status status--none" data-status="operational">[\s\S]*?Operational/);
  // The open incident: status and impact in words, updates newest first with their labels.
  const card = /<article class="card incident incident--major"[\s\S]*?<\/article>/.exec(html)?.[0] ?? '';
  assert.match(card, /<span class="pill">Identified<\/span>/);
  assert.match(card, /Major impact/);
  assert.match(card, /Affects Checkout/);
  assert.ok(card.indexOf('Found it') < card.indexOf('Looking into it'), 'newest update first');
  assert.match(card, /<strong>Investigating<\/strong> · <time datetime="2026-11-22T13:35:00.000Z" data-local>/);
  // Resolved: folded in a <details>, closed, with when it was resolved.
  assert.match(html, /<details class="card incident incident--resolved" data-incident="i0">\s*<summary>\s*<span class="incident__summary-title">Slow search[^<]*<\/span>\s*<span class="muted">Resolved <time datetime="2026-11-22T13:05:00.000Z"/);
  assert.doesNotMatch(html, /<details[^>]*\sopen/);
});

test('the updates timeline names the window or incident of each update, and the status it announced', () => {
  const html = brandedPage();
  const timeline = /<ol class="timeline">[\s\S]*?<\/ol>/.exec(html)?.[0] ?? '';
  const items = timeline.split('<li class="timeline__item">').slice(1).map((item) => item.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim());
  assert.equal(items.length, 2);
  assert.match(items[0]!, /^14:04 UTC, 22 Nov 2026 · Maintenance: Upgrade &lt;script&gt;.*Halfway there/);
  assert.match(items[1]!, /^14:03 UTC, 22 Nov 2026 · Incident: Checkout errors &lt;script&gt;.* · Identified Found it/);
});
