// How windows and their updates read in the API: snake_case, ISO 8601 times in UTC, and the
// zod schemas of those shapes, which the API reference shows.

import { z } from 'zod';
import type { UpdateRecord } from '../../maintenance/updates.js';
import { WINDOW_KINDS, windowState, type WindowRecord } from '../../maintenance/windows.js';
import { effectiveEnd, WINDOW_LIFECYCLES } from '../../snapshot/types.js';
import { NotFoundError } from '../../errors.js';

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** What a window (or each occurrence of a series) tells customers and holds. */
export const windowDetailsJson = {
  title: z.string(),
  message: z.string(),
  kind: z.enum(WINDOW_KINDS),
  mode: z.enum(['block', 'read_only']),
  response: z.enum(['render', 'redirect']),
  paths: z.array(z.string()).describe('path prefixes held; empty: every path'),
  hosts: z.array(z.string()).describe('host names held; empty: every host'),
  component_ids: z.array(z.string()).describe('components shown under maintenance while it is in force'),
};

export const windowJsonSchema = z.object({
  id: z.string().describe('the window id (digits)'),
  ...windowDetailsJson,
  starts_at: z.string().describe('ISO 8601, UTC'),
  ends_at: z.string().nullable().describe('the planned end; null: open-ended'),
  ended_at: z.string().nullable().describe('when it was ended early or cancelled'),
  state: z.enum(['upcoming', 'in_force', 'over', 'cancelled']),
  lifecycle: z.enum(WINDOW_LIFECYCLES).describe("Statuspage's status of the window, moved forward by the gateway's lifecycle job"),
  planned_ends_at: z.string().nullable().describe('the end first announced, kept when the window is extended or ended early; null: announced open-ended'),
  completed_at: z.string().nullable().describe('when it was completed (its end, or when the upstream passed its check after it); null until then'),
  held_requests: z.number().int().describe('requests answered with the status page while it was in force, counted by every gateway (added every few seconds)'),
  verify_upstream: z.boolean().describe('after its end, traffic stays held until the upstream passes a health check (or VERIFY_TIMEOUT_MS)'),
  series_id: z.string().nullable().describe('the recurring series it is an occurrence of; null: a one-off window'),
  detached: z.boolean().describe('an occurrence edited or skipped by hand: changes to its series leave it alone'),
  created_by: z.string(),
  created_at: z.string(),
});

export const warningSchema = z.object({
  code: z.literal('overlap'),
  message: z.string(),
  window_id: z.string(),
});

export const windowResultSchema = z.object({
  window: windowJsonSchema,
  warnings: z.array(warningSchema).describe('things worth a look that did not stop the change, e.g. overlapping windows'),
});

export const updateJsonSchema = z.object({
  id: z.string(),
  window_id: z.string().nullable(),
  body: z.string(),
  created_by: z.string(),
  created_at: z.string(),
});

export function windowJson(window: WindowRecord, now: number): z.infer<typeof windowJsonSchema> {
  return {
    id: window.id,
    title: window.title,
    message: window.message,
    kind: window.kind,
    mode: window.mode,
    response: window.response,
    paths: window.pathPrefixes,
    hosts: window.hosts,
    component_ids: window.componentIds,
    starts_at: iso(window.startsAt)!,
    ends_at: iso(window.endsAt),
    ended_at: iso(window.endedAt),
    state: windowState(window, now),
    lifecycle: window.lifecycle,
    planned_ends_at: iso(window.plannedEndsAt),
    completed_at: iso(window.completedAt),
    held_requests: window.heldRequests,
    verify_upstream: window.verifyUpstream,
    series_id: window.seriesId,
    detached: window.detached,
    created_by: window.createdBy,
    created_at: iso(window.createdAt)!,
  };
}

/** "#3 "Deploy" (14:00Z to 16:00Z)": how an overlapping window is named in a warning. */
export function overlapText(window: WindowRecord, format: (ms: number | null) => string): string {
  const end = effectiveEnd(window);
  return `#${window.id} “${window.title}” (${format(window.startsAt)} to ${end === null ? 'no end' : format(end)})`;
}

export function overlapWarnings(overlaps: readonly WindowRecord[]): z.infer<typeof warningSchema>[] {
  return overlaps.map((other) => ({
    code: 'overlap' as const,
    message: `overlaps window ${overlapText(other, (ms) => iso(ms) ?? 'no end')}`,
    window_id: other.id,
  }));
}

export function updateJson(update: UpdateRecord): z.infer<typeof updateJsonSchema> {
  return {
    id: update.id,
    window_id: update.windowId,
    body: update.body,
    created_by: update.createdBy,
    created_at: iso(update.createdAt)!,
  };
}

/** A window id from a path: anything but digits names no window. */
export function windowId(raw: unknown): string {
  if (typeof raw !== 'string' || !/^\d{1,18}$/.test(raw)) throw new NotFoundError(`there is no window #${String(raw).slice(0, 40)}`);
  return raw;
}
