// How audit entries read on the page: when in the SRE's zone, who, what (the action and the
// object, linked to its admin page when it has one) and the fields it changed.

import type { AuditEntry } from '../../audit/audit-log.js';
import { formatTime } from '../time-zone.js';
import { changedFields, type FieldChange } from './diff.js';

/** Each kind (a table) as the filter names it, and as one object of it reads. */
export const KINDS: Record<string, { label: string; noun: string }> = {
  windows: { label: 'Windows', noun: 'window' },
  window_components: { label: 'Window components', noun: 'components of window' },
  window_series: { label: 'Recurring series', noun: 'series' },
  components: { label: 'Components', noun: 'component' },
  component_groups: { label: 'Component groups', noun: 'component group' },
  updates: { label: 'Updates', noun: 'update' },
  incidents: { label: 'Incidents', noun: 'incident' },
  incident_components: { label: 'Incident components', noun: 'components of incident' },
  bypass_links: { label: 'Bypass links', noun: 'bypass link' },
  webhooks: { label: 'Webhooks', noun: 'webhook' },
  users: { label: 'Users', noun: 'user' },
  api_tokens: { label: 'API tokens', noun: 'API token' },
  settings: { label: 'Settings', noun: 'settings' },
};

export function kindLabel(kind: string): string {
  return KINDS[kind]?.label ?? kind;
}

export interface AuditEntryView {
  id: string;
  whenText: string;
  actor: string;
  action: string;
  kind: string;
  kindLabel: string;
  /** "window #12 “Deploy”". */
  object: string;
  /** The object's admin page, relative to ADMIN_PATH; null when it has none (or was deleted). */
  href: string | null;
  changes: FieldChange[];
}

// What the entry's own columns already say (which object, who, when): left out of the changes shown.
const BOOKKEEPING = new Set(['id', 'created_at', 'created_by']);

// Pages of areas only admins may open are not linked for other roles: the link would be a 403.
const ADMIN_ONLY = new Set(['users', 'api_tokens', 'settings']);

function text(row: Record<string, unknown> | null, field: string): string | undefined {
  const value = row?.[field];
  return value === null || value === undefined || value === '' ? undefined : String(value);
}

function pageOf(entry: AuditEntry): string | null {
  // A row that belongs to another (a window's component, an update) points at its owner, which
  // outlives the row; a deleted object of its own has no page left.
  const row = entry.after ?? entry.before;
  const deleted = entry.after === null;
  const id = entry.objectId;
  switch (entry.kind) {
    case 'windows':
      return deleted ? null : `/windows/${id}`;
    case 'window_components':
      return `/windows/${id}`;
    case 'window_series':
      return deleted ? null : `/series/${id}`;
    case 'incidents':
      return deleted ? null : `/incidents/${id}`;
    case 'incident_components':
      return `/incidents/${id}`;
    case 'updates':
      if (text(row, 'window_id')) return `/windows/${text(row, 'window_id')}`;
      return text(row, 'incident_id') ? `/incidents/${text(row, 'incident_id')}` : null;
    case 'components':
    case 'component_groups':
      return '/components';
    case 'bypass_links':
      return '/bypass-links';
    case 'webhooks':
      return '/webhooks';
    case 'users':
      return '/users';
    case 'api_tokens':
      return '/tokens';
    case 'settings':
      return '/settings';
    default:
      return null;
  }
}

function objectText(entry: AuditEntry): string {
  const row = entry.after ?? entry.before;
  const noun = KINDS[entry.kind]?.noun ?? entry.kind;
  if (entry.kind === 'settings' || entry.objectId === null) return noun;
  // Bypass link ids are uuids: their first part tells them apart, as the list shows them.
  const id = entry.kind === 'bypass_links' ? ` ${entry.objectId.slice(0, 8)}` : ` #${entry.objectId}`;
  const name = text(row, 'title') ?? text(row, 'name') ?? text(row, 'email') ?? text(row, 'note');
  return `${noun}${id}${name === undefined ? '' : ` “${name.length > 80 ? `${name.slice(0, 79)}…` : name}”`}`;
}

export function auditEntryView(entry: AuditEntry, zone: string, isAdmin: boolean): AuditEntryView {
  const href = pageOf(entry);
  return {
    id: entry.id,
    whenText: formatTime(entry.at, zone),
    actor: entry.actor,
    action: entry.action,
    kind: entry.kind,
    kindLabel: kindLabel(entry.kind),
    object: objectText(entry),
    href: href && (!ADMIN_ONLY.has(entry.kind) || isAdmin) ? href : null,
    changes: changedFields(entry.before, entry.after, zone).filter((change) => !BOOKKEEPING.has(change.field)),
  };
}
