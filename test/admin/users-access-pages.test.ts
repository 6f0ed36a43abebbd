// Changing roles and access from the users pages: a downgrade asks first and signs the person out,
// the last active admin is kept (through the API too), and people are disabled and enabled again.

import assert from 'node:assert/strict';
import { before, beforeEach, describe, it } from 'node:test';
import { api, Browser, makeToken, makeUser } from '../helpers/admin.js';
import type { TestDatabase } from '../helpers/database.js';
import type { TestGateway } from '../helpers/gateway.js';
import { useGateway } from '../helpers/harness.js';
import { ADMIN, API, auditRows, hiddenFields } from './fixtures.js';
import { BOSS, findUser, signInBoss, userWrites } from './users-fixtures.js';

const harness = useGateway();
let db: TestDatabase;
let gw: TestGateway;
let admin: Browser;
let adminId: string;
let adminToken: string;

before(async () => {
  ({ db, gw } = await harness);
  ({ admin, adminId } = await signInBoss(gw, db));
  adminToken = await makeToken(gw.pool, 'admin', 'people-admin');
});

// Tests that need other admins add them; each starts again with the boss as the only active one.
beforeEach(async () => {
  await db.query("UPDATE users SET disabled_at = now() WHERE global_admin AND email <> $1 AND disabled_at IS NULL", [BOSS]);
});

const writes = () => userWrites(db);
const userRow = (email: string) => findUser(db, email);

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

  it('keeps the last active global admin: the flag cannot go, nor the account be disabled, even by themselves', async () => {
    const before = await writes();
    const refused = await admin.submit(`${ADMIN}/users/${adminId}/global-admin`, {}, `${ADMIN}/users/${adminId}`);
    assert.equal(refused.status, 409);
    assert.match(refused.body, /is the last active global admin: make someone else a global admin first/);
    for (const body of [{ global_admin: false }, { disabled: true }]) {
      const res = await api(gw.url, adminToken, 'PATCH', `${API}/users/${adminId}`, body);
      assert.equal(res.status, 409, JSON.stringify(body));
      assert.equal(res.body.error.code, 'GW_ERR_CONFLICT');
      assert.match(res.body.error.message, /last active global admin/);
    }
    assert.equal(await writes(), before);
    assert.equal((await userRow(BOSS))!.role, 'admin');
  });

  it('keeps one admin when two admins are demoted at the same moment', async () => {
    const rivalId = await makeUser(gw.pool, 'rival@example.com', 'admin');
    for (let round = 0; round < 3; round += 1) {
      const results = await Promise.all([
        api(gw.url, adminToken, 'PATCH', `${API}/users/${adminId}`, { global_admin: false }),
        api(gw.url, adminToken, 'PATCH', `${API}/users/${rivalId}`, { disabled: true }),
      ]);
      assert.deepEqual(results.map((r) => r.status).sort(), [200, 409], `round ${round}`);
      const { rows } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM users WHERE global_admin AND disabled_at IS NULL");
      assert.equal(rows[0]!.n, 1);
      // Back to two admins, the boss signed in again, for the next round.
      await db.query("UPDATE users SET global_admin = true, disabled_at = NULL WHERE id = ANY($1::bigint[])", [[adminId, rivalId]]);
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
    assert.match(done.body, /Your role changed: sign in again/);
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
