// The zod schemas of window operations, shared by the pages and the API so a form and a pipeline
// get the same rules and messages. Field names are the API's (snake_case); forms use the same.
// A time is ISO 8601 with an offset, or a wall-clock time (a datetime-local input) with time_zone.

import { z } from 'zod';
import { GatewayError, ValidationError } from '../../errors.js';
import {
  MAX_WINDOW_MS,
  parseDuration,
  parseHostList,
  parseIsoTime,
  parseMessage,
  parsePathList,
  parseTitle,
} from '../../maintenance/input.js';
import type { Extension, WindowChanges } from '../../maintenance/window-changes.js';
import { WINDOW_KINDS, type ScheduleInput, type StartNowInput } from '../../maintenance/windows.js';
import { parseLocalTime, parseTimeZone } from '../time-zone.js';
import { blank, checkbox, checked, componentIds, text } from '../validation.js';

export const DEFAULT_TITLE = 'Maintenance';
const HAS_OFFSET = /(?:z|[+-]\d{2}:?\d{2})$/i;

const title = text(200).transform(checked(parseTitle, 'title'));
const message = text(5000).transform(checked((raw: string, field: string) => parseMessage(raw, field), 'message'));
const duration = blank(text(40).transform(checked((raw: string, field: string) => parseDuration(raw, field), 'duration')).optional());
const time = blank(text(40).optional());
const timeZone = blank(text(64).transform(checked((raw: string, field: string) => parseTimeZone(raw, field), 'time_zone')).optional());

/** Paths or hosts: comma- or newline-separated text from a form, an array from JSON; absent stays undefined. */
function listOf(parse: (raw: string, field: string) => string[], field: string) {
  return z
    .union([z.string().max(20_000), z.array(z.string().max(2000)).max(100)])
    .optional()
    .transform((value, ctx) => {
      if (value === undefined) return undefined;
      const joined = Array.isArray(value) ? value.join(',') : value.replace(/\n/g, ',');
      return joined.trim() === '' ? [] : checked(parse, field)(joined, ctx);
    });
}

// The descriptions are what the API reference shows next to each field. Shared with the series (../series/input.ts).
export const detailFields = {
  message: message.optional().describe('What customers read on the status page, at most 5000 characters.'),
  kind: z.enum(WINDOW_KINDS).optional().describe('maintenance (planned work, the default) or downtime (an announced outage).'),
  mode: z.enum(['block', 'read_only']).optional().describe('block: every request is held (the default); read_only: GET, HEAD and OPTIONS go through, writes are held.'),
  response: z.enum(['render', 'redirect']).optional().describe('render: the status page at the URL asked for, with 503 (the default); redirect: a 307 to the status page.'),
  paths: listOf(parsePathList, 'paths').describe('Path prefixes to hold, e.g. ["/checkout", "/api/orders"] (or comma-separated text); empty: every path.'),
  hosts: listOf(parseHostList, 'hosts').describe('Host names to hold, e.g. ["shop.example.com"]; empty: every host.'),
  component_ids: componentIds.describe('Ids of the components the status page shows under maintenance while the window is in force.'),
  verify_upstream: checkbox.describe('true: after the end, traffic stays held until the application passes a health check (or VERIFY_TIMEOUT_MS passes). Default false.'),
};

const about = {
  duration: 'How long it lasts, e.g. 30m, 2h, 1h30m or 1d (at most 365d); not with ends_at.',
  ends_at: 'When it ends: ISO 8601 with an offset (2026-11-22T16:00:00Z), or a local time with time_zone; not with duration.',
  starts_at: 'When it starts: ISO 8601 with an offset (2026-11-22T14:00:00Z), or a local time with time_zone.',
  time_zone: 'The IANA zone local times are in, e.g. Europe/Paris; not needed for times with an offset.',
  title: 'A short title, at most 200 characters.',
};

/** A switch that may be left out (a PATCH): absent stays undefined, unlike a form's checkbox. */
const optionalBoolean = z
  .union([z.boolean(), z.enum(['on', 'true', '1', 'false', '0'])])
  .optional()
  .transform((value) => (value === undefined ? undefined : value === true || value === 'on' || value === 'true' || value === '1'));

