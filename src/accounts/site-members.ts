// The SQL of site teams: who belongs to which site, with which role. A user may belong to several
// sites; a global admin needs no membership to act in a site (see roleIn in roles.ts).

import type { Queryable } from '../audit/write-as.js';
import { NotFoundError } from '../errors.js';
import type { Role } from './roles.js';
import { toUser, USER_COLUMNS, type User, type UserRow } from './users.js';

/**
 * A user as one site's team sees them: a member with their role there, or a global admin, who
 * is an admin in every site without being a member (role null).
 */
export interface Member extends User {
  role: Role | null;
}

/** What a member may do in the site: a global admin is an admin everywhere. */
export function effectiveRole(member: Member): Role {
  return member.globalAdmin ? 'admin' : member.role!;
}

// The team: members, and global admins, who act in every site.
const TEAM = `SELECT u.*, m.role FROM (SELECT ${USER_COLUMNS} FROM users) u
  LEFT JOIN site_members m ON m.user_id = u.id::bigint AND m.site_id = $1::bigint
  WHERE (m.user_id IS NOT NULL OR u.global_admin)`;

function toMember(row: UserRow & { role: Role | null }): Member {
  return { ...toUser(row), role: row.role };
}

export async function listMembers(db: Queryable, siteId: string): Promise<Member[]> {
  const { rows } = await db.query<UserRow & { role: Role | null }>(`${TEAM} ORDER BY u.disabled_at NULLS FIRST, u.email`, [siteId]);
  return rows.map(toMember);
}

/** One of the site's team; NotFound for anyone else, as if they did not exist. */
export async function getMember(db: Queryable, siteId: string, userId: string, { lock = false } = {}): Promise<Member> {
  if (lock) await db.query('SELECT 1 FROM users WHERE id = $1::bigint FOR UPDATE', [userId]);
  const { rows } = await db.query<UserRow & { role: Role | null }>(`${TEAM} AND u.id = $2`, [siteId, userId]);
  if (!rows[0]) throw new NotFoundError(`there is no user #${userId} in this team`);
  return toMember(rows[0]);
}

export async function findMember(db: Queryable, siteId: string, userId: string): Promise<Role | undefined> {
  const { rows } = await db.query<{ role: Role }>('SELECT role FROM site_members WHERE site_id = $1::bigint AND user_id = $2::bigint', [siteId, userId]);
  return rows[0]?.role;
}

/** Adds the user to the site's team, or changes their role there. */
export async function setMemberRole(db: Queryable, siteId: string, userId: string, role: Role): Promise<void> {
  await db.query(
    `INSERT INTO site_members (site_id, user_id, role) VALUES ($1::bigint, $2::bigint, $3)
     ON CONFLICT (site_id, user_id) DO UPDATE SET role = EXCLUDED.role WHERE site_members.role <> EXCLUDED.role`,
    [siteId, userId, role],
  );
}

/** Takes the user out of the site's team; false when they were not in it. */
export async function removeMember(db: Queryable, siteId: string, userId: string): Promise<boolean> {
  const { rowCount } = await db.query('DELETE FROM site_members WHERE site_id = $1::bigint AND user_id = $2::bigint', [siteId, userId]);
  return rowCount === 1;
}

/** Every site the user belongs to and their role there, by site id. */
export async function rolesOf(db: Queryable, userId: string): Promise<Map<string, Role>> {
  const { rows } = await db.query<{ site_id: string; role: Role }>('SELECT site_id::text, role FROM site_members WHERE user_id = $1::bigint', [userId]);
  return new Map(rows.map((row) => [row.site_id, row.role]));
}
