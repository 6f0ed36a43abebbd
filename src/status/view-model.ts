// What the status page shows, as plain display data: a pure function of the snapshot, the time
// and why the page is being shown. The template only prints; every decision is made here.

import {
  effectiveEnd,
  isInForce,
  type Component,
  type ComponentStatus,
  type MaintenanceWindow,
  type Snapshot,
} from '../snapshot/types.js';
import { COMPONENT_LABELS, COMPONENT_SEVERITY, worst, type Severity } from './component-status.js';
import { relativeText, utcText } from './time-text.js';

export type { Severity };

export type PageState =
  | { kind: 'status' }
  | { kind: 'maintenance'; windows: readonly MaintenanceWindow[] }
  | { kind: 'trouble'; status: 502 | 504 };

export interface PageOptions {
  siteName: string;
  supportEmail: string | undefined;
  statusPath: string;
}

export type OverallState = 'operational' | 'degraded' | 'partial_outage' | 'major_outage' | 'maintenance' | 'trouble';

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
}

export interface UpcomingView extends WindowView {
  /** "in about 3 days". */
  startsInText: string;
}

export interface ComponentView {
  id: string;
  name: string;
  description: string;
  status: ComponentStatus;
  statusLabel: string;
  severity: Severity;
}

export interface UpdateView {
  id: string;
  body: string;
  /** The title of the window the update belongs to, when it is known. */
  windowTitle: string | null;
  createdAt: string;
  createdAtText: string;
}

export interface StatusView {
  pageKind: PageState['kind'];
  /** Held only by read-only windows: reads still work, so the script must not judge the end by a GET. */
  readOnly: boolean;
  title: string;
  siteName: string;
  state: OverallState;
  stateLabel: string;
  severity: Severity;
  headline: string;
  message: string;
  windows: WindowView[];
  components: ComponentView[];
  upcoming: UpcomingView[];
  updates: UpdateView[];
  supportEmail: string | null;
  statusPath: string;
  /** When the page stops holding the reader, for the countdown; null while open-ended or not held. */
  endsAtMs: number | null;
  endsAt: string | null;
  endsAtText: string;
  endsInText: string | null;
  generatedAt: string;
  generatedAtText: string;
}

export const NO_END_TEXT = 'No end time announced';
const MAX_UPCOMING = 5;
const MAX_UPDATES = 10;

const OVERALL: Record<ComponentStatus, OverallState> = {
  operational: 'operational',
  under_maintenance: 'maintenance',
  degraded_performance: 'degraded',
  partial_outage: 'partial_outage',
  major_outage: 'major_outage',
};

const OVERALL_LABELS: Record<OverallState, string> = {
  operational: 'All systems operational',
  degraded: 'Degraded performance',
  partial_outage: 'Partial outage',
  major_outage: 'Major outage',
  maintenance: 'Maintenance in progress',
  trouble: 'Service disruption',
};

const OVERALL_SEVERITY: Record<OverallState, Severity> = {
  operational: 'none',
  degraded: 'minor',
  partial_outage: 'major',
  major_outage: 'critical',
  maintenance: 'maintenance',
  trouble: 'critical',
};

const STATUS_MESSAGES: Record<OverallState, (siteName: string) => string> = {
  operational: () => '',
  degraded: (site) => `Some parts of ${site} are slower than usual. Details below.`,
  partial_outage: (site) => `Some parts of ${site} are not working right now. Details below.`,
  major_outage: (site) => `${site} is not working for most people right now. We're on it.`,
  maintenance: () => 'Planned maintenance is in progress. Details below.',
  trouble: () => '',
};


function windowView(window: MaintenanceWindow, now: number): WindowView {
  const end = effectiveEnd(window);
  return {
    id: window.id,
    title: window.title,
    message: window.message,
    readOnly: window.mode === 'read_only',
    startsAt: new Date(window.startsAt).toISOString(),
    startsAtText: utcText(window.startsAt),
    endsAt: end === null ? null : new Date(end).toISOString(),
    endsAtMs: end,
    endsAtText: end === null ? NO_END_TEXT : utcText(end),
    endsInText: end === null ? null : relativeText(end, now),
  };
}

/** A request is held until every window holding it has ended; one open-ended window keeps it open. */
function heldUntil(windows: readonly MaintenanceWindow[]): number | null {
  let latest = 0;
  for (const window of windows) {
    const end = effectiveEnd(window);
    if (end === null) return null;
    latest = Math.max(latest, end);
  }
  return windows.length > 0 ? latest : null;
}

