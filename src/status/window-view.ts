// Maintenance windows as the status page words them: the ones in force with their expected end,
// and the upcoming ones, soonest first.

import { effectiveEnd, type MaintenanceWindow } from '../snapshot/types.js';
import { relativeText, utcText } from './time-text.js';

export interface WindowView {
  id: string;
  title: string;
  message: string;
  readOnly: boolean;
  startsAt: string;
  startsAtText: string;
  /** ISO 8601, or null when no end is announced. */
  endsAt: string | null;
  endsAtMs: number | null;
  /** "14:30 UTC, 22 Nov 2026", or "No end time announced". */
  endsAtText: string;
  /** "in about 25 minutes"; null without an end. */
  endsInText: string | null;
  /** Past its end and held until the application passes a health check. */
  verifying: boolean;
  /** Statuspage's name of where it is: "In progress", "Verifying". */
  phaseLabel: string;
}

export interface UpcomingView extends WindowView {
  /** "in about 3 days". */
  startsInText: string;
}

export const NO_END_TEXT = 'No end time announced';
export const VERIFYING_TEXT = 'The work is done; we are checking that everything works';
const MAX_UPCOMING = 5;

export function windowView(window: MaintenanceWindow, now: number): WindowView {
  const end = effectiveEnd(window);
  // In force past its end only while the upstream is checked: then the end to wait for is the check.
  const verifying = end !== null && end <= now && window.startsAt <= now;
  const shownEnd = verifying ? null : end;
  return {
    id: window.id,
    title: window.title,
    message: window.message,
    readOnly: window.mode === 'read_only',
    startsAt: new Date(window.startsAt).toISOString(),
    startsAtText: utcText(window.startsAt),
    endsAt: shownEnd === null ? null : new Date(shownEnd).toISOString(),
    endsAtMs: shownEnd,
    endsAtText: verifying ? VERIFYING_TEXT : shownEnd === null ? NO_END_TEXT : utcText(shownEnd),
    endsInText: shownEnd === null ? null : relativeText(shownEnd, now),
    verifying,
    phaseLabel: verifying ? 'Verifying' : window.startsAt <= now ? 'In progress' : 'Scheduled',
  };
}

/** A window ended before it began was called off; it is not coming. */
function isCancelled(window: MaintenanceWindow): boolean {
  const end = effectiveEnd(window);
  return end !== null && end <= window.startsAt;
}

/** Windows not started yet and not called off, soonest first, the first few. */
export function upcomingViews(windows: readonly MaintenanceWindow[], now: number): UpcomingView[] {
  return windows
    .filter((w) => w.startsAt > now && !isCancelled(w))
    .sort((a, b) => a.startsAt - b.startsAt)
    .slice(0, MAX_UPCOMING)
    .map((w) => ({ ...windowView(w, now), startsInText: relativeText(w.startsAt, now) }));
}
