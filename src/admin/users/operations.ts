// What a site's admins do to its team, from the pages and the API: invite someone new or add an
// existing user, make a new invite link, rename, change their role in the site, take them out of
// the team; and what only global admins do to a user across sites: disable, enable, and the
// global admin flag. Each is one audited transaction (writeAs); a change that takes power away
// signs that user out everywhere, and the last active global admin is kept.

import type { Actor, Role } from '../../accounts/roles.js';
import { deleteUserSessions } from '../../accounts/sessions.js';
import { createSetupToken, dropUnusedSetupTokens, INVITE_TTL_MS } from '../../accounts/setup-tokens.js';
import { getMember, removeMember, rolesOf, setMemberRole, type Member } from '../../accounts/site-members.js';
import { createUser, findUserByEmail, lockActiveGlobalAdmins, updateUser } from '../../accounts/users.js';
import { setAction, writeAs } from '../../audit/write-as.js';
import type { Pool } from '../../db/pool.js';
import { ConflictError, ForbiddenError, ValidationError } from '../../errors.js';

export interface UserChanges {
  name?: string;
  /** The role in this site. */
  role?: Role;
  disabled?: boolean;
  global_admin?: boolean;
}

export interface InviteResult {
  user: Member;
  /** The link's token: it exists only in this result, the database keeps its hash. Null: an existing user was added. */
  token: string | null;
  expiresAt: number;
}

export interface ChangeResult {
  before: Member;
  user: Member;
  /** The user's sessions were ended (their role changed, or they were disabled). */
  signedOut: boolean;
}

export interface UserOperations {
  invite(actor: Actor, siteId: string, input: { email: string; name: string; role: Role }): Promise<InviteResult>;
  newInviteLink(actor: Actor, siteId: string, id: string): Promise<InviteResult & { token: string }>;
  change(actor: Actor, siteId: string, id: string, changes: UserChanges): Promise<ChangeResult>;
  /** Takes them out of the site's team; their account and other sites stay. */
  remove(actor: Actor, siteId: string, id: string): Promise<Member>;
}

/** "Olive (olive@example.com)", or the email alone: how messages name a user. */
export function who(user: { name: string; email: string }): string {
  return user.name ? `${user.name} (${user.email})` : user.email;
}

const GLOBAL_ONLY = 'only a global admin can disable, enable or make global admins: a user may work in other sites too';

/** Refuses a change that would lock everyone out of managing sites and users, or an admin out of their own account. */
function checkGuards(actor: Actor, before: Member, changes: UserChanges, activeGlobalAdmins: number): void {
  if ((changes.disabled !== undefined || changes.global_admin !== undefined) && !actor.globalAdmin) {
    const same = (changes.disabled ?? before.disabled) === before.disabled && (changes.global_admin ?? before.globalAdmin) === before.globalAdmin;
    // A form that sends the values as they are changes nothing, and is no reason to refuse.
    if (!same) throw new ForbiddenError(GLOBAL_ONLY);
  }
  if (changes.disabled === true && !before.disabled && actor.kind === 'user' && actor.id === before.id) {
    throw new ConflictError('you cannot disable your own account: ask another admin to do it');
  }
  const losesGlobal = before.globalAdmin && !before.disabled && (changes.global_admin === false || changes.disabled === true);
  if (losesGlobal && activeGlobalAdmins <= 1) {
    throw new ConflictError(`${who(before)} is the last active global admin: make someone else a global admin first, or nobody could manage sites and users`);
  }
}

