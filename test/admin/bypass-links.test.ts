// Bypass links through the pages and the API: created (the secret URL shown once), listed, revoked
// after a confirmation, each audited; and enforced by the real gateway: a scoped link opens only
// its paths, and a revoked one stops working within a second.

import { primarySite } from '../../src/sites/site-routes.js';
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { api, csrfOf, makeToken, signedIn, type Browser } from '../helpers/admin.js';
import type { TestDatabase } from '../helpers/database.js';
import { startGateway, waitFor, type TestGateway } from '../helpers/gateway.js';
import { useGateway } from '../helpers/harness.js';
import { request, type Response } from '../helpers/http.js';
import type { Upstream } from '../helpers/upstream.js';
import { ADMIN, API, AUDIT_BY_PEOPLE, auditRows, ESCAPED, hiddenFields, SCRIPT } from './fixtures.js';
import { clearWindows, customerGets } from './windows-fixtures.js';

/** A second gateway on the same database: what is revoked on one must stop on every replica. */
let replica: TestGateway;
// Registered before the harness's hooks, so the replica is closed before the database is dropped.
after(() => replica?.close());
const harness = useGateway();
let db: TestDatabase;
let upstream: Upstream;
let gw: TestGateway;
let operator: Browser;
let viewer: Browser;
let operatorToken: string;
let viewerToken: string;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Rows in bypass_links and the audit log: unchanged means nothing was written. */
async function writes(): Promise<string> {
  const { rows } = await db.query<{ n: string }>(
    `SELECT concat_ws(',', (SELECT count(*) FROM bypass_links), (SELECT count(*) FROM bypass_links WHERE revoked_at IS NOT NULL), ${AUDIT_BY_PEOPLE}) AS n`,
  );
  return rows[0]!.n;
}

/** The secret URL on the page shown after creating a link. */
function secretUrl(html: string): string {
  const match = /<p class="secret" id="secret-url">([^<]+)<\/p>/.exec(html);
  assert.ok(match, 'the page shows the secret URL');
  return match[1]!.replace(/&amp;/g, '&');
}

/** Opens a bypass link as a browser would; returns the redirect and the cookie it set. */
async function open(url: string): Promise<{ res: Response; cookie: string | undefined }> {
  const res = await request(url);
  const cookie = res.headers['set-cookie']?.find((line) => line.startsWith('intermission_bypass='))?.split(';', 1)[0];
  return { res, cookie };
}

function withCookie(path: string, cookie: string, gateway = gw): Promise<Response> {
  return request(`${gateway.url}${path}`, { headers: { accept: 'text/html', cookie } });
}

async function startMaintenance(): Promise<void> {
  assert.equal((await api(gw.url, operatorToken, 'POST', `${API}/windows/start`, { title: 'Deploy', duration: '1h' })).status, 201);
  await customerGets(gw, 503, '/checkout');
}

before(async () => {
  ({ db, upstream, gw } = await harness);
  replica = await startGateway(db.url, upstream.url);
  operator = await signedIn(gw.pool, gw.url, ADMIN, 'operator', 'operator@example.com');
  viewer = await signedIn(gw.pool, gw.url, ADMIN, 'viewer', 'viewer@example.com');
  operatorToken = await makeToken(gw.pool, 'operator', 'pipeline');
  viewerToken = await makeToken(gw.pool, 'viewer', 'reader');
});

beforeEach(async () => {
  await clearWindows(db, gw);
  await waitFor(() => primarySite(gw.store.current())!.windows.length === 0, 1000, 'windows cleared');
});

