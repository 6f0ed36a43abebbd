// Who may reach an admin route: a signed-in actor with at least the route's role (in the site the
// request acts in, see site-scope.ts), and for a form post, a CSRF token that matches the
// session's. Every route names its least role.

import { timingSafeEqual } from 'node:crypto';
import type express from 'express';
import { hasRole, type Role } from '../accounts/roles.js';
import { ForbiddenError, UnauthenticatedError } from '../errors.js';
import { locals } from './session.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function requireRole(least: Role): express.RequestHandler {
  return function checkRole(_req, res, next) {
    const { actor } = locals(res);
    if (!actor) return next(new UnauthenticatedError('sign in first'));
    if (!hasRole(actor.role, least)) {
      return next(new ForbiddenError(`your role (${actor.role}) cannot do this: it needs ${least} or above`));
    }
    next();
  };
}

/** Sites and users across sites: for global admins only. */
export function requireGlobalAdmin(_req: express.Request, res: express.Response, next: express.NextFunction): void {
  const { actor } = locals(res);
  if (!actor) return next(new UnauthenticatedError('sign in first'));
  if (!actor.globalAdmin) return next(new ForbiddenError('only a global admin can do this'));
  next();
}

function same(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Form posts must carry the session's token in _csrf; a page on another site cannot know it. */
export function checkCsrf(req: express.Request, res: express.Response, next: express.NextFunction): void {
  if (SAFE_METHODS.has(req.method)) return next();
  const expected = locals(res).session?.csrfToken;
  const given = (req.body as Record<string, unknown> | undefined)?._csrf;
  if (!expected) return next(new UnauthenticatedError('sign in first'));
  if (typeof given !== 'string' || !same(given, expected)) {
    return next(new ForbiddenError('the form was stale or came from another site (CSRF check failed): reload the page and try again', 'GW_ERR_CSRF'));
  }
  next();
}
