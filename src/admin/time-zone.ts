// Times as an SRE enters and reads them: in their chosen IANA zone (or the browser's), stored in
// UTC. The one place that converts wall-clock times, with luxon for the daylight-saving rules.

import { DateTime, IANAZone } from 'luxon';
import { ValidationError } from '../errors.js';

export const DEFAULT_ZONE = 'UTC';
export const TIME_ZONE_COOKIE = 'intermission_tz';

export function isTimeZone(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 64 && IANAZone.isValidZone(value);
}

/** Every zone this Node knows, for the zone picker. */
export function timeZones(): string[] {
  return Intl.supportedValuesOf('timeZone');
}

export function parseTimeZone(raw: unknown, field = 'time_zone'): string {
  if (!isTimeZone(raw)) throw new ValidationError(`${field} ${JSON.stringify(String(raw).slice(0, 64))} is not a time zone: use an IANA name such as Europe/Paris or UTC`, field);
  return raw;
}

/**
 * A wall-clock time from an <input type="datetime-local"> ("2026-11-22T14:30") in zone, as a
 * Date. A time that a daylight-saving change skips does not exist and is refused; one that
 * happens twice is taken at its first occurrence.
 */
export function parseLocalTime(raw: string, zone: string, field: string): Date {
  const text = raw.trim();
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(text)) {
    throw new ValidationError(`${field} ${JSON.stringify(text.slice(0, 40))} is not a date and time such as 2026-11-22T14:30`, field);
  }
  const time = DateTime.fromISO(text, { zone });
  if (!time.isValid) throw new ValidationError(`${field} ${JSON.stringify(text)} is not a valid date and time`, field);
  if (time.toFormat(text.length > 16 ? "yyyy-MM-dd'T'HH:mm:ss" : "yyyy-MM-dd'T'HH:mm") !== text) {
    throw new ValidationError(`${field} ${text} does not exist in ${zone} (the clocks skip it for daylight saving): choose another time`, field);
  }
  return time.toJSDate();
}

/** "2026-11-22T14:30", for the value of a datetime-local input. */
export function toLocalInput(ms: number, zone: string): string {
  return DateTime.fromMillis(ms, { zone }).toFormat("yyyy-MM-dd'T'HH:mm");
}

/** "Sun 22 Nov 2026, 15:30 CET", for people. */
export function formatTime(ms: number | null, zone: string): string {
  if (ms === null) return '—';
  return DateTime.fromMillis(ms, { zone }).toFormat('ccc d LLL yyyy, HH:mm ZZZZ');
}
