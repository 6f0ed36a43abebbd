// The rendered status page: escaped, CSP-clean, linked to its assets, and cheap to serve again.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EMPTY_SNAPSHOT, type MaintenanceWindow, type Snapshot } from '../../src/snapshot/types.js';
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
    { id: 'c1', name: `API ${EVIL}`, description: `Public API ${EVIL}`, status: 'operational', position: 1 },
    { id: 'c2', name: 'Website', description: '', status: 'degraded_performance', position: 2 },
  ],
  updates: [{ id: 'u1', windowId: 'w1', body: `Halfway there ${EVIL}`, createdAt: NOW - MINUTE }],
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
    const html = page(state);
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
