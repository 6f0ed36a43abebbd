// The public data as Atlassian Statuspage's public v2 API shapes it (summary.json, components.json,
// incidents.json, ...): a pure function of the data, the page's context and the time, so
// "scheduled" turns into "in_progress" exactly when the status page says the window is in force.

import type { PageStatus } from '../status/view-model.js';
import { componentGroupViews } from '../status/component-groups.js';
import { effectiveEnd, isInForce } from '../snapshot/types.js';
import type { PublicComponent, PublicData, PublicIncident, PublicMaintenance, PublicUpdate } from './public-data.js';

export type MaintenanceStatus = 'scheduled' | 'in_progress' | 'verifying' | 'completed';

export interface PageContext {
  /** The status page's absolute URL, without a trailing slash. */
  pageUrl: string;
  siteName: string;
  /** From pageStatus(): the same rule as the page's headline. */
  status: PageStatus;
  now: number;
}

/** Ids are opaque strings; groups and windows are numbered apart from components and incidents, so they get a prefix. */
export const groupPublicId = (id: string): string => `g${id}`;
export const maintenancePublicId = (id: string): string => `m${id}`;

const iso = (at: number | null): string | null => (at === null ? null : new Date(at).toISOString());
const latest = (...times: (number | null | undefined)[]): number => Math.max(0, ...times.filter((t): t is number => typeof t === 'number'));

/** Where a window stood at `at`; before the lifecycle job caught up too, since it is judged by the times. */
export function maintenanceStatusAt(m: Pick<PublicMaintenance, 'window' | 'completedAt'>, at: number): MaintenanceStatus {
  const end = effectiveEnd(m.window);
  if (at < m.window.startsAt) return 'scheduled';
  if (end === null || at < end) return 'in_progress';
  return m.window.verifyUpstream && (m.completedAt === null || at < m.completedAt) ? 'verifying' : 'completed';
}

/** Its status now: isInForce decides, so the API never says otherwise than the page. */
export function maintenanceStatus(m: PublicMaintenance, now: number): MaintenanceStatus {
  if (m.window.startsAt > now) return 'scheduled';
  if (isInForce(m.window, now)) {
    const end = effectiveEnd(m.window);
    return end !== null && end <= now ? 'verifying' : 'in_progress';
  }
  return 'completed';
}

/** When the window last changed as a reader sees it: an edit, an update, or its start or end passing. */
function maintenanceUpdatedAt(m: PublicMaintenance, now: number): number {
  const end = effectiveEnd(m.window);
  const passed = [m.window.startsAt, end].filter((t): t is number => t !== null && t <= now);
  return latest(m.updatedAt, m.updates[0]?.createdAt, m.completedAt, ...passed);
}

export interface Shaped {
  page: Record<string, unknown>;
  status: PageStatus;
  components: Record<string, unknown>[];
  incidents: Record<string, unknown>[];
  maintenances: { status: MaintenanceStatus; json: Record<string, unknown> }[];
}

