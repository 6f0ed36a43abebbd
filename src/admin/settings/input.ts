// The zod schema of a settings save, shared by the form and the API. Field names are the API's
// (snake_case). An empty value (or null in JSON) clears a setting: the environment's default applies.

import { z } from 'zod';
import { ValidationError } from '../../errors.js';
import { parseMessage } from '../../maintenance/input.js';
import type { SettingsChanges } from '../../maintenance/settings.js';
import { checked } from '../validation.js';

// The same limits as the CHECK constraints on the settings table (migrations/002_admin.sql).
const MAX_SITE_NAME = 100;
const MAX_EMAIL = 254;
const MAX_URL = 2000;
const MAX_FOOTER = 1000;
const CONTROL = /[\u0000-\u001f\u007f]/;
// The shape SUPPORT_EMAIL is held to (src/config/parse.ts), so both sources agree.
const EMAIL = /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/;
const COLOR = /^#[0-9a-f]{6}$/i;

function quoted(raw: string): string {
  return JSON.stringify(raw.length > 60 ? `${raw.slice(0, 57)}...` : raw);
}

function characters(text: string): number {
  return [...text].length;
}

function parseSiteName(raw: string, field: string): string {
  if (CONTROL.test(raw)) throw new ValidationError(`${field} must be one line of text`, field);
  if (characters(raw) > MAX_SITE_NAME) throw new ValidationError(`${field} is ${characters(raw)} characters long: at most ${MAX_SITE_NAME}`, field);
  return raw;
}

function parseEmail(raw: string, field: string): string {
  if (raw.length > MAX_EMAIL || !EMAIL.test(raw)) {
    throw new ValidationError(`${field} ${quoted(raw)} is not an email address such as support@example.com`, field);
  }
  return raw;
}

/** An absolute http(s) URL, or a path on this site; never javascript:, data: or a protocol-relative //host. */
function parseLogoUrl(raw: string, field: string): string {
  const problem = `${field} ${quoted(raw)} is not a logo address: give an https:// or http:// URL, or a path on this site starting with /`;
  if (raw.length > MAX_URL) throw new ValidationError(`${field} is ${raw.length} characters long: at most ${MAX_URL}`, field);
  if (/[\s\u0000-\u001f\u007f\\]/.test(raw)) throw new ValidationError(problem, field);
  if (raw.startsWith('/')) {
    if (raw.startsWith('//')) throw new ValidationError(problem, field);
    return raw;
  }
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || !url.hostname || !/^https?:\/\//i.test(raw)) {
    throw new ValidationError(problem, field);
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
