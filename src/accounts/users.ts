// The SQL of admin users. Emails are kept lower-case; a user without a password has an invite
// pending; a disabled user keeps their history but cannot sign in.

import type { Queryable } from '../audit/write-as.js';
import { NotFoundError, ValidationError } from '../errors.js';

export interface User {
  id: string;
  email: string;
  name: string;
  /** Manages sites and users, and is an admin in every site; a role in a site is in site-members.ts. */
  globalAdmin: boolean;
  timeZone: string | null;
  hasPassword: boolean;
  disabled: boolean;
  createdAt: number;
  passwordChangedAt: number | null;
}

export interface UserRow {
  id: string;
  email: string;
  name: string;
  global_admin: boolean;
  time_zone: string | null;
  has_password: boolean;
  disabled_at: Date | null;
  created_at: Date;
  password_changed_at: Date | null;
}

export const USER_COLUMNS = 'id::text, email, name, global_admin, time_zone, password_hash IS NOT NULL AS has_password, disabled_at, created_at, password_changed_at';

export function toUser(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    globalAdmin: row.global_admin,
    timeZone: row.time_zone,
    hasPassword: row.has_password,
    disabled: row.disabled_at !== null,
    createdAt: row.created_at.getTime(),
    passwordChangedAt: row.password_changed_at?.getTime() ?? null,
  };
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** A lower-cased email address, or a ValidationError that names the field. */
export function parseEmail(raw: unknown, field = 'email'): string {
  const email = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
  if (!email) throw new ValidationError(`${field} is empty: give an email address`, field);
  if (email.length > 254 || !EMAIL.test(email)) throw new ValidationError(`${field} ${JSON.stringify(email.slice(0, 60))} is not an email address such as alice@example.com`, field);
  return email;
}

export async function countUsers(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM users');
  return rows[0]!.n;
}

/** The user and their password hash, for signing in; undefined when no such email. */
export async function findForLogin(db: Queryable, email: string): Promise<{ user: User; passwordHash: string | null } | undefined> {
  const { rows } = await db.query<UserRow & { password_hash: string | null }>(`SELECT ${USER_COLUMNS}, password_hash FROM users WHERE email = $1`, [email]);
  const row = rows[0];
  return row && { user: toUser(row), passwordHash: row.password_hash };
}

export async function getUser(db: Queryable, id: string, { lock = false } = {}): Promise<User> {
  // Locked, the row cannot change under a check made on it before the transaction commits.
  const { rows } = await db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1::bigint${lock ? ' FOR UPDATE' : ''}`, [id]);
  if (!rows[0]) throw new NotFoundError(`user #${id} does not exist`);
  return toUser(rows[0]);
}

export async function listUsers(db: Queryable): Promise<User[]> {
  const { rows } = await db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users ORDER BY disabled_at NULLS FIRST, email`);
  return rows.map(toUser);
}

/** A new user belongs to no site yet: add them to one with setMemberRole (site-members.ts). */
export async function createUser(db: Queryable, input: { email: string; name: string; globalAdmin?: boolean; passwordHash: string | null }): Promise<User> {
  const { rows } = await db.query<UserRow>(
    `INSERT INTO users (email, name, global_admin, password_hash, password_changed_at)
     VALUES ($1, $2, $3, $4, CASE WHEN $4::text IS NULL THEN NULL ELSE now() END)
     ON CONFLICT (email) DO NOTHING RETURNING ${USER_COLUMNS}`,
    [input.email, input.name, input.globalAdmin ?? false, input.passwordHash],
  );
  if (!rows[0]) throw new ValidationError(`a user with email ${input.email} already exists`, 'email');
  return toUser(rows[0]);
}

export async function updateUser(db: Queryable, id: string, changes: { name?: string; globalAdmin?: boolean; timeZone?: string | null; disabled?: boolean }): Promise<User> {
  const { rows } = await db.query<UserRow>(
    `UPDATE users SET
       name = coalesce($2, name),
       global_admin = coalesce($3, global_admin),
       time_zone = CASE WHEN $4::boolean THEN $5 ELSE time_zone END,
       disabled_at = CASE WHEN $6::boolean IS NULL THEN disabled_at WHEN $6 THEN coalesce(disabled_at, now()) ELSE NULL END,
       updated_at = now()
     WHERE id = $1::bigint RETURNING ${USER_COLUMNS}`,
    [id, changes.name ?? null, changes.globalAdmin ?? null, changes.timeZone !== undefined, changes.timeZone ?? null, changes.disabled ?? null],
  );
  if (!rows[0]) throw new NotFoundError(`user #${id} does not exist`);
  return toUser(rows[0]);
}

export async function setPassword(db: Queryable, id: string, passwordHash: string): Promise<void> {
  // password_changed_at is what the audit log sees of it: the trigger leaves the hash out.
  await db.query('UPDATE users SET password_hash = $2, password_changed_at = now(), updated_at = now() WHERE id = $1::bigint', [id, passwordHash]);
}

/** The user with this email, or undefined. */
export async function findUserByEmail(db: Queryable, email: string): Promise<User | undefined> {
  const { rows } = await db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE email = $1`, [email]);
  return rows[0] && toUser(rows[0]);
}

/**
 * Global admins able to sign in, with their rows locked until the transaction ends: the last one
 * may not lose the flag or be disabled, or nobody could manage sites and users. Two admins
 * demoting each other at once are taken in turn, so the second sees one left and is refused.
 */
export async function lockActiveGlobalAdmins(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ id: string }>('SELECT id::text FROM users WHERE global_admin AND disabled_at IS NULL ORDER BY id FOR UPDATE');
  return rows.length;
}
