// Statuspage's public v2 API as a consumer reads it from its documentation and from real pages'
// answers (e.g. metastatuspage.com/api/v2, discordstatus.com/api/v2): every field, its type and
// nullability, the enums. Strict objects, so a missing or an extra field fails as well.

import { z } from 'zod';

/** ISO 8601 with milliseconds and an offset, as Statuspage writes its times. */
export const time = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}(Z|[+-]\d{2}:\d{2})$/, 'an ISO 8601 time with milliseconds');

export const COMPONENT_STATUSES = ['operational', 'degraded_performance', 'partial_outage', 'major_outage', 'under_maintenance'] as const;
export const INDICATORS = ['none', 'minor', 'major', 'critical', 'maintenance'] as const;

export const pageSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9]{12}$/),
  name: z.string().min(1),
  url: z.url(),
  time_zone: z.string().min(1),
  updated_at: time,
});

export const statusSchema = z.strictObject({
  indicator: z.enum(INDICATORS),
  description: z.string().min(1),
});

const componentFields = {
  id: z.string().min(1),
  name: z.string().min(1),
  status: z.enum(COMPONENT_STATUSES),
  created_at: time,
  updated_at: time,
  position: z.number().int(),
  description: z.string().min(1).nullable(),
  showcase: z.boolean(),
  start_date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullable(),
  group_id: z.string().min(1).nullable(),
  page_id: z.string().min(1),
  only_show_if_degraded: z.boolean(),
};

export const componentSchema = z.strictObject({ ...componentFields, group: z.literal(false) });
export const groupSchema = z.strictObject({ ...componentFields, group: z.literal(true), components: z.array(z.string().min(1)) });
export const componentOrGroup = z.union([componentSchema, groupSchema]);

function updateSchema<S extends readonly [string, ...string[]]>(statuses: S) {
  return z.strictObject({
    id: z.string().min(1),
    status: z.enum(statuses),
    body: z.string(),
    incident_id: z.string().min(1),
    created_at: time,
    updated_at: time,
    display_at: time,
    affected_components: z
      .array(z.strictObject({ code: z.string(), name: z.string(), old_status: z.enum(COMPONENT_STATUSES), new_status: z.enum(COMPONENT_STATUSES) }))
      .nullable(),
    deliver_notifications: z.boolean(),
    custom_tweet: z.string().nullable(),
    tweet_id: z.string().nullable(),
  });
}

const INCIDENT_STATUSES = ['investigating', 'identified', 'monitoring', 'resolved', 'postmortem'] as const;
const MAINTENANCE_STATUSES = ['scheduled', 'in_progress', 'verifying', 'completed'] as const;

const incidentFields = {
  id: z.string().min(1),
  name: z.string().min(1),
  created_at: time,
  updated_at: time,
  monitoring_at: time.nullable(),
  resolved_at: time.nullable(),
  shortlink: z.url(),
  started_at: time,
  page_id: z.string().min(1),
  components: z.array(componentSchema),
};

export const incidentSchema = z.strictObject({
  ...incidentFields,
  status: z.enum(INCIDENT_STATUSES),
  impact: z.enum(['none', 'minor', 'major', 'critical']),
  incident_updates: z.array(updateSchema(INCIDENT_STATUSES)),
});

export const maintenanceSchema = z.strictObject({
  ...incidentFields,
  status: z.enum(MAINTENANCE_STATUSES),
  impact: z.literal('maintenance'),
  incident_updates: z.array(updateSchema(MAINTENANCE_STATUSES)),
  scheduled_for: time,
  // Statuspage always has an end; an open-ended window here has none yet.
  scheduled_until: time.nullable(),
});

export type V2Component = z.infer<typeof componentSchema>;
export type V2Group = z.infer<typeof groupSchema>;
export type V2Incident = z.infer<typeof incidentSchema>;
export type V2Maintenance = z.infer<typeof maintenanceSchema>;

/** Each endpoint's document. */
export const DOCUMENTS = {
  'summary.json': z.strictObject({
    page: pageSchema,
    components: z.array(componentOrGroup),
    incidents: z.array(incidentSchema),
    scheduled_maintenances: z.array(maintenanceSchema),
    status: statusSchema,
  }),
  'status.json': z.strictObject({ page: pageSchema, status: statusSchema }),
  'components.json': z.strictObject({ page: pageSchema, components: z.array(componentOrGroup) }),
  'incidents.json': z.strictObject({ page: pageSchema, incidents: z.array(incidentSchema) }),
  'incidents/unresolved.json': z.strictObject({ page: pageSchema, incidents: z.array(incidentSchema) }),
  'scheduled-maintenances.json': z.strictObject({ page: pageSchema, scheduled_maintenances: z.array(maintenanceSchema) }),
  'scheduled-maintenances/upcoming.json': z.strictObject({ page: pageSchema, scheduled_maintenances: z.array(maintenanceSchema) }),
  'scheduled-maintenances/active.json': z.strictObject({ page: pageSchema, scheduled_maintenances: z.array(maintenanceSchema) }),
} as const;

export type DocumentPath = keyof typeof DOCUMENTS;
