// The pure parts of what other sites embed: badge and widget options, the badge's colours and
// words, the framing policy, and the bound on what is kept in memory. No sockets, a fixed clock.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BADGE_COLORS, badgeOptions, renderBadge } from '../../src/embed/badge.js';
import { frameableAnywhere } from '../../src/embed/cross-origin.js';
import { createMemo } from '../../src/status/memo.js';
import { widgetOptions, widgetView } from '../../src/embed/widget-view.js';
import { ValidationError } from '../../src/errors.js';
import { NO_SETTINGS, type Component } from '../../src/snapshot/types.js';
import { NOW, snap, win } from '../helpers/windows.js';
import { parseBadge } from './svg.js';

const DEFAULTS = { siteName: 'Acme', supportEmail: undefined, statusPath: '/status' };

function refusal(fn: () => unknown, field: string, message: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof ValidationError);
    assert.equal(err.status, 400);
    assert.equal(err.field, field);
    assert.match(err.message, message);
    return true;
  });
}

/** WCAG 2 contrast ratio of two #rgb or #rrggbb colours. */
function contrast(a: string, b: string): number {
  const luminance = (hex: string) => {
    const full = hex.length === 4 ? hex.replace(/[0-9a-f]/gi, (d) => d + d) : hex;
    const [r, g, bl] = [1, 3, 5].map((i) => {
      const c = parseInt(full.slice(i, i + 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

function component(status: Component['status']): Component {
  return { id: '1', name: 'API', description: '', status, position: 0, groupId: null };
}

describe('badge options', () => {
  it('defaults to the flat style and the site name', () => {
    assert.deepEqual(badgeOptions({}), { label: null, style: 'flat' });
  });

  it('takes each of the four styles and a label, and ignores a cache-buster', () => {
    for (const style of ['flat', 'flat-square', 'plastic', 'for-the-badge']) {
      assert.deepEqual(badgeOptions({ style, label: 'API status', v: '2' }), { label: 'API status', style });
    }
    assert.equal(badgeOptions({ label: '' }).label, '', 'an empty label draws the message alone');
  });

  it('refuses another style, naming the parameter and the styles allowed', () => {
    refusal(() => badgeOptions({ style: 'social' }), 'style', /style "social" is not a badge style: use one of flat, flat-square, plastic, for-the-badge/);
    refusal(() => badgeOptions({ style: ['flat', 'plastic'] }), 'style', /style: give it once/);
  });

  it('refuses a label over 40 characters or with a line break', () => {
    assert.equal(badgeOptions({ label: 'é'.repeat(40) }).label, 'é'.repeat(40));
    refusal(() => badgeOptions({ label: 'x'.repeat(41) }), 'label', /label is too long: at most 40 characters/);
    refusal(() => badgeOptions({ label: 'two\nlines' }), 'label', /one line of text/);
  });
});

describe('the badge', () => {
  it('says the status in words, with the label, as its accessible name', async () => {
    const badge = await parseBadge(renderBadge('Acme <Shop>', 'Partial System Outage', 'major', 'plastic'));
    assert.equal(badge.title, 'Acme <Shop>: Partial System Outage');
    assert.deepEqual(badge.texts, ['Acme <Shop>', 'Partial System Outage']);
    assert.ok(badge.rectFills.includes(BADGE_COLORS.major));
  });

  it('paints each state in its colour, the words readable on it (WCAG AA, 4.5:1)', async () => {
    for (const severity of ['none', 'minor', 'major', 'critical', 'maintenance'] as const) {
      const badge = await parseBadge(renderBadge('status', 'words', severity, 'flat'));
      assert.ok(badge.rectFills.includes(BADGE_COLORS[severity]), severity);
      const ratio = contrast(badge.messageFill, BADGE_COLORS[severity]);
      assert.ok(ratio >= 4.5, `${severity}: ${badge.messageFill} on ${BADGE_COLORS[severity]} is ${ratio.toFixed(2)}:1`);
    }
  });
});

describe('widget options and view', () => {
  it('defaults to the light theme and the script\'s own poll interval', () => {
    assert.deepEqual(widgetOptions({}), { theme: 'light', refreshMs: null });
    assert.deepEqual(widgetOptions({ theme: 'dark', refresh_ms: '1500' }), { theme: 'dark', refreshMs: 1500 });
  });

  it('refuses an unknown theme and a poll interval out of bounds, naming them', () => {
    refusal(() => widgetOptions({ theme: 'blue' }), 'theme', /theme "blue" is not a widget theme: use light or dark/);
    for (const value of ['999', '3600001', '1e4', '-5', 'soon', '']) {
      refusal(() => widgetOptions({ refresh_ms: value }), 'refresh_ms', /refresh_ms must be a whole number of milliseconds from 1000 to 3600000/);
    }
  });

  it('shows the site name from Settings and the overall status of the page', () => {
    const snapshot = snap([], { components: [component('major_outage')], settings: { ...NO_SETTINGS, siteName: 'Acme Cloud' } });
    const view = widgetView(snapshot, NOW, { theme: 'dark', refreshMs: null }, DEFAULTS);
    assert.equal(view.siteName, 'Acme Cloud');
    assert.equal(view.indicator, 'critical');
    assert.equal(view.description, 'Major Service Outage');
    assert.equal(view.title, 'Acme Cloud status: Major Service Outage');
  });

  it('says maintenance while a window is in force, and not once it is over', () => {
    const window = win({ startsAt: NOW - 60_000, endsAt: NOW + 60_000 });
    assert.equal(widgetView(snap([window]), NOW, widgetOptions({}), DEFAULTS).description, 'Service Under Maintenance');
    assert.equal(widgetView(snap([window]), NOW + 120_000, widgetOptions({}), DEFAULTS).description, 'All Systems Operational');
  });
});

describe('framing and memory', () => {
  it('lets any site frame the page and keeps every other directive', () => {
    const helmet = "default-src 'self';frame-ancestors 'self';script-src 'self';style-src 'self'";
    assert.equal(frameableAnywhere(helmet), "default-src 'self';script-src 'self';style-src 'self';frame-ancestors *");
    assert.equal(frameableAnywhere("default-src 'self'"), "default-src 'self';frame-ancestors *");
  });

  it('keeps at most its size, dropping the oldest first', () => {
    const memo = createMemo<string>(2);
    let builds = 0;
    const build = (value: string) => () => (builds++, value);
    memo.get('a', build('A'));
    memo.get('b', build('B'));
    assert.equal(memo.get('a', build('A again')), 'A', 'a hit does not build');
    memo.get('c', build('C'));
    assert.equal(memo.size, 2);
    assert.equal(memo.get('a', build('A rebuilt')), 'A rebuilt', 'the oldest was dropped');
    assert.equal(builds, 4);
  });
});
