// Checking what a person gives about a site: its slug, its host names and its upstream. Pure,
// shared by the CLI, the admin pages and the API; each error names the field and what would do.

import { ValidationError } from '../errors.js';
import { parseBaseUrl, quoted } from '../maintenance/input.js';

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;
const HOST_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
/** The status page's own sub-paths: STATUS_PATH/<slug> must not shadow them (see migrations/007_sites.sql). */
export const RESERVED_SLUGS: readonly string[] = ['api', 'assets', 'events', 'history', 'widget', 'sites'];
export const MAX_SITE_HOSTS = 100;

export function parseSlug(raw: string, field = 'slug'): string {
  const slug = raw.trim();
  if (!SLUG.test(slug)) {
    throw new ValidationError(
      `${field} ${quoted(raw)} is not a site slug: use 1 to 40 lower-case letters, digits and inner dashes, e.g. shop or eu-store`,
      field,
    );
  }
  if (RESERVED_SLUGS.includes(slug)) {
    throw new ValidationError(`${field} ${quoted(slug)} is a path of the status page itself: choose another (not ${RESERVED_SLUGS.join(', ')})`, field);
  }
  return slug;
}

/** A host name such as shop.example.com, or a wildcard one label deep such as *.example.com; lower-cased. */
export function parseSiteHost(raw: string, field = 'host'): string {
  const host = raw.trim().toLowerCase().replace(/\.$/, '');
  const name = host.startsWith('*.') ? host.slice(2) : host;
  const labels = name.split('.');
  if (!name || host.length > 253 || !labels.every((label) => HOST_LABEL.test(label))) {
    throw new ValidationError(
      `${field} ${quoted(raw)} is not a host name: use e.g. shop.example.com or *.example.com (no scheme, no port, no path)`,
      field,
    );
  }
  if (host.startsWith('*.') && labels.length < 2) {
    throw new ValidationError(`${field} ${quoted(raw)} would match every name under a top-level domain: use e.g. *.example.com`, field);
  }
  return host;
}

export function parseSiteHosts(raw: readonly string[], field = 'hosts'): string[] {
  if (raw.length > MAX_SITE_HOSTS) throw new ValidationError(`${field} has ${raw.length} names: at most ${MAX_SITE_HOSTS}`, field);
  return [...new Set(raw.map((host) => parseSiteHost(host, field)))];
}

/** The site's application: an http(s) address with no path beyond "/", no query, no credentials. */
export function parseUpstream(raw: string, field = 'upstream'): string {
  const url = parseBaseUrl(raw, field);
  if (url.username || url.password) throw new ValidationError(`${field} ${quoted(raw)} holds credentials: give the address only`, field);
  return url.origin + (url.pathname === '/' ? '' : url.pathname.replace(/\/$/, ''));
}
