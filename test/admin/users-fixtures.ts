// What the users tests share: the admin they act as, a fingerprint of the tables a user change
// writes (unchanged means nothing was written), a user's row, and accepting an invite link.

import assert from 'node:assert/strict';
import { Browser, csrfOf, PASSWORD, signedIn, type PageResponse } from '../helpers/admin.js';
import type { TestDatabase } from '../helpers/database.js';
import type { TestGateway } from '../helpers/gateway.js';
import { ADMIN, AUDIT_BY_PEOPLE } from './fixtures.js';

export const BOSS = 'boss@example.com';

/** The boss, signed in as an admin in a browser, and their id. */
export async function signInBoss(gw: TestGateway, db: TestDatabase): Promise<{ admin: Browser; adminId: string }> {
  const admin = await signedIn(gw.pool, gw.url, ADMIN, 'admin', BOSS);
  return { admin, adminId: (await findUser(db, BOSS))!.id };
}

export interface UserRow {
  id: string;
  role: string;
  name: string;
  password_hash: string | null;
  disabled_at: Date | null;
}

/** Users, setup links and audit rows: unchanged means nothing was written. */
export async function userWrites(db: TestDatabase): Promise<string> {
  const { rows } = await db.query<{ n: string }>(
    `SELECT concat_ws(',', (SELECT count(*) FROM users), (SELECT count(*) FROM user_setup_tokens), (SELECT count(*) FROM site_members), ${AUDIT_BY_PEOPLE},
       (SELECT coalesce(max(updated_at)::text, '') FROM users)) AS n`,
  );
  return rows[0]!.n;
}

export async function findUser(db: TestDatabase, email: string): Promise<UserRow | undefined> {
  // role: in the default site, where the users tests work.
  const { rows } = await db.query<UserRow>(
    `SELECT u.id::text, m.role, u.name, u.password_hash, u.disabled_at FROM users u
     LEFT JOIN site_members m ON m.user_id = u.id AND m.site_id = (SELECT id FROM sites ORDER BY is_default DESC, id LIMIT 1)
     WHERE u.email = $1`,
    [email],
  );
  return rows[0];
}

/** Opens an invite link in a new browser and chooses PASSWORD with it. */
export async function acceptInviteLink(gw: TestGateway, link: URL): Promise<{ browser: Browser; page: PageResponse }> {
  const browser = new Browser(gw.url);
  const form = await browser.get(`${link.pathname}${link.search}`);
  assert.equal(form.status, 200, 'the link opens the password form');
  const page = await browser.post(`${ADMIN}/setup`, { _csrf: csrfOf(form.body), token: link.searchParams.get('token')!, password: PASSWORD, password_again: PASSWORD });
  return { browser, page };
}
