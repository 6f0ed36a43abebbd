// How incidents and their updates read in the API: snake_case, ISO 8601 times in UTC, and the zod
// schemas of those shapes, which the API reference shows.

import { z } from 'zod';
import { NotFoundError } from '../../errors.js';
import { INCIDENT_IMPACTS, INCIDENT_STATUSES } from '../../maintenance/incident-status.js';
import type { IncidentRecord } from '../../maintenance/incidents.js';
import type { UpdateRecord } from '../../maintenance/updates.js';

const iso = (ms: number): string => new Date(ms).toISOString();

export const incidentJsonSchema = z.object({
  id: z.string().describe('the incident id (digits)'),
  title: z.string(),
  status: z.enum(INCIDENT_STATUSES).describe('where it stands: investigating, identified, monitoring or resolved'),
  impact: z.enum(INCIDENT_IMPACTS),
  component_ids: z.array(z.string()).describe('the components it affects'),
  created_by: z.string(),
  created_at: z.string().describe('ISO 8601, UTC'),
  updated_at: z.string(),
  resolved_at: z.string().nullable().describe('when it was resolved; null while open'),
});

export const incidentUpdateJsonSchema = z.object({
  id: z.string(),
  incident_id: z.string(),
  status: z.enum(INCIDENT_STATUSES).nullable().describe('the status this update moved the incident to (null only for rows written by hand)'),
  body: z.string(),
  created_by: z.string(),
  created_at: z.string(),
});

export const incidentWithUpdateSchema = z.object({ incident: incidentJsonSchema, update: incidentUpdateJsonSchema });

export function incidentJson(incident: IncidentRecord): z.infer<typeof incidentJsonSchema> {
  return {
    id: incident.id,
    title: incident.title,
    status: incident.status,
    impact: incident.impact,
    component_ids: incident.componentIds,
    created_by: incident.createdBy,
    created_at: iso(incident.createdAt),
    updated_at: iso(incident.updatedAt),
    resolved_at: incident.resolvedAt === null ? null : iso(incident.resolvedAt),
  };
}

export function incidentUpdateJson(update: UpdateRecord): z.infer<typeof incidentUpdateJsonSchema> {
  return {
    id: update.id,
    incident_id: update.incidentId!,
    status: update.status,
    body: update.body,
    created_by: update.createdBy,
    created_at: iso(update.createdAt),
  };
}

/** An incident id from a path: anything but digits names no incident. */
export function incidentId(raw: unknown): string {
  if (typeof raw !== 'string' || !/^\d{1,18}$/.test(raw)) throw new NotFoundError(`there is no incident #${String(raw).slice(0, 40)}`);
  return raw;
}
