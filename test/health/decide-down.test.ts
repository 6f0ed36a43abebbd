// decide() while the upstream is judged down: customers are answered by the gateway, windows keep
// their say, and an SRE's ways in (allowed paths, bypass cookie or header, allowlisted addresses)
// still reach the application.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { signBypassToken } from '../../src/decide/bypass-token.js';
import { decide, type DecidePolicy, type RequestFacts } from '../../src/decide/decide.js';
import { cidrList } from '../../src/config/parse.js';
import type { UpstreamHealth } from '../../src/snapshot/types.js';
import { MINUTE, NOW, snap, win } from '../helpers/windows.js';

const policy: DecidePolicy = { allowedPaths: ['/.well-known/', '/healthz'], bypassCidrs: cidrList({ C: '10.0.0.0/8' }, 'C') };
const DOWN: UpstreamHealth = { state: 'down', since: NOW - MINUTE, outageId: '7' };

function req(overrides: Partial<RequestFacts> = {}): RequestFacts {
  return { method: 'GET', path: '/orders', host: 'shop.example.com', clientAddress: '203.0.113.9', bypassToken: undefined, ...overrides };
}

describe('decide while the upstream is judged down', () => {
  it('answers a request no window holds itself, naming the outage', () => {
    assert.deepEqual(decide(snap([], { upstream: DOWN }), NOW, req(), policy), { action: 'unavailable', outageId: '7' });
  });

  it('still forwards when the upstream is up', () => {
    assert.deepEqual(decide(snap([]), NOW, req(), policy), { action: 'forward', reason: 'no_window' });
  });

  it('lets a window hold the request: maintenance says more than trouble', () => {
    const w = win();
    const decision = decide(snap([w], { upstream: DOWN }), NOW, req(), policy);
    assert.equal(decision.action, 'hold');
  });

  it('answers requests outside a scoped window, and reads a read-only window lets through', () => {
    const scoped = win({ pathPrefixes: ['/checkout'] });
    assert.equal(decide(snap([scoped], { upstream: DOWN }), NOW, req({ path: '/orders' }), policy).action, 'unavailable');
    assert.equal(decide(snap([scoped], { upstream: DOWN }), NOW, req({ path: '/checkout' }), policy).action, 'hold');
    const readOnly = win({ mode: 'read_only' });
    assert.equal(decide(snap([readOnly], { upstream: DOWN }), NOW, req({ method: 'GET' }), policy).action, 'unavailable');
    assert.equal(decide(snap([readOnly], { upstream: DOWN }), NOW, req({ method: 'POST' }), policy).action, 'hold');
  });

  it('answers once a window is over, as when there was none', () => {
    const past = win({ startsAt: NOW - 20 * MINUTE, endsAt: NOW - 10 * MINUTE });
    const later = win({ startsAt: NOW + 10 * MINUTE, endsAt: NOW + 20 * MINUTE });
    assert.equal(decide(snap([past, later], { upstream: DOWN }), NOW, req(), policy).action, 'unavailable');
  });

  it('forwards allowed paths, so the application can still be checked', () => {
    assert.deepEqual(decide(snap([], { upstream: DOWN }), NOW, req({ path: '/healthz' }), policy), { action: 'forward', reason: 'allowed_path' });
  });

  it('lets an allowlisted address through', () => {
    assert.deepEqual(decide(snap([], { upstream: DOWN }), NOW, req({ clientAddress: '10.1.2.3' }), policy), { action: 'bypass', via: 'cidr' });
  });

  it('lets a valid bypass token through, and not one for another path or a revoked link', () => {
    const token = signBypassToken('test-secret', { linkId: '5', expiresAt: NOW + 10 * MINUTE });
    const links = new Map([['5', ['/admin-tools']]]);
    const snapshot = snap([], { upstream: DOWN, activeBypassLinks: links });
    assert.deepEqual(decide(snapshot, NOW, req({ path: '/admin-tools/db', bypassToken: token }), policy), { action: 'bypass', via: 'cookie' });
    assert.equal(decide(snapshot, NOW, req({ path: '/orders', bypassToken: token }), policy).action, 'unavailable');
    assert.equal(decide(snap([], { upstream: DOWN }), NOW, req({ bypassToken: token }), policy).action, 'unavailable');
  });

  it('does not believe a "down" when this gateway runs no health checks, as nothing would judge it back', () => {
    const off = { ...policy, upstreamChecks: false };
    assert.deepEqual(decide(snap([], { upstream: DOWN }), NOW, req(), off), { action: 'forward', reason: 'no_window' });
  });

  it('has no outage to name when the row says down without one', () => {
    assert.deepEqual(decide(snap([], { upstream: { ...DOWN, outageId: null } }), NOW, req(), policy), { action: 'unavailable', outageId: null });
  });
});
