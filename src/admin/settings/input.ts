// The zod schema of a settings save, shared by the form and the API. Field names are the API's
// (snake_case). An empty value (or null in JSON) clears a setting: the environment's default applies.

import { z } from 'zod';
import { ValidationError } from '../../errors.js';
import { EMAIL_ADDRESS } from '../../config/parse.js';
import { parseLine, parseMessage, quoted } from '../../maintenance/input.js';
import { safeImageUrl } from '../../status/site.js';
import type { SettingsChanges } from '../../maintenance/settings.js';
import { checked } from '../validation.js';

// The same limits as the CHECK constraints on the settings table (migrations/002_admin.sql).
const MAX_SITE_NAME = 100;
const MAX_EMAIL = 254;
const MAX_URL = 2000;
const MAX_FOOTER = 1000;
const COLOR = /^#[0-9a-f]{6}$/i;

function parseSiteName(raw: string, field: string): string {
  return parseLine(raw, field, MAX_SITE_NAME);
}

function parseEmail(raw: string, field: string): string {
  if (raw.length > MAX_EMAIL || !EMAIL_ADDRESS.test(raw)) {
    throw new ValidationError(`${field} ${quoted(raw)} is not an email address such as support@example.com`, field);
  }
  return raw;
}

/**
 * A logo the status page will show (safeImageUrl there decides: an http(s) URL or a path on this
 * site), written out in full: no spaces or backslashes, and no "https:host" shorthand.
 */
function parseLogoUrl(raw: string, field: string): string {
  if (raw.length > MAX_URL) throw new ValidationError(`${field} is ${raw.length} characters long: at most ${MAX_URL}`, field);
  const written = raw.startsWith('/') || /^https?:\/\/[^/]/i.test(raw);
  if (/[\s\\]/.test(raw) || !written || safeImageUrl(raw) === null) {
    throw new ValidationError(`${field} ${quoted(raw)} is not a logo address: give an https:// or http:// URL, or a path on this site starting with /`, field);
  }
  return raw;
}

function parseColor(raw: string, field: string): string {
  if (!COLOR.test(raw)) throw new ValidationError(`${field} ${quoted(raw)} is not a colour: use #rrggbb, e.g. #1f6feb`, field);
  // The column's CHECK wants lower case.
  return raw.toLowerCase();
}

function parseFooter(raw: string, field: string): string {
  return parseMessage(raw, field, MAX_FOOTER);
}

/** A setting: absent leaves it as it is; empty or null clears it; anything else must pass parse. */
function setting(parse: (raw: string, field: string) => string, field: string) {
  return z
    .union([z.string().max(20_000), z.null()])
    .optional()
    .transform((value, ctx) => {
      if (value === undefined) return undefined;
      const text = value === null ? '' : value.trim();
      return text === '' ? null : checked(parse, field)(text, ctx);
    });
}

export const settingsSchema = z
  .strictObject({
    site_name: setting(parseSiteName, 'site_name'),
    support_email: setting(parseEmail, 'support_email'),
    logo_url: setting(parseLogoUrl, 'logo_url'),
    brand_color: setting(parseColor, 'brand_color'),
    footer_text: setting(parseFooter, 'footer_text'),
  })
  .transform((input, ctx): SettingsChanges => {
    const changes: SettingsChanges = {
      siteName: input.site_name,
      supportEmail: input.support_email,
      logoUrl: input.logo_url,
      brandColor: input.brand_color,
      footerText: input.footer_text,
    };
    if (Object.values(changes).every((value) => value === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'nothing to change: give at least one field, e.g. site_name (null or "" clears it)', path: [] });
      return z.NEVER;
    }
    return changes;
  });
