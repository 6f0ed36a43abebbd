// The first run: with no user at all, create the first (global) admin from ADMIN_EMAIL/ADMIN_PASSWORD, or
// make a one-time setup link and log it, so nobody has to touch the database to get in.

import { writeAs } from '../audit/write-as.js';
import type { Pool } from '../db/pool.js';
import type { Logger } from '../log.js';
import { hashPassword } from './passwords.js';
import { createSetupToken, SETUP_LINK_TTL_MS } from './setup-tokens.js';
import { countUsers, createUser } from './users.js';

export interface FirstAdminOptions {
  email: string | undefined;
  password: string | undefined;
  /** Where people reach the admin area, e.g. https://shop.example.com/admin. */
  adminUrl: string;
}

export type FirstAdminOutcome = { kind: 'exists' } | { kind: 'created'; email: string } | { kind: 'setup_link'; url: string; expiresAt: number };

// Replicas starting together must not each create an admin or a link.
const LOCK_KEY = 0x696e7465; // "inte"

export async function ensureFirstAdmin(pool: Pool, options: FirstAdminOptions, log: Logger): Promise<FirstAdminOutcome> {
  const outcome = await writeAs(pool, 'system', 'user.first_admin', async function firstAdmin(client): Promise<FirstAdminOutcome> {
    await client.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]);
    if ((await countUsers(client)) > 0) return { kind: 'exists' };
    if (options.email && options.password) {
      await createUser(client, { email: options.email, name: '', globalAdmin: true, passwordHash: await hashPassword(options.password) });
      return { kind: 'created', email: options.email };
    }
    const { token, expiresAt } = await createSetupToken(client, null, SETUP_LINK_TTL_MS);
    return { kind: 'setup_link', url: `${options.adminUrl}/setup?token=${token}`, expiresAt };
  }, 'creating the first admin');
  if (outcome.kind === 'created') log.info({ email: outcome.email }, 'first admin created from ADMIN_EMAIL');
  if (outcome.kind === 'setup_link') {
    // The one place a secret is logged on purpose: it is how the first person gets in. It works once.
    log.warn({ setupUrl: outcome.url, expiresAt: new Date(outcome.expiresAt).toISOString() }, 'no admin user yet: open the setup link to choose the first admin password');
  }
  return outcome;
}
