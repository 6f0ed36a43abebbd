// Inviting people from the users pages: a one-time link to choose a password, a reset link for a
// lost one, bad input refused unwritten, escaping, and the pages refused to anyone but an admin.

import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { Browser, csrfOf, makeUser, signedIn, type PageResponse } from '../helpers/admin.js';
import type { TestDatabase } from '../helpers/database.js';
import type { TestGateway } from '../helpers/gateway.js';
import { useGateway } from '../helpers/harness.js';
import { ADMIN, auditRows, SCRIPT } from './fixtures.js';
import { acceptInviteLink, BOSS, findUser, signInBoss, userWrites } from './users-fixtures.js';

const harness = useGateway();
let db: TestDatabase;
let gw: TestGateway;
let admin: Browser;
let adminId: string;

before(async () => {
  ({ db, gw } = await harness);
  ({ admin, adminId } = await signInBoss(gw, db));
});

const writes = () => userWrites(db);
const userRow = (email: string) => findUser(db, email);
const acceptInvite = (link: URL) => acceptInviteLink(gw, link);

/** The invite link on the page that shows it once. */
function linkOf(page: PageResponse): URL {
  const match = /id="invite-link"[^>]*>([^<]+)</.exec(page.body);
  assert.ok(match, 'the page shows an invite link');
  return new URL(match[1]!);
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
    assert.equal(invite.length, 3, 'the user, their role in the site and their link');
    assert.equal(invite[0]!.actor, `user:${BOSS}`);
    assert.equal(invite.find((row) => row.after?.role !== undefined)!.after!.role, 'operator', 'the role is in the team row');
    assert.equal(invite[0]!.after!.name, 'Olive Operator');
    assert.equal('password_hash' in invite[0]!.after!, false);
    assert.equal(invite[2]!.kind, 'user_setup_tokens');
    assert.equal('token_hash' in invite[2]!.after!, false);
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
      [{ email: BOSS, name: '', role: 'viewer' }, /in this team already/, 'email'],
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
