// Signing in and out, and choosing a password from a one-time link (the first admin's setup link
// or an invite). These forms are used before there is a session, so they carry their own CSRF
// token in a cookie (double submit) instead of the session's.

import { randomBytes, timingSafeEqual } from 'node:crypto';
import express from 'express';
import { checkThrottle, clearFailures, DEFAULT_THROTTLE, recordFailure, type ThrottlePolicy } from '../../accounts/login-throttle.js';
import { checkNewPassword, hashPassword, verifyPassword } from '../../accounts/passwords.js';
import { createSession, deleteExpiredSessions, deleteSession, deleteUserSessions, SESSION_COOKIE, type SessionPolicy } from '../../accounts/sessions.js';
import { peekSetupToken, useSetupToken } from '../../accounts/setup-tokens.js';
import { countUsers, createUser, findForLogin, parseEmail, setPassword } from '../../accounts/users.js';
import { writeAs } from '../../audit/write-as.js';
import type { Pool } from '../../db/pool.js';
import { safeReturnPath } from '../../decide/paths.js';
import { ConflictError, ForbiddenError, fromDatabaseError, GatewayError, NotFoundError, RateLimitedError, ValidationError } from '../../errors.js';
import { redirectWith } from '../flash.js';
import { locals, sessionCookieOptions } from '../session.js';

const FORM_COOKIE = 'intermission_form';

export interface SignInDeps {
  pool: Pool;
  adminPath: string;
  sessionPolicy: SessionPolicy;
  throttle?: ThrottlePolicy;
}

function minutes(ms: number): string {
  const n = Math.max(1, Math.ceil(ms / 60_000));
  return `${n} minute${n === 1 ? '' : 's'}`;
}

