// API tokens, through the pages and the API: shown once, stored hashed, working on the API with
// their role until revoked or expired, last use recorded, and bad input refused unwritten.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { api, csrfOf, makeToken, signedIn, type Browser, type PageResponse } from '../helpers/admin.js';
import type { TestDatabase } from '../helpers/database.js';
import type { TestGateway } from '../helpers/gateway.js';
import { useGateway } from '../helpers/harness.js';
import { ADMIN, API, AUDIT_BY_PEOPLE, auditRows, hiddenFields, SCRIPT } from './fixtures.js';

const harness = useGateway();
let db: TestDatabase;
let gw: TestGateway;
let admin: Browser;
let adminToken: string;
const DAY = 24 * 3600_000;

before(async () => {
  ({ db, gw } = await harness);
  admin = await signedIn(gw.pool, gw.url, ADMIN, 'admin', 'keys@example.com');
  adminToken = await makeToken(gw.pool, 'admin', 'token-admin');
});

interface TokenRow {
  id: string;
  token_hash: string;
  prefix: string;
  role: string;
  expires_at: Date | null;
  revoked_at: Date | null;
  last_used_at: Date | null;
  created_by: string;
}

async function tokenRow(name: string): Promise<TokenRow | undefined> {
  const { rows } = await db.query<TokenRow>('SELECT id::text, token_hash, prefix, role, expires_at, revoked_at, last_used_at, created_by FROM api_tokens WHERE name = $1', [name]);
  return rows[0];
}

/** Tokens and audit rows: unchanged means nothing was written. */
async function writes(): Promise<string> {
  const { rows } = await db.query<{ n: string }>(
    `SELECT concat_ws(',', (SELECT count(*) FROM api_tokens), (SELECT count(*) FROM api_tokens WHERE revoked_at IS NOT NULL), ${AUDIT_BY_PEOPLE}) AS n`,
  );
  return rows[0]!.n;
}

