// helmet's headers for every page the gateway serves itself, with a CSP the status page passes.

import http from 'node:http';
import net from 'node:net';
import helmet from 'helmet';

export function createHelmet(): ReturnType<typeof helmet> {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'"],
        // The logo in Settings may live on another host (a CDN, the company site). Images cannot run
        // script; http: is allowed too because the gateway itself is often served over plain HTTP.
        'img-src': ["'self'", 'data:', 'https:', 'http:'],
        'connect-src': ["'self'"],
        // The gateway often runs behind plain HTTP inside a cluster; forcing https here would break its own assets.
        'upgrade-insecure-requests': null,
      },
    },
    // HSTS binds the customer's whole domain for a year: the application decides that, not its maintenance page.
    strictTransportSecurity: false,
  });
}

/**
 * The same headers as a flat list, computed once, for responses the gateway writes outside
 * express (maintenance and trouble pages): setting them is then a loop, not a middleware run.
 */
export function securityHeaderList(): [string, string][] {
  const res = new http.ServerResponse(new http.IncomingMessage(new net.Socket()));
  createHelmet()(res.req as never, res as never, () => undefined);
  return Object.entries(res.getHeaders()).map(([name, value]) => [name, String(value)]);
}
