// Passive detection in one process: a run of failed forwarded requests makes one report, a success
// resets the run, and there is no second report until the upstream has been down and up again.
// Each site keeps its own run: one site's failures never report another.

import { indexSites } from '../../src/sites/site-routes.js';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createFailureWatch } from '../../src/health/request-failures.js';
import { createLogger } from '../../src/log.js';
import type { Site, UpstreamHealth } from '../../src/snapshot/types.js';
import { snap } from '../helpers/windows.js';

const SHOP: Site = { id: '1', slug: 'shop', upstreamUrl: null, hosts: ['shop.example.com'], isDefault: true };
const BLOG: Site = { id: '2', slug: 'blog', upstreamUrl: 'http://127.0.0.1:9', hosts: ['blog.example.com'], isDefault: false };

function setup(threshold: number, report: (cause: string) => Promise<unknown> = async () => undefined) {
  const state = {
    upstream: { state: 'up', since: 1000, outageId: null } as UpstreamHealth,
    blogUpstream: { state: 'up', since: 1000, outageId: null } as UpstreamHealth,
  };
  const reports: string[] = [];
  const bySite: string[] = [];
  const watch = createFailureWatch({
    threshold,
    store: {
      current: () => indexSites(1, 1000, [snap([], { site: SHOP, upstream: state.upstream }), snap([], { site: BLOG, upstream: state.blogUpstream })]),
    },
    report: (siteId, cause) => {
      reports.push(cause);
      bySite.push(siteId);
      return report(cause);
    },
    log: createLogger('silent'),
  });
  return { watch, reports, bySite, state };
}

// Any host no site names goes to the default site, shop.
const HOST = 'shop.example.com';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('passive detection', () => {
  it('reports once when the run of failures reaches the threshold, naming the last cause', () => {
    const { watch, reports } = setup(3);
    watch.failed(HOST, 'ECONNREFUSED');
    watch.failed(HOST, 'ECONNREFUSED');
    assert.equal(reports.length, 0);
    watch.failed(HOST, 'HTTP 502');
    assert.deepEqual(reports, ['3 forwarded requests in a row failed, the last with HTTP 502']);
    for (let i = 0; i < 20; i += 1) watch.failed(HOST, 'HTTP 502');
    assert.equal(reports.length, 1, 'one report per run');
  });

  it('starts the run again after any success', () => {
    const { watch, reports } = setup(3);
    for (let i = 0; i < 10; i += 1) {
      watch.failed(HOST, 'HTTP 500');
      watch.failed(HOST, 'HTTP 500');
      watch.succeeded(HOST);
    }
    assert.equal(reports.length, 0);
  });

  it('reports again only once the snapshot has been down and up again', () => {
    const { watch, reports, state } = setup(2);
    watch.failed(HOST, 'x');
    watch.failed(HOST, 'x');
    assert.equal(reports.length, 1);
    state.upstream = { state: 'down', since: 2000, outageId: '1' };
    watch.failed(HOST, 'x');
    assert.equal(reports.length, 1, 'already down');
    state.upstream = { state: 'up', since: 3000, outageId: null };
    watch.succeeded(HOST);
    watch.failed(HOST, 'x');
    watch.failed(HOST, 'x');
    assert.equal(reports.length, 2);
  });

  it('tries again with the next failure when a report could not be recorded', async () => {
    const { watch, reports } = setup(1, () => Promise.reject(new Error('database down')));
    watch.failed(HOST, 'x');
    await tick();
    watch.failed(HOST, 'x');
    assert.equal(reports.length, 2);
  });

  it("counts each site's failures apart: a failing site reports itself only, and the other's successes do not break its run", () => {
    const { watch, bySite } = setup(3);
    watch.failed('blog.example.com', 'ECONNREFUSED');
    watch.succeeded('shop.example.com:443');
    watch.failed('BLOG.example.com.', 'ECONNREFUSED');
    watch.succeeded('unknown.example.com');
    watch.failed('blog.example.com:8080', 'ECONNREFUSED');
    assert.deepEqual(bySite, ['2']);
    watch.failed(HOST, 'HTTP 500');
    watch.failed(HOST, 'HTTP 500');
    assert.deepEqual(bySite, ['2'], 'shop has its own run, two so far');
    watch.failed(HOST, 'HTTP 500');
    assert.deepEqual(bySite, ['2', '1']);
  });

  it('does nothing at all with a threshold of 0', () => {
    const { watch, reports } = setup(0);
    for (let i = 0; i < 100; i += 1) watch.failed(HOST, 'x');
    assert.equal(reports.length, 0);
  });
});
