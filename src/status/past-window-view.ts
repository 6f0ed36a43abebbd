// Recent maintenance as the status page tells it: how long the work took against the plan, and
// how many requests met this page meanwhile.

import type { PastWindow } from '../snapshot/types.js';
import { durationText, utcText } from './time-text.js';

export interface PastWindowView {
  id: string;
  title: string;
  kindLabel: string;
  startsAt: string;
  startsAtText: string;
  completedAt: string;
  completedAtText: string;
  /** "Took 1 h 12 min, 12 min longer than planned (1 h)"; without the plan when none was announced. */
  outcomeText: string;
  /** "1,234 requests were answered with this page", or null when none were counted. */
  heldText: string | null;
}

// Within this, a window took the time it announced: the lifecycle job and clocks are a second apart.
const ON_PLAN_MS = 60_000;
const NUMBER = new Intl.NumberFormat('en-US');

type Outcome = Pick<PastWindow, 'startsAt' | 'plannedEndsAt' | 'completedAt'>;

/** "12 min longer than planned (1 h)", "as planned (1 h)"; null when no end was announced. */
function againstPlan(window: Outcome): string | null {
  if (window.plannedEndsAt === null) return null;
  const planned = window.plannedEndsAt - window.startsAt;
  const difference = window.completedAt - window.plannedEndsAt;
  if (Math.abs(difference) < ON_PLAN_MS) return `as planned (${durationText(planned)})`;
  return `${durationText(Math.abs(difference))} ${difference > 0 ? 'longer' : 'shorter'} than planned (${durationText(planned)})`;
}

/** "Took 1 h 12 min, 12 min longer than planned (1 h)", for the status page and the admin area. */
export function outcomeText(window: Outcome): string {
  const plan = againstPlan(window);
  return `Took ${durationText(window.completedAt - window.startsAt)}${plan ? `, ${plan}` : ''}`;
}

/** "1,234 requests were", "1 request was". */
export function heldCountText(count: number): string {
  return `${NUMBER.format(count)} ${count === 1 ? 'request was' : 'requests were'}`;
}

export function pastWindowView(window: PastWindow): PastWindowView {
  return {
    id: window.id,
    title: window.title,
    kindLabel: window.kind === 'downtime' ? 'Downtime' : 'Maintenance',
    startsAt: new Date(window.startsAt).toISOString(),
    startsAtText: utcText(window.startsAt),
    completedAt: new Date(window.completedAt).toISOString(),
    completedAtText: utcText(window.completedAt),
    outcomeText: outcomeText(window),
    heldText: window.heldRequests > 0 ? `${heldCountText(window.heldRequests)} answered with this page` : null,
  };
}
