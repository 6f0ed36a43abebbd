// How the upstream's health and its outages read on the Health page: states in words with their
// badges, times in the SRE's zone, durations for people. Plain data for the template.

import type { HealthcheckConfig } from '../../config/config.js';
import type { JobRun } from '../../jobs/job-runs.js';
import type { DetectedBy, OutageRecord } from '../../health/outages.js';
import type { UpstreamHealthRecord } from '../../health/upstream-health.js';
import type { Component } from '../../snapshot/types.js';
import { durationText, fromNow } from '../../status/time-text.js';
import { formatTime } from '../time-zone.js';

const DETECTED_BY_LABELS: Record<DetectedBy, string> = {
  health_check: 'Health checks',
  requests: 'Failed requests',
};

export interface HealthView {
  up: boolean;
  stateLabel: string;
  badge: string;
  sinceText: string;
  sinceRelative: string;
  checkedText: string | null;
  checkedRelative: string | null;
  /** "Passed", or what the failed check saw. */
  lastResult: string | null;
  lastPassed: boolean;
  failures: number;
  successes: number;
}

export interface OutageView {
  id: string;
  ongoing: boolean;
  startedText: string;
  endedText: string | null;
  durationText: string;
  detectedBy: string;
  cause: string;
  heldRequests: string;
  incidentId: string | null;
  componentName: string | null;
}

export interface ThresholdsView {
  off: boolean;
  path: string;
  every: string;
  timeout: string;
  downAfter: number;
  upAfter: number;
  requestFailures: number;
}

export function healthView(health: UpstreamHealthRecord, zone: string, now: number): HealthView {
  const up = health.state === 'up';
  return {
    up,
    stateLabel: up ? 'Up' : 'Down',
    badge: up ? 'badge--ok' : 'badge--hold',
    sinceText: formatTime(health.since, zone),
    sinceRelative: fromNow(health.since, now),
    checkedText: health.checkedAt === null ? null : formatTime(health.checkedAt, zone),
    checkedRelative: health.checkedAt === null ? null : fromNow(health.checkedAt, now),
    lastResult: health.checkedAt === null ? null : (health.lastError === null ? 'Passed' : `Failed: ${health.lastError}`),
    lastPassed: health.lastError === null,
    failures: health.failures,
    successes: health.successes,
  };
}

export function outageView(outage: OutageRecord, zone: string, now: number, components: readonly Component[]): OutageView {
  const component = components.find((c) => c.id === outage.componentId);
  return {
    id: outage.id,
    ongoing: outage.endedAt === null,
    startedText: formatTime(outage.startedAt, zone),
    endedText: outage.endedAt === null ? null : formatTime(outage.endedAt, zone),
    durationText: durationText((outage.endedAt ?? now) - outage.startedAt),
    detectedBy: DETECTED_BY_LABELS[outage.detectedBy],
    cause: outage.cause,
    heldRequests: outage.heldRequests.toLocaleString('en-US'),
    incidentId: outage.incidentId,
    componentName: outage.componentId === null ? null : (component?.name ?? `#${outage.componentId}`),
  };
}

export interface JobRunView {
  job: string;
  lastText: string;
  lastRelative: string;
  ranBy: string;
  /** "0.2 s", or "running" while it has not finished. */
  tookText: string;
  lastHour: number;
}

export function jobRunView(run: JobRun, zone: string, now: number): JobRunView {
  return {
    job: run.job,
    lastText: formatTime(run.startedAt, zone),
    lastRelative: fromNow(run.startedAt, now),
    ranBy: run.ranBy,
    tookText: run.finishedAt === null ? 'running (or its gateway stopped)' : `${((run.finishedAt - run.startedAt) / 1000).toFixed(1)} s`,
    lastHour: run.lastHour,
  };
}

export function thresholdsView(healthcheck: HealthcheckConfig): ThresholdsView {
  return {
    off: healthcheck.intervalSeconds === 0,
    path: healthcheck.path,
    every: durationText(healthcheck.intervalSeconds * 1000),
    timeout: `${healthcheck.timeoutMs} ms`,
    downAfter: healthcheck.downAfter,
    upAfter: healthcheck.upAfter,
    requestFailures: healthcheck.requestFailures,
  };
}
