// The judgement of the upstream's health, pure: from the shared row's counters and one result,
// the new counters and whether the state flips. Thresholds on both sides keep it from flapping.

import type { HealthcheckConfig } from '../config/config.js';

export type UpstreamState = 'up' | 'down';

export interface HealthCounters {
  state: UpstreamState;
  /** Consecutive failed checks; a passed one resets it. */
  failures: number;
  /** Consecutive passed checks; a failed one resets it. */
  successes: number;
}

export type Thresholds = Pick<HealthcheckConfig, 'downAfter' | 'upAfter'>;

export interface Judgement {
  counters: HealthCounters;
  /** The state it flips to, or null when it stays. */
  flip: UpstreamState | null;
}

// The columns are integers; a run of checks never needs to count past this.
const MAX_RUN = 1_000_000;

/**
 * One active check. Only a run of downAfter failures in a row judges it down, and a run of upAfter
 * passes judges it back, so results that alternate never flip it either way.
 */
export function judgeCheck(current: HealthCounters, passed: boolean, { downAfter, upAfter }: Thresholds): Judgement {
  const failures = passed ? 0 : Math.min(current.failures + 1, MAX_RUN);
  const successes = passed ? Math.min(current.successes + 1, MAX_RUN) : 0;
  let flip: UpstreamState | null = null;
  if (current.state === 'up' && failures >= downAfter) flip = 'down';
  else if (current.state === 'down' && successes >= upAfter) flip = 'up';
  return { counters: { state: flip ?? current.state, failures, successes }, flip };
}

/**
 * A gateway's report that its forwarded requests kept failing: that run was the threshold already,
 * so it judges the upstream down at once. Never up: only active checks can tell it is back.
 */
export function judgeRequestFailures(current: HealthCounters): Judgement {
  if (current.state === 'down') return { counters: current, flip: null };
  return { counters: { state: 'down', failures: current.failures, successes: 0 }, flip: 'down' };
}

/**
 * Retry-After while the upstream is judged down: the soonest the checks could judge it back
 * (upAfter checks, one per interval), but at least a few seconds and at most a minute.
 */
export function retryAfterWhileDown({ intervalSeconds, upAfter }: Pick<HealthcheckConfig, 'intervalSeconds' | 'upAfter'>): number {
  return Math.min(60, Math.max(5, intervalSeconds * upAfter));
}

/** The node-cron schedule (with seconds) of a check every intervalSeconds, which divides a minute or is one. */
export function checkSchedule(intervalSeconds: number): string {
  if (!Number.isInteger(intervalSeconds) || intervalSeconds < 1 || intervalSeconds > 60 || 60 % intervalSeconds !== 0) {
    throw new RangeError(`health check interval ${intervalSeconds} s: expected a whole number of seconds that divides a minute`);
  }
  if (intervalSeconds === 60) return '0 * * * * *';
  if (intervalSeconds === 1) return '* * * * * *';
  return `*/${intervalSeconds} * * * * *`;
}
