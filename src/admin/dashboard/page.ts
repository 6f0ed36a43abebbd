// The dashboard at ADMIN_PATH: the state at a glance (forwarded or held, the upstream's health),
// the controls for the common case, upcoming windows and the latest updates, all of the request's site.

import type express from 'express';
import { INCIDENT_STATUS_LABELS } from '../../maintenance/incident-status.js';
import { latestUpdates } from '../../maintenance/updates.js';
import { listWindows, windowState } from '../../maintenance/windows.js';
import type { SiteProbe } from '../../health/site-upstreams.js';
import type { AdminDeps } from '../deps.js';
import { requireRole } from '../guards.js';
import { siteOf } from '../site-scope.js';
import { formatTime } from '../time-zone.js';
import { pageZone } from '../form.js';
import { DEFAULT_TITLE } from '../windows/input.js';
import { windowView } from '../windows/view.js';
import { stateLine } from './state-line.js';
import { fromNow } from '../../status/time-text.js';

const LATEST_UPDATES = 8;
const UPCOMING = 5;
export const QUICK_DURATION = '30m';

export function addDashboardPage(pages: express.Router, { config, pool, now }: AdminDeps, probe: SiteProbe): void {

  pages.get('/', requireRole('viewer'), async function dashboard(req, res) {
    const zone = pageZone(req, res);
    const site = siteOf(res);
    const [windows, updates, upstream] = await Promise.all([
      listWindows(pool, site.site.id, { scope: 'current_and_upcoming' }),
      latestUpdates(pool, site.site.id, LATEST_UPDATES),
      probe(site.site.upstreamUrl),
    ]);
    const at = now();
    const { components, upstream: judged } = site;
    // With checks off a "down" left in the database is not acted on (see decide), so not shown either.
    const downSince = judged.state === 'down' && config.healthcheck.intervalSeconds > 0 ? judged.since : null;
    const inForce = windows.filter((w) => windowState(w, at) === 'in_force');
    const upcoming = windows.filter((w) => windowState(w, at) === 'upcoming');
    res.render('admin/dashboard', {
      title: 'Dashboard',
      nav: '/',
      zone,
      state: stateLine(inForce, zone, at, downSince),
      inForce: inForce.map((w) => windowView(w, zone, at, components)),
      upcoming: upcoming.slice(0, UPCOMING).map((w) => windowView(w, zone, at, components)),
      moreUpcoming: Math.max(0, upcoming.length - UPCOMING),
      upstream,
      updates: updates.map((u) => ({
        body: u.body,
        windowId: u.windowId,
        incidentId: u.incidentId,
        subjectTitle: u.subjectTitle,
        statusLabel: u.status ? INCIDENT_STATUS_LABELS[u.status] : null,
        createdText: formatTime(u.createdAt, zone),
        createdRelative: fromNow(u.createdAt, at),
        createdBy: u.createdBy,
      })),
      quick: { title: DEFAULT_TITLE, duration: QUICK_DURATION },
    });
  });

}