function componentViews(components: Component[], inForce: readonly MaintenanceWindow[]): ComponentView[] {
  const underMaintenance = new Set(inForce.flatMap((w) => w.componentIds));
  return [...components]
    .sort((a, b) => a.position - b.position || a.name.localeCompare(b.name))
    .map((c) => {
      const status = underMaintenance.has(c.id) ? worst(c.status, 'under_maintenance') : c.status;
      return {
        id: c.id,
        name: c.name,
        description: c.description,
        status,
        statusLabel: COMPONENT_LABELS[status],
        severity: COMPONENT_SEVERITY[status],
      };
    });
}

function overallState(state: PageState, components: ComponentView[], inForce: readonly MaintenanceWindow[]): OverallState {
  if (state.kind === 'trouble') return 'trouble';
  if (state.kind === 'maintenance') return 'maintenance';
  let status: ComponentStatus = inForce.length > 0 ? 'under_maintenance' : 'operational';
  for (const c of components) status = worst(status, c.status);
  return OVERALL[status];
}

function wording(state: PageState, overall: OverallState, siteName: string): { title: string; headline: string; message: string } {
  if (state.kind === 'trouble') {
    return {
      title: `Unexpected trouble · ${siteName}`,
      headline: "We're having unexpected trouble",
      message:
        state.status === 504
          ? "The application is taking too long to respond; we've been alerted. This page checks again on its own."
          : "The application is not responding; we've been alerted. This page checks again on its own.",
    };
  }
  if (state.kind === 'maintenance') {
    return state.windows.length > 0 && state.windows.every((w) => w.mode === 'read_only')
      ? {
          title: `Read-only maintenance · ${siteName}`,
          headline: `${siteName} is read-only during maintenance`,
          message: "You can keep browsing, but changes can't be saved until the maintenance is over. This page updates itself.",
        }
      : {
          title: `Maintenance · ${siteName}`,
          headline: `${siteName} is down for maintenance`,
          message: "We're doing planned work and will be back as soon as it's finished. This page updates itself and takes you back to where you were.",
        };
  }
  return { title: `${siteName} status`, headline: OVERALL_LABELS[overall], message: STATUS_MESSAGES[overall](siteName) };
}

export function buildStatusView(snapshot: Snapshot, now: number, state: PageState, options: PageOptions): StatusView {
  const inForce = state.kind === 'maintenance' ? state.windows : snapshot.windows.filter((w) => isInForce(w, now));
  // On the trouble page the components would claim "operational" while the application is
  // down, and upcoming work is beside the point: both are left out.
  const trouble = state.kind === 'trouble';
  const components = trouble ? [] : componentViews(snapshot.components, inForce);
  const overall = overallState(state, components, inForce);
  const titles = new Map(snapshot.windows.map((w) => [w.id, w.title]));

  const upcoming = snapshot.windows
    .filter((w) => !trouble && w.startsAt > now && !isCancelled(w))
    .sort((a, b) => a.startsAt - b.startsAt)
    .slice(0, MAX_UPCOMING)
    .map((w) => ({ ...windowView(w, now), startsInText: relativeText(w.startsAt, now) }));

  const updates = [...snapshot.updates]
    .sort((a, b) => b.createdAt - a.createdAt)
    .slice(0, MAX_UPDATES)
    .map((u) => ({
      id: u.id,
      body: u.body,
      windowTitle: u.windowId === null ? null : (titles.get(u.windowId) ?? null),
      createdAt: new Date(u.createdAt).toISOString(),
      createdAtText: utcText(u.createdAt),
    }));

  const endsAtMs = trouble ? null : heldUntil(inForce);
  return {
    pageKind: state.kind,
    readOnly: state.kind === 'maintenance' && inForce.length > 0 && inForce.every((w) => w.mode === 'read_only'),
    siteName: options.siteName,
    ...wording(state, overall, options.siteName),
    state: overall,
    stateLabel: OVERALL_LABELS[overall],
    severity: OVERALL_SEVERITY[overall],
    windows: inForce.map((w) => windowView(w, now)),
    components,
    upcoming,
    updates,
    supportEmail: options.supportEmail ?? null,
    statusPath: options.statusPath,
    endsAtMs,
    endsAt: endsAtMs === null ? null : new Date(endsAtMs).toISOString(),
    endsAtText: endsAtMs === null ? NO_END_TEXT : utcText(endsAtMs),
    endsInText: endsAtMs === null ? null : relativeText(endsAtMs, now),
    generatedAt: new Date(now).toISOString(),
    generatedAtText: utcText(now),
  };
}

/** A window ended before it began was called off; it is not coming. */
function isCancelled(window: MaintenanceWindow): boolean {
  const end = effectiveEnd(window);
  return end !== null && end <= window.startsAt;
}
