// The dashboard's one line, for the states an SRE opens it in: forwarded, held by a window, and
// answered with the trouble page while the application is judged down.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { stateLine } from '../../src/admin/dashboard/state-line.js';
import type { WindowRecord } from '../../src/maintenance/windows.js';
import { MINUTE, NOW, win } from '../helpers/windows.js';

function record(fields: Partial<WindowRecord> = {}): WindowRecord {
  return {
    ...win(),
    kind: 'maintenance',
    seriesId: null,
    detached: false,
    plannedEndsAt: null,
    completedAt: null,
    heldRequests: 0,
    createdBy: 'test',
    createdAt: NOW - 60 * MINUTE,
    updatedAt: NOW - 60 * MINUTE,
    ...fields,
  };
}

describe("the dashboard's state line", () => {
  it('says traffic is forwarded when nothing holds it and the application is up', () => {
    assert.equal(stateLine([], 'UTC', NOW).headline, 'Traffic is forwarded to the application');
  });

  it('says customers get the trouble page, since when, while the application is judged down', () => {
    const line = stateLine([], 'UTC', NOW, NOW - 5 * MINUTE);
    assert.equal(line.kind, 'holding');
    assert.equal(line.headline, 'Customers get the trouble page');
    assert.match(line.detail, /judged down since .*11:55/);
    assert.match(line.detail, /about 5 minutes ago/);
  });

  it('names the window that holds traffic, even while the application is judged down', () => {
    const line = stateLine([record({ title: 'Database upgrade' })], 'UTC', NOW, NOW - 5 * MINUTE);
    assert.equal(line.headline, 'Traffic is held');
    assert.match(line.detail, /“Database upgrade”/);
  });

  it('says a verifying window holds traffic until the application passes its health check', () => {
    const verifying = record({ endsAt: NOW - MINUTE, verifyUpstream: true, lifecycle: 'verifying' });
    assert.match(stateLine([verifying], 'UTC', NOW).detail, /until the application passes its health check/);
  });
});
