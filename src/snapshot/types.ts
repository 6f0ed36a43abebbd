// What each gateway process holds in memory to decide requests and render the status page.
// Times are epoch milliseconds so the request path compares numbers, never parses dates.

import type { IncidentImpact, IncidentStatus } from '../maintenance/incident-status.js';

export const COMPONENT_STATUSES = [
  'operational',
  'degraded_performance',
  'partial_outage',
  'major_outage',
  'under_maintenance',
] as const;
export type ComponentStatus = (typeof COMPONENT_STATUSES)[number];

/** Statuspage's names for where a window is; moved forward by the lifecycle job. */
export const WINDOW_LIFECYCLES = ['scheduled', 'in_progress', 'verifying', 'completed'] as const;
export type WindowLifecycle = (typeof WINDOW_LIFECYCLES)[number];

export interface MaintenanceWindow {
  id: string;
  title: string;
  message: string;
  startsAt: number;
  /** null: open-ended. */
  endsAt: number | null;
  /** Set when the window was ended before endsAt. */
  endedAt: number | null;
  mode: 'block' | 'read_only';
  response: 'render' | 'redirect';
  /** Empty: every path. */
  pathPrefixes: string[];
  /** Empty: every host. Lower-case, without port. */
  hosts: string[];
  componentIds: string[];
  lifecycle: WindowLifecycle;
  /** Keeps holding traffic after its end until the upstream passes a health check (see the lifecycle job). */
  verifyUpstream: boolean;
}

export interface Component {
  id: string;
  name: string;
  description: string;
  status: ComponentStatus;
  position: number;
  /** null: not in a group. */
  groupId: string | null;
}

export interface ComponentGroup {
  id: string;
  name: string;
  position: number;
}

export interface Update {
  id: string;
  windowId: string | null;
  incidentId: string | null;
  /** The incident status this update announced; null for window updates and notices. */
  status: IncidentStatus | null;
  /** The title of its window or incident, read with it, so updates of ended windows keep their name. */
  subjectTitle: string | null;
  body: string;
  createdAt: number;
}

/** Resolved incidents stay on the status page this long, folded under the open ones. */
export const RESOLVED_INCIDENT_DAYS = 7;

export interface Incident {
  id: string;
  title: string;
  status: IncidentStatus;
  impact: IncidentImpact;
  createdAt: number;
  /** null while the incident is open. */
  resolvedAt: number | null;
  componentIds: string[];
  /** Its most recent updates, newest first. */
  updates: Update[];
}

/** What an admin set about the site in Settings; null falls back to the environment. */
export interface SiteSettings {
  siteName: string | null;
  supportEmail: string | null;
  logoUrl: string | null;
  /** #rrggbb */
  brandColor: string | null;
  footerText: string | null;
}

export const NO_SETTINGS: SiteSettings = Object.freeze({ siteName: null, supportEmail: null, logoUrl: null, brandColor: null, footerText: null });

/** A window that is over, with what actually happened against what was planned. */
export interface PastWindow {
  id: string;
  title: string;
  kind: 'maintenance' | 'downtime';
  /** The planned start and the end first announced (null: announced open-ended). */
  startsAt: number;
  plannedEndsAt: number | null;
  /** When it was completed: its end, or when the upstream passed its check after it. */
  completedAt: number;
  /** Requests answered with the status page while it was in force, as counted so far. */
  heldRequests: number;
}

/** Completed windows stay on the status page as long as resolved incidents. */
export const PAST_WINDOW_DAYS = RESOLVED_INCIDENT_DAYS;

/** The upstream as the health checks judge it, shared by every gateway through the database. */
export interface UpstreamHealth {
  state: 'up' | 'down';
  /** Since when it is in that state. */
  since: number;
  /** The outage in progress, while down. */
  outageId: string | null;
}

export const UPSTREAM_UP: UpstreamHealth = Object.freeze({ state: 'up', since: 0, outageId: null });

