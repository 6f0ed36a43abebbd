// Users and roles, through the pages and the API: invites with a one-time link, role changes that
// sign people out, disabling and enabling, the last admin kept, and bad input refused unwritten.

import assert from 'node:assert/strict';
import { before, beforeEach, describe, it } from 'node:test';
import { api, Browser, csrfOf, makeToken, makeUser, PASSWORD, signedIn, type PageResponse } from '../helpers/admin.js';
import type { TestDatabase } from '../helpers/database.js';
import type { TestGateway } from '../helpers/gateway.js';
import { useGateway } from '../helpers/harness.js';
import { ADMIN, API, auditRows, hiddenFields, SCRIPT } from './fixtures.js';

const harness = useGateway();
let db: TestDatabase;
let gw: TestGateway;
let admin: Browser;
let adminId: string;
let adminToken: string;
const BOSS = 'boss@example.com';

before(async () => {
  ({ db, gw } = await harness);
  admin = await signedIn(gw.pool, gw.url, ADMIN, 'admin', BOSS);
  adminId = (await db.query<{ id: string }>('SELECT id::text FROM users WHERE email = $1', [BOSS])).rows[0]!.id;
  adminToken = await makeToken(gw.pool, 'admin', 'people-admin');
});

// Tests that need other admins add them; each starts again with the boss as the only active one.
beforeEach(async () => {
  await db.query("UPDATE users SET disabled_at = now() WHERE role = 'admin' AND email <> $1 AND disabled_at IS NULL", [BOSS]);
});

/** Users, setup links and audit rows: unchanged means nothing was written. */
async function writes(): Promise<string> {
  const { rows } = await db.query<{ n: string }>(
    `SELECT concat_ws(',', (SELECT count(*) FROM users), (SELECT count(*) FROM user_setup_tokens), (SELECT count(*) FROM audit_log),
       (SELECT coalesce(max(updated_at)::text, '') FROM users)) AS n`,
  );
  return rows[0]!.n;
}

async function userRow(email: string) {
  const { rows } = await db.query<{ id: string; role: string; name: string; password_hash: string | null; disabled_at: Date | null }>(
    'SELECT id::text, role, name, password_hash, disabled_at FROM users WHERE email = $1',
    [email],
  );
  return rows[0];
}

async function sessionCount(email: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = $1', [email]);
  return rows[0]!.n;
}

/** A fresh session for a user whose sessions a role change ended. */
async function signedInAgain(email: string): Promise<Browser> {
  const browser = new Browser(gw.url);
  assert.equal((await browser.signIn(ADMIN, email)).url, ADMIN);
  return browser;
}

/** The invite link on the page that shows it once. */
function linkOf(page: PageResponse): URL {
  const match = /id="invite-link"[^>]*>([^<]+)</.exec(page.body);
  assert.ok(match, 'the page shows an invite link');
  return new URL(match[1]!);
}

/** Opens an invite link in a new browser and chooses PASSWORD with it. */
async function acceptInvite(link: URL): Promise<{ browser: Browser; page: PageResponse }> {
  const browser = new Browser(gw.url);
  const form = await browser.get(`${link.pathname}${link.search}`);
  assert.equal(form.status, 200, 'the link opens the password form');
  const page = await browser.post(`${ADMIN}/setup`, { _csrf: csrfOf(form.body), token: link.searchParams.get('token')!, password: PASSWORD, password_again: PASSWORD });
  return { browser, page };
}

