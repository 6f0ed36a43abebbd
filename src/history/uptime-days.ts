// The 90-day uptime bar of one component, as plain display data: each UTC day's worst state in a
// colour key and in words, and the uptime over the whole span. Pure, for a fixed now.

import type { Severity } from '../status/component-status.js';
import { durationText } from '../status/time-text.js';

/** How far back the bars go, today included. */
export const UPTIME_DAYS = 90;

/** Seconds of one UTC day spent in each state; days the component did not exist are absent. */
export interface UptimeDay {
  /** "2026-03-14", in UTC. */
  day: string;
  /** Seconds with a recorded status (up to now, for today). */
  observed: number;
  major: number;
  partial: number;
  degraded: number;
  /** Under a maintenance window that names the component, or set under maintenance; not counted as downtime. */
  maintenance: number;
}

export interface UptimeData {
  /** When it was read (epoch ms), by the database's clock. */
  readAt: number;
  /** By component id, oldest day first. */
  components: Map<string, UptimeDay[]>;
}

/** The day's worst state; 'none' (in the status page's severity words) is a day with no downtime. */
export type DayState = Severity | 'nodata';

export interface UptimeDayView {
  /** "2026-03-14" */
  date: string;
  state: DayState;
  /** "14 Mar 2026: major outage for 30 min", for screen readers and on hover or focus. */
  text: string;
}

export interface UptimeBarView {
  /** "API uptime, last 90 days" */
  label: string;
  /** Oldest day first; always UPTIME_DAYS of them, those before the component existed as 'nodata'. */
  days: UptimeDayView[];
  /** 0 to 1, or null when nothing was recorded yet. */
  uptime: number | null;
  /** "99.95 % uptime", or that there is no record yet. */
  uptimeText: string;
}

const DAY_MS = 24 * 60 * 60_000;
const DATE_TEXT = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
// Statuspage's weighting: a partial outage counts for 30% of its time, degraded performance for none.
const PARTIAL_WEIGHT = 0.3;
// Under this, a few seconds between two status changes: not worth a colour or a word.
const NOTICEABLE_S = 1;

/** Worst first: what colours a day with several states. */
const STATES: [keyof Pick<UptimeDay, 'major' | 'partial' | 'degraded' | 'maintenance'>, Severity, string][] = [
  ['major', 'critical', 'major outage'],
  ['partial', 'major', 'partial outage'],
  ['degraded', 'minor', 'degraded performance'],
  ['maintenance', 'maintenance', 'maintenance'],
];

export function dayText(date: string, day: UptimeDay | undefined): { state: DayState; text: string } {
  const when = DATE_TEXT.format(Date.parse(`${date}T00:00:00Z`));
  if (!day || day.observed < NOTICEABLE_S) return { state: 'nodata', text: `${when}: no data` };
  const parts = STATES.filter(([key]) => day[key] >= NOTICEABLE_S);
  if (parts.length === 0) return { state: 'none', text: `${when}: no downtime` };
  const words = parts.map(([key, , label]) => `${label} for ${durationText(day[key] * 1000)}`);
  // As on Statuspage: planned work is not downtime, and the reader should know the percentage says so.
  const note = day.maintenance >= NOTICEABLE_S ? ' (maintenance is not counted as downtime)' : '';
  return { state: parts[0]![1], text: `${when}: ${words.join(', ')}${note}` };
}

/** 1 − (major + 0.3 × partial) / observed; maintenance and degraded time count as up. */
export function uptimeRatio(days: readonly UptimeDay[]): number | null {
  let observed = 0;
  let down = 0;
  for (const day of days) {
    observed += day.observed;
    down += day.major + PARTIAL_WEIGHT * day.partial;
  }
  return observed < NOTICEABLE_S ? null : Math.max(0, 1 - down / observed);
}

/** The ratio as a percentage with two decimals, rounded down, so a span with any outage never reads as 100. */
export function uptimePercent(ratio: number): number {
  return Math.floor(ratio * 10_000) / 100;
}

/** "99.95 % uptime". */
export function uptimeText(ratio: number | null): string {
  if (ratio === null) return 'No uptime recorded yet';
  return `${uptimePercent(ratio).toFixed(2)} % uptime`;
}

/** The UTC dates of the span, oldest first, today last. */
export function spanDates(now: number, days = UPTIME_DAYS): string[] {
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  return Array.from({ length: days }, (_, i) => new Date(today - (days - 1 - i) * DAY_MS).toISOString().slice(0, 10));
}

export function uptimeBar(name: string, recorded: readonly UptimeDay[], now: number, days = UPTIME_DAYS): UptimeBarView {
  const byDate = new Map(recorded.map((d) => [d.day, d]));
  const dates = spanDates(now, days);
  const inSpan = dates.flatMap((date) => byDate.get(date) ?? []);
  const ratio = uptimeRatio(inSpan);
  return {
    label: `${name} uptime, last ${days} days`,
    days: dates.map((date) => ({ date, ...dayText(date, byDate.get(date)) })),
    uptime: ratio,
    uptimeText: uptimeText(ratio),
  };
}

/**
 * A bar for each component listed that has a record, by id; null when the uptime is not loaded yet.
 * A component added since the last read gets its bar with the next one, within a minute: ninety
 * days of "no data" would tell a reader nothing meanwhile.
 */
export function uptimeBars(data: { components: ReadonlyMap<string, readonly UptimeDay[]> } | undefined, components: readonly { id: string; name: string }[], now: number): Map<string, UptimeBarView> | null {
  if (!data) return null;
  const bars = new Map<string, UptimeBarView>();
  for (const c of components) {
    const recorded = data.components.get(c.id);
    if (recorded && recorded.length > 0) bars.set(c.id, uptimeBar(c.name, recorded, now));
  }
  return bars;
}
