// A recurring series as instants: a node-cron expression read in an IANA time zone. Pure: no I/O
// and no clock, so every daylight-saving and calendar case is tested with fixed times.
//
// What a series means, decided here once:
// - Which days match is node-cron's call, with its own rules (L, LW, 5L, 1#2, names), so the
//   admin's cron and the scheduler's agree; like node-cron, when both day of month and week day
//   are restricted, a day must match both (classic Vixie cron takes either).
// - Each hour, minute (and second) of the expression on a matching day is a wall-clock time in the
//   zone. One the clocks skip (spring forward) happens at the same offset past the gap: 02:30 on
//   the night Berlin skips 02:00-03:00 starts at 03:30 CEST. node-cron itself skips such a time, as
//   it never shows on the wall clock; but a daily maintenance must not silently vanish one night a
//   year, and the work it stands for still has to happen.
// - One that happens twice (fall back) happens once, at the first instant.
// - The duration is elapsed time: 2h across a clock change still holds traffic for 2 hours.
// - endsOn is a date in the series' zone, inclusive: the last day on which an occurrence may start.

import { DateTime, IANAZone } from 'luxon';
import cron, { type ParsedFields } from 'node-cron';
import { ValidationError } from '../errors.js';

export interface Recurrence {
  cron: string;
  timeZone: string;
  durationMs: number;
  /** YYYY-MM-DD in timeZone, inclusive; null: no end. */
  endsOn: string | null;
}

const DAY_MS = 24 * 60 * 60 * 1000;
// More starts than this in a day is a standing window, not a series, and each start is a row.
export const MAX_STARTS_PER_DAY = 96;
// How far nextOccurrences looks: far enough for February 29 across a skipped leap year (2100).
const MAX_LOOKAHEAD_DAYS = 9 * 366;

const FIELD_LABELS: Record<string, { label: string; allowed: string }> = {
  second: { label: 'second', allowed: '0-59' },
  minute: { label: 'minute', allowed: '0-59' },
  hour: { label: 'hour', allowed: '0-23' },
  dayOfMonth: { label: 'day of month', allowed: '1-31, L, LW, 15W or L-2' },
  month: { label: 'month', allowed: '1-12 or JAN-DEC' },
  dayOfWeek: { label: 'week day', allowed: '0-7 (0 and 7 are Sunday), SUN-SAT, 5L or 1#2' },
};
const NUMERIC = /^[\d*,/-]+$/;
const EXAMPLE = 'e.g. "30 2 * * *" for every day at 02:30';

function fieldProblem(field: string, value: string | undefined, message: string, fields: string[]): string {
  const known = FIELD_LABELS[field];
  if (!known) return message;
  const shown = JSON.stringify(value ?? '');
  if (message.includes('impossible')) {
    const month = fields[fields.length === 6 ? 4 : 3] ?? '';
    return `${known.label} ${shown} never happens in month ${JSON.stringify(month)}`;
  }
  return NUMERIC.test(value ?? '') ? `${known.label} ${shown} is out of range (${known.allowed})` : `${known.label} ${shown} is not valid (${known.allowed})`;
}

function parsedFields(raw: string, field: string): { expression: string; fields: ParsedFields } {
  const expression = raw.trim().replace(/\s+/g, ' ');
  const shown = JSON.stringify(expression.length > 60 ? `${expression.slice(0, 57)}...` : expression);
  if (!expression) throw new ValidationError(`${field} is empty: give a cron expression, ${EXAMPLE}`, field);
  if (expression.startsWith('@')) {
    throw new ValidationError(`${field} ${shown} is a nickname: write out its fields instead, e.g. "0 0 * * *" for @daily`, field);
  }
  const check = cron.validateDetailed(expression);
  if (!check.valid || !check.fields) {
    const parts = expression.split(' ');
    const first = check.errors[0];
    if (first?.field === 'expression') {
      const reason = /fields/.test(first.message)
        ? `has ${parts.length} fields: give 5 (minute hour day-of-month month week-day), or 6 with seconds first, ${EXAMPLE}`
        : `holds characters a cron expression cannot: use digits, names such as MON, and * , - / L W #`;
      throw new ValidationError(`${field} ${shown} ${reason}`, field);
    }
    const problems = check.errors.map((error) => fieldProblem(error.field, error.value, error.message, parts));
    throw new ValidationError(`${field} ${shown}: ${problems.join('; ')}`, field);
  }
  return { expression, fields: check.fields };
}