describe('bypass links through the gateway', () => {
  it('lets the holder of a scoped link through on /checkout but not on /account during a window', async () => {
    await startMaintenance();
    const created = await operator.submit(`${ADMIN}/bypass-links`, { note: 'Payments team', duration: '2h', paths: '/checkout\n/api/pay' }, `${ADMIN}/bypass-links/new`);
    assert.equal(created.status, 201);
    const url = secretUrl(created.body);
    assert.ok(url.startsWith(`${gw.url}/_gateway/bypass?token=v1.`), url);

    const { res, cookie } = await open(url);
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, '/checkout', 'a scoped link lands on a path it opens');
    assert.ok(cookie);
    assert.equal((await withCookie('/checkout', cookie)).status, 200);
    assert.equal((await withCookie('/checkout/pay?step=2', cookie)).status, 200);
    assert.equal((await withCookie('/api/pay', cookie)).status, 200);
    assert.equal((await withCookie('/account', cookie)).status, 503);
    assert.equal((await withCookie('/checkouts', cookie)).status, 503, 'a prefix is a path segment, not a string prefix');
    assert.equal((await request(`${gw.url}/checkout`, { headers: { accept: 'text/html' } })).status, 503, 'no cookie, no bypass');
    const forwarded = upstream.seen.filter((seen) => seen.url.startsWith('/checkout') || seen.url === '/api/pay');
    assert.ok(forwarded.length >= 3, 'the application saw the bypassed requests');
  });

  it('lets the holder of an unscoped link through everywhere, until revoked: then it stops within a second on every gateway', async () => {
    await startMaintenance();
    await waitFor(async () => (await request(`${replica.url}/account`)).status === 503, 1000, 'the replica holds traffic too');
    const created = await operator.submit(`${ADMIN}/bypass-links`, { note: 'Release check', duration: '1h', paths: '' }, `${ADMIN}/bypass-links/new`);
    const { res, cookie } = await open(secretUrl(created.body));
    assert.equal(res.headers.location, '/');
    assert.equal((await withCookie('/account', cookie!)).status, 200);
    assert.equal((await withCookie('/checkout', cookie!)).status, 200);
    await waitFor(async () => (await withCookie('/account', cookie!, replica)).status === 200, 1000, 'the replica lets the holder through');

    const { rows } = await db.query<{ id: string }>("SELECT id::text FROM bypass_links WHERE note = 'Release check'");
    const id = rows[0]!.id;
    const before = await writes();
    const confirm = await operator.submit(`${ADMIN}/bypass-links/${id}/revoke`, {}, `${ADMIN}/bypass-links`);
    assert.equal(confirm.status, 200);
    assert.match(confirm.body, /Revoke bypass link [0-9a-f]{8}\?/);
    assert.match(confirm.body, /Release check/);
    assert.equal(await writes(), before, 'asking for confirmation writes nothing');
    assert.equal((await withCookie('/account', cookie!)).status, 200);

    const revoked = await operator.post(`${ADMIN}/bypass-links/${id}/revoke`, hiddenFields(confirm.body));
    const revokedAt = Date.now();
    assert.equal(revoked.url, `${ADMIN}/bypass-links`);
    assert.match(revoked.body, /Revoked bypass link [0-9a-f]{8} \(“Release check”\): it stops working within a second/);
    assert.equal((await withCookie('/account', cookie!)).status, 503, 'the gateway that revoked it stops it at once');
    await waitFor(async () => (await withCookie('/account', cookie!, replica)).status === 503, 1000, 'the revoked link stops working on the replica');
    assert.ok(Date.now() - revokedAt < 1000, `stopped after ${Date.now() - revokedAt} ms`);
    assert.equal((await open(secretUrl(created.body))).res.status, 403, 'the link itself no longer opens');

    const [entry] = (await auditRows(db, 'bypass_link.revoke')).filter((row) => row.object_id === id);
    assert.equal(entry!.actor, 'user:operator@example.com');
    assert.equal(entry!.before!.revoked_at, null);
    assert.ok(entry!.after!.revoked_at);
  });

  it('stops a link when it expires, and lists it as expired', async () => {
    const created = await api(gw.url, operatorToken, 'POST', `${API}/bypass-links`, { note: 'Short-lived', duration: '1s' });
    assert.equal(created.status, 201);
    await startMaintenance();
    await new Promise((resolve) => setTimeout(resolve, 1100));
    assert.equal((await open(created.body.url)).res.status, 403);
    const list = await viewer.get(`${ADMIN}/bypass-links`);
    assert.match(list.body, /Short-lived<br><span class="muted">[0-9a-f]{8}<\/span>[\s\S]*?<span class="badge ">Expired<\/span>/);
  });

  it('lets an operator through in one click ("let me through") while customers stay held, audited under their name', async () => {
    await startMaintenance();
    const page = await operator.get(ADMIN);
    assert.match(page.body, /Open the application past maintenance/);
    const res = await operator.raw('POST', `${ADMIN}/bypass-links/me`, { _csrf: csrfOf(page.body) });
    assert.equal(res.status, 303);
    const location = res.headers.location!;
    assert.match(location, /^\/_gateway\/bypass\?token=[^&]+&next=%2F$/, 'straight to the gateway, on the host the SRE is using');
    const { res: opened, cookie } = await open(`${gw.url}${location}`);
    assert.equal(opened.status, 303);
    assert.equal(opened.headers.location, '/');
    assert.equal((await withCookie('/checkout', cookie!)).status, 200);
    assert.equal((await customerGets(gw, 503, '/checkout')).status, 503, 'customers are still held');
    const audit = (await auditRows(db, 'bypass_link.create')).filter((row) => row.actor === 'user:operator@example.com').at(-1);
    assert.match(String(audit!.after!.note), /operator@example.com, from the admin area/);
    assert.equal((await viewer.raw('POST', `${ADMIN}/bypass-links/me`, { _csrf: csrfOf((await viewer.get(ADMIN)).body) })).status, 403);
  });
});