export function createUserOperations({ pool }: { pool: Pool }): UserOperations {
  return {
    async invite(actor, siteId, input) {
      return writeAs(pool, actor.label, 'user.invite', async (client) => {
        const existing = await findUserByEmail(client, input.email);
        if (existing) {
          // Someone with an account already: they join the team and sign in as they do.
          const role = await getMember(client, siteId, existing.id).then((member) => member.role, () => null);
          if (role !== null) throw new ValidationError(`${input.email} is in this team already: change their role on their page`, 'email');
          await setAction(client, 'user.add_to_site');
          await setMemberRole(client, siteId, existing.id, input.role);
          return { user: await getMember(client, siteId, existing.id), token: null, expiresAt: 0 };
        }
        const user = await createUser(client, { email: input.email, name: input.name, passwordHash: null });
        await setMemberRole(client, siteId, user.id, input.role);
        const { token, expiresAt } = await createSetupToken(client, user.id, INVITE_TTL_MS);
        return { user: await getMember(client, siteId, user.id), token, expiresAt };
      }, 'inviting the user');
    },

    async newInviteLink(actor, siteId, id) {
      return writeAs(pool, actor.label, 'user.invite_link', async (client) => {
        const user = await getMember(client, siteId, id, { lock: true });
        if (user.disabled) throw new ConflictError(`${who(user)} is disabled: enable the account first, then make a new invite link`);
        if (user.hasPassword) {
          // A reset link lets whoever holds it in as them, in every site they work in.
          const elsewhere = [...(await rolesOf(client, id)).keys()].some((other) => other !== siteId);
          if (!actor.globalAdmin && (user.globalAdmin || elsewhere)) {
            throw new ForbiddenError(`${who(user)} works in other sites too: only a global admin can make them a password reset link`);
          }
          // For someone who has a password it is a reset link: their password works until the link is used.
          await setAction(client, 'user.reset_link');
        }
        // The link that may have gone astray stops working: only the newest one lets them in.
        await dropUnusedSetupTokens(client, id);
        const { token, expiresAt } = await createSetupToken(client, id, INVITE_TTL_MS);
        return { user, token, expiresAt };
      }, 'making a new invite link');
    },

    async change(actor, siteId, id, changes) {
      return writeAs(pool, actor.label, 'user.update', async (client) => {
        // Global admins first, then the user, always in this order, so two changes at once queue rather than deadlock.
        const activeGlobalAdmins = await lockActiveGlobalAdmins(client);
        const before = await getMember(client, siteId, id, { lock: true });
        checkGuards(actor, before, changes, activeGlobalAdmins);
        if (changes.name !== undefined && changes.name !== before.name) {
          await setAction(client, 'user.rename');
          await updateUser(client, id, { name: changes.name });
        }
        if (changes.role !== undefined && changes.role !== before.role) {
          await setAction(client, 'user.role');
          await setMemberRole(client, siteId, id, changes.role);
        }
        if (changes.global_admin !== undefined && changes.global_admin !== before.globalAdmin) {
          await setAction(client, 'user.global_admin');
          await updateUser(client, id, { globalAdmin: changes.global_admin });
        }
        if (changes.disabled !== undefined && changes.disabled !== before.disabled) {
          await setAction(client, changes.disabled ? 'user.disable' : 'user.enable');
          await updateUser(client, id, { disabled: changes.disabled });
        }
        const user = await getMember(client, siteId, id);
        // Every request reads the roles afresh, so they are in force at once either way; ending the sessions
        // makes the person sign in again and notice, instead of meeting refusals on a page left open.
        const signedOut = user.role !== before.role || user.globalAdmin !== before.globalAdmin || (user.disabled && !before.disabled);
        if (signedOut) await deleteUserSessions(client, id);
        return { before, user, signedOut };
      }, `changing user #${id}`);
    },

    async remove(actor, siteId, id) {
      return writeAs(pool, actor.label, 'user.remove_from_site', async (client) => {
        const user = await getMember(client, siteId, id, { lock: true });
        if (user.role === null) {
          throw new ConflictError(`${who(user)} is a global admin, in every site's team: a global admin can take that away on their page`);
        }
        await removeMember(client, siteId, id);
        return user;
      }, `taking user #${id} out of the team`);
    },
  };
}
