// What the status page shows, as plain display data: a pure function of the snapshot, the time
// and why the page is being shown. The template only prints; every decision is made here.

import { uptimeBars, type UptimeBarView, type UptimeData } from '../history/uptime-days.js';
import { pageFingerprint } from '../live/fingerprint.js';
import { heldUntil, isInForce, type ComponentStatus, type MaintenanceWindow, type Snapshot } from '../snapshot/types.js';
import { componentGroupViews, type ComponentGroupView, type ComponentView } from './component-groups.js';
import { worst, type Severity } from './component-status.js';
import { IMPACT_STATUS, incidentViews, isOpen, type IncidentView } from './incident-view.js';
import { siteView, type SiteDefaults } from './site.js';
import { relativeText, utcText } from './time-text.js';
import { timelineViews, type UpdateView } from './timeline.js';
import { pastWindowView, type PastWindowView } from './past-window-view.js';
import { NO_END_TEXT, upcomingViews, windowView, type UpcomingView, type WindowView } from './window-view.js';

export type { ComponentGroupView, ComponentView, IncidentView, PastWindowView, Severity, UpcomingView, UpdateView, WindowView };
export { NO_END_TEXT };

export type PageState =
  | { kind: 'status' }
  | { kind: 'maintenance'; windows: readonly MaintenanceWindow[] }
  | { kind: 'trouble'; status: 502 | 504 };

/**
 * The site's fallback name and support email (siteDefaults in site.ts), which Settings override, and
 * the page's own base for its links: STATUS_PATH (the default) or STATUS_PATH/<slug>.
 */
export type PageOptions = SiteDefaults & { basePath?: string };

export type OverallState = 'operational' | 'degraded' | 'partial_outage' | 'major_outage' | 'maintenance' | 'trouble';

export interface StatusView {
  pageKind: PageState['kind'];
  /** Held only by read-only windows: reads still work, so the script must not judge the end by a GET. */
  readOnly: boolean;
  title: string;
  siteName: string;
  /** An http(s) URL or a path on this site, shown with the site name as its text alternative. */
  logoUrl: string | null;
  /** The brand accent's stylesheet; null without a brand colour. */
  brandStylesheet: string | null;
  /** Plain text with line breaks. */
  footerText: string | null;
  state: OverallState;
  stateLabel: string;
  severity: Severity;
  headline: string;
  message: string;
  windows: WindowView[];
  /** Open incidents, newest first; shown above the components. */
  incidents: IncidentView[];
  /** Resolved in the last few days, most recent first; shown folded, lower on the page. */
  resolvedIncidents: IncidentView[];
  /** Every component in display order, for the overall state and for readers of the data. */
  components: ComponentView[];
  /** The same components as the page lists them: ungrouped first, then each group. */
  componentGroups: ComponentGroupView[];
  upcoming: UpcomingView[];
  /** Completed in the last few days, most recent first, with how long they took against the plan. */
  pastWindows: PastWindowView[];
  updates: UpdateView[];
  supportEmail: string | null;
  /** STATUS_PATH: where the shared assets are. */
  statusPath: string;
  /** The page's own base (STATUS_PATH or STATUS_PATH/<slug>): its history, feeds and events are under it. */
  basePath: string;
  /** A window in force is past its end and waits for the application to pass a health check. */
  verifying: boolean;
  /** When the page stops holding the reader, for the countdown; null while open-ended or not held. */
  endsAtMs: number | null;
  endsAt: string | null;
  endsAtText: string;
  endsInText: string | null;
  generatedAt: string;
  generatedAtText: string;
  /** The live-update id of what this page shows; the script subscribes from it, so it hears only later changes. */
  liveId: string;
  /** 90-day uptime bars by component id; null when not given (the held pages) or not loaded yet. */
  uptime: Map<string, UptimeBarView> | null;
}

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

/** Statuspage's words for each indicator, which its consumers show as they are. */
export const INDICATOR_DESCRIPTIONS: Record<Severity, string> = {
  none: 'All Systems Operational',
  minor: 'Minor Service Outage',
  major: 'Partial System Outage',
  critical: 'Major Service Outage',
  maintenance: 'Service Under Maintenance',
};

