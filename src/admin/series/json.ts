// How recurring series read in the API: snake_case, the duration as text ("2h"), the recurrence
// in words and its next starts in UTC, and the zod schemas of those shapes for the reference.

import { z } from 'zod';
import { NotFoundError } from '../../errors.js';
import { formatDuration } from '../../maintenance/input.js';
import type { SeriesRecord } from '../../maintenance/series.js';
import type { WindowRecord } from '../../maintenance/windows.js';
import { nextOccurrences } from '../../schedule/recurrence.js';
import { describeRecurrence } from '../../schedule/recurrence-choice.js';
import { windowDetailsJson, windowJson, windowJsonSchema } from '../windows/json.js';

const iso = (ms: number): string => new Date(ms).toISOString();
export const NEXT_STARTS = 3;

export const seriesJsonSchema = z.object({
  id: z.string().describe('the series id (digits)'),
  ...windowDetailsJson,
  verify_upstream: z.boolean().describe('after each occurrence, traffic stays held until the upstream passes a health check'),
  cron: z.string().describe('the node-cron expression, read in time_zone'),
  description: z.string().describe('the recurrence in words, e.g. "Every Monday and Thursday at 22:00"'),
  time_zone: z.string(),
  duration: z.string().describe('how long each occurrence lasts, e.g. 2h'),
  ends_on: z.string().nullable().describe('the last day (in time_zone) an occurrence may start; null: no end'),
  next_starts: z.array(z.string()).describe(`the next ${NEXT_STARTS} starts by the rule, ISO 8601 in UTC (an occurrence skipped or moved by hand is still listed here)`),
  created_by: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
});

export const seriesResultSchema = z.object({
  series: seriesJsonSchema,
  occurrences: z.array(windowJsonSchema).describe('its occurrences in force or to come (skipped ones included), by start: concrete windows, each editable on its own'),
  created: z.number().int().describe('occurrences this call created'),
  removed: z.number().int().describe('upcoming occurrences this call removed (an edit regenerates those not changed by hand)'),
});

export function seriesJson(series: SeriesRecord, now: number): z.infer<typeof seriesJsonSchema> {
  return {
    id: series.id,
    title: series.title,
    message: series.message,
    kind: series.kind,
    mode: series.mode,
    response: series.response,
    paths: series.pathPrefixes,
    hosts: series.hosts,
    component_ids: series.componentIds,
    verify_upstream: series.verifyUpstream,
    cron: series.cron,
    description: describeRecurrence(series.cron),
    time_zone: series.timeZone,
    duration: formatDuration(series.durationMs),
    ends_on: series.endsOn,
    next_starts: safeNextStarts(series, now).map(iso),
    created_by: series.createdBy,
    created_at: iso(series.createdAt),
    updated_at: iso(series.updatedAt),
  };
}

/** The next starts, or none for a rule that cannot be read (written by hand in SQL): a listing must not fail on one row. */
export function safeNextStarts(series: SeriesRecord, now: number): number[] {
  try {
    return nextOccurrences(series, now, NEXT_STARTS);
  } catch {
    return [];
  }
}

export function seriesResultJson(
  result: { series: SeriesRecord; occurrences: readonly WindowRecord[]; created: number; removed: number },
  now: number,
): z.infer<typeof seriesResultSchema> {
  return {
    series: seriesJson(result.series, now),
    occurrences: result.occurrences.map((window) => windowJson(window, now)),
    created: result.created,
    removed: result.removed,
  };
}

/** A series id from a path: anything but digits names no series. */
export function seriesId(raw: unknown): string {
  if (typeof raw !== 'string' || !/^\d{1,18}$/.test(raw)) throw new NotFoundError(`there is no series #${String(raw).slice(0, 40)}`);
  return raw;
}
