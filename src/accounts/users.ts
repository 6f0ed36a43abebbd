// The SQL of admin users. Emails are kept lower-case; a user without a password has an invite
// pending; a disabled user keeps their history but cannot sign in.

import type { Queryable } from '../audit/write-as.js';
import { NotFoundError, ValidationError } from '../errors.js';
import type { Role } from './roles.js';

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  timeZone: string | null;
  hasPassword: boolean;
  disabled: boolean;
  createdAt: number;
  passwordChangedAt: number | null;
}

interface UserRow {
  id: string;
  email: string;
  name: string;
  role: Role;
  time_zone: string | null;
  has_password: boolean;
  disabled_at: Date | null;
  created_at: Date;
  password_changed_at: Date | null;
}

const USER_COLUMNS = 'id::text, email, name, role, time_zone, password_hash IS NOT NULL AS has_password, disabled_at, created_at, password_changed_at';

function toUser(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
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

export async function createUser(db: Queryable, input: { email: string; name: string; role: Role; passwordHash: string | null }): Promise<User> {
  const { rows } = await db.query<UserRow>(
    `INSERT INTO users (email, name, role, password_hash, password_changed_at)
     VALUES ($1, $2, $3, $4, CASE WHEN $4::text IS NULL THEN NULL ELSE now() END)
     ON CONFLICT (email) DO NOTHING RETURNING ${USER_COLUMNS}`,
    [input.email, input.name, input.role, input.passwordHash],
  );
  if (!rows[0]) throw new ValidationError(`a user with email ${input.email} already exists`, 'email');
  return toUser(rows[0]);
}

export async function updateUser(db: Queryable, id: string, changes: { name?: string; role?: Role; timeZone?: string | null; disabled?: boolean }): Promise<User> {
  const { rows } = await db.query<UserRow>(
    `UPDATE users SET
       name = coalesce($2, name),
       role = coalesce($3, role),
       time_zone = CASE WHEN $4::boolean THEN $5 ELSE time_zone END,
       disabled_at = CASE WHEN $6::boolean IS NULL THEN disabled_at WHEN $6 THEN coalesce(disabled_at, now()) ELSE NULL END,
       updated_at = now()
     WHERE id = $1::bigint RETURNING ${USER_COLUMNS}`,
    [id, changes.name ?? null, changes.role ?? null, changes.timeZone !== undefined, changes.timeZone ?? null, changes.disabled ?? null],
  );
  if (!rows[0]) throw new NotFoundError(`user #${id} does not exist`);
  return toUser(rows[0]);
}

export async function setPassword(db: Queryable, id: string, passwordHash: string): Promise<void> {
  // password_changed_at is what the audit log sees of it: the trigger leaves the hash out.
  await db.query('UPDATE users SET password_hash = $2, password_changed_at = now(), updated_at = now() WHERE id = $1::bigint', [id, passwordHash]);
}

/** Admins able to sign in; the last one may not be demoted or disabled, or nobody could manage users. */
export async function countActiveAdmins(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM users WHERE role = 'admin' AND disabled_at IS NULL");
  return rows[0]!.n;
}

/**
 * countActiveAdmins with their rows locked until the transaction ends: two admins demoting each
 * other at once are taken in turn, so the second sees one admin left and is refused.
 */
export async function lockActiveAdmins(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ id: string }>("SELECT id::text FROM users WHERE role = 'admin' AND disabled_at IS NULL ORDER BY id FOR UPDATE");
  return rows.length;
}
