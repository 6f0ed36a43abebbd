// What the status page says about the site: Settings where an admin filled them in, else the
// site's defaults (siteDefaults below). Values are checked again here, because plain SQL can
// write anything the table's checks let through.

import { primarySite } from '../sites/site-routes.js';
import type { SiteSettings, SiteSnapshots, Snapshot } from '../snapshot/types.js';
import { brandHex, brandStylesheetPath } from './brand-color.js';

/** What the environment gives every public page: SITE_NAME, SUPPORT_EMAIL and STATUS_PATH. */
export interface PublicEnv {
  siteName: string;
  supportEmail: string | undefined;
  statusPath: string;
}

export interface SiteDefaults {
  siteName: string;
  supportEmail: string | undefined;
  statusPath: string;
}

export interface SiteView {
  siteName: string;
  supportEmail: string | null;
  /** An http(s) URL or a path on this site; null when unset or not one of those. */
  logoUrl: string | null;
  /** The stylesheet that sets the brand accent; null without a brand colour. */
  brandStylesheet: string | null;
  /** Plain text; the page keeps its line breaks. */
  footerText: string | null;
}

/**
 * The one rule for what a site falls back to when its Settings leave the name or e-mail blank:
 * the default site (or the only one) keeps SITE_NAME and SUPPORT_EMAIL, as a single-site gateway
 * always did; any other site is named by its slug and shows no support e-mail, so one team's
 * address never appears on another's page.
 */
export function siteDefaults(snapshots: SiteSnapshots, snapshot: Snapshot, env: PublicEnv): SiteDefaults {
  if (isPrimary(snapshots, snapshot)) return { siteName: env.siteName, supportEmail: env.supportEmail, statusPath: env.statusPath };
  return { siteName: snapshot.site.slug, supportEmail: undefined, statusPath: env.statusPath };
}

/** The site a single-site setup means: the default one, else the only one. */
export function isPrimary(snapshots: SiteSnapshots, snapshot: Snapshot): boolean {
  return primarySite(snapshots)?.site.id === snapshot.site.id;
}

/** A blank setting is treated as unset, so clearing a field in a form falls back to the default. */
function given(value: string | null): string | null {
  return value !== null && value.trim() !== '' ? value.trim() : null;
}

// Control characters are refused outright: a URL parser drops tabs and newlines, which would
// turn "/\t/host" into "//host", another site.
const CONTROL = /[\u0000-\u001f\u007f]/;

/** An image source the page may use: an http(s) URL, or a path on this site ("/logo.svg"). */
export function safeImageUrl(value: string | null): string | null {
  const url = given(value);
  if (url === null || CONTROL.test(url)) return null;
  if (url.startsWith('/')) return url.startsWith('//') || url.startsWith('/\\') ? null : url;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : null;
  } catch {
    return null;
  }
}

export function siteView(settings: SiteSettings, defaults: SiteDefaults): SiteView {
  const hex = brandHex(settings.brandColor);
  return {
    siteName: given(settings.siteName) ?? defaults.siteName,
    supportEmail: given(settings.supportEmail) ?? defaults.supportEmail ?? null,
    logoUrl: safeImageUrl(settings.logoUrl),
    brandStylesheet: hex === null ? null : brandStylesheetPath(defaults.statusPath, hex),
    footerText: given(settings.footerText),
  };
}
