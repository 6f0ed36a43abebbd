// The signed-in person's own account page: the time zone their pages use, their password (the
// current one first), and their sessions. Every role may use it, and only on themselves.

import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { formatTime } from '../../src/admin/time-zone.js';
import { Browser, csrfOf, makeUser, PASSWORD, signedIn } from '../helpers/admin.js';
import type { TestDatabase } from '../helpers/database.js';
import type { TestGateway } from '../helpers/gateway.js';
import { useGateway } from '../helpers/harness.js';
import { ADMIN, auditRows, SCRIPT } from './fixtures.js';

const harness = useGateway();
let db: TestDatabase;
let gw: TestGateway;
const NEW_PASSWORD = 'a brand new passphrase here';
// A fixed time, so the test knows exactly how each zone writes it.
const CREATED = Date.parse('2026-01-15T12:00:00Z');

before(async () => ({ db, gw } = await harness));

async function passwordHash(email: string): Promise<string> {
  return (await db.query<{ password_hash: string }>('SELECT password_hash FROM users WHERE email = $1', [email])).rows[0]!.password_hash;
}

describe('the account page', () => {
  it('saves the time zone, and times on every page show in it; "follow my browser" goes back to the browser\'s', async () => {
    const browser = await signedIn(gw.pool, gw.url, ADMIN, 'admin', 'zones@example.com');
    await db.query('UPDATE users SET created_at = $1 WHERE email = $2', [new Date(CREATED), 'zones@example.com']);
    const account = await browser.get(`${ADMIN}/account`);
    assert.equal(account.status, 200);
    assert.match(account.body, /<option value="" selected>Follow my browser<\/option>/);

    const tokyo = await browser.submit(`${ADMIN}/account/time-zone`, { time_zone: 'Asia/Tokyo' }, `${ADMIN}/account`);
    assert.equal(tokyo.url, `${ADMIN}/account`);
    assert.match(tokyo.body, /Times now show in Asia\/Tokyo/);
    assert.match(tokyo.body, /<option selected>Asia\/Tokyo<\/option>/);
    const list = await browser.get(`${ADMIN}/users`);
    assert.ok(list.body.includes(formatTime(CREATED, 'Asia/Tokyo')), `shows ${formatTime(CREATED, 'Asia/Tokyo')}`);
    assert.match(list.body, /Times in Asia\/Tokyo/);

    await browser.submit(`${ADMIN}/account/time-zone`, { time_zone: 'America/New_York' }, `${ADMIN}/account`);
    assert.ok((await browser.get(`${ADMIN}/users`)).body.includes(formatTime(CREATED, 'America/New_York')));

    // No saved zone: the one the browser reported (admin.js sets this cookie) is used.
    browser.cookies.set('intermission_tz', encodeURIComponent('Australia/Sydney'));
    const follow = await browser.submit(`${ADMIN}/account/time-zone`, { time_zone: '' }, `${ADMIN}/account`);
    assert.match(follow.body, /Times now follow your browser/);
    assert.match(follow.body, /now Australia\/Sydney/);
    assert.ok((await browser.get(`${ADMIN}/users`)).body.includes(formatTime(CREATED, 'Australia/Sydney')));

    const saved = await auditRows(db, 'user.time_zone');
    assert.deepEqual(saved.map((row) => row.after!.time_zone), ['Asia/Tokyo', 'America/New_York', null]);
    assert.equal(saved[0]!.actor, 'user:zones@example.com');
  });

  it('refuses a zone that does not exist, naming the field, and saves nothing', async () => {
    const browser = await signedIn(gw.pool, gw.url, ADMIN, 'viewer', 'bad-zone@example.com');
    const before = (await auditRows(db, 'user.time_zone')).length;
    for (const zone of ['Mars/Olympus_Mons', SCRIPT, 'x'.repeat(300)]) {
      const res = await browser.submit(`${ADMIN}/account/time-zone`, { time_zone: zone }, `${ADMIN}/account`);
      assert.equal(res.status, 400, zone.slice(0, 20));
      assert.match(res.body, /time_zone/);
      assert.match(res.body, /name="time_zone" aria-invalid="true"/);
      assert.doesNotMatch(res.body, /<script>alert/);
    }
    assert.equal((await auditRows(db, 'user.time_zone')).length, before);
  });

  it('changes the password only with the current one, ends the other sessions and keeps this one', async () => {
    await makeUser(gw.pool, 'secret@example.com', 'viewer');
    const here = new Browser(gw.url);
    const elsewhere = new Browser(gw.url);
    await here.signIn(ADMIN, 'secret@example.com');
    await elsewhere.signIn(ADMIN, 'secret@example.com');
    const original = await passwordHash('secret@example.com');
    const cases: [Record<string, string>, RegExp, string][] = [
      [{ current_password: 'not my password', password: NEW_PASSWORD, password_again: NEW_PASSWORD }, /current_password is not your current password/, 'current_password'],
      [{ current_password: '', password: NEW_PASSWORD, password_again: NEW_PASSWORD }, /current_password is empty/, 'current_password'],
      [{ current_password: PASSWORD, password: 'short', password_again: 'short' }, /at least 12 characters/, 'password'],
      [{ current_password: PASSWORD, password: NEW_PASSWORD, password_again: 'something else entirely' }, /password_again does not match/, 'password_again'],
    ];
    for (const [fields, message, field] of cases) {
      const res = await here.submit(`${ADMIN}/account/password`, fields, `${ADMIN}/account`);
      assert.equal(res.status, 400, field);
      assert.match(res.body, message);
      assert.match(res.body, new RegExp(`name="${field}"[^>]*aria-invalid="true"`));
      assert.doesNotMatch(res.body, /not my password|something else entirely/, 'typed passwords are never sent back');
    }
    assert.equal(await passwordHash('secret@example.com'), original);
    assert.equal((await elsewhere.get(ADMIN)).url, ADMIN, 'refused attempts sign nobody out');

    const done = await here.submit(`${ADMIN}/account/password`, { current_password: PASSWORD, password: NEW_PASSWORD, password_again: NEW_PASSWORD }, `${ADMIN}/account`);
    assert.equal(done.url, `${ADMIN}/account`);
    assert.match(done.body, /Your password is changed\. 1 other session was signed out\./);
    assert.equal((await here.get(ADMIN)).url, ADMIN, 'this session stays');
    assert.match((await elsewhere.get(ADMIN)).url, /\/login/, 'the other session ended');
    assert.equal((await new Browser(gw.url).signIn(ADMIN, 'secret@example.com')).status, 401, 'the old password no longer works');
    assert.equal((await new Browser(gw.url).signIn(ADMIN, 'secret@example.com', NEW_PASSWORD)).url, ADMIN);
    const [audit] = (await auditRows(db, 'user.set_password')).filter((row) => row.actor === 'user:secret@example.com');
    assert.ok(audit!.after!.password_changed_at);
    assert.equal('password_hash' in audit!.after!, false);
  });

  it('counts wrong current passwords with failed sign-ins, and stops guessing after five', async () => {
    const browser = await signedIn(gw.pool, gw.url, ADMIN, 'operator', 'guessed@example.com');
    for (let i = 0; i < 5; i += 1) {
      const res = await browser.submit(`${ADMIN}/account/password`, { current_password: `guess ${i}`, password: NEW_PASSWORD, password_again: NEW_PASSWORD }, `${ADMIN}/account`);
      assert.equal(res.status, 400);
    }
    const blocked = await browser.submit(`${ADMIN}/account/password`, { current_password: PASSWORD, password: NEW_PASSWORD, password_again: NEW_PASSWORD }, `${ADMIN}/account`);
    assert.equal(blocked.status, 429);
    assert.match(blocked.body, /Too many wrong passwords: try again in \d+ minutes?/);
    assert.ok(Number(blocked.headers['retry-after']) > 0);
    await db.query('DELETE FROM login_failures');
  });

  it('lists your sessions and signs one of them out, but never someone else\'s', async () => {
    await makeUser(gw.pool, 'two-places@example.com', 'viewer');
    const desk = new Browser(gw.url);
    const train = new Browser(gw.url);
    await desk.signIn(ADMIN, 'two-places@example.com');
    await train.signIn(ADMIN, 'two-places@example.com');
    const page = await desk.get(`${ADMIN}/account`);
    const ends = [...page.body.matchAll(/action="\/admin\/account\/sessions\/([0-9a-f]{64})\/end"/g)].map((m) => m[1]!);
    assert.equal(ends.length, 1, 'every session but this one can be signed out from here');
    assert.equal((page.body.match(/<span class="badge badge--ok">this one<\/span>/g) ?? []).length, 1);

    const stranger = await signedIn(gw.pool, gw.url, ADMIN, 'admin');
    const csrf = csrfOf((await stranger.get(`${ADMIN}/account`)).body);
    assert.equal((await stranger.post(`${ADMIN}/account/sessions/${ends[0]}/end`, { _csrf: csrf })).status, 404, 'not theirs');
    assert.equal((await stranger.post(`${ADMIN}/account/sessions/not-a-session/end`, { _csrf: csrf })).status, 404);
    assert.equal((await train.get(ADMIN)).url, ADMIN);

    const done = await desk.submit(`${ADMIN}/account/sessions/${ends[0]}/end`, {}, `${ADMIN}/account`);
    assert.match(done.body, /That session is signed out/);
    assert.match((await train.get(ADMIN)).url, /\/login/);
    assert.equal((await desk.get(ADMIN)).url, ADMIN);
  });

  it('signs out every other session at once', async () => {
    await makeUser(gw.pool, 'many@example.com', 'operator');
    const browsers = [new Browser(gw.url), new Browser(gw.url), new Browser(gw.url)];
    for (const browser of browsers) await browser.signIn(ADMIN, 'many@example.com');
    const done = await browsers[0]!.submit(`${ADMIN}/account/sessions/end-others`, {}, `${ADMIN}/account`);
    assert.match(done.body, /Signed out 2 other sessions/);
    assert.equal((await browsers[0]!.get(ADMIN)).url, ADMIN);
    for (const browser of browsers.slice(1)) assert.match((await browser.get(ADMIN)).url, /\/login/);
  });

  it('shows a name with a script in it escaped, and refuses posts without the CSRF token', async () => {
    const browser = await signedIn(gw.pool, gw.url, ADMIN, 'viewer', 'scripted@example.com');
    await db.query('UPDATE users SET name = $1 WHERE email = $2', [SCRIPT, 'scripted@example.com']);
    const page = await browser.get(`${ADMIN}/account`);
    assert.doesNotMatch(page.body, /<script>alert/);
    assert.match(page.body, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    const before = (await auditRows(db, 'user.time_zone')).length;
    assert.equal((await browser.post(`${ADMIN}/account/time-zone`, { time_zone: 'UTC' })).status, 403);
    assert.equal((await browser.post(`${ADMIN}/account/password`, { _csrf: 'forged', current_password: PASSWORD, password: NEW_PASSWORD, password_again: NEW_PASSWORD })).status, 403);
    assert.equal((await auditRows(db, 'user.time_zone')).length, before);
    assert.equal((await new Browser(gw.url).signIn(ADMIN, 'scripted@example.com')).url, ADMIN, 'the password did not change');
  });
});
