// How the upstream's health reads in the API: its state, the last check, the thresholds in force,
// what automation may do, and the outages; snake_case, ISO 8601 times in UTC.

import { z } from 'zod';
import type { Config } from '../../config/config.js';
import type { HealthSettings } from '../../health/health-settings.js';
import { DETECTED_BY, type OutageRecord } from '../../health/outages.js';
import type { UpstreamHealthRecord } from '../../health/upstream-health.js';
import { COMPONENT_STATUSES } from '../../snapshot/types.js';

const iso = (ms: number): string => new Date(ms).toISOString();

export const healthSettingsJsonSchema = z.object({
  auto_incidents: z.boolean().describe('whether an incident is opened (and the component marked) by itself when the upstream goes down'),
  upstream_component_id: z.string().nullable().describe('the component set to major_outage while the upstream is down; null: none'),
});

export const outageJsonSchema = z.object({
  id: z.string(),
  started_at: z.string().describe('ISO 8601, UTC: when the upstream was judged down'),
  ended_at: z.string().nullable().describe('when it was judged back; null while the outage lasts'),
  duration_seconds: z.number().nullable().describe('ended_at - started_at; null while it lasts'),
  detected_by: z.enum(DETECTED_BY).describe('health_check: the active checks; requests: a run of failed forwarded requests'),
  cause: z.string().describe('what was seen'),
  held_requests: z.number().int().describe('requests answered with the trouble page during it (flushed by each gateway every few seconds)'),
  incident_id: z.string().nullable().describe('the incident opened for it; null when automatic incidents were off'),
  component_id: z.string().nullable(),
  component_previous: z.enum(COMPONENT_STATUSES).nullable().describe('the component status put back at the end'),
});

export const healthJsonSchema = z.object({
  state: z.enum(['up', 'down']).describe('the upstream as the health checks judge it'),
  since: z.string().describe('ISO 8601, UTC: since when it is in that state'),
  checked_at: z.string().nullable().describe('the last active check; null: none yet'),
  last_check_passed: z.boolean().nullable().describe('null: no check yet'),
  last_error: z.string().nullable().describe('what the last check saw when it failed'),
  failures: z.number().int().describe('failed checks in a row'),
  successes: z.number().int().describe('passed checks in a row'),
  outage_id: z.string().nullable().describe('the outage in progress'),
  thresholds: z.object({
    path: z.string().describe('HEALTHCHECK_PATH'),
    interval_seconds: z.number().int().describe('HEALTHCHECK_INTERVAL_S; 0: detection is off'),
    timeout_ms: z.number().int().describe('HEALTHCHECK_TIMEOUT_MS'),
    down_after: z.number().int().describe('HEALTHCHECK_DOWN_AFTER: failed checks in a row that judge it down'),
    up_after: z.number().int().describe('HEALTHCHECK_UP_AFTER: passed checks in a row that judge it back'),
    request_failures: z.number().int().describe('HEALTHCHECK_REQUEST_FAILURES: failed forwarded requests in a row that judge it down; 0: off'),
  }).describe('from the environment'),
  settings: healthSettingsJsonSchema,
  outages: z.array(outageJsonSchema).describe('the latest first'),
});

export function healthSettingsJson(settings: HealthSettings): z.infer<typeof healthSettingsJsonSchema> {
  return { auto_incidents: settings.autoIncidents, upstream_component_id: settings.upstreamComponentId };
}

export function outageJson(outage: OutageRecord): z.infer<typeof outageJsonSchema> {
  return {
    id: outage.id,
    started_at: iso(outage.startedAt),
    ended_at: outage.endedAt === null ? null : iso(outage.endedAt),
    duration_seconds: outage.endedAt === null ? null : Math.round((outage.endedAt - outage.startedAt) / 1000),
    detected_by: outage.detectedBy,
    cause: outage.cause,
    held_requests: outage.heldRequests,
    incident_id: outage.incidentId,
    component_id: outage.componentId,
    component_previous: outage.componentPrevious,
  };
}

export function healthJson(
  health: UpstreamHealthRecord,
  settings: HealthSettings,
  outages: OutageRecord[],
  { healthcheck }: Pick<Config, 'healthcheck'>,
): z.infer<typeof healthJsonSchema> {
  return {
    state: health.state,
    since: iso(health.since),
    checked_at: health.checkedAt === null ? null : iso(health.checkedAt),
    last_check_passed: health.checkedAt === null ? null : health.lastError === null,
    last_error: health.lastError,
    failures: health.failures,
    successes: health.successes,
    outage_id: health.outageId,
    thresholds: {
      path: healthcheck.path,
      interval_seconds: healthcheck.intervalSeconds,
      timeout_ms: healthcheck.timeoutMs,
      down_after: healthcheck.downAfter,
      up_after: healthcheck.upAfter,
      request_failures: healthcheck.requestFailures,
    },
    settings: healthSettingsJson(settings),
    outages: outages.map(outageJson),
  };
}
