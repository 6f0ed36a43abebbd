// Incidents as the status page tells them: open ones with their story, newest update first;
// recently resolved ones apart, to be folded; and what an open incident does to the overall state.

import { INCIDENT_STATUS_LABELS, type IncidentImpact, type IncidentStatus } from '../maintenance/incident-status.js';
import { RESOLVED_INCIDENT_DAYS, type Component, type ComponentStatus, type Incident } from '../snapshot/types.js';
import { COMPONENT_SEVERITY, type Severity } from './component-status.js';
import { utcText } from './time-text.js';

const DAY = 24 * 60 * 60_000;

/** How bad an open incident of each impact is, in the components' vocabulary. */
export const IMPACT_STATUS: Record<IncidentImpact, ComponentStatus> = {
  none: 'operational',
  minor: 'degraded_performance',
  major: 'partial_outage',
  critical: 'major_outage',
};

export const IMPACT_LABELS: Record<IncidentImpact, string> = {
  none: 'No impact',
  minor: 'Minor impact',
  major: 'Major impact',
  critical: 'Critical impact',
};

/** An update that did not move the incident along says so in Statuspage's word. */
export const PLAIN_UPDATE_LABEL = 'Update';

export interface IncidentUpdateView {
  id: string;
  status: IncidentStatus | null;
  statusLabel: string;
  body: string;
  createdAt: string;
  createdAtText: string;
}

export interface IncidentView {
  id: string;
  title: string;
  impact: IncidentImpact;
  impactLabel: string;
  severity: Severity;
  status: IncidentStatus;
  statusLabel: string;
  /** Names of the components it affects, in the order the page lists them. */
  components: string[];
  createdAt: string;
  createdAtText: string;
  resolvedAt: string | null;
  resolvedAtText: string | null;
  /** Newest first. */
  updates: IncidentUpdateView[];
}

export interface IncidentViews {
  open: IncidentView[];
  resolved: IncidentView[];
}

function incidentView(incident: Incident, componentNames: ReadonlyMap<string, string>): IncidentView {
  return {
    id: incident.id,
    title: incident.title,
    impact: incident.impact,
    impactLabel: IMPACT_LABELS[incident.impact],
    severity: COMPONENT_SEVERITY[IMPACT_STATUS[incident.impact]],
    status: incident.status,
    statusLabel: INCIDENT_STATUS_LABELS[incident.status],
    components: [...componentNames.keys()].filter((id) => incident.componentIds.includes(id)).map((id) => componentNames.get(id)!),
    createdAt: new Date(incident.createdAt).toISOString(),
    createdAtText: utcText(incident.createdAt),
    resolvedAt: incident.resolvedAt === null ? null : new Date(incident.resolvedAt).toISOString(),
    resolvedAtText: incident.resolvedAt === null ? null : utcText(incident.resolvedAt),
    updates: [...incident.updates]
      .sort((a, b) => b.createdAt - a.createdAt)
      .map((u) => ({
        id: u.id,
        status: u.status,
        statusLabel: u.status === null ? PLAIN_UPDATE_LABEL : INCIDENT_STATUS_LABELS[u.status],
        body: u.body,
        createdAt: new Date(u.createdAt).toISOString(),
        createdAtText: utcText(u.createdAt),
      })),
  };
}

export function isOpen(incident: Incident): boolean {
  return incident.resolvedAt === null;
}

/**
 * Open incidents, newest first, and those resolved in the last RESOLVED_INCIDENT_DAYS, most
 * recently resolved first. `orderedComponents` is the page's component order, for the names.
 */
export function incidentViews(incidents: readonly Incident[], orderedComponents: readonly Pick<Component, 'id' | 'name'>[], now: number): IncidentViews {
  const names = new Map(orderedComponents.map((c) => [c.id, c.name]));
  const open = incidents.filter(isOpen).sort((a, b) => b.createdAt - a.createdAt);
  const resolved = incidents
    .filter((i) => i.resolvedAt !== null && now - i.resolvedAt < RESOLVED_INCIDENT_DAYS * DAY)
    .sort((a, b) => b.resolvedAt! - a.resolvedAt!);
  return { open: open.map((i) => incidentView(i, names)), resolved: resolved.map((i) => incidentView(i, names)) };
}
