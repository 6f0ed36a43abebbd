// The incidents pages: the list (open, then recently resolved), the "Report an incident" form, and
// one incident's page (its timeline, oldest first, and the form to post the next update).

import express from 'express';
import { getIncidentTimeline, listIncidents } from '../../maintenance/incidents.js';
import type { AdminDeps } from '../deps.js';
import { redirectWith } from '../flash.js';
import { actorOf, formError, formFields, formLocals, isFormError, pageZone, type FormValues } from '../form.js';
import { requireRole } from '../guards.js';
import { siteBase, siteOf } from '../site-scope.js';
import { parseInput } from '../validation.js';
import { addIncidentActionPages } from './action-pages.js';
import { createSchema } from './input.js';
import { incidentId } from './json.js';
import type { IncidentOperations } from './operations.js';
import { IMPACT_OPTIONS, incidentView, STATUS_OPTIONS, updateView } from './view.js';

export type FormProblem = { message: string; field?: string };

/** Renders one incident's page; the update form shows `values` and `error` after a refused post. */
export type RenderIncident = (req: express.Request, res: express.Response, status: number, values?: FormValues, error?: FormProblem) => Promise<void>;

export function createIncidentPages(deps: AdminDeps, ops: IncidentOperations): express.Router {
  const { pool, now } = deps;
  const pages = express.Router();

  function renderForm(res: express.Response, status: number, values: FormValues, error?: FormProblem): void {
    res.status(status).render('admin/incidents/new', {
      title: 'Report an incident',
      nav: '/incidents',
      components: siteOf(res).components,
      impacts: IMPACT_OPTIONS,
      statuses: STATUS_OPTIONS,
      ...formLocals(values, error),
    });
  }

  const renderIncident: RenderIncident = async (req, res, status, values = {}, error) => {
    const id = incidentId(req.params.id);
    const zone = pageZone(req, res);
    const { incident, updates } = await getIncidentTimeline(pool, siteOf(res).site.id, id);
    res.status(status).render('admin/incidents/detail', {
      title: incident.title,
      nav: '/incidents',
      zone,
      incident: incidentView(incident, zone, now(), siteOf(res).components),
      updates: updates.map((update) => updateView(update, zone)),
      statuses: STATUS_OPTIONS,
      ...formLocals(values, error),
    });
  };

  pages.get('/incidents', requireRole('viewer'), async function incidentList(req, res) {
    const zone = pageZone(req, res);
    const at = now();
    const components = siteOf(res).components;
    const views = (await listIncidents(pool, siteOf(res).site.id)).map((incident) => incidentView(incident, zone, at, components));
    res.render('admin/incidents/list', {
      title: 'Incidents',
      nav: '/incidents',
      zone,
      open: views.filter((incident) => incident.open),
      resolved: views.filter((incident) => !incident.open),
    });
  });

  pages.get('/incidents/new', requireRole('viewer'), function newIncident(_req, res) {
    renderForm(res, 200, { impact: 'minor', status: 'investigating' });
  });

  pages.post('/incidents', requireRole('operator'), async function reportIncident(req, res, next) {
    const values = formFields(req);
    try {
      const { incident } = await ops.create(actorOf(res), siteOf(res).site.id, parseInput(createSchema, values));
      redirectWith(res, siteBase(res), `/incidents/${incident.id}`, { kind: 'notice', text: `Reported “${incident.title}”.` });
    } catch (err) {
      if (!isFormError(err)) return next(err);
      renderForm(res, err.status, values, formError(err));
    }
  });

  pages.get('/incidents/:id', requireRole('viewer'), async function incidentPage(req, res) {
    await renderIncident(req, res, 200);
  });

  addIncidentActionPages(pages, deps, ops, renderIncident);
  return pages;
}
