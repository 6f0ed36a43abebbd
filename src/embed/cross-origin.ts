// The headers that let other sites show what src/embed serves. helmet (src/server/security-headers.ts)
// keeps everything same-origin and unframeable; these routes, and only these, loosen that.

import type express from 'express';

/** For responses another site loads as a resource: an <img>, a <script>, or fetch(). */
export function allowCrossOrigin(res: express.Response): void {
  // helmet's same-origin would make browsers refuse the badge in an <img> on another site.
  res.set('Cross-Origin-Resource-Policy', 'cross-origin');
  // Public, cookie-less data: any page may read it, e.g. to show the badge inline.
  res.set('Access-Control-Allow-Origin', '*');
}

/**
 * The same policy with `frame-ancestors *`, every other directive kept as it is, so the page can
 * sit in an iframe on any site while its own scripts, styles and connections stay 'self'.
 */
export function frameableAnywhere(csp: string): string {
  const kept = csp
    .split(';')
    .map((directive) => directive.trim())
    .filter((directive) => directive !== '' && directive.split(/\s+/, 1)[0]!.toLowerCase() !== 'frame-ancestors');
  return [...kept, 'frame-ancestors *'].join(';');
}

/** For a page meant to be framed by other sites; call it after helmet has set its headers. */
export function allowFraming(res: express.Response): void {
  const csp = res.getHeader('Content-Security-Policy');
  res.set('Content-Security-Policy', frameableAnywhere(typeof csp === 'string' ? csp : "default-src 'self'"));
  // X-Frame-Options has no "anyone" value; browsers that know CSP ignore it, older ones would obey it.
  res.removeHeader('X-Frame-Options');
}
