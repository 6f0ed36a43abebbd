// How incidents read on the admin pages: statuses and impacts in words with their badges, times in
// the SRE's zone. Plain data for the templates, which only print (escaped).

import { INCIDENT_IMPACTS, INCIDENT_STATUS_LABELS, INCIDENT_STATUSES, type IncidentImpact, type IncidentStatus } from '../../maintenance/incident-status.js';
import type { IncidentRecord } from '../../maintenance/incidents.js';
import type { UpdateRecord } from '../../maintenance/updates.js';
import type { Component } from '../../snapshot/types.js';
import { formatTime } from '../time-zone.js';
import { fromNow } from '../../status/time-text.js';

export const STATUS_BADGES: Record<IncidentStatus, string> = {
  investigating: 'badge--warn',
  identified: 'badge--hold',
  monitoring: 'badge--info',
  resolved: 'badge--ok',
};

/** What each status tells customers, for the hint next to the choice. */
export const STATUS_HINTS: Record<IncidentStatus, string> = {
  investigating: 'looking into it',
  identified: 'cause known, fix under way',
  monitoring: 'fix in place, watching',
  resolved: 'over',
};

export const IMPACT_LABELS: Record<IncidentImpact, { label: string; badge: string; hint: string }> = {
  none: { label: 'No impact', badge: '', hint: 'for the record; customers are not affected' },
  minor: { label: 'Minor', badge: 'badge--warn', hint: 'some customers notice, things mostly work' },
  major: { label: 'Major', badge: 'badge--hold', hint: 'an important part does not work for many' },
  critical: { label: 'Critical', badge: 'badge--hold', hint: 'the service is down or unusable' },
};

/** The impact choices of the forms, least first. */
export const IMPACT_OPTIONS = INCIDENT_IMPACTS.map((value) => ({ value, ...IMPACT_LABELS[value] }));

/** The status choices of the update forms, in lifecycle order. */
export const STATUS_OPTIONS = INCIDENT_STATUSES.map((value) => ({ value, label: INCIDENT_STATUS_LABELS[value], hint: STATUS_HINTS[value] }));

export interface IncidentView {
  id: string;
  title: string;
  status: IncidentStatus;
  statusLabel: string;
  statusBadge: string;
  impact: IncidentImpact;
  impactLabel: string;
  impactBadge: string;
  componentIds: string[];
  componentNames: string[];
  open: boolean;
  createdText: string;
  createdRelative: string;
  createdBy: string;
  updatedText: string;
  updatedRelative: string;
  resolvedText: string | null;
}

export function incidentView(incident: IncidentRecord, zone: string, now: number, components: readonly Component[] = []): IncidentView {
  const names = new Map(components.map((c) => [c.id, c.name]));
  return {
    id: incident.id,
    title: incident.title,
    status: incident.status,
    statusLabel: INCIDENT_STATUS_LABELS[incident.status],
    statusBadge: STATUS_BADGES[incident.status],
    impact: incident.impact,
    impactLabel: IMPACT_LABELS[incident.impact].label,
    impactBadge: IMPACT_LABELS[incident.impact].badge,
    componentIds: incident.componentIds,
    componentNames: incident.componentIds.map((id) => names.get(id) ?? `#${id}`),
    open: incident.resolvedAt === null,
    createdText: formatTime(incident.createdAt, zone),
    createdRelative: fromNow(incident.createdAt, now),
    createdBy: incident.createdBy,
    updatedText: formatTime(incident.updatedAt, zone),
    updatedRelative: fromNow(incident.updatedAt, now),
    resolvedText: incident.resolvedAt === null ? null : formatTime(incident.resolvedAt, zone),
  };
}

export interface UpdateView {
  id: string;
  body: string;
  statusLabel: string;
  statusBadge: string;
  createdText: string;
  createdBy: string;
}

export function updateView(update: UpdateRecord, zone: string): UpdateView {
  return {
    id: update.id,
    body: update.body,
    statusLabel: update.status ? INCIDENT_STATUS_LABELS[update.status] : 'Update',
    statusBadge: update.status ? STATUS_BADGES[update.status] : '',
    createdText: formatTime(update.createdAt, zone),
    createdBy: update.createdBy,
  };
}
