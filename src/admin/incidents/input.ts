// The zod schemas of incident operations, shared by the pages and the API so a form and a pipeline
// get the same rules and messages. Field names are the API's (snake_case); forms use the same.

import { z } from 'zod';
import { ValidationError } from '../../errors.js';
import { INCIDENT_IMPACTS, INCIDENT_STATUSES, type IncidentStatus } from '../../maintenance/incident-status.js';
import type { IncidentChanges, NewIncident } from '../../maintenance/incidents.js';
import { parseMessage, parseTitle } from '../../maintenance/input.js';
import { blank, checkbox, checked, componentIds, text } from '../validation.js';

const title = text(200).transform(checked(parseTitle, 'title'));
const impact = z.enum(INCIDENT_IMPACTS, { error: `must be one of ${INCIDENT_IMPACTS.join(', ')}` });
const status = blank(z.enum(INCIDENT_STATUSES, { error: `must be one of ${INCIDENT_STATUSES.join(', ')}` }).optional());

const body = text(5000).transform(
  checked((raw: string, field: string) => {
    const value = parseMessage(raw, field);
    if (!value) throw new ValidationError(`${field} is empty: write what customers should know, e.g. "We are looking into slow checkouts"`, field);
    return value;
  }, 'body'),
);

/**
 * The status an update moves to: the one given, or resolved when the "issue fixed" switch is on;
 * undefined when neither says (no change, or investigating for a new incident).
 */
function statusOf(input: { status?: IncidentStatus; issue_fixed: boolean }, ctx: z.RefinementCtx): IncidentStatus | undefined {
  if (!input.issue_fixed) return input.status;
  if (input.status !== undefined && input.status !== 'resolved') {
    ctx.addIssue({
      code: 'custom',
      message: `issue_fixed resolves the incident, but status says ${input.status}: untick "issue fixed", or choose resolved`,
      path: ['issue_fixed'],
    });
    return z.NEVER;
  }
  return 'resolved';
}

const updateFields = {
  body: body.describe('what customers read on the timeline; at most 5000 characters'),
  status: status.describe('the status this update moves the incident to; absent: no change (investigating for a new incident)'),
  issue_fixed: checkbox.describe('true resolves the incident, like status resolved'),
};

/** Report an incident: what it is, how bad, what it touches, and its first update. */
export const createSchema = z
  .strictObject({
    title: title.describe('one line, at most 200 characters'),
    impact: blank(impact.optional()).describe('none, minor (the default), major or critical'),
    component_ids: componentIds.describe('ids of the components it affects'),
    ...updateFields,
  })
  .transform((input, ctx): NewIncident => ({
    title: input.title,
    impact: input.impact ?? 'minor',
    componentIds: input.component_ids ?? [],
    body: input.body,
    status: statusOf(input, ctx) ?? 'investigating',
  }));

/** Post an update; without a status (and without "issue fixed") the incident keeps its status. */
export const postUpdateSchema = z
  .strictObject(updateFields)
  .transform((input, ctx) => ({ body: input.body, status: statusOf(input, ctx) }));

export type PostUpdateInput = z.output<typeof postUpdateSchema>;

/** Edit an incident: only the fields given change (an empty list of components is a change, to none). */
export const updateSchema = z
  .strictObject({
    title: title.optional(),
    impact: impact.optional(),
    component_ids: componentIds.describe('the whole list of affected components; [] for none'),
  })
  .transform((input, ctx): IncidentChanges => {
    const changes: IncidentChanges = { title: input.title, impact: input.impact, componentIds: input.component_ids };
    if (Object.values(changes).every((value) => value === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'nothing to change: give at least one of title, impact or component_ids', path: [] });
      return z.NEVER;
    }
    return changes;
  });

export const listQuery = z.strictObject({
  state: z.enum(['open', 'resolved']).optional(),
  limit: blank(z.coerce.number().int().min(1).max(100).optional()),
});
