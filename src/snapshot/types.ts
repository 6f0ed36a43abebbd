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

export interface Snapshot {
  /** Increases with every reload; caches key on it. */
  version: number;
  loadedAt: number;
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
}

/** The moment a window stops being in force, or null while it has no end. */
export function effectiveEnd(window: MaintenanceWindow): number | null {
  if (window.endedAt !== null && (window.endsAt === null || window.endedAt < window.endsAt)) return window.endedAt;
  return window.endsAt;
}

export function isInForce(window: MaintenanceWindow, now: number): boolean {
  const end = effectiveEnd(window);
  return window.startsAt <= now && (end === null || now < end);
}

export const EMPTY_SNAPSHOT: Snapshot = Object.freeze({
  version: 0,
  loadedAt: 0,
  windows: [],
  components: [],
  componentGroups: [],
  incidents: [],
  updates: [],
  bypassSecret: '',
  activeBypassLinks: new Map<string, readonly string[]>(),
  settings: NO_SETTINGS,
});
