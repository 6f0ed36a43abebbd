import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { ensureFirstAdmin } from '../../src/accounts/first-admin.js';
import { createLogger } from '../../src/log.js';
import { Browser, csrfOf, makeUser, PASSWORD } from '../helpers/admin.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { useGateway } from '../helpers/harness.js';
import { request } from '../helpers/http.js';
import type { Upstream } from '../helpers/upstream.js';
import { ADMIN } from './fixtures.js';

const harness = useGateway({ SESSION_IDLE_TIMEOUT_MS: '120000' });
let db: TestDatabase;
let upstream: Upstream;
let gw: TestGateway;

before(async () => ({ db, upstream, gw } = await harness));

describe('signing in', () => {
  it('sends an anonymous visitor to the sign-in form and back to the page they asked for', async () => {
    await makeUser(gw.pool, 'back@example.com', 'viewer');
    const browser = new Browser(gw.url);
    const first = await browser.get(`${ADMIN}/windows`);
    assert.equal(first.url, `${ADMIN}/login?next=${encodeURIComponent(`${ADMIN}/windows`)}`);
    assert.equal(first.headers['cache-control'], 'no-store');
    const res = await browser.post(`${ADMIN}/login`, { _csrf: csrfOf(first.body), email: 'BACK@example.com ', password: PASSWORD, next: `${ADMIN}/windows` });
    assert.equal(res.url, `${ADMIN}/windows`);
  });

  it('sets an HttpOnly, SameSite=Lax session cookie scoped to the admin path, Secure behind TLS', async () => {
    await makeUser(gw.pool, 'cookie@example.com', 'viewer');
    const browser = new Browser(gw.url);
    const form = await browser.get(`${ADMIN}/login`);
    const plain = await browser.raw('POST', `${ADMIN}/login`, { _csrf: csrfOf(form.body), email: 'cookie@example.com', password: PASSWORD });
    const cookie = plain.headers['set-cookie']!.find((c) => c.startsWith('intermission_session='))!;
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Lax/);
    assert.match(cookie, /Path=\/admin/);
    assert.doesNotMatch(cookie, /Secure/);
    const stored = await db.query<{ id_hash: string }>('SELECT id_hash FROM sessions');
    const value = cookie.split(';')[0]!.split('=')[1]!;
    assert.ok(stored.rows.every((row) => row.id_hash !== value), 'the cookie value itself is never stored');
  });

  it('marks the session cookie Secure when a trusted proxy says the client used TLS, and only then', async () => {
    const behindProxy = await startGateway(db.url, upstream.url, { TRUSTED_PROXIES: 'loopback' });
    try {
      await makeUser(gw.pool, 'tls@example.com', 'viewer');
      async function cookieWith(headers: Record<string, string>): Promise<string> {
        const browser = new Browser(behindProxy.url);
        const form = await browser.raw('GET', `${ADMIN}/login`, undefined, headers);
        const res = await browser.raw('POST', `${ADMIN}/login`, { _csrf: csrfOf(form.body), email: 'tls@example.com', password: PASSWORD }, headers);
        return res.headers['set-cookie']!.find((c) => c.startsWith('intermission_session='))!;
      }
      assert.match(await cookieWith({ 'x-forwarded-proto': 'https' }), /; Secure/);
      assert.doesNotMatch(await cookieWith({}), /Secure/);
      // The same header from a client the gateway does not trust changes nothing.
      const untrusted = new Browser(gw.url);
      const form = await untrusted.raw('GET', `${ADMIN}/login`, undefined, { 'x-forwarded-proto': 'https' });
      const res = await untrusted.raw('POST', `${ADMIN}/login`, { _csrf: csrfOf(form.body), email: 'tls@example.com', password: PASSWORD }, { 'x-forwarded-proto': 'https' });
      assert.doesNotMatch(res.headers['set-cookie']!.find((c) => c.startsWith('intermission_session='))!, /Secure/);
    } finally {
      await behindProxy.close();
    }
  });

  it('rotates the session id at sign-in, so a planted cookie is worthless', async () => {
    await makeUser(gw.pool, 'rotate@example.com', 'viewer');
    const browser = new Browser(gw.url);
    browser.cookies.set('intermission_session', 'planted-by-someone-else');
    const form = await browser.get(`${ADMIN}/login`);
    const fields = { _csrf: csrfOf(form.body), email: 'rotate@example.com', password: PASSWORD };
    await browser.post(`${ADMIN}/login`, fields);
    const before = browser.cookies.get('intermission_session');
    assert.notEqual(before, 'planted-by-someone-else');
    await browser.post(`${ADMIN}/login`, fields);
    const afterId = browser.cookies.get('intermission_session');
    assert.notEqual(before, afterId);
    const stale = new Browser(gw.url);
    stale.cookies.set('intermission_session', before!);
    assert.match((await stale.get(ADMIN)).url, /\/admin\/login/);
  });

  it('refuses a wrong password with one message that does not tell which part was wrong', async () => {
    await makeUser(gw.pool, 'wrong@example.com', 'viewer');
    const browser = new Browser(gw.url);
    const wrongPassword = await browser.submit(`${ADMIN}/login`, { email: 'wrong@example.com', password: 'not it at all' });
    const noSuchUser = await browser.submit(`${ADMIN}/login`, { email: 'nobody@example.com', password: 'not it at all' });
    assert.equal(wrongPassword.status, 401);
    assert.equal(noSuchUser.status, 401);
    assert.match(wrongPassword.body, /Wrong email or password/);
    assert.match(noSuchUser.body, /Wrong email or password/);
    assert.equal(browser.cookies.has('intermission_session'), false);
  });

  it('limits failed sign-ins per account, even with the right password afterwards', async () => {
    await makeUser(gw.pool, 'locked@example.com', 'admin');
    const browser = new Browser(gw.url);
    for (let i = 0; i < 5; i += 1) {
      assert.equal((await browser.submit(`${ADMIN}/login`, { email: 'locked@example.com', password: `guess number ${i}` })).status, 401);
    }
    const blocked = await browser.submit(`${ADMIN}/login`, { email: 'locked@example.com', password: PASSWORD });
    assert.equal(blocked.status, 429);
    assert.match(blocked.body, /Too many failed sign-ins for this account: try again in \d+ minutes?/);
    assert.ok(Number(blocked.headers['retry-after']) > 0);
    // Another account from the same address is still fine: the per-address limit is higher.
    await makeUser(gw.pool, 'neighbour@example.com', 'viewer');
    assert.equal((await browser.signIn(ADMIN, 'neighbour@example.com')).url, ADMIN);
  });

  it('limits failed sign-ins per address across accounts', async () => {
    await db.query('DELETE FROM login_failures');
    await makeUser(gw.pool, 'spray@example.com', 'viewer');
    const browser = new Browser(gw.url);
    for (let i = 0; i < 20; i += 1) {
      await browser.submit(`${ADMIN}/login`, { email: `guess${i}@example.com`, password: 'wrong password here' });
    }
    const blocked = await browser.submit(`${ADMIN}/login`, { email: 'spray@example.com', password: PASSWORD });
    assert.equal(blocked.status, 429);
    assert.match(blocked.body, /for your address/);
    await db.query('DELETE FROM login_failures');
  });

  it('refuses a sign-in form posted without its CSRF token', async () => {
    await makeUser(gw.pool, 'csrf@example.com', 'viewer');
    const browser = new Browser(gw.url);
    await browser.get(`${ADMIN}/login`);
    const res = await browser.post(`${ADMIN}/login`, { email: 'csrf@example.com', password: PASSWORD });
    assert.equal(res.status, 403);
    assert.equal(browser.cookies.has('intermission_session'), false);
  });

  it('never redirects off the admin area after sign-in', async () => {
    await makeUser(gw.pool, 'redirect@example.com', 'viewer');
    for (const next of ['https://evil.example/', '//evil.example/', '/\\evil.example', '/status', 'javascript:alert(1)']) {
      const browser = new Browser(gw.url);
      const form = await browser.get(`${ADMIN}/login`);
      const res = await browser.raw('POST', `${ADMIN}/login`, { _csrf: csrfOf(form.body), email: 'redirect@example.com', password: PASSWORD, next });
      assert.equal(res.status, 303);
      assert.equal(res.headers.location, ADMIN, `next=${next}`);
    }
  });

  it('signs out with the session token, and the old cookie stops working', async () => {
    await makeUser(gw.pool, 'out@example.com', 'viewer');
    const browser = new Browser(gw.url);
    await browser.signIn(ADMIN, 'out@example.com');
    const cookie = browser.cookies.get('intermission_session')!;
    const forged = await browser.post(`${ADMIN}/logout`, { _csrf: 'not-the-token' });
    assert.equal(forged.status, 403);
    const res = await browser.submit(`${ADMIN}/logout`, {}, ADMIN);
    assert.equal(res.url, `${ADMIN}/login`);
    assert.match(res.body, /You are signed out/);
    const replay = new Browser(gw.url);
    replay.cookies.set('intermission_session', cookie);
    assert.match((await replay.get(ADMIN)).url, /\/login/);
  });

  it('ends a session after its idle timeout', async () => {
    await makeUser(gw.pool, 'idle@example.com', 'viewer');
    const browser = new Browser(gw.url);
    await browser.signIn(ADMIN, 'idle@example.com');
    assert.equal((await browser.get(ADMIN)).url, ADMIN);
    await db.query("UPDATE sessions SET expires_at = now() - interval '1 second' FROM users WHERE users.id = sessions.user_id AND users.email = 'idle@example.com'");
    assert.match((await browser.get(ADMIN)).url, /\/login/);
  });

  it('ends the sessions of a disabled user at once', async () => {
    await makeUser(gw.pool, 'disabled@example.com', 'operator');
    const browser = new Browser(gw.url);
    await browser.signIn(ADMIN, 'disabled@example.com');
    await db.query("UPDATE users SET disabled_at = now() WHERE email = 'disabled@example.com'");
    assert.match((await browser.get(ADMIN)).url, /\/login/);
  });

  it('does not cache admin pages', async () => {
    const res = await request(`${gw.url}${ADMIN}/login`);
    assert.equal(res.headers['cache-control'], 'no-store');
  });
});