/** Seconds into a local day at which the expression fires, ascending. */
function timesOfDay(fields: ParsedFields): number[] {
  const times: number[] = [];
  for (const hour of fields.hour) for (const minute of fields.minute) for (const second of fields.second) times.push(hour * 3600 + minute * 60 + second);
  return [...new Set(times)].sort((a, b) => a - b);
}

/**
 * A cron expression, checked with node-cron's detailed validation: trimmed, single-spaced. A
 * ValidationError on `field` names each bad cron field and its value (`minute "61" is out of range`).
 */
export function parseCron(raw: string, field = 'cron'): string {
  const { expression, fields } = parsedFields(raw, field);
  const perDay = timesOfDay(fields).length;
  if (perDay > MAX_STARTS_PER_DAY) {
    throw new ValidationError(
      `${field} ${JSON.stringify(expression)} starts ${perDay} times a day: a series starts at most ${MAX_STARTS_PER_DAY} times a day (every 15 minutes); for longer, schedule one window`,
      field,
    );
  }
  return expression;
}

function zoneOf(timeZone: string): IANAZone {
  const zone = IANAZone.create(timeZone);
  if (!zone.isValid) throw new ValidationError(`time_zone ${JSON.stringify(timeZone)} is not a time zone: use an IANA name such as Europe/Paris`, 'time_zone');
  return zone;
}

/**
 * The instant of a wall-clock time (seconds into the day `utcDay`, whose calendar date is the
 * local one) in zone: the first of two in a repeated hour, shifted past a gap by its length.
 */
function instantOf(utcDay: number, seconds: number, zone: IANAZone): number {
  const wall = utcDay + seconds * 1000;
  // A zone changes its offset at most once within a day on either side of any time, in practice.
  const before = zone.offset(wall - DAY_MS) * 60_000;
  const after = zone.offset(wall + DAY_MS) * 60_000;
  const readsBack = [wall - before, wall - after].filter((at) => at + zone.offset(at) * 60_000 === wall);
  if (readsBack.length > 0) return Math.min(...readsBack);
  // In a gap: at the offset in force before it, which reads as the same time past the gap after it.
  return wall - before;
}

function localDay(ms: number, zone: IANAZone): number {
  const local = DateTime.fromMillis(ms, { zone });
  return Date.UTC(local.year, local.month - 1, local.day);
}

/** Start instants (epoch ms) in [fromMs, toMs), ascending, without duplicates. */
export function occurrences(rule: Recurrence, fromMs: number, toMs: number): number[] {
  if (!(toMs > fromMs)) return [];
  const { fields } = parsedFields(rule.cron, 'cron');
  const zone = zoneOf(rule.timeZone);
  const times = timesOfDay(fields);
  const lastDay = rule.endsOn === null ? Infinity : Date.parse(`${rule.endsOn}T00:00:00Z`);
  // node-cron decides the days: one task that fires at midnight UTC on exactly the matching days,
  // asked about each calendar day as a UTC date. createTask registers it; it is destroyed below.
  const days = cron.createTask(`0 0 0 ${fields.dayOfMonth.join(',')} ${fields.month.join(',')} ${fields.dayOfWeek.join(',')}`, function neverRun() {}, {
    timezone: 'UTC',
  });
  const found = new Set<number>();
  try {
    // From the day before: a wall time shifted past a gap, or a zone ahead of UTC, may start in range from an earlier local date.
    const last = Math.min(localDay(toMs, zone), lastDay);
    for (let day = localDay(fromMs, zone) - DAY_MS; day <= last; day += DAY_MS) {
      if (!days.match(new Date(day))) continue;
      for (const seconds of times) {
        const at = instantOf(day, seconds, zone);
        if (at >= fromMs && at < toMs) found.add(at);
      }
    }
  } finally {
    void days.destroy();
  }
  return [...found].sort((a, b) => a - b);
}

/** The next `count` starts at or after fromMs, looking at most about nine years ahead. */
export function nextOccurrences(rule: Recurrence, fromMs: number, count: number): number[] {
  // Most series start within weeks; only a rare one (February 29) needs the long look.
  for (const days of [40, 400, MAX_LOOKAHEAD_DAYS]) {
    const starts = occurrences(rule, fromMs, fromMs + days * DAY_MS);
    if (starts.length >= count || days === MAX_LOOKAHEAD_DAYS) return starts.slice(0, count);
  }
  return [];
}

/** The calendar date, in the zone, of an instant: YYYY-MM-DD, as endsOn is given. */
export function localDate(ms: number, timeZone: string): string {
  return DateTime.fromMillis(ms, { zone: zoneOf(timeZone) }).toISODate()!;
}
