// What the status page says about the site: Settings where an admin filled them in, else the
// environment (SITE_NAME, SUPPORT_EMAIL). Values are checked again here, because plain SQL can
// write anything the table's checks let through.

import type { SiteSettings } from '../snapshot/types.js';
import { brandHex, brandStylesheetPath } from './brand-color.js';

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
