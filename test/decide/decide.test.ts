import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { signBypassToken } from '../../src/decide/bypass-token.js';
import { decide, retryAfterSeconds, type DecidePolicy, type RequestFacts } from '../../src/decide/decide.js';
import { cidrList } from '../../src/config/parse.js';
import { MINUTE, NOW, snap, win } from '../helpers/windows.js';

const policy: DecidePolicy = { allowedPaths: ['/.well-known/', '/healthz'], bypassCidrs: cidrList({ C: '10.0.0.0/8' }, 'C') };

function req(overrides: Partial<RequestFacts> = {}): RequestFacts {
  return { method: 'GET', path: '/orders', host: 'shop.example.com', clientAddress: '203.0.113.9', bypassToken: undefined, ...overrides };
}

describe('decide', () => {
  it('forwards when there is no window', () => {
    assert.deepEqual(decide(snap([]), NOW, req(), policy), { action: 'forward', reason: 'no_window' });
  });

  it('holds while a window is in force, until its end', () => {
    const w = win();
    const decision = decide(snap([w]), NOW, req(), policy);
    assert.equal(decision.action, 'hold');
    assert.deepEqual(decision.action === 'hold' && decision.windows, [w]);
    assert.equal(decision.action === 'hold' && decision.until, w.endsAt);
  });

  it('treats starts_at as inclusive and ends_at as exclusive', () => {
    const w = win({ startsAt: NOW, endsAt: NOW + MINUTE });
    assert.equal(decide(snap([w]), NOW - 1, req(), policy).action, 'forward');
    assert.equal(decide(snap([w]), NOW, req(), policy).action, 'hold');
    assert.equal(decide(snap([w]), NOW + MINUTE - 1, req(), policy).action, 'hold');
    assert.equal(decide(snap([w]), NOW + MINUTE, req(), policy).action, 'forward');
  });

  it('holds under an open-ended window with no end to announce', () => {
    const decision = decide(snap([win({ endsAt: null })]), NOW + 1000 * MINUTE, req(), policy);
    assert.equal(decision.action, 'hold');
    assert.equal(decision.action === 'hold' && decision.until, null);
  });

  it('forwards once a window was ended early', () => {
    const w = win({ endsAt: null, endedAt: NOW - MINUTE });
    assert.equal(decide(snap([w]), NOW, req(), policy).action, 'forward');
    assert.equal(decide(snap([w]), NOW - 2 * MINUTE, req(), policy).action, 'hold');
  });

  it('holds only the paths a scoped window covers, by whole segments', () => {
    const w = win({ pathPrefixes: ['/api', '/checkout/'] });
    assert.equal(decide(snap([w]), NOW, req({ path: '/api' }), policy).action, 'hold');
    assert.equal(decide(snap([w]), NOW, req({ path: '/api/orders' }), policy).action, 'hold');
    assert.equal(decide(snap([w]), NOW, req({ path: '/checkout' }), policy).action, 'hold');
    assert.equal(decide(snap([w]), NOW, req({ path: '/apis' }), policy).action, 'forward');
    assert.equal(decide(snap([w]), NOW, req({ path: '/' }), policy).action, 'forward');
  });

  it('holds only the hosts a scoped window covers', () => {
    const w = win({ hosts: ['api.example.com'] });
    assert.equal(decide(snap([w]), NOW, req({ host: 'api.example.com' }), policy).action, 'hold');
    assert.equal(decide(snap([w]), NOW, req({ host: 'shop.example.com' }), policy).action, 'forward');
  });

  it('lets reads through a read-only window and holds writes', () => {
    const w = win({ mode: 'read_only' });
    for (const method of ['GET', 'HEAD', 'OPTIONS']) {
      assert.deepEqual(decide(snap([w]), NOW, req({ method }), policy), { action: 'forward', reason: 'read_only' });
    }
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) assert.equal(decide(snap([w]), NOW, req({ method }), policy).action, 'hold');
  });

  it('holds reads when a blocking window overlaps a read-only one', () => {
    const decision = decide(snap([win({ mode: 'read_only' }), win({ mode: 'block', endsAt: NOW + 5 * MINUTE })]), NOW, req(), policy);
    assert.equal(decision.action, 'hold');
    assert.equal(decision.action === 'hold' && decision.until, NOW + 5 * MINUTE);
  });

  it('announces the latest end when several windows hold a request, and none if one is open-ended', () => {
    const two = decide(snap([win({ endsAt: NOW + MINUTE }), win({ endsAt: NOW + 9 * MINUTE })]), NOW, req(), policy);
    assert.equal(two.action === 'hold' && two.until, NOW + 9 * MINUTE);
    const open = decide(snap([win({ endsAt: NOW + MINUTE }), win({ endsAt: null })]), NOW, req(), policy);
    assert.equal(open.action === 'hold' && open.until, null);
  });

  it('always forwards allowed paths', () => {
    assert.equal(decide(snap([win()]), NOW, req({ path: '/.well-known/acme-challenge/x' }), policy).action, 'forward');
    assert.equal(decide(snap([win()]), NOW, req({ path: '/healthz' }), policy).action, 'forward');
    assert.equal(decide(snap([win()]), NOW, req({ path: '/healthzz' }), policy).action, 'hold');
  });

  it('uses the response mode of the window that holds the request', () => {
    const decision = decide(snap([win({ response: 'redirect' })]), NOW, req(), policy);
    assert.equal(decision.action === 'hold' && decision.response, 'redirect');
  });

  it('bypasses for a client in an allowlisted range', () => {
    assert.deepEqual(decide(snap([win()]), NOW, req({ clientAddress: '10.1.2.3' }), policy), { action: 'bypass', via: 'cidr' });
    assert.deepEqual(decide(snap([win()]), NOW, req({ clientAddress: '::ffff:10.1.2.3' }), policy), { action: 'bypass', via: 'cidr' });
    assert.equal(decide(snap([win()]), NOW, req({ clientAddress: '11.1.2.3' }), policy).action, 'hold');
  });

  describe('bypass cookie', () => {
    const linkId = '6d1f7d0c-0000-4000-8000-000000000001';
    const active = { activeBypassLinks: new Map([[linkId, []]]) };

    it('bypasses with a valid token of an active link', () => {
      const token = signBypassToken('test-secret', { linkId, expiresAt: NOW + MINUTE });
      assert.deepEqual(decide(snap([win()], active), NOW, req({ bypassToken: token }), policy), { action: 'bypass', via: 'cookie' });
    });

    it('holds with an expired token', () => {
      const token = signBypassToken('test-secret', { linkId, expiresAt: NOW });
      assert.equal(decide(snap([win()], active), NOW, req({ bypassToken: token }), policy).action, 'hold');
    });

    it('holds with a token of a revoked link', () => {
      const token = signBypassToken('test-secret', { linkId, expiresAt: NOW + MINUTE });
      assert.equal(decide(snap([win()]), NOW, req({ bypassToken: token }), policy).action, 'hold');
    });

    it('bypasses with a scoped link only under its path prefixes', () => {
      const scoped = { activeBypassLinks: new Map([[linkId, ['/checkout', '/api/cart/']]]) };
      const token = signBypassToken('test-secret', { linkId, expiresAt: NOW + MINUTE });
      for (const path of ['/checkout', '/checkout/pay', '/api/cart/items', '/api/cart']) {
        assert.deepEqual(decide(snap([win()], scoped), NOW, req({ path, bypassToken: token }), policy), { action: 'bypass', via: 'cookie' }, path);
      }
      for (const path of ['/account', '/checkouts', '/', '/api/carts']) {
        assert.equal(decide(snap([win()], scoped), NOW, req({ path, bypassToken: token }), policy).action, 'hold', path);
      }
    });

    it('holds with a token signed by another secret or tampered with', () => {
      const forged = signBypassToken('other-secret', { linkId, expiresAt: NOW + MINUTE });
      assert.equal(decide(snap([win()], active), NOW, req({ bypassToken: forged }), policy).action, 'hold');
      const valid = signBypassToken('test-secret', { linkId, expiresAt: NOW + MINUTE });
      const extended = valid.replace(/^(v1\.[^.]+\.)[^.]+/, `$1${(NOW + 1000 * MINUTE).toString(36)}`);
      assert.equal(decide(snap([win()], active), NOW, req({ bypassToken: extended }), policy).action, 'hold');
      assert.equal(decide(snap([win()], active), NOW, req({ bypassToken: 'garbage' }), policy).action, 'hold');
    });
  });

  it('never reads the client address or cookie when nothing is in force', () => {
    const lazy = {
      method: 'GET',
      path: '/',
      host: 'x',
      get clientAddress(): string {
        throw new Error('read clientAddress');
      },
      get bypassToken(): string {
        throw new Error('read bypassToken');
      },
    };
    assert.equal(decide(snap([win({ startsAt: NOW + MINUTE })]), NOW, lazy, policy).action, 'forward');
  });
});

describe('retryAfterSeconds', () => {
  it('counts whole seconds to the end, rounding up', () => {
    assert.equal(retryAfterSeconds(NOW + 90_500, NOW), 91);
  });
  it('is at least one second', () => {
    assert.equal(retryAfterSeconds(NOW + 1, NOW), 1);
    assert.equal(retryAfterSeconds(NOW - 5000, NOW), 1);
  });
  it('is absent for an open-ended window', () => {
    assert.equal(retryAfterSeconds(null, NOW), undefined);
  });
});
