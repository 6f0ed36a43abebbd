// Parsing what a person types about maintenance (durations, times, scopes, texts) into checked
// values. Pure functions, shared by the CLI and the admin API; each error names the field.

import { ValidationError } from '../errors.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const MAX_WINDOW_MS = 365 * DAY;
export const MAX_BYPASS_LINK_MS = 30 * DAY;
// The same limits as the CHECK constraints in migrations/001_core.sql, checked first for a better message.
export const MAX_TITLE_LENGTH = 200;
export const MAX_MESSAGE_LENGTH = 5000;
export const MAX_NOTE_LENGTH = 200;
export const MAX_LIST_ITEMS = 100;
const MAX_PATH_LENGTH = 2000;

const DURATION = /^(?:(\d{1,6})d)?(?:(\d{1,6})h)?(?:(\d{1,6})m)?(?:(\d{1,6})s)?$/;
// Date and time with an explicit offset; the offset group is optional here only so that a
// missing one gets its own message instead of "not a time".
const ISO_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:(Z)|([+-])(\d{2}):?(\d{2}))?$/i;
const HOST_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
// Control characters never belong in a one-line text; newlines in a message are fine.
const CONTROL = /[\u0000-\u001f\u007f]/;
const CONTROL_EXCEPT_NEWLINE = /[\u0000-\u0008\u000b-\u001f\u007f]/;

/** A value as an error message quotes it: JSON-escaped, and cut short when long. */
export function quoted(raw: string): string {
  return JSON.stringify(raw.length > 60 ? `${raw.slice(0, 57)}...` : raw);
}

/** Milliseconds of a duration such as 30s, 30m, 2h, 1h30m or 1d; more than zero and at most maxMs. */
export function parseDuration(raw: string, field: string, maxMs: number = MAX_WINDOW_MS): number {
  const text = raw.trim().toLowerCase();
  const match = DURATION.exec(text);
  if (!text || !match) {
    throw new ValidationError(`${field} ${quoted(raw)} is not a duration: use e.g. 30m, 2h or 1h30m`, field);
  }
  const [days = 0, hours = 0, minutes = 0, seconds = 0] = match.slice(1).map((part) => Number(part ?? 0));
  const ms = days * DAY + hours * HOUR + minutes * MINUTE + seconds * SECOND;
  if (ms <= 0) throw new ValidationError(`${field} ${quoted(raw)} is zero: give a duration such as 30m`, field);
  if (ms > maxMs) {
    throw new ValidationError(`${field} ${quoted(raw)} is too long: at most ${formatDuration(maxMs)}`, field);
  }
  return ms;
}

/** The shortest duration text parseDuration reads back, e.g. 90 minutes as 1h30m. */
export function formatDuration(ms: number): string {
  const parts: [number, string][] = [
    [Math.floor(ms / DAY), 'd'],
    [Math.floor((ms % DAY) / HOUR), 'h'],
    [Math.floor((ms % HOUR) / MINUTE), 'm'],
    [Math.floor((ms % MINUTE) / SECOND), 's'],
  ];
  return parts.filter(([count]) => count > 0).map(([count, unit]) => `${count}${unit}`).join('') || '0s';
}

/** An ISO 8601 time with Z or an offset; a local time without one is ambiguous and refused. */
export function parseIsoTime(raw: string, field: string): Date {
  const text = raw.trim();
  const match = ISO_TIME.exec(text);
  const example = 'e.g. 2026-11-22T14:00:00Z or 2026-11-22T15:00:00+01:00';
  if (!match) throw new ValidationError(`${field} ${quoted(raw)} is not an ISO 8601 time: use ${example}`, field);
  const [, year, month, day, hour, minute, second = '0', fraction = '0', zulu, sign, offsetHours, offsetMinutes] = match;
  if (!zulu && !sign) {
    throw new ValidationError(
      `${field} ${quoted(raw)} has no UTC offset, so it is ambiguous: add Z or an offset, ${example}`,
      field,
    );
  }
  const date = new Date(0);
  date.setUTCFullYear(Number(year), Number(month) - 1, Number(day));
  date.setUTCHours(Number(hour), Number(minute), Number(second), Number(fraction.padEnd(3, '0').slice(0, 3)));
  // A roll-over (February 30, 25:00, minute 61) means the text named a time that does not exist.
  const exists =
    date.getUTCFullYear() === Number(year) &&
    date.getUTCMonth() === Number(month) - 1 &&
    date.getUTCDate() === Number(day) &&
    date.getUTCHours() === Number(hour) &&
    date.getUTCMinutes() === Number(minute) &&
    date.getUTCSeconds() === Number(second) &&
    Number(offsetHours ?? 0) <= 23 &&
    Number(offsetMinutes ?? 0) <= 59;
  if (!exists) throw new ValidationError(`${field} ${quoted(raw)} is not a valid date and time: use ${example}`, field);
  const offsetMs = sign ? (sign === '-' ? -1 : 1) * (Number(offsetHours) * HOUR + Number(offsetMinutes) * MINUTE) : 0;
  return new Date(date.getTime() - offsetMs);
}

