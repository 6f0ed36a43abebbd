// What can be done to one incident from the pages: post an update (which may move its status; the
// "issue fixed" switch resolves it), and edit its title, impact and components.

import type express from 'express';
import { INCIDENT_STATUS_LABELS, type IncidentStatus } from '../../maintenance/incident-status.js';
import { getIncident, type IncidentRecord } from '../../maintenance/incidents.js';
import type { AdminDeps } from '../deps.js';
import { redirectWith } from '../flash.js';
import { actorOf, formError, formFields, formLocals, isFormError, type FormValues } from '../form.js';
import { requireRole } from '../guards.js';
import { siteBase, siteOf } from '../site-scope.js';
import { parseInput } from '../validation.js';
import { postUpdateSchema, updateSchema } from './input.js';
import { incidentId } from './json.js';
import type { IncidentOperations } from './operations.js';
import type { FormProblem, RenderIncident } from './pages.js';
import { IMPACT_OPTIONS } from './view.js';

/** The flash after an update: what happened to the incident, in words. */
function postedText(incident: IncidentRecord, previous: IncidentStatus): string {
  const name = `“${incident.title}”`;
  if (incident.status === previous) return `Update posted to ${name}.`;
  if (incident.status === 'resolved') return `Update posted, and ${name} is resolved.`;
  const label = INCIDENT_STATUS_LABELS[incident.status].toLowerCase();
  if (previous === 'resolved') return `Update posted, and ${name} is open again: ${label}.`;
  return `Update posted: ${name} is now ${label}.`;
}

/** Adds the routes to pages itself (not a nested router), so every route can be listed from it. */
export function addIncidentActionPages(pages: express.Router, deps: AdminDeps, ops: IncidentOperations, renderIncident: RenderIncident): void {
  const { pool } = deps;

  function renderEdit(res: express.Response, status: number, incident: IncidentRecord, values: FormValues, error?: FormProblem): void {
    res.status(status).render('admin/incidents/edit', {
      title: `Edit “${incident.title}”`,
      nav: '/incidents',
      incident,
      components: siteOf(res).components,
      impacts: IMPACT_OPTIONS,
      ...formLocals(values, error),
    });
  }

  pages.post('/incidents/:id/updates', requireRole('operator'), async function postUpdate(req, res, next) {
    const id = incidentId(req.params.id);
    const values = formFields(req);
    try {
      const { incident, previousStatus } = await ops.postUpdate(actorOf(res), siteOf(res).site.id, id, parseInput(postUpdateSchema, values));
      redirectWith(res, siteBase(res), `/incidents/${id}`, { kind: 'notice', text: postedText(incident, previousStatus) });
    } catch (err) {
      if (!isFormError(err)) return next(err);
      await renderIncident(req, res, err.status, values, formError(err));
    }
  });

  pages.get('/incidents/:id/edit', requireRole('viewer'), async function editIncident(req, res) {
    const incident = await getIncident(pool, siteOf(res).site.id, incidentId(req.params.id));
    renderEdit(res, 200, incident, { title: incident.title, impact: incident.impact, component_ids: incident.componentIds });
  });

  pages.post('/incidents/:id/edit', requireRole('operator'), async function saveIncident(req, res, next) {
    const id = incidentId(req.params.id);
    const before = await getIncident(pool, siteOf(res).site.id, id);
    const values = formFields(req);
    try {
      const incident = await ops.update(actorOf(res), siteOf(res).site.id, id, parseInput(updateSchema, values));
      redirectWith(res, siteBase(res), `/incidents/${id}`, { kind: 'notice', text: `Saved “${incident.title}”.` });
    } catch (err) {
      if (!isFormError(err)) return next(err);
      renderEdit(res, err.status, before, values, formError(err));
    }
  });
}
