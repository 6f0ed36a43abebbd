// The zod schemas of recurring series, shared by the pages and the API, and how the form's simple
// choices (every day, every week on some days, monthly) become the API's one `cron` field.

import { z } from 'zod';
import { ValidationError } from '../../errors.js';
import { formatDuration, parseDuration, parseTitle } from '../../maintenance/input.js';
import { MAX_SERIES_DURATION_MS, type SeriesChanges, type SeriesInput } from '../../maintenance/series.js';
import { parseCron } from '../../schedule/recurrence.js';
import { choiceToCron, REPEATS, type Repeat } from '../../schedule/recurrence-choice.js';
import type { FormValues } from '../form.js';
import { parseTimeZone } from '../time-zone.js';
import { checked, text } from '../validation.js';
import { detailChanges, detailFields, details } from '../windows/input.js';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar date, YYYY-MM-DD, that exists (no February 30). */
export function parseDate(raw: string, field: string): string {
  const text = raw.trim();
  const match = DATE.exec(text);
  const day = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : null;
  if (!day || day.toISOString().slice(0, 10) !== text) {
    throw new ValidationError(`${field} ${JSON.stringify(text.slice(0, 20))} is not a date: use YYYY-MM-DD, e.g. 2027-12-31`, field);
  }
  return text;
}

const title = text(200).transform(checked(parseTitle, 'title'));
const cron = text(200).transform(checked(parseCron, 'cron'));
const timeZone = text(64).transform(checked((raw: string, field: string) => parseTimeZone(raw, field), 'time_zone'));
const duration = text(40).transform(checked((raw: string, field: string) => parseDuration(raw, field, MAX_SERIES_DURATION_MS), 'duration'));
// null or "" clears the end date; absent leaves it (on an edit) or means none (on a create).
const endsOn = z
  .union([text(20), z.null()])
  .optional()
  .transform((value, ctx) => (value === undefined ? undefined : value === null || value.trim() === '' ? null : checked(parseDate, 'ends_on')(value, ctx)));

const about = {
  title: 'A short title for every occurrence, at most 200 characters.',
  cron: 'A node-cron expression: 5 fields (minute hour day-of-month month week-day) or 6 with seconds first, read in time_zone; e.g. "30 2 * * *" every day at 02:30, "0 22 * * 1,4" Mondays and Thursdays at 22:00, "0 1 L * *" the last day of each month at 01:00.',
  time_zone: 'The IANA zone the expression is read in, e.g. Europe/Berlin. A time the clocks skip happens as far past the gap (02:30 becomes 03:30); one that happens twice happens once, the first time.',
  duration: `How long each occurrence lasts, e.g. 30m, 2h or 1h30m; at most ${formatDuration(MAX_SERIES_DURATION_MS)}.`,
  ends_on: 'The last day (YYYY-MM-DD, in time_zone) on which an occurrence may start; null or absent: no end.',
};

/** A new series: the recurrence and the details each occurrence gets. */
export const createSeriesSchema = z
  .strictObject({
    title: title.describe(about.title),
    ...detailFields,
    cron: cron.describe(about.cron),
    time_zone: timeZone.describe(about.time_zone),
    duration: duration.describe(about.duration),
    ends_on: endsOn.describe(about.ends_on),
  })
  .transform(
    (input): SeriesInput => ({
      ...details(input),
      cron: input.cron,
      timeZone: input.time_zone,
      durationMs: input.duration,
      endsOn: input.ends_on ?? null,
    }),
  );

/** A change to a series: only the fields given change; its upcoming occurrences are regenerated. */
export const updateSeriesSchema = z
  .strictObject({
    title: title.optional().describe(about.title),
    ...detailFields,
    verify_upstream: z.boolean().optional().describe('true: after each occurrence, traffic stays held until the application passes a health check; absent: unchanged.'),
    cron: cron.optional().describe(about.cron),
    time_zone: timeZone.optional().describe(about.time_zone),
    duration: duration.optional().describe(about.duration),
    ends_on: endsOn.describe(about.ends_on),
  })
  .transform((input, ctx): SeriesChanges => {
    const changes: SeriesChanges = {
      ...detailChanges(input),
      cron: input.cron,
      timeZone: input.time_zone,
      durationMs: input.duration,
      endsOn: input.ends_on,
    };
    if (Object.values(changes).every((value) => value === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'nothing to change: give at least one field, e.g. cron or title', path: [] });
      return z.NEVER;
    }
    return changes;
  });

function first(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

function all(value: string | string[] | undefined): string[] {
  return Array.isArray(value) ? value : value === undefined || value === '' ? [] : [value];
}

/**
 * The API's body from the series form: the simple choice (repeat, at, weekdays, month_day) or the
 * raw expression made into `cron`; an end date left empty is none, an unticked box is false.
 */
export function formToBody(values: FormValues): Record<string, unknown> {
  const { repeat: rawRepeat, at, weekdays, month_day: monthDay, cron: rawCron, ends_on: endsOnText, verify_upstream: verify, ...rest } = values;
  const repeat = first(rawRepeat) as Repeat;
  if (!REPEATS.includes(repeat)) throw new ValidationError('repeat: choose how often it repeats (every day, every week, every month, or a cron expression)', 'repeat');
  const day = first(monthDay);
  const expression = choiceToCron({
    repeat,
    at: first(at),
    weekdays: all(weekdays).map(Number),
    monthDay: day === 'L' ? 'L' : Number(day),
    cron: first(rawCron),
  });
  return { ...rest, cron: expression, ends_on: first(endsOnText).trim() || null, verify_upstream: first(verify) === 'on' };
}
