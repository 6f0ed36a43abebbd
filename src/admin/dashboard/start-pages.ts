// Starting and ending maintenance from the dashboard. Each is a post that first answers with a
// server-rendered confirmation (the values in hidden fields), then acts when posted again with
// confirm=yes: the common case is two clicks, "Start maintenance" and "Yes, start now".

import type express from 'express';
import type { StartNowInput } from '../../maintenance/windows.js';
import { listWindows, windowState } from '../../maintenance/windows.js';
import type { AdminDeps } from '../deps.js';
import { redirectWith } from '../flash.js';
import { requireRole } from '../guards.js';
import { siteBase, siteOf } from '../site-scope.js';
import { formatTime } from '../time-zone.js';
import { parseInput } from '../validation.js';
import { actorOf, confirmed, formError, formFields, formLocals, isFormError, pageZone, zonePicker, type FormValues } from '../form.js';
import { overlapFlash } from '../windows/form.js';
import { DEFAULT_TITLE, startSchema } from '../windows/input.js';
import type { WindowOperations } from '../windows/operations.js';
import { KIND_LABELS, MODE_LABELS, RESPONSE_LABELS, scopeText } from '../windows/view.js';
import { formatDuration } from '../../maintenance/input.js';
import { QUICK_DURATION } from './page.js';
import { fromNow } from '../../status/time-text.js';

function hiddenFields(values: FormValues): [string, string][] {
  return Object.entries(values).flatMap(([name, value]) => (Array.isArray(value) ? value.map((v): [string, string] => [name, v]) : value === undefined ? [] : [[name, value]]));
}

export function addStartPages(pages: express.Router, deps: AdminDeps, ops: WindowOperations): void {
  const { pool, now } = deps;

  function renderStartForm(res: express.Response, status: number, values: FormValues, error?: { message: string; field?: string }): void {
    res.status(status).render('admin/windows/start', {
      title: 'Start maintenance',
      nav: '/',
      zonePicker: zonePicker(res, values.time_zone),
      components: siteOf(res).components,
      ...formLocals(values, error),
    });
  }

  function endText(input: StartNowInput, zone: string): string {
    if (input.end === null) return 'No end: it lasts until someone ends it.';
    const at = 'afterMs' in input.end ? now() + input.end.afterMs : input.end.at.getTime();
    const after = 'afterMs' in input.end ? `after ${formatDuration(input.end.afterMs)}, ` : '';
    return `${after}at about ${formatTime(at, zone)} (${fromNow(at, now())}).`;
  }

  pages.get('/maintenance/start', requireRole('viewer'), function startForm(_req, res) {
    renderStartForm(res, 200, { title: DEFAULT_TITLE, duration: QUICK_DURATION, kind: 'maintenance', mode: 'block', response: 'render' });
  });

  pages.post('/maintenance/start', requireRole('operator'), async function start(req, res, next) {
    const values = formFields(req);
    const zone = pageZone(req, res);
    try {
      const input = parseInput(startSchema, values);
      if (!confirmed(req)) {
        const names = new Map(siteOf(res).components.map((c) => [c.id, c.name]));
        return res.render('admin/confirm', {
          title: 'Start maintenance now?',
          nav: '/',
          heading: 'Start maintenance now?',
          lines: [input.mode === 'read_only' ? 'Writes will be held at once; reads still go through.' : 'Customers get the status page at once instead of the application.'],
          details: [
            ['Title', input.title],
            ['Type', KIND_LABELS[input.kind ?? 'maintenance']],
            ['Ends', endText(input, zone)],
            ['Holds', `${MODE_LABELS[input.mode]}; ${scopeText(input)}`],
            ['Customers get', RESPONSE_LABELS[input.response]],
            ...(input.verifyUpstream ? [['After the end', 'Traffic stays held until the application passes a health check']] : []),
            ['Components', (input.componentIds ?? []).map((id) => names.get(id) ?? `#${id}`).join(', ') || 'none named'],
            ['Description', input.message || '—'],
          ],
          hidden: hiddenFields(values),
          action: `${siteBase(res)}/maintenance/start`,
          confirmLabel: 'Yes, start now',
          danger: false,
          cancelHref: siteBase(res),
        });
      }
      const { window, overlaps } = await ops.start(actorOf(res), siteOf(res).site.id, input);
      const until = window.endsAt === null ? 'until someone ends it' : `until ${formatTime(window.endsAt, zone)}`;
      redirectWith(res, siteBase(res), '', { kind: 'notice', text: `Maintenance started: “${window.title}” holds traffic ${until}.` }, ...overlapFlash(overlaps, zone));
    } catch (err) {
      if (!isFormError(err)) return next(err);
      renderStartForm(res, err.status, values, formError(err));
    }
  });

  pages.post('/maintenance/end', requireRole('operator'), async function endAll(req, res) {
    if (!confirmed(req)) {
      const at = now();
      const inForce = (await listWindows(pool, siteOf(res).site.id, { scope: 'current_and_upcoming' })).filter((w) => windowState(w, at) === 'in_force');
      if (inForce.length === 0) return redirectWith(res, siteBase(res), '', { kind: 'notice', text: 'No maintenance is in force: nothing to end.' });
      return res.render('admin/confirm', {
        title: 'End all maintenance now?',
        nav: '/',
        heading: 'End all maintenance now?',
        lines: [`These ${inForce.length} windows end at once, and customers reach the application again:`, ...inForce.map((w) => `“${w.title}” (#${w.id})`)],
        hidden: [],
        action: `${siteBase(res)}/maintenance/end`,
        confirmLabel: 'Yes, end all now',
        danger: true,
        cancelHref: siteBase(res),
      });
    }
    const ended = await ops.endAll(actorOf(res), siteOf(res).site.id);
    const text = ended.length === 0 ? 'No maintenance was in force.' : `Ended ${ended.map((w) => `“${w.title}”`).join(', ')}: traffic goes through to the application again.`;
    redirectWith(res, siteBase(res), '', { kind: 'notice', text });
  });

}
