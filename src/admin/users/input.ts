// The zod schemas of user operations, shared by the pages and the API so a form and a pipeline
// get the same rules and messages. Field names are the API's (snake_case); forms use the same.

import { z } from 'zod';
import { checkNewPassword } from '../../accounts/passwords.js';
import { ROLES } from '../../accounts/roles.js';
import { parseEmail } from '../../accounts/users.js';
import { parseLine } from '../../maintenance/input.js';
import { parseTimeZone } from '../time-zone.js';
import { checkbox, checked } from '../validation.js';

// The CHECK constraint on users.name, checked first for a better message.
const MAX_NAME_LENGTH = 200;

/** A person's display name: one line, possibly empty. */
export function parseName(raw: string, field: string): string {
  return parseLine(raw, field, MAX_NAME_LENGTH);
}

const name = z.string().max(MAX_NAME_LENGTH * 4).transform(checked(parseName, 'name'));
const role = z.enum(ROLES, { error: 'must be one of viewer, operator or admin' });

/** Invite someone: they choose their password through the link. */
export const inviteSchema = z.strictObject({
  email: z.string().max(1000).transform(checked(parseEmail, 'email')),
  name: name.optional().transform((value) => value ?? ''),
  role,
});

/** The edit form of a user's page: name and role together. */
export const editSchema = z.strictObject({ name, role });

/** PATCH /users/:id: only the fields given change. role is the role in the site; disabled and global_admin are a global admin's. */
export const patchSchema = z
  .strictObject({
    name: name.optional(),
    role: role.optional(),
    disabled: z.boolean({ error: 'must be true or false' }).optional(),
    global_admin: z.boolean({ error: 'must be true or false' }).optional(),
  })
  .refine((input) => Object.values(input).some((value) => value !== undefined), {
    message: 'nothing to change: give at least one of name, role, disabled or global_admin',
  });

/** The global admin switch of a user's page. */
export const globalAdminSchema = z.strictObject({ global_admin: checkbox });

/** The account page's zone: an IANA name, or empty to follow the browser (stored as NULL). */
export const timeZoneSchema = z.strictObject({
  time_zone: z
    .string()
    .max(200)
    .transform((raw, ctx) => (raw.trim() === '' ? null : checked(parseTimeZone, 'time_zone')(raw.trim(), ctx))),
});

export const passwordSchema = z
  .strictObject({
    current_password: z.string().max(2000).refine((value) => value.length > 0, 'current_password is empty: type the password you use now'),
    password: z.string().max(4000).transform(checked(checkNewPassword, 'password')),
    password_again: z.string().max(4000),
  })
  .refine((input) => input.password === input.password_again, { message: 'password_again does not match the new password', path: ['password_again'] });
