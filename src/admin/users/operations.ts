// What admins do to users, from the pages and the API: invite, make a new invite link, rename,
// change a role, disable and enable. Each is one audited transaction (writeAs); a change that
// takes power away signs that user out everywhere, and the last active admin is kept.

import type pg from 'pg';
import type { Actor, Role } from '../../accounts/roles.js';
import { deleteUserSessions } from '../../accounts/sessions.js';
import { createSetupToken, dropUnusedSetupTokens, INVITE_TTL_MS } from '../../accounts/setup-tokens.js';
import { createUser, getUser, lockActiveAdmins, updateUser, type User } from '../../accounts/users.js';
import { setAction, writeAs } from '../../audit/write-as.js';
import type { Pool } from '../../db/pool.js';
import { ConflictError } from '../../errors.js';

export interface UserChanges {
  name?: string;
  role?: Role;
  disabled?: boolean;
}

export interface InviteResult {
  user: User;
  /** The link's token: it exists only in this result, the database keeps its hash. */
  token: string;
  expiresAt: number;
}

export interface ChangeResult {
  before: User;
  user: User;
  /** The user's sessions were ended (their role changed, or they were disabled). */
  signedOut: boolean;
}

export interface UserOperations {
  invite(actor: Actor, input: { email: string; name: string; role: Role }): Promise<InviteResult>;
  newInviteLink(actor: Actor, id: string): Promise<InviteResult>;
  change(actor: Actor, id: string, changes: UserChanges): Promise<ChangeResult>;
}

// One transaction may make several changes; the audit trigger reads the action per row from this
// setting, so a rename and a role change in one PATCH are recorded as what each was.
async function asAction(client: pg.PoolClient, action: string): Promise<void> {
  await client.query("SELECT set_config('intermission.action', $1, true)", [action]);
}

/** "Olive (olive@example.com)", or the email alone: how messages name a user. */
export function who(user: Pick<User, 'name' | 'email'>): string {
  return user.name ? `${user.name} (${user.email})` : user.email;
}

/** Refuses a change that would lock everyone out of managing users, or an admin out of their own account. */
function checkGuards(actor: Actor, before: User, changes: UserChanges, activeAdmins: number): void {
  if (changes.disabled === true && !before.disabled && actor.kind === 'user' && actor.id === before.id) {
    throw new ConflictError('you cannot disable your own account: ask another admin to do it');
  }
  const losesAdmin = before.role === 'admin' && !before.disabled && ((changes.role !== undefined && changes.role !== 'admin') || changes.disabled === true);
  if (losesAdmin && activeAdmins <= 1) {
    throw new ConflictError(`${who(before)} is the last active admin: make someone else an admin first, or nobody could manage users, tokens and settings`);
  }
}

export function createUserOperations({ pool }: { pool: Pool }): UserOperations {
  return {
    async invite(actor, input) {
      return writeAs(pool, actor.label, 'user.invite', async (client) => {
        const user = await createUser(client, { ...input, passwordHash: null });
        const { token, expiresAt } = await createSetupToken(client, user.id, INVITE_TTL_MS);
        return { user, token, expiresAt };
      }, 'inviting the user');
    },

    async newInviteLink(actor, id) {
      return writeAs(pool, actor.label, 'user.invite_link', async (client) => {
        const user = await getUser(client, id, { lock: true });
        if (user.disabled) throw new ConflictError(`${who(user)} is disabled: enable the account first, then make a new invite link`);
        // For someone who has a password it is a reset link: their password works until the link is used.
        if (user.hasPassword) await setAction(client, 'user.reset_link');
        // The link that may have gone astray stops working: only the newest one lets them in.
        await dropUnusedSetupTokens(client, id);
        const { token, expiresAt } = await createSetupToken(client, id, INVITE_TTL_MS);
        return { user, token, expiresAt };
      }, 'making a new invite link');
    },

    async change(actor, id, changes) {
      return writeAs(pool, actor.label, 'user.update', async (client) => {
        // Admins first, then the user, always in this order, so two changes at once queue rather than deadlock.
        const activeAdmins = await lockActiveAdmins(client);
        const before = await getUser(client, id, { lock: true });
        checkGuards(actor, before, changes, activeAdmins);
        let user = before;
        if (changes.name !== undefined && changes.name !== user.name) {
          await asAction(client, 'user.rename');
          user = await updateUser(client, id, { name: changes.name });
        }
        if (changes.role !== undefined && changes.role !== user.role) {
          await asAction(client, 'user.role');
          user = await updateUser(client, id, { role: changes.role });
        }
        if (changes.disabled !== undefined && changes.disabled !== user.disabled) {
          await asAction(client, changes.disabled ? 'user.disable' : 'user.enable');
          user = await updateUser(client, id, { disabled: changes.disabled });
        }
        // Every request reads the role afresh, so it is in force at once either way; ending the sessions
        // makes the person sign in again and notice, instead of meeting refusals on a page left open.
        const signedOut = user.role !== before.role || (user.disabled && !before.disabled);
        if (signedOut) await deleteUserSessions(client, id);
        return { before, user, signedOut };
      }, `changing user #${id}`);
    },
  };
}
