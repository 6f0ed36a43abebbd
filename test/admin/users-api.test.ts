// The users endpoints of the automation API, with an admin token: inviting, listing, reading and
// changing users; bad input refused with the field named, and other roles refused, writing nothing.

import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { api, makeToken, makeUser } from '../helpers/admin.js';
import type { TestDatabase } from '../helpers/database.js';
import type { TestGateway } from '../helpers/gateway.js';
import { useGateway } from '../helpers/harness.js';
import { API } from './fixtures.js';
import { acceptInviteLink, BOSS, userWrites } from './users-fixtures.js';

const harness = useGateway();
let db: TestDatabase;
let gw: TestGateway;
let adminId: string;
let adminToken: string;

before(async () => {
  ({ db, gw } = await harness);
  adminId = await makeUser(gw.pool, BOSS, 'admin');
  adminToken = await makeToken(gw.pool, 'admin', 'people-admin');
});

const writes = () => userWrites(db);
const acceptInvite = (link: URL) => acceptInviteLink(gw, link);

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
    assert.deepEqual(actions.map((a) => a.action), ['user.invite', 'user.set_password', 'user.rename', 'user.disable']);
    // The role is the site's: its changes are the team's rows.
    const teamActions = (await db.query<{ action: string }>("SELECT action FROM audit_log WHERE kind = 'site_members' AND object_id = $1 ORDER BY id", [id])).rows;
    assert.deepEqual(teamActions.map((a) => a.action), ['user.invite', 'user.role']);
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