describe('inviting people from the pages', () => {
  it('shows a one-time link that lets the invited person choose a password once, and sign in with their role', async () => {
    const page = await admin.submit(`${ADMIN}/users`, { email: 'Olive@Example.com', name: 'Olive Operator', role: 'operator' }, `${ADMIN}/users/new`);
    assert.equal(page.status, 201);
    assert.match(page.body, /only time the link is shown/);
    const link = linkOf(page);
    assert.equal(link.origin, gw.url);
    assert.equal(link.pathname, `${ADMIN}/setup`);
    const row = await userRow('olive@example.com');
    assert.equal(row?.role, 'operator');
    assert.equal(row?.password_hash, null);
    const stored = await db.query<{ token_hash: string }>('SELECT token_hash FROM user_setup_tokens WHERE user_id = $1::bigint', [row!.id]);
    assert.equal(stored.rows.length, 1);
    assert.notEqual(stored.rows[0]!.token_hash, link.searchParams.get('token'), 'only a hash of the link is kept');

    const list = await admin.get(`${ADMIN}/users`);
    assert.match(list.body, /olive@example\.com[\s\S]*Invite pending/);
    assert.doesNotMatch(list.body, new RegExp(link.searchParams.get('token')!), 'the list never shows the link again');

    const { browser, page: welcome } = await acceptInvite(link);
    assert.equal(welcome.url, ADMIN);
    assert.match(welcome.body, /Welcome, olive@example\.com/);
    assert.match(welcome.body, /role--operator/);
    assert.equal((await browser.get(`${ADMIN}/users`)).status, 403, 'an operator cannot manage users');
    assert.equal((await new Browser(gw.url).get(`${link.pathname}${link.search}`)).status, 404, 'the link works once');
    assert.match((await new Browser(gw.url).signIn(ADMIN, 'olive@example.com')).url, new RegExp(`^${ADMIN}$`));

    const invite = await auditRows(db, 'user.invite');
    assert.equal(invite.length, 2, 'the user and their link');
    assert.equal(invite[0]!.actor, `user:${BOSS}`);
    assert.equal(invite[0]!.after!.role, 'operator');
    assert.equal(invite[0]!.after!.name, 'Olive Operator');
    assert.equal('password_hash' in invite[0]!.after!, false);
    assert.equal(invite[1]!.kind, 'user_setup_tokens');
    assert.equal('token_hash' in invite[1]!.after!, false);
    const set = (await auditRows(db, 'user.set_password')).filter((r) => r.kind === 'users');
    assert.equal(set.length, 1);
    assert.equal(set[0]!.before!.password_changed_at, null);
    assert.ok(set[0]!.after!.password_changed_at, 'the audit log shows when the password was chosen');
  });

  it('makes a new invite link that replaces the old one', async () => {
    const first = linkOf(await admin.submit(`${ADMIN}/users`, { email: 'late@example.com', name: '', role: 'viewer' }, `${ADMIN}/users/new`));
    const { id } = (await userRow('late@example.com'))!;
    const detail = await admin.get(`${ADMIN}/users/${id}`);
    assert.match(detail.body, /the invite link works until/);
    const again = await admin.submit(`${ADMIN}/users/${id}/invite`, {}, `${ADMIN}/users/${id}`);
    assert.equal(again.status, 201);
    assert.match(again.body, /older links no longer work/);
    const second = linkOf(again);
    assert.equal((await new Browser(gw.url).get(`${first.pathname}${first.search}`)).status, 404, 'the old link stopped working');
    assert.equal((await acceptInvite(second)).page.url, ADMIN);
    assert.equal((await auditRows(db, 'user.invite_link')).length, 2, 'the old link dropped and the new one made');
  });

  it('makes a password reset link for someone who lost theirs: the old password works until it is used, then their sessions end', async () => {
    await makeUser(gw.pool, 'forgetful@example.com', 'operator');
    const { id } = (await userRow('forgetful@example.com'))!;
    const signedInBefore = new Browser(gw.url);
    await signedInBefore.signIn(ADMIN, 'forgetful@example.com');
    const page = await admin.submit(`${ADMIN}/users/${id}/invite`, {}, `${ADMIN}/users/${id}`);
    assert.equal(page.status, 201);
    assert.match(page.body, /Password reset link for forgetful@example.com/);
    const link = linkOf(page);
    assert.equal((await signedInBefore.get(ADMIN)).url, ADMIN, 'the old session and password still work before the link is used');
    const fresh = new Browser(gw.url);
    const form = await fresh.get(`${link.pathname}${link.search}`);
    assert.match(form.body, /Choose a new password/);
    const newPassword = 'a brand new passphrase';
    const done = await fresh.post(`${ADMIN}/setup`, { _csrf: csrfOf(form.body), token: link.searchParams.get('token')!, password: newPassword, password_again: newPassword });
    assert.equal(done.url, ADMIN);
    assert.match((await signedInBefore.get(ADMIN)).url, /\/login/, 'the session that had the old password is over');
    assert.equal((await new Browser(gw.url).signIn(ADMIN, 'forgetful@example.com', newPassword)).url, ADMIN);
    assert.equal((await new Browser(gw.url).signIn(ADMIN, 'forgetful@example.com')).status, 401, 'the old password no longer works');
    assert.equal((await auditRows(db, 'user.reset_link')).length, 1);
  });

  it('refuses a bad email, a taken email, an unknown role or a long name, naming the field and writing nothing', async () => {
    const before = await writes();
    const cases: [Record<string, string>, RegExp, string][] = [
      [{ email: 'not-an-email', name: '', role: 'viewer' }, /email &#34;not-an-email&#34; is not an email address/, 'email'],
      [{ email: BOSS, name: '', role: 'viewer' }, /already exists/, 'email'],
      [{ email: 'root@example.com', name: '', role: 'root' }, /role: must be one of viewer, operator or admin/, 'role'],
      [{ email: 'long@example.com', name: 'x'.repeat(201), role: 'viewer' }, /name is 201 characters long: at most 200/, 'name'],
      [{ email: 'line@example.com', name: 'two\nlines', role: 'viewer' }, /name must be one line/, 'name'],
    ];
    for (const [fields, message, field] of cases) {
      const res = await admin.submit(`${ADMIN}/users`, fields, `${ADMIN}/users/new`);
      assert.equal(res.status, 400, JSON.stringify(fields));
      assert.match(res.body, message);
      assert.match(res.body, new RegExp(`name="${field}"[^>]*aria-invalid="true"|<fieldset aria-invalid="true"`), `${field} is marked`);
    }
    assert.equal(await writes(), before);
  });

  it('escapes a script in the name and in the email on every page that shows them', async () => {
    const email = `${SCRIPT}@example.com`;
    const invited = await admin.submit(`${ADMIN}/users`, { email, name: SCRIPT, role: 'viewer' }, `${ADMIN}/users/new`);
    assert.equal(invited.status, 201);
    const { id } = (await userRow(email))!;
    const pages = [
      invited,
      await admin.get(`${ADMIN}/users`),
      await admin.get(`${ADMIN}/users/${id}`),
      await admin.submit(`${ADMIN}/users/${id}/disable`, {}, `${ADMIN}/users/${id}`),
    ];
    for (const page of pages) {
      assert.doesNotMatch(page.body, /<script>alert/);
      assert.match(page.body, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    }
  });

  it('refuses users pages to operators and viewers, and forms without a valid CSRF token', async () => {
    const browsers = [await signedIn(gw.pool, gw.url, ADMIN, 'viewer'), await signedIn(gw.pool, gw.url, ADMIN, 'operator')];
    const before = await writes();
    for (const browser of browsers) {
      assert.equal((await browser.get(`${ADMIN}/users`)).status, 403);
      assert.equal((await browser.get(`${ADMIN}/users/${adminId}`)).status, 403);
      const csrf = csrfOf((await browser.get(ADMIN)).body);
      assert.equal((await browser.post(`${ADMIN}/users`, { _csrf: csrf, email: 'sneaky@example.com', name: '', role: 'admin' })).status, 403);
      assert.equal((await browser.post(`${ADMIN}/users/${adminId}`, { _csrf: csrf, name: '', role: 'viewer', confirm: 'yes' })).status, 403);
      assert.equal((await browser.post(`${ADMIN}/users/${adminId}/disable`, { _csrf: csrf, confirm: 'yes' })).status, 403);
    }
    assert.equal((await admin.post(`${ADMIN}/users`, { email: 'nocsrf@example.com', name: '', role: 'viewer' })).status, 403);
    assert.equal((await admin.post(`${ADMIN}/users`, { _csrf: 'wrong', email: 'nocsrf@example.com', name: '', role: 'viewer' })).status, 403);
    assert.equal(await writes(), before);
  });

  it('answers 404 for users that do not exist', async () => {
    const csrf = csrfOf((await admin.get(`${ADMIN}/users`)).body);
    for (const path of ['/users/999999', '/users/abc', '/users/1e3']) assert.equal((await admin.get(`${ADMIN}${path}`)).status, 404, path);
    for (const path of ['/users/999999', '/users/999999/disable', '/users/999999/enable', '/users/999999/invite', '/users/x/disable']) {
      assert.equal((await admin.post(`${ADMIN}${path}`, { _csrf: csrf, name: '', role: 'viewer', confirm: 'yes' })).status, 404, path);
    }
  });
});

describe('changing roles and access from the pages', () => {
  it('asks before a downgrade, then signs the user out everywhere and records the role change', async () => {
    await makeUser(gw.pool, 'demote@example.com', 'operator');
    const phone = new Browser(gw.url);
    const laptop = new Browser(gw.url);
    await phone.signIn(ADMIN, 'demote@example.com');
    await laptop.signIn(ADMIN, 'demote@example.com');
    assert.equal(await sessionCount('demote@example.com'), 2);
    const { id } = (await userRow('demote@example.com'))!;
    const confirm = await admin.submit(`${ADMIN}/users/${id}`, { name: 'Dee', role: 'viewer' }, `${ADMIN}/users/${id}`);
    assert.equal(confirm.status, 200);
    assert.match(confirm.body, /Make demote@example\.com a viewer\?/);
    assert.match(confirm.body, /signed out everywhere/);
    assert.equal((await userRow('demote@example.com'))!.role, 'operator', 'nothing changes before the confirmation');
    const done = await admin.post(`${ADMIN}/users/${id}`, hiddenFields(confirm.body));
    assert.equal(done.url, `${ADMIN}/users/${id}`);
    assert.match(done.body, /Dee \(demote@example\.com\) is now viewer: they were signed out/);
    assert.equal((await userRow('demote@example.com'))!.role, 'viewer');
    assert.equal(await sessionCount('demote@example.com'), 0);
    assert.match((await phone.get(ADMIN)).url, /\/login/);
    assert.match((await laptop.get(ADMIN)).url, /\/login/);
    const [role] = await auditRows(db, 'user.role');
    assert.equal(role!.actor, `user:${BOSS}`);
    assert.equal(role!.object_id, id);
    assert.deepEqual([role!.before!.role, role!.after!.role], ['operator', 'viewer']);
    const [rename] = await auditRows(db, 'user.rename');
    assert.deepEqual([rename!.before!.name, rename!.after!.name], ['', 'Dee']);
  });

  it('promotes without asking, and a name change alone keeps the sessions', async () => {
    await makeUser(gw.pool, 'promote@example.com', 'viewer');
    const browser = new Browser(gw.url);
    await browser.signIn(ADMIN, 'promote@example.com');
    const { id } = (await userRow('promote@example.com'))!;
    const renamed = await admin.submit(`${ADMIN}/users/${id}`, { name: 'Pat', role: 'viewer' }, `${ADMIN}/users/${id}`);
    assert.match(renamed.body, /Saved Pat/);
    assert.equal(await sessionCount('promote@example.com'), 1);
    const promoted = await admin.submit(`${ADMIN}/users/${id}`, { name: 'Pat', role: 'operator' }, `${ADMIN}/users/${id}`);
    assert.equal(promoted.url, `${ADMIN}/users/${id}`);
    assert.equal((await userRow('promote@example.com'))!.role, 'operator');
    assert.equal(await sessionCount('promote@example.com'), 0);
  });

  it('keeps the last active admin: no demotion, no disabling, even of themselves', async () => {
    const before = await writes();
    const confirm = await admin.submit(`${ADMIN}/users/${adminId}`, { name: '', role: 'operator' }, `${ADMIN}/users/${adminId}`);
    assert.match(confirm.body, /This is you: you will be signed out at once/);
    const refused = await admin.post(`${ADMIN}/users/${adminId}`, hiddenFields(confirm.body));
    assert.equal(refused.status, 409);
    assert.match(refused.body, /is the last active admin: make someone else an admin first/);
    for (const body of [{ role: 'viewer' }, { disabled: true }]) {
      const res = await api(gw.url, adminToken, 'PATCH', `${API}/users/${adminId}`, body);
      assert.equal(res.status, 409, JSON.stringify(body));
      assert.equal(res.body.error.code, 'GW_ERR_CONFLICT');
      assert.match(res.body.error.message, /last active admin/);
    }
    assert.equal(await writes(), before);
    assert.equal((await userRow(BOSS))!.role, 'admin');
  });

  it('keeps one admin when two admins are demoted at the same moment', async () => {
    const rivalId = await makeUser(gw.pool, 'rival@example.com', 'admin');
    for (let round = 0; round < 3; round += 1) {
      const results = await Promise.all([
        api(gw.url, adminToken, 'PATCH', `${API}/users/${adminId}`, { role: 'operator' }),
        api(gw.url, adminToken, 'PATCH', `${API}/users/${rivalId}`, { disabled: true }),
      ]);
      assert.deepEqual(results.map((r) => r.status).sort(), [200, 409], `round ${round}`);
      const { rows } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM users WHERE role = 'admin' AND disabled_at IS NULL");
      assert.equal(rows[0]!.n, 1);
      // Back to two admins, the boss signed in again, for the next round.
      await db.query("UPDATE users SET role = 'admin', disabled_at = NULL WHERE id = ANY($1::bigint[])", [[adminId, rivalId]]);
    }
    admin = await signedInAgain(BOSS);
  });

  it('refuses to let an admin disable their own account', async () => {
    await makeUser(gw.pool, 'second-admin@example.com', 'admin');
    const res = await admin.submit(`${ADMIN}/users/${adminId}/disable`, { confirm: 'yes' }, `${ADMIN}/users/${adminId}`);
    assert.equal(res.status, 409);
    assert.match(res.body, /you cannot disable your own account/);
    assert.equal((await userRow(BOSS))!.disabled_at, null);
    assert.doesNotMatch((await admin.get(`${ADMIN}/users/${adminId}`)).body, /Disable…/, 'the page offers no button for it');
  });

  it('lets an admin step down when another admin remains, and signs them out', async () => {
    await makeUser(gw.pool, 'stepping-down@example.com', 'admin');
    await makeUser(gw.pool, 'staying@example.com', 'admin');
    const leaving = new Browser(gw.url);
    await leaving.signIn(ADMIN, 'stepping-down@example.com');
    const { id } = (await userRow('stepping-down@example.com'))!;
    const confirm = await leaving.submit(`${ADMIN}/users/${id}`, { name: '', role: 'operator' }, `${ADMIN}/users/${id}`);
    const done = await leaving.post(`${ADMIN}/users/${id}`, hiddenFields(confirm.body));
    assert.match(done.url, /\/login/);
    assert.match(done.body, /Your role is now operator: sign in again/);
    assert.equal((await userRow('stepping-down@example.com'))!.role, 'operator');
  });

  it('disables after a confirmation, refusing sign-in, and enables again', async () => {
    await makeUser(gw.pool, 'leaver@example.com', 'operator');
    const browser = new Browser(gw.url);
    await browser.signIn(ADMIN, 'leaver@example.com');
    const { id } = (await userRow('leaver@example.com'))!;
    const confirm = await admin.submit(`${ADMIN}/users/${id}/disable`, {}, `${ADMIN}/users/${id}`);
    assert.match(confirm.body, /Disable leaver@example\.com\?/);
    assert.equal((await userRow('leaver@example.com'))!.disabled_at, null);
    const done = await admin.post(`${ADMIN}/users/${id}/disable`, hiddenFields(confirm.body));
    assert.match(done.body, /Disabled leaver@example\.com: they are signed out/);
    assert.ok((await userRow('leaver@example.com'))!.disabled_at);
    assert.equal(await sessionCount('leaver@example.com'), 0);
    assert.match((await browser.get(ADMIN)).url, /\/login/);
    assert.equal((await new Browser(gw.url).signIn(ADMIN, 'leaver@example.com')).status, 401);
    assert.match((await admin.get(`${ADMIN}/users`)).body, /leaver@example\.com[\s\S]*?Disabled/);

    const enabled = await admin.submit(`${ADMIN}/users/${id}/enable`, {}, `${ADMIN}/users/${id}`);
    assert.match(enabled.body, /Enabled leaver@example\.com: they can sign in again/);
    assert.equal((await new Browser(gw.url).signIn(ADMIN, 'leaver@example.com')).url, ADMIN);
    const [disable] = await auditRows(db, 'user.disable');
    assert.equal(disable!.before!.disabled_at, null);
    assert.ok(disable!.after!.disabled_at);
    assert.equal((await auditRows(db, 'user.enable')).length, 1);
  });
});

describe('users through the API', () => {
  it('invites, lists, reads and changes users, with a new link on request', async () => {
    const created = await api(gw.url, adminToken, 'POST', `${API}/users`, { email: 'api-user@example.com', role: 'viewer' });
    assert.equal(created.status, 201);
    assert.equal(created.body.user.state, 'invite_pending');
    assert.equal(created.body.user.name, '');
    const link = new URL(created.body.invite.url);
    assert.equal(link.origin, gw.url);
    assert.ok(Date.parse(created.body.invite.expires_at) > Date.now() + 6 * 24 * 3600_000);
    const id = created.body.user.id as string;
    const fresh = await api(gw.url, adminToken, 'POST', `${API}/users/${id}/invite`, {});
    assert.equal(fresh.status, 201);
    assert.notEqual(fresh.body.invite.url, created.body.invite.url);
    await acceptInvite(new URL(fresh.body.invite.url));

    const list = await api(gw.url, adminToken, 'GET', `${API}/users`);
    const listed = list.body.users.find((u: { id: string }) => u.id === id);
    assert.equal(listed.state, 'active');
    assert.ok(listed.password_changed_at);
    assert.equal(JSON.stringify(list.body).includes('password_hash'), false);

    const changed = await api(gw.url, adminToken, 'PATCH', `${API}/users/${id}`, { name: 'Api User', role: 'operator' });
    assert.equal(changed.status, 200);
    assert.deepEqual([changed.body.user.name, changed.body.user.role, changed.body.signed_out], ['Api User', 'operator', true]);
    const disabled = await api(gw.url, adminToken, 'PATCH', `${API}/users/${id}`, { disabled: true });
    assert.equal(disabled.body.user.state, 'disabled');
    assert.equal((await api(gw.url, adminToken, 'GET', `${API}/users/${id}`)).body.state, 'disabled');
    const actions = (await db.query<{ action: string; actor: string }>("SELECT action, actor FROM audit_log WHERE kind = 'users' AND object_id = $1 ORDER BY id", [id])).rows;
    assert.deepEqual(actions.map((a) => a.action), ['user.invite', 'user.set_password', 'user.rename', 'user.role', 'user.disable']);
    assert.equal(actions[0]!.actor, 'token:people-admin');
  });

  it('refuses bad input with the field named, and writes nothing', async () => {
    const disabledId = await makeUser(gw.pool, 'gone@example.com', 'viewer');
    await db.query('UPDATE users SET disabled_at = now() WHERE id = $1', [disabledId]);
    const before = await writes();
    const cases: [string, string, unknown, number, string | undefined][] = [
      ['POST', '/users', { email: 'x@example.com', role: 'superuser' }, 400, 'role'],
      ['POST', '/users', { email: 42, role: 'viewer' }, 400, 'email'],
      ['POST', '/users', { email: 'nope', role: 'viewer' }, 400, 'email'],
      ['POST', '/users', { email: 'x@example.com', role: 'viewer', is_admin: true }, 400, 'is_admin'],
      ['POST', '/users', '{"email": ', 400, undefined],
      ['POST', '/users', { email: 'x@example.com', role: 'viewer', name: 'y'.repeat(70_000) }, 413, undefined],
      ['PATCH', `/users/${adminId}`, {}, 400, undefined],
      ['PATCH', `/users/${adminId}`, { disabled: 'yes' }, 400, 'disabled'],
      ['PATCH', `/users/${adminId}`, { role: ['admin'] }, 400, 'role'],
      ['PATCH', '/users/999999', { role: 'viewer' }, 404, undefined],
      ['PATCH', '/users/abc', { role: 'viewer' }, 404, undefined],
      ['POST', '/users/999999/invite', {}, 404, undefined],
      ['POST', `/users/${disabledId}/invite`, {}, 409, undefined],
    ];
    for (const [method, path, body, status, field] of cases) {
      const res = await api(gw.url, adminToken, method, `${API}${path}`, body);
      assert.equal(res.status, status, `${method} ${path} ${JSON.stringify(body).slice(0, 80)}`);
      assert.ok(res.body.error.message, 'a message a person can act on');
      if (field) assert.equal(res.body.error.field, field);
    }
    assert.equal(await writes(), before);
  });

  it('is for admin tokens only', async () => {
    const tokens = [await makeToken(gw.pool, 'viewer', 'people-viewer'), await makeToken(gw.pool, 'operator', 'people-operator')];
    const before = await writes();
    for (const token of tokens) {
      assert.equal((await api(gw.url, token, 'GET', `${API}/users`)).status, 403);
      assert.equal((await api(gw.url, token, 'POST', `${API}/users`, { email: 'sneaky@example.com', role: 'admin' })).status, 403);
      assert.equal((await api(gw.url, token, 'PATCH', `${API}/users/${adminId}`, { role: 'viewer' })).status, 403);
      assert.equal((await api(gw.url, token, 'POST', `${API}/users/${adminId}/invite`, {})).status, 403);
    }
    assert.equal((await api(gw.url, undefined, 'GET', `${API}/users`)).status, 401);
    assert.equal(await writes(), before);
  });
});
