// Passive detection in one process: a run of failed forwarded requests makes one report, a success
// resets the run, and there is no second report until the upstream has been down and up again.

import { indexSites } from '../../src/sites/site-routes.js';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createFailureWatch } from '../../src/health/request-failures.js';
import { createLogger } from '../../src/log.js';
import type { UpstreamHealth } from '../../src/snapshot/types.js';
import { snap } from '../helpers/windows.js';

function setup(threshold: number, report: (cause: string) => Promise<unknown> = async () => undefined) {
  const state = { upstream: { state: 'up', since: 1000, outageId: null } as UpstreamHealth };
  const reports: string[] = [];
  const watch = createFailureWatch({
    threshold,
    store: { current: () => indexSites(1, 1000, [snap([], { upstream: state.upstream })]) },
    report: (cause) => {
      reports.push(cause);
      return report(cause);
    },
    log: createLogger('silent'),
  });
  return { watch, reports, state };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('passive detection', () => {
  it('reports once when the run of failures reaches the threshold, naming the last cause', () => {
    const { watch, reports } = setup(3);
    watch.failed('ECONNREFUSED');
    watch.failed('ECONNREFUSED');
    assert.equal(reports.length, 0);
    watch.failed('HTTP 502');
    assert.deepEqual(reports, ['3 forwarded requests in a row failed, the last with HTTP 502']);
    for (let i = 0; i < 20; i += 1) watch.failed('HTTP 502');
    assert.equal(reports.length, 1, 'one report per run');
  });

  it('starts the run again after any success', () => {
    const { watch, reports } = setup(3);
    for (let i = 0; i < 10; i += 1) {
      watch.failed('HTTP 500');
      watch.failed('HTTP 500');
      watch.succeeded();
    }
    assert.equal(reports.length, 0);
  });

  it('reports again only once the snapshot has been down and up again', () => {
    const { watch, reports, state } = setup(2);
    watch.failed('x');
    watch.failed('x');
    assert.equal(reports.length, 1);
    state.upstream = { state: 'down', since: 2000, outageId: '1' };
    watch.failed('x');
    assert.equal(reports.length, 1, 'already down');
    state.upstream = { state: 'up', since: 3000, outageId: null };
    watch.succeeded();
    watch.failed('x');
    watch.failed('x');
    assert.equal(reports.length, 2);
  });

  it('tries again with the next failure when a report could not be recorded', async () => {
    const { watch, reports } = setup(1, () => Promise.reject(new Error('database down')));
    watch.failed('x');
    await tick();
    watch.failed('x');
    assert.equal(reports.length, 2);
  });

  it('does nothing at all with a threshold of 0', () => {
    const { watch, reports } = setup(0);
    for (let i = 0; i < 100; i += 1) watch.failed('x');
    assert.equal(reports.length, 0);
  });
});
