// The Windows endpoints of the automation API: list, read, schedule, start now, end, extend, edit,
// cancel, end all maintenance, and a window's updates. The same operations as the pages.

import { z } from 'zod';
import { listUpdates } from '../../maintenance/updates.js';
import { getWindow, listWindows } from '../../maintenance/windows.js';
import { endpoint, type Endpoint } from '../api/endpoint.js';
import type { AdminDeps } from '../deps.js';
import { emptyBody } from '../validation.js';
import { extendSchema, listQuery, postUpdateSchema, scheduleSchema, startSchema, updateSchema } from './input.js';
import { overlapWarnings, updateJson, updateJsonSchema, windowId, windowJson, windowJsonSchema, windowResultSchema } from './json.js';
import type { WindowOperations, WindowResult } from './operations.js';

const TAG = 'Windows';
const TIMES =
  'Times are ISO 8601 with Z or an offset (2026-11-22T14:00:00Z), or a local time (2026-11-22T14:00) with time_zone (an IANA name such as Europe/Paris). ' +
  'Durations read like 30m, 2h, 1h30m or 1d, at most 365d.';

// Examples for the reference's curl lines: what a pipeline would typically send.
const scheduleBody = scheduleSchema.meta({
  examples: [{ title: 'Database upgrade', starts_at: '2027-03-14T02:00:00Z', duration: '2h', message: 'Checkout is paused while we upgrade the database.' }],
});
const startBody = startSchema.meta({ examples: [{ title: 'Deploy', duration: '20m', message: 'We are deploying a new version; back in about 20 minutes.' }] });
const extendBody = extendSchema.meta({ examples: [{ by: '15m' }] });
const updateBody = updateSchema.meta({ examples: [{ ends_at: '2027-03-14T04:30:00Z', message: 'The upgrade takes longer than planned.' }] });
const postUpdateBody = postUpdateSchema.meta({ examples: [{ body: 'The upgrade is done; everything is back.', issue_fixed: true }] });

export function createWindowEndpoints({ pool, now }: AdminDeps, ops: WindowOperations): Endpoint[] {
  const result = ({ window, overlaps }: WindowResult) => ({ window: windowJson(window, now()), warnings: overlapWarnings(overlaps) });

  return [
    endpoint({
      method: 'get', path: '/windows', tag: TAG, role: 'viewer',
      summary: 'List windows',
      description: 'Windows in force and upcoming, by start; `?scope=past` lists those over or cancelled, latest first.',
      query: listQuery,
      response: z.object({ windows: z.array(windowJsonSchema) }),
      async handler({ query, site }) {
        const windows = await listWindows(pool, site.site.id, { scope: query.scope ?? 'current_and_upcoming', limit: query.limit });
        return { windows: windows.map((window) => windowJson(window, now())) };
      },
    }),
    endpoint({
      method: 'get', path: '/windows/:id', tag: TAG, role: 'viewer',
      summary: 'Read a window',
      response: windowJsonSchema,
      async handler({ params, site }) {
        return windowJson(await getWindow(pool, site.site.id, windowId(params.id)), now());
      },
    }),
    endpoint({
      method: 'post', path: '/windows', tag: TAG, role: 'operator', status: 201,
      summary: 'Schedule a window',
      description: `Plans a window for later: starts_at, and duration or ends_at. Overlapping windows are allowed and reported in warnings. ${TIMES}`,
      body: scheduleBody,
      response: windowResultSchema,
      async handler({ body, actor, site }) {
        return result(await ops.schedule(actor, site.site.id, body));
      },
    }),
    endpoint({
      method: 'post', path: '/windows/start', tag: TAG, role: 'operator', status: 201,
      summary: 'Start maintenance now',
      description: `Starts a window now, for a duration, until ends_at, or (neither) until it is ended. The title defaults to "Maintenance". ${TIMES}`,
      body: startBody,
      response: windowResultSchema,
      async handler({ body, actor, site }) {
        return result(await ops.start(actor, site.site.id, body));
      },
    }),
    endpoint({
      method: 'post', path: '/windows/:id/end', tag: TAG, role: 'operator',
      summary: 'End a window now',
      description: 'Ends a window in force; 409 if it has not started (cancel it) or is already over.',
      body: emptyBody,
      response: windowResultSchema,
      async handler({ params, actor, site }) {
        return result(await ops.end(actor, site.site.id, windowId(params.id)));
      },
    }),
    endpoint({
      method: 'post', path: '/windows/:id/extend', tag: TAG, role: 'operator',
      summary: 'Extend a window',
      description: `Moves the end of a window in force or upcoming: {"by": "15m"} adds to its end, {"until": "..."} sets a new end (after now). ` +
        `An open-ended window has no end to add to: give until. Customers' Retry-After follows. ${TIMES}`,
      body: extendBody,
      response: windowResultSchema,
      async handler({ params, body, actor, site }) {
        return result(await ops.extend(actor, site.site.id, windowId(params.id), body));
      },
    }),
    endpoint({
      method: 'patch', path: '/windows/:id', tag: TAG, role: 'operator',
      summary: 'Change a window',
      description: `Changes the fields given. An upcoming window can change everything, start and duration included; a window in force only its title, message, kind of hold (mode), scope (paths, hosts) and end (ends_at). ${TIMES}`,
      body: updateBody,
      response: windowResultSchema,
      async handler({ params, body, actor, site }) {
        return result(await ops.update(actor, site.site.id, windowId(params.id), body));
      },
    }),
    endpoint({
      method: 'delete', path: '/windows/:id', tag: TAG, role: 'operator',
      summary: 'Cancel an upcoming window',
      description: 'Calls off a window that has not started; the record stays, as cancelled. A window in force is ended instead (POST /windows/{id}/end).',
      body: emptyBody,
      response: windowResultSchema,
      async handler({ params, actor, site }) {
        return result(await ops.cancel(actor, site.site.id, windowId(params.id)));
      },
    }),
    endpoint({
      method: 'post', path: '/maintenance/end', tag: TAG, role: 'operator',
      summary: 'End all maintenance now',
      description: 'Ends every window in force, scoped ones included, like `intermission maintenance off`. Upcoming windows are left alone.',
      body: emptyBody,
      response: z.object({ ended: z.array(windowJsonSchema) }),
      async handler({ actor, site }) {
        const ended = await ops.endAll(actor, site.site.id);
        return { ended: ended.map((window) => windowJson(window, now())) };
      },
    }),
    endpoint({
      method: 'get', path: '/windows/:id/updates', tag: TAG, role: 'viewer',
      summary: "A window's updates",
      description: 'Oldest first, as the timeline reads.',
      response: z.object({ updates: z.array(updateJsonSchema) }),
      async handler({ params, site }) {
        const id = windowId(params.id);
        await getWindow(pool, site.site.id, id);
        return { updates: (await listUpdates(pool, site.site.id, { windowId: id })).map(updateJson) };
      },
    }),
    endpoint({
      method: 'post', path: '/windows/:id/updates', tag: TAG, role: 'operator', status: 201,
      summary: 'Post an update to a window',
      description: 'Adds to the status page timeline. With issue_fixed: true, a window in force is also ended, in the same transaction.',
      body: postUpdateBody,
      response: z.object({ update: updateJsonSchema, window: windowJsonSchema }),
      async handler({ params, body, actor, site }) {
        const { update, window } = await ops.postUpdate(actor, site.site.id, windowId(params.id), body);
        return { update: updateJson(update), window: windowJson(window, now()) };
      },
    }),
  ];
}
