// What a signed-in person does to their own account: choose the time zone their pages use, change
// their password (the current one first), end their other sessions, and ask for reminder e-mails.

import { checkThrottle, clearFailures, DEFAULT_THROTTLE, recordFailure } from '../../accounts/login-throttle.js';
import { hashPassword, verifyPassword } from '../../accounts/passwords.js';
import type { Actor } from '../../accounts/roles.js';
import { deleteOtherSessions, deleteUserSession } from '../../accounts/sessions.js';
import { findForLogin, setPassword, updateUser, type User } from '../../accounts/users.js';
import { writeAs } from '../../audit/write-as.js';
import type { Pool } from '../../db/pool.js';
import { NotFoundError, RateLimitedError, ValidationError } from '../../errors.js';
import { setEmailReminders } from '../../notify/reminder-recipients.js';

export interface PasswordChange {
  current_password: string;
  password: string;
}

export interface AccountOperations {
  /** null: follow the browser's zone. */
  setTimeZone(actor: Actor, zone: string | null): Promise<User>;
  /** Checks the current password, sets the new one, and ends every other session; returns how many ended. */
  changePassword(actor: Actor, keepSession: string, input: PasswordChange, address: string): Promise<number>;
  endSession(actor: Actor, idHash: string): Promise<void>;
  endOtherSessions(actor: Actor, keepSession: string): Promise<number>;
  /** "E-mail me before maintenance starts"; returns whether it changed. */
  setEmailReminders(actor: Actor, on: boolean): Promise<boolean>;
}

function minutes(ms: number): string {
  const n = Math.max(1, Math.ceil(ms / 60_000));
  return `${n} minute${n === 1 ? '' : 's'}`;
}

export function createAccountOperations({ pool }: { pool: Pool }): AccountOperations {
  return {
    async setTimeZone(actor, zone) {
      return writeAs(pool, actor.label, 'user.time_zone', (client) => updateUser(client, actor.id, { timeZone: zone }), 'saving your time zone');
    },

    async changePassword(actor, keepSession, input, address) {
      // Someone at an unlocked screen must not be able to guess their way to a new password:
      // wrong guesses here count with failed sign-ins, for the account and the address.
      const verdict = await checkThrottle(pool, actor.name, address, DEFAULT_THROTTLE);
      if (!verdict.allowed) {
        throw new RateLimitedError(`Too many wrong passwords: try again in ${minutes(verdict.retryAfterMs)}.`, verdict.retryAfterMs);
      }
      const found = await findForLogin(pool, actor.name);
      if (!found || !(await verifyPassword(input.current_password, found.passwordHash))) {
        await recordFailure(pool, actor.name, address);
        throw new ValidationError('current_password is not your current password', 'current_password');
      }
      const hash = await hashPassword(input.password);
      const ended = await writeAs(pool, actor.label, 'user.set_password', async (client) => {
        await setPassword(client, actor.id, hash);
        // Whoever may have known the old password is signed out; this browser stays in.
        return deleteOtherSessions(client, actor.id, keepSession);
      }, 'changing your password');
      await clearFailures(pool, actor.name, DEFAULT_THROTTLE);
      return ended;
    },

    async endSession(actor, idHash) {
      const ended = await writeAs(pool, actor.label, 'user.sign_out', (client) => deleteUserSession(client, actor.id, idHash), 'signing the session out');
      if (!ended) throw new NotFoundError('that session has already ended, or is not yours');
    },

    async endOtherSessions(actor, keepSession) {
      return writeAs(pool, actor.label, 'user.sign_out', (client) => deleteOtherSessions(client, actor.id, keepSession), 'signing your other sessions out');
    },

    async setEmailReminders(actor, on) {
      return writeAs(pool, actor.label, 'user.email_reminders', (client) => setEmailReminders(client, actor.id, on), 'saving your reminder setting');
    },
  };
}