function secretOf(page: PageResponse): string {
  const match = /id="secret"[^>]*>(imt_[\w-]+)</.exec(page.body);
  assert.ok(match, 'the page shows the secret');
  return match[1]!;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The table row of the token named name on the tokens page. */
function rowOf(html: string, name: string): string {
  const row = html.split('<tr>').find((part) => part.includes(`<strong>${name}</strong>`));
  assert.ok(row, `a row for ${name}`);
  return row.split('</tr>')[0]!;
}

describe('API tokens from the pages', () => {
  it('shows a new token once, keeps only its hash, and the token works on the API with its role', async () => {
    const created = await admin.submit(`${ADMIN}/tokens`, { name: 'deploy pipeline', role: 'operator', expires_in: '30d' }, `${ADMIN}/tokens/new`);
    assert.equal(created.status, 201);
    assert.match(created.body, /only time it is shown/);
    const secret = secretOf(created);
    const row = (await tokenRow('deploy pipeline'))!;
    assert.equal(row.token_hash, sha256(secret));
    assert.equal(row.prefix, secret.slice(0, 10));
    assert.equal(row.role, 'operator');
    assert.equal(row.created_by, 'user:keys@example.com');
    assert.ok(Math.abs(row.expires_at!.getTime() - (Date.now() + 30 * DAY)) < 60_000);
    assert.equal(row.last_used_at, null);
    const { rows } = await db.query('SELECT * FROM api_tokens');
    assert.equal(JSON.stringify(rows).includes(secret), false, 'the secret is stored nowhere');

    const list = await admin.get(`${ADMIN}/tokens`);
    assert.equal(list.body.includes(secret), false, 'never shown again');
    assert.match(rowOf(list.body, 'deploy pipeline'), /never used/);

    const windows = await api(gw.url, secret, 'GET', `${API}/windows`);
    assert.equal(windows.status, 200);
    assert.ok((await tokenRow('deploy pipeline'))!.last_used_at, 'the last use is recorded');
    assert.match(rowOf((await admin.get(`${ADMIN}/tokens`)).body, 'deploy pipeline'), /less than a minute ago/);
    assert.equal((await api(gw.url, secret, 'GET', `${API}/tokens`)).status, 403, 'an operator token cannot manage tokens');

    const [audit] = await auditRows(db, 'token.create');
    assert.equal(audit!.after!.name, 'token-admin');
    const mine = (await auditRows(db, 'token.create')).find((r) => r.after!.name === 'deploy pipeline')!;
    assert.equal(mine.actor, 'user:keys@example.com');
    assert.equal('token_hash' in mine.after!, false);
  });

  it('revokes a token after a confirmation; it gets 401 from then on', async () => {
    const secret = secretOf(await admin.submit(`${ADMIN}/tokens`, { name: 'old script', role: 'viewer', expires_in: 'none' }, `${ADMIN}/tokens/new`));
    const row = (await tokenRow('old script'))!;
    assert.equal(row.expires_at, null);
    assert.equal((await api(gw.url, secret, 'GET', `${API}/windows`)).status, 200);
    const confirm = await admin.submit(`${ADMIN}/tokens/${row.id}/revoke`, {}, `${ADMIN}/tokens`);
    assert.match(confirm.body, /Revoke “old script”\?/);
    assert.equal((await tokenRow('old script'))!.revoked_at, null, 'nothing changes before the confirmation');
    const done = await admin.post(`${ADMIN}/tokens/${row.id}/revoke`, hiddenFields(confirm.body));
    assert.equal(done.url, `${ADMIN}/tokens`);
    assert.match(done.body, /Revoked “old script”: it no longer works/);
    assert.match(done.body, /Revoked or expired[\s\S]*old script/);
    const refused = await api(gw.url, secret, 'GET', `${API}/windows`);
    assert.equal(refused.status, 401);
    assert.equal(refused.body.error.code, 'GW_ERR_UNAUTHENTICATED');
    const [audit] = await auditRows(db, 'token.revoke');
    assert.equal(audit!.object_id, row.id);
    assert.equal(audit!.before!.revoked_at, null);
    assert.ok(audit!.after!.revoked_at);
  });

  it('refuses an expired token with 401, and lists it as expired', async () => {
    const secret = secretOf(await admin.submit(`${ADMIN}/tokens`, { name: 'short-lived', role: 'operator', expires_in: '7d' }, `${ADMIN}/tokens/new`));
    assert.equal((await api(gw.url, secret, 'GET', `${API}/windows`)).status, 200);
    await db.query("UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE name = 'short-lived'");
    assert.equal((await api(gw.url, secret, 'GET', `${API}/windows`)).status, 401);
    const list = (await admin.get(`${ADMIN}/tokens`)).body;
    assert.match(list, /Revoked or expired[\s\S]*short-lived/);
    assert.match(rowOf(list, 'short-lived'), /Expired/);
  });

  it('refuses bad input naming the field, escapes names, and writes nothing', async () => {
    const before = await writes();
    const cases: [Record<string, string>, RegExp, string][] = [
      [{ name: '  ', role: 'viewer', expires_in: '30d' }, /name is empty/, 'name'],
      [{ name: 'x'.repeat(101), role: 'viewer', expires_in: '30d' }, /name is 101 characters long: at most 100/, 'name'],
      [{ name: 'ok', role: 'root', expires_in: '30d' }, /role: must be one of/, 'role'],
      [{ name: 'ok', role: 'viewer', expires_in: 'forever' }, /expires_in &#34;forever&#34; is not a duration/, 'expires_in'],
      [{ name: 'ok', role: 'viewer', expires_in: '400d' }, /expires_in &#34;400d&#34; is too long: at most 365d/, 'expires_in'],
      [{ name: SCRIPT, role: 'wizard', expires_in: '30d' }, /role: must be one of/, 'role'],
    ];
    for (const [fields, message, field] of cases) {
      const res = await admin.submit(`${ADMIN}/tokens`, fields, `${ADMIN}/tokens/new`);
      assert.equal(res.status, 400, JSON.stringify(fields).slice(0, 60));
      assert.match(res.body, message);
      assert.match(res.body, new RegExp(`name="${field}"[^>]*aria-invalid="true"|<fieldset aria-invalid="true"`));
      assert.doesNotMatch(res.body, /<script>alert/);
    }
    assert.equal(await writes(), before);

    const created = await admin.submit(`${ADMIN}/tokens`, { name: SCRIPT, role: 'viewer', expires_in: '30d' }, `${ADMIN}/tokens/new`);
    const { id } = (await tokenRow(SCRIPT))!;
    const pages = [created, await admin.get(`${ADMIN}/tokens`), await admin.submit(`${ADMIN}/tokens/${id}/revoke`, {}, `${ADMIN}/tokens`)];
    for (const page of pages) {
      assert.doesNotMatch(page.body, /<script>alert/);
      assert.match(page.body, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    }
  });

  it('is for admins only, answers 404 for unknown tokens, and refuses forms without the CSRF token', async () => {
    const operator = await signedIn(gw.pool, gw.url, ADMIN, 'operator');
    const viewer = await signedIn(gw.pool, gw.url, ADMIN, 'viewer');
    const { id } = (await tokenRow('token-admin'))!;
    const before = await writes();
    for (const browser of [operator, viewer]) {
      assert.equal((await browser.get(`${ADMIN}/tokens`)).status, 403);
      assert.equal((await browser.get(`${ADMIN}/tokens/new`)).status, 403);
      const csrf = csrfOf((await browser.get(ADMIN)).body);
      assert.equal((await browser.post(`${ADMIN}/tokens`, { _csrf: csrf, name: 'mine now', role: 'admin', expires_in: 'none' })).status, 403);
      assert.equal((await browser.post(`${ADMIN}/tokens/${id}/revoke`, { _csrf: csrf, confirm: 'yes' })).status, 403);
    }
    const csrf = csrfOf((await admin.get(`${ADMIN}/tokens`)).body);
    for (const path of ['/tokens/999999/revoke', '/tokens/abc/revoke']) {
      assert.equal((await admin.post(`${ADMIN}${path}`, { _csrf: csrf, confirm: 'yes' })).status, 404, path);
    }
    assert.equal((await admin.post(`${ADMIN}/tokens`, { name: 'no csrf', role: 'viewer', expires_in: '30d' })).status, 403);
    assert.equal((await admin.post(`${ADMIN}/tokens/${id}/revoke`, { _csrf: 'forged', confirm: 'yes' })).status, 403);
    assert.equal(await writes(), before);
  });
});

describe('API tokens through the API', () => {
  it('creates, lists, reads and revokes tokens; the secret comes only in the creation answer', async () => {
    const created = await api(gw.url, adminToken, 'POST', `${API}/tokens`, { name: 'ci', role: 'operator', expires_in: '90d' });
    assert.equal(created.status, 201);
    const { token, secret } = created.body;
    assert.match(secret, /^imt_[\w-]{43}$/);
    assert.equal(token.prefix, secret.slice(0, 10));
    assert.equal(token.state, 'active');
    assert.equal(token.created_by, 'token:token-admin');
    assert.ok(Math.abs(Date.parse(token.expires_at) - (Date.now() + 90 * DAY)) < 60_000);
    assert.equal((await tokenRow('ci'))!.token_hash, sha256(secret));

    const endless = await api(gw.url, adminToken, 'POST', `${API}/tokens`, { name: 'no end', role: 'viewer' });
    assert.equal(endless.body.token.expires_at, null);

    const list = await api(gw.url, adminToken, 'GET', `${API}/tokens`);
    assert.equal(list.status, 200);
    assert.equal(JSON.stringify(list.body).includes(secret), false);
    assert.equal(JSON.stringify(list.body).includes('hash'), false);
    assert.equal((await api(gw.url, secret, 'GET', `${API}/windows`)).status, 200);
    const read = await api(gw.url, adminToken, 'GET', `${API}/tokens/${token.id}`);
    assert.ok(read.body.last_used_at, 'the last use shows');
    assert.equal(JSON.stringify(read.body).includes(secret), false);

    const revoked = await api(gw.url, adminToken, 'DELETE', `${API}/tokens/${token.id}`);
    assert.equal(revoked.status, 200);
    assert.equal(revoked.body.token.state, 'revoked');
    const again = await api(gw.url, adminToken, 'DELETE', `${API}/tokens/${token.id}`);
    assert.equal(again.status, 200);
    assert.equal(again.body.token.revoked_at, revoked.body.token.revoked_at, 'revoking twice changes nothing');
    assert.equal((await auditRows(db, 'token.revoke')).filter((r) => r.object_id === token.id).length, 1);
    assert.equal((await api(gw.url, secret, 'GET', `${API}/windows`)).status, 401);
  });

  it('refuses bad input with the field named, unknown ids with 404, and writes nothing', async () => {
    const before = await writes();
    const cases: [string, string, unknown, number, string | undefined][] = [
      ['POST', '/tokens', { role: 'viewer' }, 400, 'name'],
      ['POST', '/tokens', { name: 7, role: 'viewer' }, 400, 'name'],
      ['POST', '/tokens', { name: 'x', role: 'god' }, 400, 'role'],
      ['POST', '/tokens', { name: 'x', role: 'viewer', expires_in: 30 }, 400, 'expires_in'],
      ['POST', '/tokens', { name: 'x', role: 'viewer', expires_in: '0d' }, 400, 'expires_in'],
      ['POST', '/tokens', { name: 'x', role: 'viewer', secret: 'imt_chosen' }, 400, undefined],
      ['POST', '/tokens', '[1, 2', 400, undefined],
      ['POST', '/tokens', { name: 'x'.repeat(70_000), role: 'viewer' }, 413, undefined],
      ['DELETE', '/tokens/999999', undefined, 404, undefined],
      ['DELETE', '/tokens/abc', undefined, 404, undefined],
      ['GET', '/tokens/999999', undefined, 404, undefined],
      ['DELETE', '/tokens/1', { revoke: true }, 400, undefined],
    ];
    for (const [method, path, body, status, field] of cases) {
      const res = await api(gw.url, adminToken, method, `${API}${path}`, body);
      assert.equal(res.status, status, `${method} ${path} ${JSON.stringify(body)?.slice(0, 60)}`);
      assert.ok(res.body.error.message);
      if (field) assert.equal(res.body.error.field, field);
    }
    assert.equal(await writes(), before);
  });

  it('is for admin tokens only', async () => {
    const tokens = [await makeToken(gw.pool, 'viewer', 'api-viewer'), await makeToken(gw.pool, 'operator', 'api-operator')];
    const { id } = (await tokenRow('token-admin'))!;
    const before = await writes();
    for (const token of tokens) {
      assert.equal((await api(gw.url, token, 'GET', `${API}/tokens`)).status, 403);
      assert.equal((await api(gw.url, token, 'POST', `${API}/tokens`, { name: 'escalate', role: 'admin' })).status, 403);
      assert.equal((await api(gw.url, token, 'DELETE', `${API}/tokens/${id}`)).status, 403);
    }
    assert.equal((await api(gw.url, undefined, 'POST', `${API}/tokens`, { name: 'anon', role: 'admin' })).status, 401);
    assert.equal(await writes(), before);
  });
});