export interface PageStatus {
  indicator: Severity;
  description: string;
}

/** The page's overall state as Statuspage's status.json tells it; the same rule as the page's headline. */
export function pageStatus(snapshot: Snapshot, now: number): PageStatus {
  const inForce = snapshot.windows.filter((w) => isInForce(w, now));
  const components = componentGroupViews(snapshot.components, snapshot.componentGroups, inForce).flatMap((g) => g.components);
  const openImpacts = snapshot.incidents.filter(isOpen).map((i) => IMPACT_STATUS[i.impact]);
  const indicator = OVERALL_SEVERITY[overallState({ kind: 'status' }, components, inForce, openImpacts, snapshot.upstream.state === 'down')];
  return { indicator, description: INDICATOR_DESCRIPTIONS[indicator] };
}

function overallState(
  state: PageState,
  components: ComponentView[],
  inForce: readonly MaintenanceWindow[],
  openImpacts: ComponentStatus[],
  upstreamDown: boolean,
): OverallState {
  if (state.kind === 'trouble') return 'trouble';
  if (state.kind === 'maintenance') return 'maintenance';
  let status: ComponentStatus = inForce.length > 0 ? 'under_maintenance' : 'operational';
  for (const c of components) status = worst(status, c.status);
  // An open incident says at least as much as its impact, whatever the components were set to.
  for (const impact of openImpacts) status = worst(status, impact);
  // Judged down, the application gets no traffic and customers get the trouble page: the status
  // says so too, with automatic incidents off or no component linked to the checks.
  if (upstreamDown) status = worst(status, 'major_outage');
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

/** `uptime`: read from the database by the caller (src/history/uptime-follower.ts); this stays pure. */
export function buildStatusView(snapshot: Snapshot, now: number, state: PageState, options: PageOptions, uptime?: UptimeData): StatusView {
  const inForce = state.kind === 'maintenance' ? state.windows : snapshot.windows.filter((w) => isInForce(w, now));
  // On the trouble page the components would claim "operational" while the application is
  // down, and upcoming work is beside the point: both are left out.
  const trouble = state.kind === 'trouble';
  const site = siteView(snapshot.settings, options);
  const groups = componentGroupViews(snapshot.components, snapshot.componentGroups, inForce);
  const listed = groups.flatMap((g) => g.components);
  const components = trouble ? [] : listed;
  const incidents = incidentViews(snapshot.incidents, listed, now);
  const openImpacts = snapshot.incidents.filter(isOpen).map((i) => IMPACT_STATUS[i.impact]);
  const overall = overallState(state, components, inForce, openImpacts, snapshot.upstream.state === 'down');

  const endsAtMs = trouble ? null : heldUntil(inForce, now);
  const windows = inForce.map((w) => windowView(w, now));
  return {
    pageKind: state.kind,
    readOnly: state.kind === 'maintenance' && inForce.length > 0 && inForce.every((w) => w.mode === 'read_only'),
    ...site,
    ...wording(state, overall, site.siteName),
    state: overall,
    stateLabel: OVERALL_LABELS[overall],
    severity: OVERALL_SEVERITY[overall],
    windows,
    verifying: !trouble && windows.some((w) => w.verifying),
    incidents: incidents.open,
    // Old news is beside the point while the application is down.
    resolvedIncidents: trouble ? [] : incidents.resolved,
    components,
    componentGroups: trouble ? [] : groups,
    upcoming: trouble ? [] : upcomingViews(snapshot.windows, now),
    pastWindows: trouble ? [] : snapshot.pastWindows.map(pastWindowView),
    updates: timelineViews(snapshot.updates),
    statusPath: options.statusPath,
    basePath: options.basePath ?? options.statusPath,
    endsAtMs,
    endsAt: endsAtMs === null ? null : new Date(endsAtMs).toISOString(),
    endsAtText: endsAtMs === null ? NO_END_TEXT : utcText(endsAtMs),
    endsInText: endsAtMs === null ? null : relativeText(endsAtMs, now),
    generatedAt: new Date(now).toISOString(),
    generatedAtText: utcText(now),
    liveId: pageFingerprint(snapshot, now),
    uptime: trouble ? null : uptimeBars(uptime, listed, now),
  };
}