/** Every object the v2 documents are made of, shaped once; the documents are selections of them. */
export function shapeAll(data: PublicData, ctx: PageContext): Shaped {
  const { now, pageUrl } = ctx;
  const pageId = data.pageId;
  const inForce = data.maintenances.map((m) => m.window).filter((w) => isInForce(w, now));
  const views = componentGroupViews(data.components, data.groups, inForce);
  const statusOf = new Map(views.flatMap((g) => g.components.map((c) => [c.id, c.status] as const)));
  const byId = new Map(data.components.map((c) => [c.id, c]));

  function componentJson(c: PublicComponent, position: number): Record<string, unknown> {
    return {
      id: c.id,
      name: c.name,
      status: statusOf.get(c.id) ?? c.status,
      created_at: iso(c.createdAt),
      updated_at: iso(componentUpdatedAt(c, data.maintenances, now)),
      position,
      description: c.description.trim() === '' ? null : c.description,
      showcase: true,
      start_date: null,
      group_id: c.groupId !== null && views.some((g) => g.id === c.groupId) ? groupPublicId(c.groupId) : null,
      page_id: pageId,
      group: false,
      only_show_if_degraded: false,
    };
  }

  // The page's order: components in no group first, then each group followed by its members.
  // Top-level entries are numbered together; members are numbered within their group.
  const components: Record<string, unknown>[] = [];
  const full = new Map<string, Record<string, unknown>>();
  let top = 0;
  for (const view of views) {
    const members = view.components.map((c, i) => componentJson(byId.get(c.id)!, view.id === null ? ++top : i + 1));
    for (const member of members) full.set(member.id as string, member);
    if (view.id !== null) {
      const group = data.groups.find((g) => g.id === view.id)!;
      components.push({
        id: groupPublicId(group.id), name: group.name, status: view.status, created_at: iso(group.createdAt),
        updated_at: iso(latest(group.updatedAt, ...members.map((m) => Date.parse(m.updated_at as string)))),
        position: ++top, description: null, showcase: false, start_date: null, group_id: null, page_id: pageId,
        group: true, only_show_if_degraded: false, components: members.map((m) => m.id),
      });
    }
    components.push(...members);
  }
  const componentsOf = (ids: readonly string[]) => ids.flatMap((id) => (full.has(id) ? [full.get(id)!] : []));

  const incidents = [...data.incidents]
    .sort((a, b) => b.createdAt - a.createdAt || Number(b.id) - Number(a.id))
    .map((incident) => incidentJson(incident, pageId, pageUrl, componentsOf(incident.componentIds)));

  const maintenances = [...data.maintenances]
    .sort((a, b) => b.window.startsAt - a.window.startsAt || Number(b.window.id) - Number(a.window.id))
    .map((m) => ({ status: maintenanceStatus(m, now), json: maintenanceJson(m, pageId, pageUrl, now, componentsOf(m.window.componentIds)) }));

  const updatedAt = latest(
    data.settingsUpdatedAt,
    ...components.map((c) => Date.parse(c.updated_at as string)),
    ...incidents.map((i) => Date.parse(i.updated_at as string)),
    ...maintenances.map((m) => Date.parse(m.json.updated_at as string)),
  );
  const page = { id: pageId, name: ctx.siteName, url: pageUrl, time_zone: 'Etc/UTC', updated_at: iso(updatedAt) };
  return { page, status: ctx.status, components, incidents, maintenances };
}

/** A window in force changes what the component shows, at its start and at its end. */
function componentUpdatedAt(c: PublicComponent, maintenances: readonly PublicMaintenance[], now: number): number {
  const passed = maintenances
    .filter((m) => m.window.componentIds.includes(c.id))
    .flatMap((m) => [m.window.startsAt, effectiveEnd(m.window)])
    .filter((t): t is number => t !== null && t <= now);
  return latest(c.updatedAt, ...passed);
}

function updateJson(update: PublicUpdate, status: string, subjectId: string, updatedAt = update.createdAt): Record<string, unknown> {
  return {
    id: update.id,
    status,
    body: update.body,
    incident_id: subjectId,
    created_at: iso(update.createdAt),
    updated_at: iso(updatedAt),
    display_at: iso(update.createdAt),
    // Updates do not record which components they changed, and null is what Statuspage sends then.
    affected_components: null,
    deliver_notifications: true,
    custom_tweet: null,
    tweet_id: null,
  };
}

