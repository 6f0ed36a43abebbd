// The windows pages: the list (in force, upcoming, recent past), the schedule form, and one
// window's page (its timeline of updates and what can be done to it now). All of one site's.

import express from 'express';
import { listUpdates } from '../../maintenance/updates.js';
import { getWindow, listWindows } from '../../maintenance/windows.js';
import type { AdminDeps } from '../deps.js';
import { redirectWith } from '../flash.js';
import { requireRole } from '../guards.js';
import { siteBase, siteOf } from '../site-scope.js';
import { parseInput } from '../validation.js';
import { locals } from '../session.js';
import { formatTime, isTimeZone } from '../time-zone.js';
import { addWindowActionPages } from './action-pages.js';
import { actorOf, formError, formFields, formLocals, isFormError, pageZone, zonePicker, zoneQuery, type FormValues } from '../form.js';
import { overlapFlash } from './form.js';
import { scheduleSchema } from './input.js';
import { windowId } from './json.js';
import type { WindowOperations } from './operations.js';
import { windowView } from './view.js';

const RECENT_PAST = 20;

export function createWindowPages(deps: AdminDeps, ops: WindowOperations): express.Router {
  const { pool, now } = deps;
  const pages = express.Router();

  function renderForm(res: express.Response, status: number, values: FormValues, error?: { message: string; field?: string }): void {
    res.status(status).render('admin/windows/new', {
      title: 'Schedule a window',
      nav: '/windows',
      zonePicker: zonePicker(res, values.time_zone),
      components: siteOf(res).components,
      ...formLocals(values, error),
    });
  }

  pages.get('/windows', requireRole('viewer'), async function windowList(req, res) {
    const zone = pageZone(req, res);
    const site = siteOf(res);
    const [current, past] = await Promise.all([
      listWindows(pool, site.site.id, { scope: 'current_and_upcoming' }),
      listWindows(pool, site.site.id, { scope: 'past', limit: RECENT_PAST }),
    ]);
    const at = now();
    const components = site.components;
    const views = current.map((w) => windowView(w, zone, at, components));
    res.render('admin/windows/list', {
      title: 'Windows',
      nav: '/windows',
      zone,
      inForce: views.filter((w) => w.state === 'in_force'),
      upcoming: views.filter((w) => w.state === 'upcoming'),
      past: past.map((w) => windowView(w, zone, at, components)),
    });
  });

  pages.get('/windows/new', requireRole('viewer'), function newWindow(_req, res) {
    renderForm(res, 200, { kind: 'maintenance', mode: 'block', response: 'render' });
  });

  pages.post('/windows', requireRole('operator'), async function scheduleWindow(req, res, next) {
    const values = formFields(req);
    try {
      const input = parseInput(scheduleSchema, values);
      const { window, overlaps } = await ops.schedule(actorOf(res), siteOf(res).site.id, input);
      // Shown back in the zone it was typed in, which may not be the SRE's usual one.
      const zone = isTimeZone(values.time_zone) ? values.time_zone : locals(res).timeZone;
      redirectWith(
        res,
        siteBase(res),
        `/windows/${window.id}${zoneQuery(res, zone)}`,
        { kind: 'notice', text: `Scheduled “${window.title}” for ${formatTime(window.startsAt, zone)}.` },
        ...overlapFlash(overlaps, zone),
      );
    } catch (err) {
      if (!isFormError(err)) return next(err);
      renderForm(res, err.status, values, formError(err));
    }
  });

  pages.get('/windows/:id', requireRole('viewer'), async function windowPage(req, res) {
    const id = windowId(req.params.id);
    const zone = pageZone(req, res);
    const site = siteOf(res);
    const [window, updates] = await Promise.all([getWindow(pool, site.site.id, id), listUpdates(pool, site.site.id, { windowId: id })]);
    const at = now();
    res.render('admin/windows/detail', {
      title: window.title,
      nav: '/windows',
      zone,
      window: windowView(window, zone, at, site.components),
      updates: updates.map((u) => ({ ...u, createdText: formatTime(u.createdAt, zone) })),
    });
  });

  addWindowActionPages(pages, deps, ops);
  return pages;
}