/** A time strictly after now, and at most maxAheadMs after it when given. */
export function parseFutureTime(raw: string, field: string, now: number, maxAheadMs?: number): Date {
  const time = parseIsoTime(raw, field);
  if (time.getTime() <= now) {
    throw new ValidationError(`${field} ${quoted(raw)} is in the past: give a time after ${new Date(now).toISOString()}`, field);
  }
  if (maxAheadMs !== undefined && time.getTime() - now > maxAheadMs) {
    throw new ValidationError(`${field} ${quoted(raw)} is too far ahead: at most ${formatDuration(maxAheadMs)} from now`, field);
  }
  return time;
}

function parseList(raw: string, field: string): string[] {
  const items = raw.split(',').map((item) => item.trim()).filter(Boolean);
  if (items.length === 0) throw new ValidationError(`${field} is empty: give a comma-separated list`, field);
  if (items.length > MAX_LIST_ITEMS) throw new ValidationError(`${field} has ${items.length} entries: at most ${MAX_LIST_ITEMS}`, field);
  return [...new Set(items)];
}

/** Path prefixes such as /api,/checkout: each starts with /, no spaces or query. */
export function parsePathList(raw: string, field: string): string[] {
  const paths = parseList(raw, field);
  for (const item of paths) {
    if (!item.startsWith('/') || /[\s?#]/.test(item) || CONTROL.test(item) || item.length > MAX_PATH_LENGTH) {
      throw new ValidationError(`${field} has ${quoted(item)}: each path must start with / and hold no spaces, ? or #, e.g. /api,/checkout`, field);
    }
  }
  return paths;
}

/** Host names such as shop.example.com, lower-cased, without a port. */
export function parseHostList(raw: string, field: string): string[] {
  const hosts = parseList(raw, field).map((item) => item.toLowerCase());
  for (const host of hosts) {
    const labels = host.split('.');
    if (host.length > 253 || !labels.every((label) => HOST_LABEL.test(label))) {
      throw new ValidationError(`${field} has ${quoted(host)}: each entry must be a host name such as shop.example.com (no port, no scheme)`, field);
    }
  }
  return [...new Set(hosts)];
}

// Counted in characters as PostgreSQL's length() counts them, not in UTF-16 units.
function characters(text: string): number {
  return [...text].length;
}

/**
 * One line of text (a title, a name, a note), trimmed, of at most maxLength characters. Empty is
 * refused with `ifEmpty` as the hint when given, and allowed when not.
 */
export function parseLine(raw: string, field: string, maxLength: number, ifEmpty?: string): string {
  const line = raw.trim();
  if (!line && ifEmpty !== undefined) throw new ValidationError(`${field} is empty: ${ifEmpty}`, field);
  if (CONTROL.test(line)) throw new ValidationError(`${field} must be one line of text`, field);
  if (characters(line) > maxLength) {
    throw new ValidationError(`${field} is ${characters(line)} characters long: at most ${maxLength}`, field);
  }
  return line;
}

export function parseTitle(raw: string, field: string): string {
  return parseLine(raw, field, MAX_TITLE_LENGTH, 'give a short title such as "Database upgrade"');
}

export function parseMessage(raw: string, field: string, maxLength: number = MAX_MESSAGE_LENGTH): string {
  const message = raw.trim();
  if (CONTROL_EXCEPT_NEWLINE.test(message)) throw new ValidationError(`${field} holds control characters`, field);
  if (characters(message) > maxLength) {
    throw new ValidationError(`${field} is ${characters(message)} characters long: at most ${maxLength}`, field);
  }
  return message;
}

/** An http(s) URL without query or fragment, e.g. the public address of the gateway. */
export function parseBaseUrl(raw: string, field: string): URL {
  let url: URL | undefined;
  try {
    url = new URL(raw.trim());
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.search || url.hash) {
    throw new ValidationError(`${field} ${quoted(raw)} is not an http:// or https:// URL such as https://shop.example.com`, field);
  }
  return url;
}
