// What can be done to one window from the pages: edit it, extend it, end or cancel it (each after
// a server-rendered confirmation), and post an update to it ("issue fixed" also ends it). Each acts
// in the request's site: another site's window is not found.

import type express from 'express';
import { getWindow, type WindowRecord } from '../../maintenance/windows.js';
import type { AdminDeps } from '../deps.js';
import { redirectWith } from '../flash.js';
import { requireRole } from '../guards.js';
import { siteBase, siteOf } from '../site-scope.js';
import { formatTime, isTimeZone, toLocalInput } from '../time-zone.js';
import { parseInput } from '../validation.js';
import { actorOf, confirmed, formError, formFields, formLocals, isFormError, pageZone, zonePicker, zoneQuery, type FormValues } from '../form.js';
import { backPath, overlapFlash } from './form.js';
import { extendSchema, postUpdateSchema, updateSchema } from './input.js';
import { windowId } from './json.js';
import type { WindowOperations } from './operations.js';
import { windowView, type WindowView } from './view.js';
import { fromNow } from '../../status/time-text.js';

/** Adds the routes to pages itself (not a nested router), so every route can be listed from it. */
export function addWindowActionPages(pages: express.Router, deps: AdminDeps, ops: WindowOperations): void {
  const { pool, now } = deps;
  const siteId = (res: express.Response) => siteOf(res).site.id;

  function editValues(window: WindowRecord, zone: string): FormValues {
    const view = windowView(window, zone, now());
    return {
      title: window.title,
      message: window.message,
      kind: window.kind,
      mode: window.mode,
      response: window.response,
      paths: window.pathPrefixes.join('\n'),
      hosts: window.hosts.join('\n'),
      component_ids: window.componentIds,
      verify_upstream: window.verifyUpstream ? 'on' : undefined,
      starts_at: view.startsInput,
      duration: view.durationInput,
      ends_at: view.endsInput,
      time_zone: zone,
    };
  }

  function renderEdit(res: express.Response, status: number, window: WindowRecord, values: FormValues, error?: { message: string; field?: string }): void {
    const zone = isTimeZone(values.time_zone) ? values.time_zone : pageZone(res.req, res);
    res.status(status).render('admin/windows/edit', {
      title: `Edit “${window.title}”`,
      nav: '/windows',
      window: windowView(window, zone, now(), siteOf(res).components),
      zonePicker: zonePicker(res, values.time_zone),
      components: siteOf(res).components,
      ...formLocals(values, error),
    });
  }

  function renderConfirm(res: express.Response, page: { heading: string; lines: string[]; action: string; confirmLabel: string; back: string; cancelHref: string }): void {
    res.render('admin/confirm', { title: page.heading, nav: page.back === 'dashboard' ? '/' : '/windows', hidden: [['back', page.back]], danger: true, ...page });
  }

  pages.get('/windows/:id/edit', requireRole('viewer'), async function editWindow(req, res) {
    const window = await getWindow(pool, siteId(res), windowId(req.params.id));
    renderEdit(res, 200, window, editValues(window, pageZone(req, res)));
  });

  pages.post('/windows/:id/edit', requireRole('operator'), async function saveWindow(req, res, next) {
    const id = windowId(req.params.id);
    const window = await getWindow(pool, siteId(res), id);
    const values = formFields(req);
    try {
      // A datetime-local input drops seconds: a time sent back as it was shown is no change, not a move to :00.
      const zone = isTimeZone(values.time_zone) ? values.time_zone : pageZone(req, res);
      // An unticked box is not posted at all: on this form, that means "off", not "unchanged".
      const fields: FormValues = { ...values, verify_upstream: values.verify_upstream ?? 'false' };
      if (fields.starts_at === toLocalInput(window.startsAt, zone)) delete fields.starts_at;
      if (window.endsAt !== null && fields.ends_at === toLocalInput(window.endsAt, zone)) delete fields.ends_at;
      if (fields.duration === editValues(window, zone).duration && fields.starts_at === undefined) delete fields.duration;
      const changes = parseInput(updateSchema, fields);
      const result = await ops.update(actorOf(res), siteId(res), id, changes);
      redirectWith(res, siteBase(res), `/windows/${id}${zoneQuery(res, zone)}`, { kind: 'notice', text: `Saved “${result.window.title}”.` }, ...overlapFlash(result.overlaps, zone));
    } catch (err) {
      if (!isFormError(err)) return next(err);
      renderEdit(res, err.status, window, values, formError(err));
    }
  });

  pages.post('/windows/:id/extend', requireRole('operator'), async function extend(req, res) {
    const id = windowId(req.params.id);
    const extension = parseInput(extendSchema, formFields(req));
    const { window, overlaps } = await ops.extend(actorOf(res), siteId(res), id, extension);
    const zone = pageZone(req, res);
    const end = window.endsAt!;
    redirectWith(
      res,
      siteBase(res),
      backPath(req, id),
      { kind: 'notice', text: `“${window.title}” now ends ${formatTime(end, zone)} (${fromNow(end, now())}).` },
      ...overlapFlash(overlaps, zone),
    );
  });

  /** What ending does to customers: at once, after the health check, or at once without waiting for it. */
  function endConsequence(window: WindowView): string {
    if (window.lifecycle === 'verifying') return 'It is waiting for the application to pass a health check: ending it lets customers through now, without waiting.';
    if (window.verifyUpstream) return 'Customers reach the application again once it passes a health check (end it again to stop waiting).';
    return 'Customers reach the application again at once; the status page shows the window as over.';
  }

  pages.post('/windows/:id/end', requireRole('operator'), async function end(req, res) {
    const id = windowId(req.params.id);
    const back = backPath(req, id) === '' ? 'dashboard' : 'window';
    if (!confirmed(req)) {
      const window = windowView(await getWindow(pool, siteId(res), id), pageZone(req, res), now());
      return renderConfirm(res, {
        heading: `End “${window.title}” now?`,
        lines: [
          window.state === 'in_force' ? `In force since ${window.startsText}; planned to end ${window.endText}.` : `This window is ${window.stateLabel.toLowerCase()}.`,
          endConsequence(window),
        ],
        action: `${siteBase(res)}/windows/${id}/end`,
        confirmLabel: 'Yes, end now',
        back,
        cancelHref: `${siteBase(res)}${backPath(req, id)}`,
      });
    }
    const { window } = await ops.end(actorOf(res), siteId(res), id);
    redirectWith(res, siteBase(res), backPath(req, id), { kind: 'notice', text: `Ended “${window.title}”: traffic it held goes through to the application again.` });
  });

  pages.post('/windows/:id/cancel', requireRole('operator'), async function cancel(req, res) {
    const id = windowId(req.params.id);
    if (!confirmed(req)) {
      const window = windowView(await getWindow(pool, siteId(res), id), pageZone(req, res), now());
      return renderConfirm(res, {
        heading: `Cancel “${window.title}”?`,
        lines: [`Planned for ${window.startsText} (${window.startsRelative}). It will not start, and the status page stops announcing it.`],
        action: `${siteBase(res)}/windows/${id}/cancel`,
        confirmLabel: 'Yes, cancel it',
        back: 'window',
        cancelHref: `${siteBase(res)}/windows/${id}`,
      });
    }
    const { window } = await ops.cancel(actorOf(res), siteId(res), id);
    redirectWith(res, siteBase(res), `/windows/${id}`, { kind: 'notice', text: `Cancelled “${window.title}”.` });
  });

  pages.post('/windows/:id/updates', requireRole('operator'), async function postUpdate(req, res) {
    const id = windowId(req.params.id);
    const input = parseInput(postUpdateSchema, formFields(req));
    const before = await getWindow(pool, siteId(res), id);
    const { window } = await ops.postUpdate(actorOf(res), siteId(res), id, input);
    const ended = window.endedAt !== null && before.endedAt === null;
    redirectWith(res, siteBase(res), backPath(req, id), {
      kind: 'notice',
      text: ended ? `Update posted, and “${window.title}” ended: traffic goes through to the application again.` : 'Update posted: it shows on the status page.',
    });
  });

}