type Ctx = z.RefinementCtx;

function issue(ctx: Ctx, field: string, err: unknown): never {
  if (!(err instanceof GatewayError)) throw err;
  ctx.addIssue({ code: 'custom', message: err.message, path: [field] });
  return z.NEVER as never;
}

/** An ISO time with an offset, or a local time in zone (refused when the clocks skip it). */
export function parseTime(raw: string, zone: string | undefined, field: string): Date {
  if (zone !== undefined && !HAS_OFFSET.test(raw.trim())) return parseLocalTime(raw, zone, field);
  return parseIsoTime(raw, field);
}

function timeOf(ctx: Ctx, raw: string, zone: string | undefined, field: string): Date {
  try {
    return parseTime(raw, zone, field);
  } catch (err) {
    return issue(ctx, field, err);
  }
}

/** The details an edit gives, as changes: a field left out stays undefined, so it is unchanged. */
export function detailChanges(input: Omit<z.output<z.ZodObject<typeof detailFields>>, 'verify_upstream'> & { title?: string; verify_upstream?: boolean }) {
  return {
    title: input.title,
    message: input.message,
    kind: input.kind,
    mode: input.mode,
    response: input.response,
    pathPrefixes: input.paths,
    hosts: input.hosts,
    componentIds: input.component_ids,
    verifyUpstream: input.verify_upstream,
  };
}

/** The details every window (and every occurrence of a series) gets, with their defaults. */
export function details(input: z.output<z.ZodObject<typeof detailFields>> & { title: string }) {
  return {
    title: input.title,
    message: input.message ?? '',
    kind: input.kind ?? 'maintenance',
    mode: input.mode ?? 'block',
    response: input.response ?? 'render',
    pathPrefixes: input.paths ?? [],
    hosts: input.hosts ?? [],
    componentIds: input.component_ids ?? [],
    verifyUpstream: input.verify_upstream,
  } as const;
}

function bothGiven(ctx: Ctx, input: { duration?: unknown; ends_at?: unknown }): boolean {
  if (input.duration === undefined || input.ends_at === undefined) return false;
  ctx.addIssue({ code: 'custom', message: 'duration and ends_at cannot both be given: choose a duration or an end time', path: ['duration'] });
  return true;
}

/** Start maintenance now: for a duration, until a time, or (neither) until someone ends it. */
export const startSchema = z
  .strictObject({
    title: blank(title.optional()).describe(`${about.title} Default: "${DEFAULT_TITLE}".`),
    ...detailFields,
    duration: duration.describe(`${about.duration} Neither duration nor ends_at: until it is ended.`),
    ends_at: time.describe(about.ends_at),
    time_zone: timeZone.describe(about.time_zone),
  })
  .transform((input, ctx): StartNowInput => {
    if (bothGiven(ctx, input)) return z.NEVER;
    const end =
      input.duration !== undefined ? { afterMs: input.duration } : input.ends_at !== undefined ? { at: timeOf(ctx, input.ends_at, input.time_zone, 'ends_at') } : null;
    return { ...details({ ...input, title: input.title ?? DEFAULT_TITLE }), end };
  });

