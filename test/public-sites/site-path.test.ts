// Which site a status URL is for, and what each site falls back to for its name and e-mail: pure
// rules, tested without a socket.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { indexSites } from '../../src/sites/site-routes.js';
import type { Site } from '../../src/snapshot/types.js';
import { publicStatusPath, statusTarget } from '../../src/status/site-path.js';
import { siteDefaults } from '../../src/status/site.js';
import { snap } from '../helpers/windows.js';

function site(id: string, slug: string, hosts: string[], isDefault = false): Site {
  return { id, slug, upstreamUrl: null, hosts, isDefault };
}

const main = snap([], { site: site('1', 'default', [], true) });
const shop = snap([], { site: site('2', 'shop', ['shop.test']) });
const both = indexSites(1, 0, [main, shop]);
const noDefault = indexSites(1, 0, [shop, snap([], { site: site('3', 'blog', ['blog.test']) })]);
const ENV = { siteName: 'Acme', supportEmail: 'help@acme.test', statusPath: '/status' };

describe('finding the site of a status URL', () => {
  it("answers STATUS_PATH with the Host's site, and the default site for other hosts", () => {
    assert.deepEqual(statusTarget(both, '/status', '/status', 'shop.test:8080'), { kind: 'site', snapshot: shop, base: '/status', rest: '' });
    assert.deepEqual(statusTarget(both, '/status', '/status/history', 'other.test'), { kind: 'site', snapshot: main, base: '/status', rest: '/history' });
  });

  it('answers STATUS_PATH/<slug> with that site on any host, the rest of the path under it', () => {
    assert.deepEqual(statusTarget(both, '/status', '/status/shop', 'other.test'), { kind: 'site', snapshot: shop, base: '/status/shop', rest: '' });
    assert.deepEqual(statusTarget(both, '/status', '/status/shop/api/v2/summary.json', 'x.test'), {
      kind: 'site', snapshot: shop, base: '/status/shop', rest: '/api/v2/summary.json',
    });
    assert.deepEqual(statusTarget(noDefault, '/status', '/status/blog/events', 'unknown.test'), {
      kind: 'site', snapshot: noDefault.bySlug.get('blog'), base: '/status/blog', rest: '/events',
    });
  });

  it('keeps the assets shared by every site and every host, even one no site answers', () => {
    assert.deepEqual(statusTarget(noDefault, '/status', '/status/assets/status.css', 'unknown.test'), { kind: 'shared' });
  });

  it('names the host when no site answers it, and leaves paths outside STATUS_PATH alone', () => {
    assert.deepEqual(statusTarget(noDefault, '/status', '/status', 'Unknown.TEST.'), { kind: 'no-site', host: 'unknown.test' });
    assert.deepEqual(statusTarget(noDefault, '/status', '/status/nope', 'unknown.test'), { kind: 'no-site', host: 'unknown.test' });
    assert.equal(statusTarget(both, '/status', '/statusx', 'shop.test'), null);
    assert.equal(statusTarget(both, '/status', '/admin', 'shop.test'), null);
  });
});

describe("a site's fallback name and e-mail", () => {
  it('gives the default site SITE_NAME and SUPPORT_EMAIL, and another site its slug and no e-mail', () => {
    assert.deepEqual(siteDefaults(both, main, ENV), ENV);
    assert.deepEqual(siteDefaults(both, shop, ENV), { siteName: 'shop', supportEmail: undefined, statusPath: '/status' });
  });

  it('gives the only site the environment, default or not', () => {
    assert.deepEqual(siteDefaults(indexSites(1, 0, [shop]), shop, ENV), ENV);
    assert.equal(siteDefaults(noDefault, shop, ENV).siteName, 'shop');
  });
});

describe("a site's page in absolute links", () => {
  it("is the page's own base without PUBLIC_URL, and another site's slug on PUBLIC_URL", () => {
    const plain = { publicUrl: undefined, statusPath: '/status' };
    const pub = { publicUrl: new URL('https://status.example.com'), statusPath: '/status' };
    assert.equal(publicStatusPath(plain, shop, false, '/status'), '/status');
    assert.equal(publicStatusPath(pub, shop, false, '/status'), '/status/shop');
    assert.equal(publicStatusPath(pub, main, true, '/status'), '/status');
  });
});
