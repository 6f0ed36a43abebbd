// How `intermission status` words windows: in force with their end, upcoming, and one past its end
// that still holds customers while it waits for the application's health check.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeWindow, formatStatus } from '../../src/cli/status.js';
import { MINUTE, NOW, win } from '../helpers/windows.js';

describe('intermission status', () => {
  it('gives a window in force its end and the time left', () => {
    const line = describeWindow(win({ id: '7', title: 'Upgrade', startsAt: NOW - 10 * MINUTE, endsAt: NOW + 30 * MINUTE }), NOW);
    assert.equal(line, `#7 "Upgrade": since ${new Date(NOW - 10 * MINUTE).toISOString()}, until ${new Date(NOW + 30 * MINUTE).toISOString()} (in 30 minutes); all paths; block`);
  });

  it('says a window past its end is held until the application passes a health check, not "in 1 second"', () => {
    const verifying = win({ id: '8', title: 'Deploy', startsAt: NOW - 10 * MINUTE, endsAt: NOW - MINUTE, verifyUpstream: true, lifecycle: 'verifying' });
    const out = formatStatus({ now: NOW, inForce: [verifying], upcoming: [] });
    assert.match(out, /Maintenance is ON: 1 window in force/);
    assert.match(out, /#8 "Deploy": since \S+, ended \S+, held until the application passes a health check; all paths; block/);
  });
});
