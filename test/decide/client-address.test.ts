import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { describe, it } from 'node:test';
import proxyAddr from 'proxy-addr';
import { clientAddress, inCidrs } from '../../src/decide/client-address.js';
import { cidrList } from '../../src/config/parse.js';

function request(peer: string, forwardedFor?: string): http.IncomingMessage {
  const socket = new net.Socket();
  Object.defineProperty(socket, 'remoteAddress', { value: peer });
  const req = new http.IncomingMessage(socket);
  if (forwardedFor) req.headers['x-forwarded-for'] = forwardedFor;
  return req;
}

describe('clientAddress', () => {
  it('is the peer when no proxy is trusted, whatever X-Forwarded-For says', () => {
    assert.equal(clientAddress(request('203.0.113.5', '10.0.0.1'), proxyAddr.compile([])), '203.0.113.5');
  });

  it('takes X-Forwarded-For through a trusted proxy', () => {
    assert.equal(clientAddress(request('127.0.0.1', '198.51.100.7'), proxyAddr.compile(['loopback'])), '198.51.100.7');
  });

  it('stops at the first hop that is not trusted, so a spoofed entry is ignored', () => {
    // The client sent "10.0.0.1" itself; the trusted proxy appended the real address.
    const req = request('127.0.0.1', '10.0.0.1, 198.51.100.7');
    assert.equal(clientAddress(req, proxyAddr.compile(['loopback'])), '198.51.100.7');
  });
});

describe('inCidrs', () => {
  const cidrs = cidrList({ C: '10.0.0.0/8, 2001:db8::/32, 192.0.2.1' }, 'C');
  it('matches v4, v6, v4-mapped v6 and single addresses', () => {
    assert.equal(inCidrs('10.200.0.1', cidrs), true);
    assert.equal(inCidrs('2001:db8::1', cidrs), true);
    assert.equal(inCidrs('::ffff:10.0.0.1', cidrs), true);
    assert.equal(inCidrs('192.0.2.1', cidrs), true);
  });
  it('does not match others or garbage', () => {
    assert.equal(inCidrs('192.0.2.2', cidrs), false);
    assert.equal(inCidrs('not-an-ip', cidrs), false);
    assert.equal(inCidrs('10.0.0.1', []), false);
  });
});
