// The Slack-compatible form of an event: {"text": "..."}, one readable line and a link, built from
// the public payload (event-payload.ts) so both formats say the same thing. Pure.

import { INCIDENT_STATUS_LABELS, type IncidentStatus } from '../maintenance/incident-status.js';
import type { ComponentStatus } from '../snapshot/types.js';
import { COMPONENT_LABELS } from '../status/component-status.js';
import { utcText } from '../status/time-text.js';
import type { EventPayload } from './event-payload.js';

// An incident update can be long; the channel gets its first line, the link has the rest.
const MAX_BODY = 200;

type Row = Record<string, unknown>;

/** Slack reads &, < and > as markup: https://api.slack.com/reference/surfaces/formatting#escaping */
export function slackEscape(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function link(url: unknown, label: string): string {
  if (typeof url !== 'string' || url === '') return '';
  // Only characters that would end the link markup are encoded; the URL is otherwise as configured.
  const safe = url.replace(/[<>| ]/g, (c) => encodeURIComponent(c));
  return ` <${safe}|${label}>`;
}

function when(iso: unknown): string {
  return typeof iso === 'string' ? utcText(Date.parse(iso)) : 'no end set';
}

function quotedTitle(source: Row): string {
  return `“${slackEscape(String(source.title ?? ''))}”`;
}

function firstLine(body: string): string {
  const line = body.split('\n').find((part) => part.trim() !== '')?.trim() ?? '';
  return line.length > MAX_BODY ? `${line.slice(0, MAX_BODY - 1)}…` : line;
}

function componentLabel(status: unknown): string {
  return COMPONENT_LABELS[status as ComponentStatus] ?? String(status ?? 'unknown');
}

function windowLine(type: string, data: Row): string {
  const window = (data.window ?? {}) as Row;
  const kind = window.kind === 'downtime' ? 'Downtime' : 'Maintenance';
  const title = quotedTitle(window);
  const until = window.ends_at ? `until ${when(window.ends_at)}` : 'with no end set';
  switch (type) {
    case 'window.scheduled':
      return `${kind} scheduled: ${title}, from ${when(window.starts_at)} ${until}.`;
    case 'window.reminder':
      return `${kind} starts soon: ${title} at ${when(window.starts_at)}, ${until}.`;
    case 'window.started':
      return `${kind} started: ${title}, ${until}.`;
    case 'window.extended':
      return `${kind} extended: ${title} now runs ${until}${data.previous_ends_at ? ` (was ${when(data.previous_ends_at)})` : ''}.`;
    case 'window.ended':
      return `${kind} ended: ${title}.`;
    default:
      return `${kind} cancelled: ${title} (was to start at ${when(window.starts_at)}).`;
  }
}

/** The one line a channel shows for the event, with the status page (or admin) link after it; "[Site] " first when the payload names its site. */
export function slackText(payload: EventPayload): string {
  const line = eventLine(payload);
  return payload.site ? `[${slackEscape(payload.site.name)}] ${line}` : line;
}

function eventLine(payload: EventPayload): string {
  const data = payload.data;
  switch (payload.type) {
    case 'incident.updated': {
      const incident = (data.incident ?? {}) as Row;
      const update = (data.update ?? {}) as Row;
      const status = INCIDENT_STATUS_LABELS[incident.status as IncidentStatus] ?? String(incident.status ?? '');
      return `Incident ${quotedTitle(incident)} – ${status}: ${slackEscape(firstLine(String(update.body ?? '')))}${link(incident.status_url, 'Status page')}`;
    }
    case 'component.status_changed': {
      const component = (data.component ?? {}) as Row;
      const change = `${componentLabel(data.previous_status)} → ${componentLabel(component.status)}`;
      return `Component ${quotedTitle({ title: component.name })}: ${change}.${link(component.status_url, 'Status page')}`;
    }
    case 'webhook.test':
      return `Test event from Intermission: this webhook receives events (webhook #${String(data.webhook_id ?? '?')}).`;
    default: {
      const window = (data.window ?? {}) as Row;
      return `${windowLine(payload.type, data)}${link(window.status_url, 'Status page')}`;
    }
  }
}

export function slackPayload(payload: EventPayload): { text: string } {
  return { text: slackText(payload) };
}
