// The signed-in person's own account page, for every role: the time zone their pages use, their
// password, their sessions, and (operators and admins) reminder e-mails. Each post acts on the actor only, never on a user id from the form.

import type express from 'express';
import { z } from 'zod';
import { hasRole, highestRole, ROLE_DESCRIPTIONS } from '../../accounts/roles.js';
import { listUserSessions } from '../../accounts/sessions.js';
import { getUser } from '../../accounts/users.js';
import { ConflictError, NotFoundError, RateLimitedError } from '../../errors.js';
import { getEmailReminders } from '../../notify/reminder-recipients.js';
import type { AdminDeps } from '../deps.js';
import { redirectWith } from '../flash.js';
import { actorOf, formError, formFields, formLocals, isFormError, zonePicker, type FormValues } from '../form.js';
import { requireRole } from '../guards.js';
import { locals } from '../session.js';
import { DEFAULT_ZONE, isTimeZone, TIME_ZONE_COOKIE } from '../time-zone.js';
import { checkbox, emptyBody, parseInput } from '../validation.js';
import type { AccountOperations } from './account-operations.js';
import { passwordSchema, timeZoneSchema } from './input.js';
import { sessionView, userView } from './view.js';

type Form = 'time_zone' | 'password' | 'email_reminders';

const emailRemindersSchema = z.strictObject({ email_reminders: checkbox });

/** A session as the account page names it: its hash, which cannot be turned back into a cookie. */
function sessionParam(raw: unknown): string {
  if (typeof raw !== 'string' || !/^[0-9a-f]{64}$/.test(raw)) throw new NotFoundError('there is no such session: it may have ended already');
  return raw;
}

/** Adds the routes to pages itself (not a nested router), so every route can be listed from it. */
export function addAccountPages(pages: express.Router, deps: AdminDeps, ops: AccountOperations): void {
  const { pool, config, now } = deps;

  async function renderAccount(res: express.Response, status: number, form?: { which: Form; values: FormValues; error: { message: string; field?: string } }): Promise<void> {
    const state = locals(res);
    const actor = actorOf(res);
    const zone = state.timeZone;
    const [user, sessions, emailReminders] = await Promise.all([getUser(pool, actor.id), listUserSessions(pool, actor.id), getEmailReminders(pool, actor.id)]);
    const browserZone = state.cookies[TIME_ZONE_COOKIE];
    const at = now();
    res.status(status).render('admin/users/account', {
      title: 'Your account',
      nav: '/account',
      zone,
      person: userView({ ...user, role: highestRole(actor) }, zone, at),
      roleDescription: actor.globalAdmin ? 'manages users, and is an admin everywhere on this gateway' : ROLE_DESCRIPTIONS[highestRole(actor)],
      role: highestRole(actor),
      // More than one application behind the gateway is something a global admin may want: say where.
      addSitesHref: actor.globalAdmin ? `${config.adminPath}/sites` : null,
      savedZone: user.timeZone ?? '',
      browserZone: isTimeZone(browserZone) ? browserZone : `unknown yet (${DEFAULT_ZONE} until your browser says)`,
      zones: zonePicker(res, user.timeZone ?? undefined).zones,
      sessions: sessions.map((session) => sessionView(session, state.session!.idHash, zone, at)),
      emailReminders,
      emailEnabled: config.smtpUrl !== undefined,
      remindable: hasRole(highestRole(actor), 'operator'),
      which: form?.which,
      ...formLocals(form?.values ?? {}, form?.error),
    });
  }

  pages.get('/account', requireRole('viewer'), async function accountPage(_req, res) {
    await renderAccount(res, 200);
  });

  pages.post('/account/time-zone', requireRole('viewer'), async function saveTimeZone(req, res) {
    const values = formFields(req);
    let zone;
    try {
      zone = parseInput(timeZoneSchema, values).time_zone;
    } catch (err) {
      if (!isFormError(err)) throw err;
      return renderAccount(res, err.status, { which: 'time_zone', values, error: formError(err) });
    }
    await ops.setTimeZone(actorOf(res), zone);
    const text = zone === null ? 'Times now follow your browser’s time zone.' : `Times now show in ${zone}.`;
    redirectWith(res, config.adminPath, '/account', { kind: 'notice', text });
  });

  pages.post('/account/password', requireRole('viewer'), async function changePassword(req, res) {
    const values = formFields(req);
    // Passwords are never sent back into the page.
    const blank = {};
    try {
      const input = parseInput(passwordSchema, values);
      const ended = await ops.changePassword(actorOf(res), locals(res).session!.idHash, input, req.ip ?? '');
      const others = ended === 0 ? '' : ` ${ended} other session${ended === 1 ? ' was' : 's were'} signed out.`;
      redirectWith(res, config.adminPath, '/account', { kind: 'notice', text: `Your password is changed.${others}` });
    } catch (err) {
      if (err instanceof RateLimitedError) res.set('Retry-After', String(Math.ceil(err.retryAfterMs / 1000)));
      if (!isFormError(err) && !(err instanceof RateLimitedError)) throw err;
      return renderAccount(res, err.status, { which: 'password', values: blank, error: formError(err) });
    }
  });

  pages.post('/account/email-reminders', requireRole('viewer'), async function saveEmailReminders(req, res) {
    const values = formFields(req);
    try {
      const on = parseInput(emailRemindersSchema, values).email_reminders;
      const actor = actorOf(res);
      // Turning them off is always allowed; on needs someone who runs maintenance, and a mail server.
      if (on && !hasRole(actor.role, 'operator')) throw new ConflictError('reminder e-mails go to operators and admins, who run maintenance: ask an admin if you need them');
      if (on && !config.smtpUrl) throw new ConflictError('e-mail is off on this gateway (SMTP_URL is not set): ask whoever runs it to set it');
      await ops.setEmailReminders(actor, on);
      const text = on ? 'You will get an e-mail before maintenance starts.' : 'You will get no more reminder e-mails.';
      redirectWith(res, config.adminPath, '/account', { kind: 'notice', text });
    } catch (err) {
      if (!isFormError(err)) throw err;
      return renderAccount(res, err.status, { which: 'email_reminders', values, error: formError(err) });
    }
  });

  pages.post('/account/sessions/:id/end', requireRole('viewer'), async function endSession(req, res) {
    const idHash = sessionParam(req.params.id);
    parseInput(emptyBody, formFields(req));
    if (idHash === locals(res).session!.idHash) {
      // The sign-out button in the header does this one, and clears the cookie too.
      return redirectWith(res, config.adminPath, '/account', { kind: 'warning', text: 'That is this session: use “Sign out” at the top to end it.' });
    }
    await ops.endSession(actorOf(res), idHash);
    redirectWith(res, config.adminPath, '/account', { kind: 'notice', text: 'That session is signed out.' });
  });

  pages.post('/account/sessions/end-others', requireRole('viewer'), async function endOtherSessions(req, res) {
    parseInput(emptyBody, formFields(req));
    const ended = await ops.endOtherSessions(actorOf(res), locals(res).session!.idHash);
    redirectWith(res, config.adminPath, '/account', { kind: 'notice', text: `Signed out ${ended} other session${ended === 1 ? '' : 's'}.` });
  });
}