function incidentJson(incident: PublicIncident, pageId: string, pageUrl: string, components: Record<string, unknown>[]): Record<string, unknown> {
  // An update written without a status (plain SQL) announced no change: it carries the one before it.
  let carried: string = 'investigating';
  const chronological = [...incident.updates].reverse().map((u) => updateJson(u, (carried = u.status ?? carried), incident.id));
  return {
    id: incident.id,
    name: incident.title,
    status: incident.status,
    created_at: iso(incident.createdAt),
    updated_at: iso(latest(incident.updatedAt, incident.updates[0]?.createdAt)),
    monitoring_at: iso(incident.monitoringAt),
    resolved_at: iso(incident.resolvedAt),
    impact: incident.impact,
    shortlink: pageUrl,
    started_at: iso(incident.createdAt),
    page_id: pageId,
    incident_updates: chronological.reverse(),
    components,
  };
}

function maintenanceJson(m: PublicMaintenance, pageId: string, pageUrl: string, now: number, components: Record<string, unknown>[]): Record<string, unknown> {
  const id = maintenancePublicId(m.window.id);
  const status = maintenanceStatus(m, now);
  const end = effectiveEnd(m.window);
  // Window updates have no status column: each gets the state the window was in when it was posted.
  const updates = m.updates.map((u) => updateJson(u, maintenanceStatusAt(m, u.createdAt), id));
  // The window's message is what Statuspage's first update holds: the announcement.
  if (m.window.message.trim() !== '') {
    const announcement: PublicUpdate = { id: `${id}-announcement`, status: null, body: m.window.message, createdAt: m.createdAt };
    updates.push(updateJson(announcement, maintenanceStatusAt(m, m.createdAt), id, m.updatedAt));
  }
  return {
    id,
    name: m.window.title,
    status,
    created_at: iso(m.createdAt),
    updated_at: iso(maintenanceUpdatedAt(m, now)),
    monitoring_at: m.window.verifyUpstream && end !== null && end <= now ? iso(end) : null,
    resolved_at: status === 'completed' ? iso(m.completedAt ?? end) : null,
    impact: 'maintenance',
    shortlink: pageUrl,
    started_at: iso(m.createdAt),
    page_id: pageId,
    incident_updates: updates,
    components,
    scheduled_for: iso(m.window.startsAt),
    // The end announced (or extended to); an early end leaves it as it was. Null: open-ended.
    scheduled_until: iso(m.window.endsAt),
  };
}

/** The v2 documents, by their path under api/v2/. */
export const V2_DOCUMENTS = [
  'summary.json',
  'status.json',
  'components.json',
  'incidents.json',
  'incidents/unresolved.json',
  'scheduled-maintenances.json',
  'scheduled-maintenances/upcoming.json',
  'scheduled-maintenances/active.json',
] as const;
export type V2Document = (typeof V2_DOCUMENTS)[number];

const isActive = (status: MaintenanceStatus) => status === 'in_progress' || status === 'verifying';

/** One document, with Statuspage's keys in Statuspage's order. */
export function v2Document(name: V2Document, s: Shaped): Record<string, unknown> {
  const unresolved = () => s.incidents.filter((i) => i.status !== 'resolved' && i.status !== 'postmortem');
  const maintenances = (keep: (status: MaintenanceStatus) => boolean) => s.maintenances.filter((m) => keep(m.status)).map((m) => m.json);
  switch (name) {
    case 'summary.json':
      return {
        page: s.page,
        components: s.components,
        incidents: unresolved(),
        scheduled_maintenances: maintenances((status) => status === 'scheduled' || isActive(status)),
        status: s.status,
      };
    case 'status.json':
      return { page: s.page, status: s.status };
    case 'components.json':
      return { page: s.page, components: s.components };
    case 'incidents.json':
      return { page: s.page, incidents: s.incidents };
    case 'incidents/unresolved.json':
      return { page: s.page, incidents: unresolved() };
    case 'scheduled-maintenances.json':
      return { page: s.page, scheduled_maintenances: maintenances(() => true) };
    case 'scheduled-maintenances/upcoming.json':
      return { page: s.page, scheduled_maintenances: maintenances((status) => status === 'scheduled') };
    case 'scheduled-maintenances/active.json':
      return { page: s.page, scheduled_maintenances: maintenances(isActive) };
  }
}
