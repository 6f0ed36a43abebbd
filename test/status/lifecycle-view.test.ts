// What the status page says of a window's lifecycle: in progress, verifying after its end, and
// once completed, how long it took against the plan and how many requests met the page.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decide } from '../../src/decide/decide.js';
import { EMPTY_SNAPSHOT, isInForce, type PastWindow } from '../../src/snapshot/types.js';
import { pastWindowView } from '../../src/status/past-window-view.js';
import { durationText } from '../../src/status/time-text.js';
import { buildStatusView, type PageOptions } from '../../src/status/view-model.js';
import { VERIFYING_TEXT } from '../../src/status/window-view.js';
import { MINUTE, NOW, snap, win } from '../helpers/windows.js';

const OPTIONS: PageOptions = { siteName: 'Acme', supportEmail: undefined, statusPath: '/status' };

function past(fields: Partial<PastWindow> = {}): PastWindow {
  return { id: 'p1', title: 'Database upgrade', kind: 'maintenance', startsAt: NOW - 72 * MINUTE, plannedEndsAt: NOW - 12 * MINUTE, completedAt: NOW, heldRequests: 1234, ...fields };
}

describe('a window that verifies the upstream', () => {
  const verifying = win({ startsAt: NOW - 60 * MINUTE, endsAt: NOW - 2 * MINUTE, verifyUpstream: true, lifecycle: 'verifying' });

  it('stays in force past its end until it is completed, and holds requests meanwhile', () => {
    assert.equal(isInForce(verifying, NOW), true);
    assert.equal(isInForce({ ...verifying, lifecycle: 'completed' }, NOW), false);
    assert.equal(isInForce({ ...verifying, verifyUpstream: false }, NOW), false);
    const request = { method: 'GET', path: '/orders', host: 'shop.test', clientAddress: '198.51.100.7', bypassToken: undefined };
    const decision = decide(snap([verifying]), NOW, request, { allowedPaths: [], bypassCidrs: [] });
    assert.equal(decision.action, 'hold');
  });

  it('is never in force once cancelled, verification or not', () => {
    assert.equal(isInForce({ ...verifying, endedAt: verifying.startsAt }, NOW), false);
  });

  it('tells readers the work is done and being checked, with no end time to count down to', () => {
    const view = buildStatusView(snap([verifying]), NOW, { kind: 'maintenance', windows: [verifying] }, OPTIONS);
    assert.equal(view.windows[0]!.phaseLabel, 'Verifying');
    assert.equal(view.windows[0]!.endsAtText, VERIFYING_TEXT);
    assert.equal(view.windows[0]!.endsAtMs, null);
    assert.equal(view.endsAtMs, null, 'the page does not count down to an end already past');
    assert.equal(view.verifying, true);
  });

  it('labels a window in force before its end as in progress', () => {
    const running = win({ lifecycle: 'in_progress' });
    const view = buildStatusView(snap([running]), NOW, { kind: 'status' }, OPTIONS);
    assert.equal(view.windows[0]!.phaseLabel, 'In progress');
    assert.equal(view.windows[0]!.verifying, false);
  });
});

describe('recent maintenance on the status page', () => {
  it('says how long the work took against the plan, and how many requests met the page', () => {
    const view = pastWindowView(past());
    assert.equal(view.outcomeText, 'Took 1 h 12 min, 12 min longer than planned (1 h)');
    assert.equal(view.heldText, '1,234 requests were answered with this page');
  });

  it('says when work ended early, or on time, and leaves out a plan that was never announced', () => {
    assert.equal(pastWindowView(past({ plannedEndsAt: NOW + 30 * MINUTE })).outcomeText, 'Took 1 h 12 min, 30 min shorter than planned (1 h 42 min)');
    assert.equal(pastWindowView(past({ plannedEndsAt: NOW - 20_000 })).outcomeText, 'Took 1 h 12 min, as planned (1 h 11 min)');
    assert.equal(pastWindowView(past({ plannedEndsAt: null })).outcomeText, 'Took 1 h 12 min');
    assert.equal(pastWindowView(past({ heldRequests: 1 })).heldText, '1 request was answered with this page');
    assert.equal(pastWindowView(past({ heldRequests: 0 })).heldText, null);
  });

  it('lists completed windows, but not on the trouble page', () => {
    const snapshot = { ...EMPTY_SNAPSHOT, pastWindows: [past()] };
    assert.equal(buildStatusView(snapshot, NOW, { kind: 'status' }, OPTIONS).pastWindows.length, 1);
    assert.equal(buildStatusView(snapshot, NOW, { kind: 'trouble', status: 502 }, OPTIONS).pastWindows.length, 0);
  });
});

describe('durations in words', () => {
  it('reads seconds, minutes, hours and days the way people say them', () => {
    assert.equal(durationText(45_000), '45 s');
    assert.equal(durationText(252_000), '4 min 12 s');
    assert.equal(durationText(35_400), '35 s');
    assert.equal(durationText(120_000), '2 min');
    assert.equal(durationText(60 * MINUTE), '1 h');
    assert.equal(durationText(65 * MINUTE), '1 h 5 min');
    assert.equal(durationText(51 * 60 * MINUTE), '2 days 3 h');
    assert.equal(durationText(-5), '0 s');
  });
});