/** Schedule a window: a start, and a duration or an end. */
export const scheduleSchema = z
  .strictObject({
    title: title.describe(about.title),
    ...detailFields,
    starts_at: blank(text(40)).describe(about.starts_at),
    duration: duration.describe(about.duration),
    ends_at: time.describe(about.ends_at),
    time_zone: timeZone.describe(about.time_zone),
    // The seed's "issue fixed" switch; a window that has not started cannot be fixed yet (see refuseIssueFixed).
    issue_fixed: checkbox.describe('Must be false here: a window that has not started cannot be fixed yet.'),
  })
  .transform((input, ctx): ScheduleInput & { issueFixed: boolean } => {
    if (bothGiven(ctx, input)) return z.NEVER;
    const startsAt = timeOf(ctx, input.starts_at, input.time_zone, 'starts_at');
    let durationMs = input.duration;
    if (input.ends_at !== undefined) {
      const end = timeOf(ctx, input.ends_at, input.time_zone, 'ends_at');
      durationMs = end.getTime() - startsAt.getTime();
      if (durationMs <= 0) return issue(ctx, 'ends_at', new ValidationError(`ends_at ${end.toISOString()} is not after starts_at ${startsAt.toISOString()}`));
      if (durationMs > MAX_WINDOW_MS) return issue(ctx, 'ends_at', new ValidationError('ends_at is more than 365 days after starts_at: a window lasts at most 365d'));
    }
    if (durationMs === undefined) {
      ctx.addIssue({ code: 'custom', message: 'duration is missing: give an estimated duration such as 2h, or an end time (ends_at)', path: ['duration'] });
      return z.NEVER;
    }
    return { ...details(input), startsAt, durationMs, issueFixed: input.issue_fixed };
  });

/** Move a window's end: by a duration ("15m"), or to a time. */
export const extendSchema = z
  .strictObject({
    by: duration.describe('Added to the end, e.g. 15m or 1h; not with until.'),
    until: time.describe('The new end, after now: ISO 8601 with an offset, or a local time with time_zone; not with by.'),
    time_zone: timeZone.describe(about.time_zone),
  })
  .transform((input, ctx): Extension => {
    if (input.by !== undefined && input.until !== undefined) {
      ctx.addIssue({ code: 'custom', message: 'by and until cannot both be given: extend by a duration or set a new end time', path: ['by'] });
      return z.NEVER;
    }
    if (input.by !== undefined) return { byMs: input.by };
    if (input.until !== undefined) return { until: timeOf(ctx, input.until, input.time_zone, 'until') };
    ctx.addIssue({ code: 'custom', message: 'by is missing: extend by a duration such as 15m (by), or give a new end time (until)', path: ['by'] });
    return z.NEVER;
  });

/** Edit a window: only the fields given change (an empty message or list is a change, to nothing). */
export const updateSchema = z
  .strictObject({
    title: title.optional().describe(about.title),
    ...detailFields,
    verify_upstream: optionalBoolean.describe('true: after the end, traffic stays held until the application passes a health check; absent: unchanged.'),
    starts_at: time.describe(`${about.starts_at} Only while the window is upcoming.`),
    duration: duration.describe(about.duration),
    ends_at: time.describe(about.ends_at),
    time_zone: timeZone.describe(about.time_zone),
  })
  .transform((input, ctx): WindowChanges => {
    if (bothGiven(ctx, input)) return z.NEVER;
    const changes: WindowChanges = {
      ...detailChanges(input),
      durationMs: input.duration,
      startsAt: input.starts_at === undefined ? undefined : timeOf(ctx, input.starts_at, input.time_zone, 'starts_at'),
      endsAt: input.ends_at === undefined ? undefined : timeOf(ctx, input.ends_at, input.time_zone, 'ends_at'),
    };
    const given = Object.values(changes).some((value) => value !== undefined);
    if (!given) {
      ctx.addIssue({ code: 'custom', message: 'nothing to change: give at least one field, e.g. title or ends_at', path: [] });
      return z.NEVER;
    }
    return changes;
  });

/** Post an update to a window; "issue fixed" also ends it. */
export const postUpdateSchema = z.strictObject({
  body: text(5000).transform(
    checked((raw: string, field: string) => {
      const body = parseMessage(raw, field);
      if (!body) throw new ValidationError(`${field} is empty: write what changed, e.g. "The upgrade is done"`);
      return body;
    }, 'body'),
  ).describe('What changed, for the status page timeline, at most 5000 characters.'),
  issue_fixed: checkbox.describe('true: the work is done; a window in force is ended too.'),
});

export const listQuery = z.strictObject({
  scope: z.enum(['current_and_upcoming', 'past']).optional().describe('current_and_upcoming (the default): in force or still to come; past: over or cancelled.'),
  limit: blank(z.coerce.number().int().min(1).max(100).optional()).describe('At most this many windows, 1 to 100 (default 100).'),
});
