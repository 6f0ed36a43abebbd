// Loads the signed-in user of an admin page from the session cookie, and sets what every page
// needs: who is acting, the CSRF token, and the time zone to show times in.

import type express from 'express';
import { parse as parseCookie } from 'cookie';
import { highestRole, type Actor } from '../accounts/roles.js';
import { loadSession, SESSION_COOKIE, type Session, type SessionPolicy } from '../accounts/sessions.js';
import type { Pool } from '../db/pool.js';
import { fromDatabaseError } from '../errors.js';
import { DEFAULT_ZONE, isTimeZone, TIME_ZONE_COOKIE } from './time-zone.js';

/** What the admin pages keep in res.locals. */
export interface AdminLocals {
  session: Session | undefined;
  actor: Actor | undefined;
  cookies: Record<string, string | undefined>;
  timeZone: string;
}

export function locals(res: express.Response): AdminLocals {
  return res.locals as AdminLocals;
}

export function userActor(session: Session): Actor {
  const { user } = session;
  // The role is the site's once the site scope has run; until then, the highest, for the nav only.
  const roles = { globalAdmin: user.globalAdmin, siteRoles: user.siteRoles };
  return { kind: 'user', id: user.id, name: user.email, role: highestRole(roles), ...roles, label: `user:${user.email}` };
}

export function sessionCookieOptions(req: express.Request, adminPath: string, expiresAt?: number): import('express').CookieOptions {
  return {
    httpOnly: true,
    sameSite: 'lax',
    // req.secure follows TRUSTED_PROXIES through express's trust proxy setting.
    secure: req.secure,
    path: adminPath,
    ...(expiresAt === undefined ? {} : { expires: new Date(expiresAt) }),
  };
}

export function createSessionLoader(pool: Pool, policy: SessionPolicy): express.RequestHandler {
  return async function loadAdminSession(req, res, next) {
    const cookies = req.headers.cookie ? parseCookie(req.headers.cookie) : {};
    const state = locals(res);
    state.cookies = cookies;
    const id = cookies[SESSION_COOKIE];
    try {
      state.session = id ? await loadSession(pool, id, policy) : undefined;
    } catch (err) {
      next(fromDatabaseError(err, 'reading your session'));
      return;
    }
    state.actor = state.session && userActor(state.session);
    res.locals.user = state.session && { ...state.session.user, role: state.actor!.role };
    res.locals.csrfToken = state.session?.csrfToken ?? '';
    const browserZone = cookies[TIME_ZONE_COOKIE];
    state.timeZone = state.session?.user.timeZone ?? (isTimeZone(browserZone) ? browserZone : DEFAULT_ZONE);
    next();
  };
}