describe('the first admin', () => {
  it('logs a one-time setup link when no user exists, and it works once', async () => {
    const fresh = await createTestDatabase();
    const gateway = await startGateway(fresh.url, upstream.url);
    try {
      const lines: string[] = [];
      const log = createLogger('info', { write: (line: string) => lines.push(line) });
      const outcome = await ensureFirstAdmin(gateway.pool, { email: undefined, password: undefined, adminUrl: `${gateway.url}${ADMIN}` }, log);
      assert.equal(outcome.kind, 'setup_link');
      const url = new URL((outcome as { url: string }).url);
      assert.match(lines.join(''), /setup link/);
      const browser = new Browser(gateway.url);
      const path = `${url.pathname}${url.search}`;
      const form = await browser.get(path);
      assert.match(form.body, /Create the first admin/);
      const short = await browser.post(`${ADMIN}/setup`, { _csrf: csrfOf(form.body), token: url.searchParams.get('token')!, email: 'first@example.com', password: 'short', password_again: 'short' });
      assert.equal(short.status, 400);
      assert.match(short.body, /at least 12 characters/);
      assert.equal((await fresh.query('SELECT count(*)::int AS n FROM users')).rows[0]!.n, 0);
      const done = await browser.post(`${ADMIN}/setup`, { _csrf: csrfOf(form.body), token: url.searchParams.get('token')!, email: 'first@example.com', password: PASSWORD, password_again: PASSWORD });
      assert.equal(done.url, ADMIN);
      assert.match(done.body, /Welcome, first@example.com/);
      const again = await new Browser(gateway.url).get(path);
      assert.equal(again.status, 404);
      assert.equal((await ensureFirstAdmin(gateway.pool, { email: undefined, password: undefined, adminUrl: '' }, log)).kind, 'exists');
      const audit = await fresh.query("SELECT actor, action FROM audit_log WHERE kind = 'users'");
      assert.deepEqual(audit.rows, [{ actor: 'user:first@example.com', action: 'user.set_password' }]);
    } finally {
      await gateway.close();
      await fresh.drop();
    }
  });

  it('creates the first admin from ADMIN_EMAIL and ADMIN_PASSWORD', async () => {
    const fresh = await createTestDatabase();
    const gateway = await startGateway(fresh.url, upstream.url);
    try {
      const outcome = await ensureFirstAdmin(gateway.pool, { email: 'boss@example.com', password: PASSWORD, adminUrl: '' }, createLogger('silent'));
      assert.deepEqual(outcome, { kind: 'created', email: 'boss@example.com' });
      const browser = new Browser(gateway.url);
      assert.equal((await browser.signIn(ADMIN, 'boss@example.com')).url, ADMIN);
    } finally {
      await gateway.close();
      await fresh.drop();
    }
  });
});
