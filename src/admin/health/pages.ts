// The Health page: the upstream's state, the last check, the thresholds in force, the outages and
// the scheduled jobs' last runs for every role; for admins, the form that says what automation may
// do when it goes down. The upstream, its outages and settings are the request's site's; the jobs
// are the gateway's, shared by every site.

import express from 'express';
import { getHealthSettings, type HealthSettings } from '../../health/health-settings.js';
import { listOutages } from '../../health/outages.js';
import { getUpstreamHealth } from '../../health/upstream-health.js';
import { lastJobRuns } from '../../jobs/job-runs.js';
import type { AdminDeps } from '../deps.js';
import { redirectWith } from '../flash.js';
import { actorOf, formError, formFields, formLocals, isFormError, pageZone, type FormValues } from '../form.js';
import { requireRole } from '../guards.js';
import { siteBase, siteOf } from '../site-scope.js';
import { parseInput } from '../validation.js';
import { healthSettingsSchema } from './input.js';
import type { HealthOperations } from './operations.js';
import { healthView, jobRunView, outageView, thresholdsView } from './view.js';

const RECENT_OUTAGES = 50;

function valuesOf(settings: HealthSettings): FormValues {
  return { auto_incidents: settings.autoIncidents ? 'on' : '', upstream_component_id: settings.upstreamComponentId ?? '' };
}

export function createHealthPages({ pool, config, now }: AdminDeps, ops: HealthOperations): express.Router {
  const pages = express.Router();

  async function render(req: express.Request, res: express.Response, status: number, values?: FormValues, error?: { message: string; field?: string }): Promise<void> {
    const zone = pageZone(req, res);
    const at = now();
    const site = siteOf(res);
    const components = site.components;
    const [health, settings, outages, jobs] = await Promise.all([
      getUpstreamHealth(pool, site.site.id),
      getHealthSettings(pool, site.site.id),
      listOutages(pool, site.site.id, RECENT_OUTAGES),
      lastJobRuns(pool),
    ]);
    res.status(status).render('admin/health/page', {
      title: 'Health',
      nav: '/health',
      zone,
      health: healthView(health, zone, at),
      thresholds: thresholdsView(config.healthcheck),
      outages: outages.map((outage) => outageView(outage, zone, at, components)),
      jobs: jobs.map((run) => jobRunView(run, zone, at)),
      jobsOff: !config.jobs,
      components,
      ...formLocals(values ?? valuesOf(settings), error),
    });
  }

  pages.get('/health', requireRole('viewer'), async function healthPage(req, res) {
    await render(req, res, 200);
  });

  pages.post('/health/settings', requireRole('admin'), async function saveHealthSettings(req, res, next) {
    // An unticked checkbox is not posted at all: here that means off.
    const values: FormValues = { auto_incidents: '', ...formFields(req) };
    try {
      const { settings, changed } = await ops.updateSettings(actorOf(res), siteOf(res).site.id, parseInput(healthSettingsSchema, values));
      const text = !changed
        ? 'Nothing changed: these were already the settings.'
        : settings.autoIncidents
          ? 'Saved: when the application goes down, an incident is opened by itself.'
          : 'Saved: automatic incidents are off; customers still get the trouble page when the application is down.';
      redirectWith(res, siteBase(res), '/health', { kind: 'notice', text });
    } catch (err) {
      if (!isFormError(err)) return next(err);
      await render(req, res, err.status, values, formError(err));
    }
  });

  return pages;
}
