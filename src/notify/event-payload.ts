// The public shape of an event as webhooks receive it: {id, type, created_at, data}. The event row
// holds a copy of the table row its trigger saw; data is built from it field by field, so a column
// added to a table later does not change what receivers get. Pure: no I/O, no clock.

export const EVENT_TYPES = [
  'window.scheduled',
  'window.reminder',
  'window.started',
  'window.extended',
  'window.ended',
  'window.cancelled',
  'incident.updated',
  'component.status_changed',
  'webhook.test',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** What a webhook can subscribe to; webhook.test goes only to the webhook being tested. */
export const SUBSCRIBABLE_EVENTS = EVENT_TYPES.filter((type) => type !== 'webhook.test');
export type SubscribableEvent = Exclude<EventType, 'webhook.test'>;

export const EVENT_LABELS: Record<EventType, string> = {
  'window.scheduled': 'A window is scheduled',
  'window.reminder': 'A window starts soon (reminder)',
  'window.started': 'A window starts',
  'window.extended': 'A window is extended',
  'window.ended': 'A window ends',
  'window.cancelled': 'A window is cancelled',
  'incident.updated': 'An incident gets an update',
  'component.status_changed': "A component's status changes",
  'webhook.test': 'Test event',
};

/** An events row as read from the database. */
export interface EventRecord {
  id: string;
  type: EventType;
  at: number;
  data: Record<string, unknown>;
}

/** Where links in payloads point: absolute when PUBLIC_URL is set, else paths on the gateway. */
export interface PayloadLinks {
  statusUrl: string;
  /** ADMIN_PATH, with PUBLIC_URL in front when set; windows and incidents link below it. */
  adminUrl: string;
}

export interface EventPayload {
  id: string;
  type: EventType;
  created_at: string;
  /** The site the event is about; only present when the gateway has more than one site. */
  site?: { slug: string; name: string };
  data: Record<string, unknown>;
}

type Row = Record<string, unknown>;

function row(value: unknown): Row {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Row) : {};
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : value === null || value === undefined ? '' : String(value);
}

function idOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}

/** jsonb holds timestamptz as text with an offset (and microseconds); receivers get UTC ISO 8601. */
export function isoOrNull(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

function windowData(source: Row, links: PayloadLinks): Row {
  const id = text(source.id);
  return {
    id,
    title: text(source.title),
    message: text(source.message),
    kind: text(source.kind) || 'maintenance',
    mode: text(source.mode) || 'block',
    starts_at: isoOrNull(source.starts_at),
    ends_at: isoOrNull(source.ends_at),
    ended_at: isoOrNull(source.ended_at),
    planned_ends_at: isoOrNull(source.planned_ends_at),
    lifecycle: text(source.lifecycle) || 'scheduled',
    verify_upstream: source.verify_upstream === true,
    series_id: idOrNull(source.series_id),
    status_url: links.statusUrl,
    admin_url: `${links.adminUrl}/windows/${id}`,
  };
}

function incidentData(source: Row, links: PayloadLinks): Row {
  const id = text(source.id);
  return {
    id,
    title: text(source.title),
    status: text(source.status),
    impact: text(source.impact),
    created_at: isoOrNull(source.created_at),
    resolved_at: isoOrNull(source.resolved_at),
    status_url: links.statusUrl,
    admin_url: `${links.adminUrl}/incidents/${id}`,
  };
}

function updateData(source: Row): Row {
  return { id: text(source.id), body: text(source.body), status: idOrNull(source.status), created_at: isoOrNull(source.created_at) };
}

function componentData(source: Row, links: PayloadLinks): Row {
  return {
    id: text(source.id),
    name: text(source.name),
    description: text(source.description),
    status: text(source.status),
    group_id: idOrNull(source.group_id),
    status_url: links.statusUrl,
  };
}

/** The data of an event in its public shape; the keys per type are documented in the README. */
export function eventData(type: EventType, data: Row, links: PayloadLinks): Row {
  switch (type) {
    case 'window.extended':
      return { window: windowData(row(data.window), links), previous_ends_at: isoOrNull(data.previous_ends_at) };
    case 'window.scheduled':
    case 'window.reminder':
    case 'window.started':
    case 'window.ended':
    case 'window.cancelled':
      return { window: windowData(row(data.window), links) };
    case 'incident.updated':
      return { incident: incidentData(row(data.incident), links), update: updateData(row(data.update)) };
    case 'component.status_changed':
      return { component: componentData(row(data.component), links), previous_status: idOrNull(data.previous_status) };
    case 'webhook.test':
      return { webhook_id: idOrNull(data.webhook_id), message: 'A test event from Intermission: this webhook receives events.' };
  }
}

/** `site`: named in the payload when given (the gateway has several sites; links are then the site's own). */
export function eventPayload(event: EventRecord, links: PayloadLinks, site?: { slug: string; name: string }): EventPayload {
  const created = new Date(event.at).toISOString();
  const data = eventData(event.type, event.data, links);
  if (site === undefined) return { id: event.id, type: event.type, created_at: created, data };
  return { id: event.id, type: event.type, created_at: created, site: { slug: site.slug, name: site.name }, data };
}
