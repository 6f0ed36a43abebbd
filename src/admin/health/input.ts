// The zod schema of a change to what automation may do when the upstream goes down, shared by the
// Health page's form and the API. Field names are the API's (snake_case).

import { z } from 'zod';
import type { HealthSettingsChanges } from '../../health/health-settings.js';

/** On or off: a boolean in JSON, a checkbox's "on" (or "" when left unticked) in a form. */
const onOff = z
  .union([z.boolean(), z.enum(['on', 'true', '1', 'false', '0', ''])])
  .optional()
  .transform((value) => (value === undefined ? undefined : value === true || value === 'on' || value === 'true' || value === '1'));

/** A component id, or null (or "" from the form's "none") to link no component. */
const componentRef = z
  .union([z.string().max(40), z.number(), z.null()])
  .optional()
  .transform((value, ctx) => {
    if (value === undefined) return undefined;
    const text = value === null ? '' : String(value).trim();
    if (text === '') return null;
    if (!/^\d{1,18}$/.test(text)) {
      ctx.addIssue({ code: 'custom', message: `upstream_component_id ${JSON.stringify(text)} is not a component id (digits), or null for none`, path: [] });
      return z.NEVER;
    }
    return text;
  });

export const healthSettingsSchema = z
  .strictObject({
    auto_incidents: onOff.describe('open an incident (and mark the component) by itself when the upstream goes down'),
    upstream_component_id: componentRef.describe('the component set to major_outage while the upstream is down; null: none'),
  })
  .transform((input, ctx): HealthSettingsChanges => {
    const changes: HealthSettingsChanges = { autoIncidents: input.auto_incidents, upstreamComponentId: input.upstream_component_id };
    if (changes.autoIncidents === undefined && changes.upstreamComponentId === undefined) {
      ctx.addIssue({ code: 'custom', message: 'nothing to change: give auto_incidents, upstream_component_id, or both', path: [] });
      return z.NEVER;
    }
    return changes;
  });
