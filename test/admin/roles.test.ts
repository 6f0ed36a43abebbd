// Every admin route and every API endpoint, enumerated from the routers themselves, checked
// against each role: the server refuses what a role may not do, whatever the page shows, and a
// refused write changes nothing.

import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type express from 'express';
import { hasRole, ROLES, type Role } from '../../src/accounts/roles.js';
import { adminAreas } from '../../src/admin/areas.js';
import { createLogger } from '../../src/log.js';
import { api, csrfOf, makeToken, signedIn, type Browser } from '../helpers/admin.js';
import type { TestDatabase } from '../helpers/database.js';
import type { TestGateway } from '../helpers/gateway.js';
import { useGateway } from '../helpers/harness.js';
import type { Upstream } from '../helpers/upstream.js';
import { ADMIN, AUDIT_BY_PEOPLE } from './fixtures.js';

const harness = useGateway();
let db: TestDatabase;
let upstream: Upstream;
let gw: TestGateway;
// Pages only admins may open at all; every other page is readable by any signed-in user.
const ADMIN_ONLY_PAGES = ['/users', '/tokens', '/settings'];
// The signed-in person's own account: every role may post there (the junk fields below are refused as bad input).
const SELF_SERVICE_PAGES = ['/account'];

interface PageRoute {
  method: string;
  path: string;
}

function pageRoutes(router: express.Router): PageRoute[] {
  const routes: PageRoute[] = [];
  for (const layer of router.stack as unknown as { route?: { path: string; methods: Record<string, boolean> } }[]) {
    if (!layer.route) continue;
    for (const method of Object.keys(layer.route.methods)) routes.push({ method: method.toUpperCase(), path: layer.route.path });
  }
  return routes;
}

/** A concrete path for a route pattern: ids that do not exist, so a permitted request is a 404, never a write. */
function concrete(path: string): string {
  return path.replace(/:[a-z_]+/gi, '999999');
}

async function auditCount(): Promise<number> {
  return Number((await db.query<{ n: string }>(`SELECT ${AUDIT_BY_PEOPLE} AS n`)).rows[0]!.n);
}

let areas: ReturnType<typeof adminAreas>;
const browsers = new Map<Role, Browser>();
const tokens = new Map<Role, string>();

before(async () => {
  ({ db, upstream, gw } = await harness);
  areas = adminAreas({ config: gw.config, pool: gw.pool, store: gw.store, log: createLogger('silent'), upstream: new URL(upstream.url), now: Date.now });
  for (const role of ROLES) {
    browsers.set(role, await signedIn(gw.pool, gw.url, ADMIN, role));
    tokens.set(role, await makeToken(gw.pool, role));
  }
});

describe('roles on every admin page', () => {
  it('lets each role open exactly the pages it may read', async () => {
    const gets = areas.flatMap((area) => (area.pages ? pageRoutes(area.pages) : [])).filter((r) => r.method === 'GET');
    assert.ok(gets.length > 10, `found ${gets.length} page routes`);
    for (const route of gets) {
      const adminOnly = ADMIN_ONLY_PAGES.some((prefix) => route.path === prefix || route.path.startsWith(`${prefix}/`));
      for (const role of ROLES) {
        const res = await browsers.get(role)!.raw('GET', `${ADMIN}${concrete(route.path)}`);
        const allowed = !adminOnly || role === 'admin';
        if (allowed) assert.notEqual(res.status, 403, `${role} GET ${route.path}`);
        else assert.equal(res.status, 403, `${role} GET ${route.path}`);
      }
    }
  });

  it('refuses every form post from a viewer, and writes nothing', async () => {
    const posts = areas.flatMap((area) => (area.pages ? pageRoutes(area.pages) : [])).filter((r) => r.method !== 'GET');
    assert.ok(posts.length > 10, `found ${posts.length} form routes`);
    const viewer = browsers.get('viewer')!;
    const csrf = csrfOf((await viewer.get(ADMIN)).body);
    const before = await auditCount();
    for (const route of posts) {
      const res = await viewer.raw(route.method, `${ADMIN}${concrete(route.path)}`, { _csrf: csrf, title: 'x', name: 'x', body: 'x', confirm: 'yes' });
      const own = SELF_SERVICE_PAGES.some((prefix) => route.path === prefix || route.path.startsWith(`${prefix}/`));
      if (own) assert.ok(res.status >= 400 && res.status < 500 && res.status !== 403, `viewer ${route.method} ${route.path}: ${res.status}`);
      else assert.equal(res.status, 403, `viewer ${route.method} ${route.path}`);
    }
    assert.equal(await auditCount(), before, 'nothing written');
  });

  it('refuses every form post without the CSRF token, even from an admin', async () => {
    const posts = areas.flatMap((area) => (area.pages ? pageRoutes(area.pages) : [])).filter((r) => r.method !== 'GET');
    const before = await auditCount();
    for (const route of posts) {
      const res = await browsers.get('admin')!.raw(route.method, `${ADMIN}${concrete(route.path)}`, { title: 'x', name: 'x', confirm: 'yes' });
      assert.equal(res.status, 403, `admin without CSRF ${route.method} ${route.path}`);
    }
    assert.equal(await auditCount(), before, 'nothing written');
  });
});

describe('roles on every API endpoint', () => {
  it('answers 401 without a token, and 403 to a role below the endpoint\'s, writing nothing', async () => {
    const endpoints = areas.flatMap((area) => area.endpoints ?? []);
    assert.ok(endpoints.length > 15, `found ${endpoints.length} endpoints`);
    const before = await auditCount();
    for (const endpoint of endpoints) {
      const path = `${ADMIN}/api/v1${concrete(endpoint.path)}`;
      const method = endpoint.method.toUpperCase();
      // A field no endpoint knows: a permitted call is refused as bad input (or 404s on the id), never writes.
      const body = method === 'GET' ? undefined : { field_for_the_role_test: 1 };
      const anonymous = await api(gw.url, undefined, method, path, body);
      assert.equal(anonymous.status, 401, `anonymous ${method} ${endpoint.path}`);
      assert.equal(anonymous.body.error.code, 'GW_ERR_UNAUTHENTICATED');
      for (const role of ROLES) {
        const res = await api(gw.url, tokens.get(role), method, path, body);
        if (hasRole(role, endpoint.role)) assert.notEqual(res.status, 403, `${role} ${method} ${endpoint.path}`);
        else {
          assert.equal(res.status, 403, `${role} ${method} ${endpoint.path}`);
          assert.equal(res.body.error.code, 'GW_ERR_FORBIDDEN');
        }
      }
    }
    // Permitted calls went to ids that do not exist or had a field nobody knows: none of them wrote.
    assert.equal(await auditCount(), before, 'nothing written');
  });

  it('answers 401 to a revoked token and to an expired one', async () => {
    const revoked = await makeToken(gw.pool, 'admin', 'soon-revoked');
    await db.query("UPDATE api_tokens SET revoked_at = now() WHERE name = 'soon-revoked'");
    const expired = await makeToken(gw.pool, 'admin', 'expired', 1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    for (const token of [revoked, expired, 'imt_not-a-real-token', 'Bearer']) {
      const res = await api(gw.url, token, 'GET', `${ADMIN}/api/v1/windows`);
      assert.equal(res.status, 401);
      assert.match(res.headers['www-authenticate'] ?? '', /Bearer/);
      assert.match(res.body.error.message, /unknown, revoked or expired/, 'a refused token is told apart from a missing one');
    }
  });
});
