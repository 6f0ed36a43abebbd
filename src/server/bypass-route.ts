// Opening a secret bypass link: check the token, then keep it in a cookie so the holder's
// browser goes past maintenance until the link expires or is revoked. A link belongs to one site
// and works on that site's hosts only: opened on another site's host, it is refused like an
// unknown link (the cookie would not let anything through there anyway).

import express from 'express';
import { BYPASS_COOKIE, verifyBypassToken } from '../decide/bypass-token.js';
import { hostName, safeReturnPath } from '../decide/paths.js';
import { routeHost } from '../sites/site-routes.js';
import type { SnapshotStore } from '../snapshot/store.js';

export function createBypassRouter(store: SnapshotStore, now: () => number = Date.now): express.Router {
  const router = express.Router();

  router.get('/bypass', function openBypassLink(req, res) {
    const token = typeof req.query.token === 'string' ? req.query.token : '';
    // The raw Host header, as the request path routes it (src/server/handler.ts).
    const snapshot = routeHost(store.current(), hostName(req.headers.host));
    const at = now();
    const claims = snapshot && verifyBypassToken(snapshot.bypassSecret, token, at);
    res.set('Cache-Control', 'no-store');
    const scope = snapshot && claims && snapshot.activeBypassLinks.get(claims.linkId);
    if (!claims || !scope) {
      res.status(403).type('text/plain').send('This bypass link is invalid, expired or revoked. Ask for a new one.\n');
      return;
    }
    res.cookie(BYPASS_COOKIE, token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: req.secure,
      path: '/',
      maxAge: claims.expiresAt - at,
    });
    // A link scoped to some paths lands where it works, not on a home page it does not open.
    res.redirect(303, safeReturnPath(req.query.next) ?? scope[0] ?? '/');
  });

  return router;
}
