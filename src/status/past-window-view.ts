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
  /** "Took 1 h 12 min". */
  tookText: string;
  /** "12 min longer than planned (1 h)", "as planned", or null when no end was announced. */
  againstPlanText: string | null;
  /** "1,234 requests were answered with this page", or null when none were counted. */
  heldText: string | null;
}

// Within this, a window took the time it announced: the lifecycle job and clocks are a second apart.
const ON_PLAN_MS = 60_000;
const NUMBER = new Intl.NumberFormat('en-US');

function againstPlan(window: PastWindow): string | null {
  if (window.plannedEndsAt === null) return null;
  const planned = window.plannedEndsAt - window.startsAt;
  const difference = window.completedAt - window.plannedEndsAt;
  if (Math.abs(difference) < ON_PLAN_MS) return `as planned (${durationText(planned)})`;
  return `${durationText(Math.abs(difference))} ${difference > 0 ? 'longer' : 'shorter'} than planned (${durationText(planned)})`;
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
    tookText: `Took ${durationText(window.completedAt - window.startsAt)}`,
    againstPlanText: againstPlan(window),
    heldText: window.heldRequests > 0 ? `${NUMBER.format(window.heldRequests)} ${window.heldRequests === 1 ? 'request was' : 'requests were'} answered with this page` : null,
  };
}
