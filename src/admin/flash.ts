// One-shot messages shown on the page a form redirects to ("Maintenance started"), kept in a
// short-lived cookie so a redirect after a post needs no database write.

import type express from 'express';
import { locals } from './session.js';

const FLASH_COOKIE = 'intermission_flash';
const MAX_TEXT = 500;

export interface FlashMessage {
  kind: 'notice' | 'warning';
  text: string;
}

/** Redirects (303, so the browser GETs) to path under the admin area with messages to show there. */
export function redirectWith(res: express.Response, adminPath: string, path: string, ...messages: FlashMessage[]): void {
  if (messages.length > 0) {
    const value = JSON.stringify(messages.slice(0, 3).map((m) => ({ kind: m.kind, text: m.text.slice(0, MAX_TEXT) })));
    // On the admin area's root, whichever site's page it is for: the reader clears it there.
    const root = (res.locals.rootPath as string | undefined) ?? adminPath;
    res.cookie(FLASH_COOKIE, value, { httpOnly: true, sameSite: 'lax', secure: res.req.secure, path: root, maxAge: 60_000 });
  }
  res.redirect(303, `${adminPath}${path}`);
}

function parse(raw: string | undefined): FlashMessage[] {
  if (!raw) return [];
  try {
    const value = JSON.parse(raw) as unknown;
    if (!Array.isArray(value)) return [];
    // Anyone can set their own cookie: keep only well-formed messages (they are escaped when shown anyway).
    return value
      .filter((m): m is FlashMessage => (m?.kind === 'notice' || m?.kind === 'warning') && typeof m.text === 'string')
      .slice(0, 3)
      .map((m) => ({ kind: m.kind, text: m.text.slice(0, MAX_TEXT) }));
  } catch {
    return [];
  }
}

/** On page views, takes the messages out of the cookie into res.locals.flash. */
export function createFlashReader(adminPath: string): express.RequestHandler {
  return function readFlash(req, res, next) {
    const raw = locals(res).cookies[FLASH_COOKIE];
    res.locals.flash = req.method === 'GET' ? parse(raw) : [];
    if (raw && req.method === 'GET') res.clearCookie(FLASH_COOKIE, { path: adminPath });
    next();
  };
}