export function createSignInRouter({ pool, adminPath, sessionPolicy, throttle = DEFAULT_THROTTLE }: SignInDeps): express.Router {
  const router = express.Router();

  /** The token the anonymous form must send back; reuses the cookie's so two open tabs both work. */
  function formToken(req: express.Request, res: express.Response): string {
    const existing = locals(res).cookies[FORM_COOKIE];
    const token = existing && /^[\w-]{43}$/.test(existing) ? existing : randomBytes(32).toString('base64url');
    res.cookie(FORM_COOKIE, token, { httpOnly: true, sameSite: 'strict', secure: req.secure, path: adminPath });
    return token;
  }

  function checkFormToken(req: express.Request, res: express.Response): void {
    const expected = locals(res).cookies[FORM_COOKIE] ?? '';
    const given = String((req.body as Record<string, unknown>)?._csrf ?? '');
    if (!expected || expected.length !== given.length || !timingSafeEqual(Buffer.from(expected), Buffer.from(given))) {
      throw new ForbiddenError('the form was stale or came from another site (CSRF check failed): reload the page and try again', 'GW_ERR_CSRF');
    }
  }

  /** Where to go after signing in: a page of the admin area, never another site. */
  function nextPath(raw: unknown): string {
    const path = safeReturnPath(raw);
    return path && (path === adminPath || path.startsWith(`${adminPath}/`)) ? path : adminPath;
  }

  function renderLogin(req: express.Request, res: express.Response, status: number, error?: string, email = ''): void {
    res.status(status).render('admin/login', { title: 'Sign in', csrfToken: formToken(req, res), error, email, next: nextPath(req.query.next ?? (req.body as Record<string, unknown>)?.next) });
  }

  async function startSession(req: express.Request, res: express.Response, userId: string): Promise<void> {
    // A new id at every sign-in, and the old session gone: a planted cookie is worth nothing.
    const previous = locals(res).cookies[SESSION_COOKIE];
    if (previous) await deleteSession(pool, previous);
    await deleteExpiredSessions(pool);
    const session = await createSession(pool, userId, sessionPolicy, { address: req.ip ?? '', userAgent: req.get('user-agent') ?? '' });
    res.cookie(SESSION_COOKIE, session.id, sessionCookieOptions(req, adminPath, session.expiresAt));
  }

  router.get('/login', function loginForm(req, res) {
    if (locals(res).actor) return void res.redirect(303, nextPath(req.query.next));
    renderLogin(req, res, 200);
  });

  router.post('/login', async function login(req, res, next) {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const rawEmail = typeof body.email === 'string' ? body.email.trim().toLowerCase().slice(0, 254) : '';
    try {
      checkFormToken(req, res);
      const email = parseEmail(body.email);
      const password = typeof body.password === 'string' ? body.password : '';
      if (!password) throw new ValidationError('password is empty', 'password');
      const address = req.ip ?? '';
      const verdict = await checkThrottle(pool, email, address, throttle);
      if (!verdict.allowed) {
        const who = verdict.by === 'account' ? 'this account' : 'your address';
        throw new RateLimitedError(`Too many failed sign-ins for ${who}: try again in ${minutes(verdict.retryAfterMs)}.`, verdict.retryAfterMs);
      }
      const found = await findForLogin(pool, email);
      const valid = await verifyPassword(password, found?.passwordHash ?? null);
      if (!found || !valid || found.user.disabled) {
        await recordFailure(pool, email, address);
        // One message for every case, so the form does not tell which emails have accounts.
        return renderLogin(req, res, 401, 'Wrong email or password.', rawEmail);
      }
      await clearFailures(pool, email, throttle);
      await startSession(req, res, found.user.id);
      res.redirect(303, nextPath(body.next));
    } catch (err) {
      if (err instanceof ValidationError || err instanceof RateLimitedError) {
        if (err instanceof RateLimitedError) res.set('Retry-After', String(Math.ceil(err.retryAfterMs / 1000)));
        return renderLogin(req, res, err.status, err.message, rawEmail);
      }
      next(err instanceof GatewayError ? err : fromDatabaseError(err, 'signing in'));
    }
  });

  router.post('/logout', async function logout(req, res, next) {
    const { session, cookies } = locals(res);
    try {
      // The session's own token: a page on another site must not be able to sign people out.
      if (session && (req.body as Record<string, unknown>)?._csrf !== session.csrfToken) {
        throw new ForbiddenError('the sign-out form was stale (CSRF check failed): reload the page and try again', 'GW_ERR_CSRF');
      }
      const id = cookies[SESSION_COOKIE];
      if (id) await deleteSession(pool, id);
      res.clearCookie(SESSION_COOKIE, sessionCookieOptions(req, adminPath));
      redirectWith(res, adminPath, '/login', { kind: 'notice', text: 'You are signed out.' });
    } catch (err) {
      next(err instanceof GatewayError ? err : fromDatabaseError(err, 'signing out'));
    }
  });

  async function setupTarget(token: unknown) {
    const target = typeof token === 'string' && token.length <= 100 ? await peekSetupToken(pool, token) : undefined;
    if (!target) throw new NotFoundError('this link is invalid, used or expired: ask an admin for a new one (or restart the gateway for a new setup link)');
    return target;
  }

  router.get('/setup', async function setupForm(req, res, next) {
    try {
      const target = await setupTarget(req.query.token);
      res.render('admin/setup', { title: 'Choose your password', target, token: req.query.token, csrfToken: formToken(req, res), error: undefined, email: '' });
    } catch (err) {
      next(err);
    }
  });

  router.post('/setup', async function setup(req, res, next) {
    const body = (req.body ?? {}) as Record<string, unknown>;
    let target;
    try {
      checkFormToken(req, res);
      target = await setupTarget(body.token);
      const email = target.kind === 'invite' ? target.email : parseEmail(body.email);
      const password = checkNewPassword(body.password);
      if (body.password !== body.password_again) throw new ValidationError('password_again does not match the password', 'password_again');
      const hash = await hashPassword(password);
      const userId = await writeAs(pool, `user:${email}`, 'user.set_password', async (client) => {
        if (!(await useSetupToken(client, String(body.token)))) throw new ConflictError('this link has just been used: sign in instead');
        if (target!.kind === 'invite') {
          // After a reset, whoever held the old password is signed out of every session.
          await deleteUserSessions(client, target!.userId);
          await setPassword(client, target!.userId, hash);
          return target!.userId;
        }
        // A setup link made before someone else became the first admin must not make a second one.
        if ((await countUsers(client)) > 0) throw new ConflictError('an admin already exists: sign in, or ask them for an invite');
        return (await createUser(client, { email, name: '', globalAdmin: true, passwordHash: hash })).id;
      }, 'setting your password');
      await startSession(req, res, userId);
      redirectWith(res, adminPath, '', { kind: 'notice', text: `Welcome, ${email}. Your password is set.` });
    } catch (err) {
      if (err instanceof ValidationError && target) {
        return void res.status(400).render('admin/setup', { title: 'Choose your password', target, token: body.token, csrfToken: formToken(req, res), error: err.message, email: typeof body.email === 'string' ? body.email : '' });
      }
      next(err);
    }
  });

  return router;
}
