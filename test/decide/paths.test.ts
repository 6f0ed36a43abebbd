import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hasPrefix, hostName, normalizePath, safeReturnPath } from '../../src/decide/paths.js';

describe('normalizePath', () => {
  it('leaves plain paths alone and drops the query', () => {
    assert.equal(normalizePath('/orders/42?x=1'), '/orders/42');
  });
  it('resolves dot segments so they cannot dodge a prefix', () => {
    assert.equal(normalizePath('/public/../admin/x'), '/admin/x');
    assert.equal(normalizePath('/public/%2e%2e/admin'), '/admin');
  });
  it('decodes needless escapes of plain characters', () => {
    assert.equal(normalizePath('/%61pi/v1'), '/api/v1');
  });
  it('keeps escapes that carry meaning', () => {
    assert.equal(normalizePath('/a%2Fb'), '/a%2Fb');
  });
  it('collapses leading slashes', () => {
    assert.equal(normalizePath('//api/x'), '/api/x');
  });
});

describe('hasPrefix', () => {
  it('matches whole segments only', () => {
    assert.equal(hasPrefix('/api', '/api'), true);
    assert.equal(hasPrefix('/api/x', '/api'), true);
    assert.equal(hasPrefix('/apix', '/api'), false);
    assert.equal(hasPrefix('/.well-known', '/.well-known/'), true);
  });
});

describe('hostName', () => {
  it('drops the port and lower-cases', () => {
    assert.equal(hostName('Shop.Example.com:8080'), 'shop.example.com');
    assert.equal(hostName('[::1]:8080'), '[::1]');
    assert.equal(hostName(undefined), '');
    assert.equal(hostName('Shop.Example.com.:443'), 'shop.example.com', 'a fully qualified name is the same host');
  });
});

describe('safeReturnPath', () => {
  it('accepts same-origin absolute paths', () => {
    assert.equal(safeReturnPath('/cart?item=1'), '/cart?item=1');
  });
  it('refuses anything that could leave the site', () => {
    for (const value of ['//evil.example', '/\\evil.example', 'https://evil.example', 'evil', '/a\r\nSet-Cookie: x', '', 42]) {
      assert.equal(safeReturnPath(value), undefined, String(value));
    }
  });
});
