// How windows read on the admin pages: times in the SRE's zone and relative to now, states and
// scopes in words. Plain data for the templates, which only print (escaped).

import { formatDuration } from '../../maintenance/input.js';
import { windowState, type WindowRecord, type WindowState } from '../../maintenance/windows.js';
import { effectiveEnd, type Component, type WindowLifecycle } from '../../snapshot/types.js';
import { heldCountText, outcomeText } from '../../status/past-window-view.js';
import { fromNow } from '../../status/time-text.js';
import { formatTime, toLocalInput } from '../time-zone.js';

export const STATE_LABELS: Record<WindowState, { label: string; badge: string }> = {
  in_force: { label: 'In force', badge: 'badge--hold' },
  upcoming: { label: 'Upcoming', badge: 'badge--info' },
  over: { label: 'Over', badge: '' },
  cancelled: { label: 'Cancelled', badge: '' },
};

export const LIFECYCLE_LABELS: Record<WindowLifecycle, string> = {
  scheduled: 'Scheduled',
  in_progress: 'In progress',
  verifying: 'Verifying: waiting for the application to pass a health check',
  completed: 'Completed',
};

/** How long a completed window took, against the plan; null until it completed (or when cancelled). */
function outcome(window: WindowRecord): string | null {
  if (window.completedAt === null || window.completedAt <= window.startsAt) return null;
  return outcomeText({ startsAt: window.startsAt, plannedEndsAt: window.plannedEndsAt, completedAt: window.completedAt });
}

export const KIND_LABELS = { maintenance: 'Maintenance window', downtime: 'Downtime notice' } as const;
export const MODE_LABELS = {
  block: 'Block: every request gets the status page',
  read_only: 'Read-only: reads go through, writes are held',
} as const;
export const RESPONSE_LABELS = {
  render: 'Show the status page at the URL asked for (503)',
  redirect: 'Redirect browsers to the status page (307)',
} as const;

/** "all paths and hosts", "paths /api, /checkout on shop.example.com". */
export function scopeText(window: Pick<WindowRecord, 'pathPrefixes' | 'hosts'>): string {
  const paths = window.pathPrefixes.length ? `paths ${window.pathPrefixes.join(', ')}` : 'all paths';
  const hosts = window.hosts.length ? ` on ${window.hosts.join(', ')}` : window.pathPrefixes.length ? '' : ' and hosts';
  return `${paths}${hosts}`;
}

export interface WindowView {
  id: string;
  title: string;
  message: string;
  kind: WindowRecord['kind'];
  kindLabel: string;
  mode: WindowRecord['mode'];
  modeLabel: string;
  response: WindowRecord['response'];
  responseLabel: string;
  scope: string;
  paths: string[];
  hosts: string[];
  componentIds: string[];
  componentNames: string[];
  state: WindowState;
  stateLabel: string;
  badge: string;
  startsText: string;
  startsRelative: string;
  /** The effective end (ended early, or planned); null while open-ended. */
  end: number | null;
  endText: string;
  endRelative: string | null;
  plannedEndText: string | null;
  durationText: string | null;
  /** Values for the edit form's inputs, in the zone. */
  startsInput: string;
  endsInput: string;
  durationInput: string;
  createdBy: string;
  openEnded: boolean;
  verifyUpstream: boolean;
  lifecycle: WindowLifecycle;
  /** Statuspage's phase: Scheduled, In progress, Verifying, Completed. */
  lifecycleLabel: string;
  /** Once completed: "Took 1 h 12 min, 12 min longer than planned (1 h)". */
  outcomeText: string | null;
  /** "1,234 requests were held", or null before any was counted. */
  heldText: string | null;
  /** The series it is an occurrence of, and whether it was changed by hand since. */
  seriesId: string | null;
  detached: boolean;
}

export function windowView(window: WindowRecord, zone: string, now: number, components: readonly Component[] = []): WindowView {
  const state = windowState(window, now);
  const end = effectiveEnd(window);
  const names = new Map(components.map((c) => [c.id, c.name]));
  const duration = window.endsAt === null ? null : window.endsAt - window.startsAt;
  return {
    id: window.id,
    title: window.title,
    message: window.message,
    kind: window.kind,
    kindLabel: KIND_LABELS[window.kind],
    mode: window.mode,
    modeLabel: window.mode === 'read_only' ? 'Read-only' : 'Block',
    response: window.response,
    responseLabel: window.response === 'redirect' ? 'Redirect (307)' : 'Status page (503)',
    scope: scopeText(window),
    paths: window.pathPrefixes,
    hosts: window.hosts,
    componentIds: window.componentIds,
    componentNames: window.componentIds.map((id) => names.get(id) ?? `#${id}`),
    state,
    stateLabel: STATE_LABELS[state].label,
    badge: STATE_LABELS[state].badge,
    startsText: formatTime(window.startsAt, zone),
    startsRelative: fromNow(window.startsAt, now),
    end,
    endText: end === null ? 'no end set: until someone ends it' : formatTime(end, zone),
    endRelative: end === null ? null : fromNow(end, now),
    plannedEndText: window.endedAt !== null && window.endsAt !== null && window.endsAt !== end ? formatTime(window.endsAt, zone) : null,
    durationText: duration === null ? null : formatDuration(duration),
    startsInput: toLocalInput(window.startsAt, zone),
    endsInput: window.endsAt === null ? '' : toLocalInput(window.endsAt, zone),
    durationInput: duration === null ? '' : formatDuration(duration),
    createdBy: window.createdBy,
    openEnded: window.endsAt === null,
    verifyUpstream: window.verifyUpstream,
    lifecycle: window.lifecycle,
    lifecycleLabel: LIFECYCLE_LABELS[window.lifecycle],
    outcomeText: outcome(window),
    heldText: window.heldRequests > 0 ? `${heldCountText(window.heldRequests)} answered with the status page` : null,
    seriesId: window.seriesId,
    detached: window.detached,
  };
}