describe('the bypass links pages', () => {
  it('creates a link, shows its secret URL once, lists it without the secret, and audits it', async () => {
    const created = await operator.submit(`${ADMIN}/bypass-links`, { note: 'QA checks the release', duration: '4h', paths: '/beta, /api/beta' }, `${ADMIN}/bypass-links/new`);
    const url = secretUrl(created.body);
    const token = new URL(url).searchParams.get('token')!;
    const { rows } = await db.query<{ id: string; note: string; path_prefixes: string[]; hours: number; created_by: string }>(
      "SELECT id::text, note, path_prefixes, round(extract(epoch FROM expires_at - created_at) / 3600) AS hours, created_by FROM bypass_links WHERE note = 'QA checks the release'",
    );
    assert.deepEqual(rows[0]!.path_prefixes, ['/beta', '/api/beta']);
    assert.equal(Number(rows[0]!.hours), 4);
    assert.equal(rows[0]!.created_by, 'user:operator@example.com');

    const list = await viewer.get(`${ADMIN}/bypass-links`);
    assert.match(list.body, /QA checks the release[\s\S]*?\/beta, \/api\/beta[\s\S]*?user:operator@example.com[\s\S]*?Active/);
    assert.ok(!list.body.includes(token), 'the secret is never shown again');
    const [entry] = (await auditRows(db, 'bypass_link.create')).filter((row) => row.object_id === rows[0]!.id);
    assert.equal(entry!.actor, 'user:operator@example.com');
    assert.equal(entry!.kind, 'bypass_links');
    assert.deepEqual(entry!.after!.path_prefixes, ['/beta', '/api/beta']);
  });

  it('points the URL at PUBLIC_URL when it is set', async () => {
    const published = await startGateway(db.url, upstream.url, { PUBLIC_URL: 'https://shop.example.com/app' });
    try {
      const browser = await signedIn(published.pool, published.url, ADMIN, 'operator');
      const created = await browser.submit(`${ADMIN}/bypass-links`, { note: 'Published', duration: '1h' }, `${ADMIN}/bypass-links/new`);
      assert.match(secretUrl(created.body), /^https:\/\/shop\.example\.com\/app\/_gateway\/bypass\?token=v1\./);
    } finally {
      await published.close();
    }
  });

  it('refuses bad input with 400 naming the field, keeps what was typed, escaped, and writes nothing', async () => {
    const cases: [Record<string, string>, string, RegExp][] = [
      [{ duration: '31d' }, 'duration', /duration &#34;31d&#34; is too long: at most 30d/],
      [{ duration: '0m' }, 'duration', /duration &#34;0m&#34; is zero/],
      [{ duration: 'soon' }, 'duration', /duration &#34;soon&#34; is not a duration/],
      [{ paths: 'checkout' }, 'paths', /paths has &#34;checkout&#34;: each path must start with \//],
      [{ paths: '/a?b=1' }, 'paths', /paths has/],
      [{ note: 'n'.repeat(201) }, 'note', /note is 201 characters long: at most 200/],
    ];
    const before = await writes();
    for (const [fields, field, message] of cases) {
      const res = await operator.submit(`${ADMIN}/bypass-links`, { note: SCRIPT, duration: '1h', ...fields }, `${ADMIN}/bypass-links/new`);
      assert.equal(res.status, 400, JSON.stringify(fields));
      assert.match(res.body, message);
      assert.match(res.body, new RegExp(`id="${field}"[^>]*aria-invalid="true"`), `${field} is marked invalid`);
      assert.ok(!res.body.includes(SCRIPT), 'what was typed comes back escaped');
    }
    assert.equal(await writes(), before);
  });

  it('renders a script in the note escaped, on the created page and in the list', async () => {
    const created = await operator.submit(`${ADMIN}/bypass-links`, { note: SCRIPT, duration: '1h' }, `${ADMIN}/bypass-links/new`);
    assert.ok(!created.body.includes(SCRIPT));
    assert.ok(created.body.includes(ESCAPED));
    const list = await operator.get(`${ADMIN}/bypass-links`);
    assert.ok(!list.body.includes(SCRIPT));
    assert.ok(list.body.includes(ESCAPED));
  });

  it('lets a viewer read the list but not create or revoke: 403, nothing written', async () => {
    const link = await api(gw.url, operatorToken, 'POST', `${API}/bypass-links`, { note: 'Viewer target' });
    const list = await viewer.get(`${ADMIN}/bypass-links`);
    assert.equal(list.status, 200);
    assert.match(list.body, /Viewer target/);
    assert.doesNotMatch(list.body, /New bypass link<\/a>|Revoke…/);
    assert.match((await viewer.get(`${ADMIN}/bypass-links/new`)).body, /Your role can read bypass links but not create them/);
    const before = await writes();
    const csrf = csrfOf(list.body);
    assert.equal((await viewer.post(`${ADMIN}/bypass-links`, { _csrf: csrf, note: 'x', duration: '1h' })).status, 403);
    assert.equal((await viewer.post(`${ADMIN}/bypass-links/${link.body.id}/revoke`, { _csrf: csrf, confirm: 'yes' })).status, 403);
    assert.equal(await writes(), before);
  });

  it('refuses posts without the CSRF token or with a wrong one', async () => {
    const link = await api(gw.url, operatorToken, 'POST', `${API}/bypass-links`, { note: 'CSRF target' });
    const before = await writes();
    assert.equal((await operator.post(`${ADMIN}/bypass-links`, { note: 'x', duration: '1h' })).status, 403);
    assert.equal((await operator.post(`${ADMIN}/bypass-links`, { _csrf: 'forged', note: 'x', duration: '1h' })).status, 403);
    assert.equal((await operator.post(`${ADMIN}/bypass-links/${link.body.id}/revoke`, { confirm: 'yes' })).status, 403);
    assert.equal(await writes(), before);
  });

  it('answers 404 for a link that does not exist, and 409 for revoking one twice', async () => {
    const csrf = csrfOf((await operator.get(`${ADMIN}/bypass-links`)).body);
    const before = await writes();
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid', '1']) {
      assert.equal((await operator.post(`${ADMIN}/bypass-links/${id}/revoke`, { _csrf: csrf, confirm: 'yes' })).status, 404, id);
    }
    assert.equal(await writes(), before);
    const link = await api(gw.url, operatorToken, 'POST', `${API}/bypass-links`, { note: 'Twice' });
    assert.equal((await operator.post(`${ADMIN}/bypass-links/${link.body.id}/revoke`, { _csrf: csrf, confirm: 'yes' })).status, 200);
    const again = await operator.post(`${ADMIN}/bypass-links/${link.body.id}/revoke`, { _csrf: csrf });
    assert.equal(again.status, 409);
    assert.match(again.body, /already revoked/);
  });
});

describe('the bypass links API', () => {
  it('creates, lists, reads and revokes, audited as the token', async () => {
    const created = await api(gw.url, operatorToken, 'POST', `${API}/bypass-links`, { note: 'From CI', duration: '7d', paths: ['/checkout'] });
    assert.equal(created.status, 201);
    assert.match(created.body.id, UUID);
    assert.deepEqual(created.body.paths, ['/checkout']);
    assert.equal(created.body.state, 'active');
    assert.equal(created.body.created_by, 'token:pipeline');
    assert.match(created.body.url, /\/_gateway\/bypass\?token=v1\./);
    const days = (Date.parse(created.body.expires_at) - Date.parse(created.body.created_at)) / 86_400_000;
    assert.equal(Math.round(days), 7);

    const list = await api(gw.url, viewerToken, 'GET', `${API}/bypass-links`);
    assert.equal(list.status, 200);
    const listed = list.body.links.find((link: { id: string }) => link.id === created.body.id);
    assert.equal(listed.note, 'From CI');
    assert.equal(listed.url, undefined, 'the secret is only in the answer to the creation');
    assert.equal((await api(gw.url, viewerToken, 'GET', `${API}/bypass-links/${created.body.id}`)).body.state, 'active');

    const revoked = await api(gw.url, operatorToken, 'DELETE', `${API}/bypass-links/${created.body.id}`);
    assert.equal(revoked.status, 200);
    assert.equal(revoked.body.state, 'revoked');
    const again = await api(gw.url, operatorToken, 'DELETE', `${API}/bypass-links/${created.body.id}`);
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, 'GW_ERR_CONFLICT');
    const actions = (await auditRows(db, 'bypass_link.create')).concat(await auditRows(db, 'bypass_link.revoke')).filter((row) => row.object_id === created.body.id);
    assert.deepEqual(actions.map((row) => [row.action, row.actor]), [['bypass_link.create', 'token:pipeline'], ['bypass_link.revoke', 'token:pipeline']]);
  });

  it('defaults to one hour on every path with no note', async () => {
    const created = await api(gw.url, operatorToken, 'POST', `${API}/bypass-links`, {});
    assert.equal(created.status, 201);
    assert.deepEqual(created.body.paths, []);
    assert.equal(created.body.note, '');
    assert.equal(Math.round((Date.parse(created.body.expires_at) - Date.parse(created.body.created_at)) / 60_000), 60);
  });

  it('refuses bad input with 400 naming the field, and writes nothing', async () => {
    const before = await writes();
    const cases: [unknown, string | undefined][] = [
      [{ duration: 5 }, 'duration'],
      [{ duration: '45d' }, 'duration'],
      [{ paths: 5 }, 'paths'],
      [{ paths: ['relative/path'] }, 'paths'],
      [{ note: { text: 'x' } }, 'note'],
      [{ note: 'line\nbreak' }, 'note'],
      [{ expires: '1h' }, undefined],
      [[], undefined],
    ];
    for (const [body, field] of cases) {
      const res = await api(gw.url, operatorToken, 'POST', `${API}/bypass-links`, body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.body.error.code, 'GW_ERR_VALIDATION');
      if (field) assert.equal(res.body.error.field, field, JSON.stringify(body));
    }
    assert.equal((await api(gw.url, operatorToken, 'POST', `${API}/bypass-links`, '{"note": "x"')).status, 400);
    assert.equal((await api(gw.url, operatorToken, 'POST', `${API}/bypass-links`, { note: 'x'.repeat(70_000) })).status, 413);
    assert.equal(await writes(), before);
  });

  it('answers 404 for unknown ids, 403 to a viewer writing, 401 without a token: nothing written', async () => {
    const link = await api(gw.url, operatorToken, 'POST', `${API}/bypass-links`, { note: 'Target' });
    const before = await writes();
    for (const id of ['00000000-0000-4000-8000-000000000000', 'abc']) {
      assert.equal((await api(gw.url, viewerToken, 'GET', `${API}/bypass-links/${id}`)).status, 404);
      assert.equal((await api(gw.url, operatorToken, 'DELETE', `${API}/bypass-links/${id}`)).status, 404);
    }
    assert.equal((await api(gw.url, viewerToken, 'POST', `${API}/bypass-links`, { note: 'x' })).status, 403);
    assert.equal((await api(gw.url, viewerToken, 'DELETE', `${API}/bypass-links/${link.body.id}`)).status, 403);
    assert.equal((await api(gw.url, undefined, 'POST', `${API}/bypass-links`, { note: 'x' })).status, 401);
    assert.equal((await api(gw.url, undefined, 'GET', `${API}/bypass-links`)).status, 401);
    assert.equal(await writes(), before);
  });
});
