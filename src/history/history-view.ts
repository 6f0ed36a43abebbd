// The history page as plain display data: a pure function of what was read for a page of months.
// The wording of durations and outcomes is the status page's own (past-window-view, time-text).

import { INCIDENT_STATUS_LABELS } from '../maintenance/incident-status.js';
import type { SiteSettings } from '../snapshot/types.js';
import { COMPONENT_SEVERITY, type Severity } from '../status/component-status.js';
import { IMPACT_LABELS, IMPACT_STATUS, PLAIN_UPDATE_LABEL } from '../status/incident-view.js';
import { outcomeText, pastWindowView } from '../status/past-window-view.js';
import { siteView, type SiteDefaults, type SiteView } from '../status/site.js';
import { utcText } from '../status/time-text.js';
import type { HistoryIncident, HistoryRange, HistoryUpdate, HistoryWindow } from './history-queries.js';
import { monthKey, monthLabel, monthOf, type HistoryPage } from './months.js';

export interface HistoryUpdateView {
  statusLabel: string;
  body: string;
  createdAt: string;
  createdAtText: string;
}

export interface HistoryItemView {
  /** "incident-12" or "maintenance-7": the feeds link to it. */
  anchor: string;
  kind: 'incident' | 'maintenance' | 'downtime';
  /** "Incident · Major impact", "Maintenance", "Downtime". */
  kindLabel: string;
  severity: Severity;
  title: string;
  components: string[];
  startedAt: string;
  startedAtText: string;
  endedAt: string | null;
  endedAtText: string | null;
  /** "Took 1 h 12 min, 12 min longer than planned (1 h)"; for an open incident, that it is not resolved. */
  outcomeText: string;
  heldText: string | null;
  /** Newest first, as on the status page. */
  updates: HistoryUpdateView[];
}

export interface HistoryMonthView {
  key: string;
  label: string;
  items: HistoryItemView[];
}

export interface HistoryView extends SiteView {
  title: string;
  statusPath: string;
  /** The page's own base (STATUS_PATH or STATUS_PATH/<slug>): its links stay on it. */
  basePath: string;
  months: HistoryMonthView[];
  /** Links to the newer and older pages; null when there is none. */
  newerHref: string | null;
  olderHref: string | null;
  /** Set on the 400 and 503 pages instead of months. */
  problem: { heading: string; message: string } | null;
}

export const NOTHING_TEXT = 'No incidents or maintenance reported';
export const STILL_OPEN_TEXT = 'Not resolved yet';

function updateViews(updates: readonly HistoryUpdate[]): HistoryUpdateView[] {
  return [...updates]
    .sort((a, b) => b.createdAt - a.createdAt)
    .map((u) => ({
      statusLabel: u.status === null ? PLAIN_UPDATE_LABEL : INCIDENT_STATUS_LABELS[u.status],
      body: u.body,
      createdAt: new Date(u.createdAt).toISOString(),
      createdAtText: utcText(u.createdAt),
    }));
}

function incidentItem(incident: HistoryIncident): HistoryItemView {
  const resolved = incident.resolvedAt;
  return {
    anchor: `incident-${incident.id}`,
    kind: 'incident',
    kindLabel: `Incident · ${IMPACT_LABELS[incident.impact]}`,
    severity: COMPONENT_SEVERITY[IMPACT_STATUS[incident.impact]],
    title: incident.title,
    components: incident.components,
    startedAt: new Date(incident.createdAt).toISOString(),
    startedAtText: utcText(incident.createdAt),
    endedAt: resolved === null ? null : new Date(resolved).toISOString(),
    endedAtText: resolved === null ? null : utcText(resolved),
    // An incident has no announced end, so this is "Took 2 h 5 min" alone.
    outcomeText: resolved === null ? STILL_OPEN_TEXT : outcomeText({ startsAt: incident.createdAt, plannedEndsAt: null, completedAt: resolved }),
    heldText: null,
    updates: updateViews(incident.updates),
  };
}

function windowItem(window: HistoryWindow): HistoryItemView {
  const past = pastWindowView(window);
  return {
    anchor: `maintenance-${window.id}`,
    kind: window.kind,
    kindLabel: past.kindLabel,
    severity: 'maintenance',
    title: past.title,
    components: window.components,
    startedAt: past.startsAt,
    startedAtText: past.startsAtText,
    endedAt: past.completedAt,
    endedAtText: past.completedAtText,
    outcomeText: past.outcomeText,
    heldText: past.heldText,
    updates: updateViews(window.updates),
  };
}

/** The months of the page, newest first, each with its incidents and windows, newest first. */
export function historyMonths(page: HistoryPage, range: Pick<HistoryRange, 'incidents' | 'windows'>): HistoryMonthView[] {
  const items = [
    ...range.incidents.map((i) => ({ at: i.createdAt, item: incidentItem(i) })),
    ...range.windows.map((w) => ({ at: w.startsAt, item: windowItem(w) })),
  ].sort((a, b) => b.at - a.at);
  return page.months.map((month) => ({
    key: monthKey(month),
    label: monthLabel(month),
    items: items.filter((entry) => monthOf(entry.at) === month).map((entry) => entry.item),
  }));
}

export function historyView(
  settings: SiteSettings,
  defaults: SiteDefaults,
  content: { page: HistoryPage; range: HistoryRange } | { problem: { heading: string; message: string } },
  basePath: string = defaults.statusPath,
): HistoryView {
  const site = siteView(settings, defaults);
  const base = `${basePath}/history`;
  const title = `History · ${site.siteName} status`;
  if ('problem' in content) return { ...site, title, statusPath: defaults.statusPath, basePath, months: [], newerHref: null, olderHref: null, problem: content.problem };
  const { page, range } = content;
  return {
    ...site,
    title,
    statusPath: defaults.statusPath,
    basePath,
    months: historyMonths(page, range),
    newerHref: page.newerBefore === null ? null : page.newerBefore === '' ? base : `${base}?before=${page.newerBefore}`,
    olderHref: range.olderExists ? `${base}?before=${page.olderBefore}` : null,
    problem: null,
  };
}