/** One application behind the gateway: which hosts reach it and where its requests go. */
export interface Site {
  id: string;
  /** In URLs: STATUS_PATH/<slug>, the CLI's --site. */
  slug: string;
  /** null: the gateway's UPSTREAM_URL. */
  upstreamUrl: string | null;
  /** Exact names and *.example.com wildcards, lower-case, without port. */
  hosts: readonly string[];
  /** Answers every host no site names. */
  isDefault: boolean;
}

/** A database from before sites, and the gateway before its first load: one default site. */
export const DEFAULT_SITE: Site = Object.freeze({ id: '0', slug: 'default', upstreamUrl: null, hosts: [], isDefault: true });

/** What one site's requests are decided by and its status page shows. */
export interface Snapshot {
  /** Increases with every reload; caches key on it (with the site's id: every site has the same version). */
  version: number;
  loadedAt: number;
  site: Site;
  /** Windows that are in force or still to come, ordered by start. */
  windows: MaintenanceWindow[];
  components: Component[];
  /** Ordered by position, then name. */
  componentGroups: ComponentGroup[];
  /** Open incidents and those resolved in the last RESOLVED_INCIDENT_DAYS, open ones first, newest first. */
  incidents: Incident[];
  /** The most recent updates, newest first. */
  updates: Update[];
  /** Key that signs bypass cookies, shared by every gateway through the database. */
  bypassSecret: string;
  /** Bypass links that are neither revoked nor expired, by id: the path prefixes each lets through (empty: every path). */
  activeBypassLinks: ReadonlyMap<string, readonly string[]>;
  settings: SiteSettings;
  upstream: UpstreamHealth;
  /** Completed in the last PAST_WINDOW_DAYS, most recent first; cancelled ones left out. */
  pastWindows: PastWindow[];
}

/** The moment a window stops being in force, or null while it has no end. */
export function effectiveEnd(window: MaintenanceWindow): number | null {
  if (window.endedAt !== null && (window.endsAt === null || window.endedAt < window.endsAt)) return window.endedAt;
  return window.endsAt;
}

/**
 * When traffic held by these windows flows again: the latest end. Null when that is unknown: one
 * window is open-ended, or past its end while the upstream is checked (see isInForce).
 */
export function heldUntil(windows: readonly MaintenanceWindow[], now: number): number | null {
  let latest = 0;
  for (const window of windows) {
    const end = effectiveEnd(window);
    if (end === null || end <= now) return null;
    latest = Math.max(latest, end);
  }
  return windows.length > 0 ? latest : null;
}

/** A window that verifies the upstream holds past its end until the lifecycle job completes it. */
export function isInForce(window: MaintenanceWindow, now: number): boolean {
  const end = effectiveEnd(window);
  if (window.startsAt > now) return false;
  if (end === null || now < end) return true;
  return window.verifyUpstream && window.lifecycle !== 'completed' && end > window.startsAt;
}

export const EMPTY_SNAPSHOT: Snapshot = Object.freeze({
  version: 0,
  loadedAt: 0,
  site: DEFAULT_SITE,
  windows: [],
  components: [],
  componentGroups: [],
  incidents: [],
  updates: [],
  bypassSecret: '',
  activeBypassLinks: new Map<string, readonly string[]>(),
  settings: NO_SETTINGS,
  upstream: UPSTREAM_UP,
  pastWindows: [],
});

/** What the store holds: every site's snapshot, and the routes from a Host header to one of them. */
export interface SiteSnapshots {
  version: number;
  loadedAt: number;
  /** Ordered by slug. */
  sites: readonly Snapshot[];
  bySlug: ReadonlyMap<string, Snapshot>;
  byId: ReadonlyMap<string, Snapshot>;
  /** Exact host names. */
  exact: ReadonlyMap<string, Snapshot>;
  /** Wildcards by the part after "*.". */
  wildcard: ReadonlyMap<string, Snapshot>;
  /** The default site, or null: hosts no site names get a 404 page. */
  fallback: Snapshot | null;
}
