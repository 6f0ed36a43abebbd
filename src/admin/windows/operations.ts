// What the pages and the API do to windows, one function per operation: each acts in one site (the
// request's, siteOf / ctx.site), runs in one audited transaction (writeAs) and reports the windows
// of that site the result overlaps, for a warning.

import type pg from 'pg';
import type { Actor } from '../../accounts/roles.js';
import { setAction, writeAs } from '../../audit/write-as.js';
import type { Pool } from '../../db/pool.js';
import { ConflictError, ValidationError } from '../../errors.js';
import { formatDuration, MAX_WINDOW_MS } from '../../maintenance/input.js';
import { postUpdate, type UpdateRecord } from '../../maintenance/updates.js';
import { cancelWindow, endWindow, extendWindow, overlapping, updateWindow, type Extension, type WindowChanges } from '../../maintenance/window-changes.js';
import { endNow, getWindow, schedule, startNow, windowState, type ScheduleInput, type StartNowInput, type WindowRecord } from '../../maintenance/windows.js';

// Further ahead than this is more likely a typo in the year than a plan.
export const MAX_SCHEDULE_AHEAD_MS = 2 * 366 * 24 * 60 * 60 * 1000;

export interface WindowResult {
  window: WindowRecord;
  /** Other live windows whose time overlaps this one's. */
  overlaps: WindowRecord[];
}

export interface UpdateResult {
  update: UpdateRecord;
  window: WindowRecord;
}

export interface WindowOperations {
  start(actor: Actor, siteId: string, input: StartNowInput): Promise<WindowResult>;
  schedule(actor: Actor, siteId: string, input: ScheduleInput & { issueFixed?: boolean }): Promise<WindowResult>;
  update(actor: Actor, siteId: string, id: string, changes: WindowChanges): Promise<WindowResult>;
  extend(actor: Actor, siteId: string, id: string, extension: Extension): Promise<WindowResult>;
  end(actor: Actor, siteId: string, id: string): Promise<WindowResult>;
  cancel(actor: Actor, siteId: string, id: string): Promise<WindowResult>;
  /** Ends every window of the site in force, like `intermission maintenance off`; [] when none was. */
  endAll(actor: Actor, siteId: string): Promise<WindowRecord[]>;
  postUpdate(actor: Actor, siteId: string, id: string, input: { body: string; issue_fixed: boolean }): Promise<UpdateResult>;
}

function checkStart(startsAt: Date, now: number): void {
  if (startsAt.getTime() <= now) {
    throw new ValidationError(`starts_at ${startsAt.toISOString()} is in the past: give a time after ${new Date(now).toISOString()}, or start maintenance now instead`, 'starts_at');
  }
  if (startsAt.getTime() - now > MAX_SCHEDULE_AHEAD_MS) {
    throw new ValidationError(`starts_at ${startsAt.toISOString()} is too far ahead: at most ${formatDuration(MAX_SCHEDULE_AHEAD_MS)} from now`, 'starts_at');
  }
}

function checkStartEnd(input: StartNowInput, now: number): void {
  if (!input.end || !('at' in input.end)) return;
  const at = input.end.at.getTime();
  if (at <= now) throw new ValidationError(`ends_at ${input.end.at.toISOString()} is in the past: give a later end time, or a duration`, 'ends_at');
  if (at - now > MAX_WINDOW_MS) throw new ValidationError(`ends_at ${input.end.at.toISOString()} is too far ahead: a window lasts at most ${formatDuration(MAX_WINDOW_MS)}`, 'ends_at');
}

export function createWindowOperations({ pool, now }: { pool: Pool; now: () => number }): WindowOperations {
  async function withOverlaps(client: pg.PoolClient, siteId: string, window: WindowRecord): Promise<WindowResult> {
    return { window, overlaps: await overlapping(client, siteId, window) };
  }

  return {
    async start(actor, siteId, input) {
      checkStartEnd(input, now());
      return writeAs(pool, actor.label, 'window.start', async (client) => withOverlaps(client, siteId, await startNow(client, siteId, input)), 'starting maintenance');
    },

    async schedule(actor, siteId, input) {
      if (input.issueFixed) {
        throw new ValidationError('issue_fixed: a window that has not started cannot be fixed yet: schedule it, then tick "issue fixed" on an update once the work is done', 'issue_fixed');
      }
      checkStart(input.startsAt, now());
      return writeAs(pool, actor.label, 'window.schedule', async (client) => withOverlaps(client, siteId, await schedule(client, siteId, input)), 'scheduling maintenance');
    },

    async update(actor, siteId, id, changes) {
      if (changes.startsAt) checkStart(changes.startsAt, now());
      return writeAs(pool, actor.label, 'window.update', async (client) => withOverlaps(client, siteId, await updateWindow(client, siteId, id, changes)), 'changing the window');
    },

    async extend(actor, siteId, id, extension) {
      return writeAs(pool, actor.label, 'window.extend', async (client) => withOverlaps(client, siteId, await extendWindow(client, siteId, id, extension)), 'extending the window');
    },

    async end(actor, siteId, id) {
      return writeAs(pool, actor.label, 'window.end', async (client) => ({ window: await endWindow(client, siteId, id), overlaps: [] }), 'ending the window');
    },

    async cancel(actor, siteId, id) {
      return writeAs(pool, actor.label, 'window.cancel', async (client) => ({ window: await cancelWindow(client, siteId, id), overlaps: [] }), 'cancelling the window');
    },

    async endAll(actor, siteId) {
      return writeAs(pool, actor.label, 'window.end', (client) => endNow(client, siteId), 'ending maintenance');
    },

    async postUpdate(actor, siteId, id, input) {
      return writeAs(
        pool,
        actor.label,
        'update.post',
        async (client) => {
          let window = await getWindow(client, siteId, id);
          if (input.issue_fixed) {
            const state = windowState(window, now());
            if (state === 'upcoming') {
              throw new ConflictError(`window #${id} has not started, so the issue cannot be fixed yet: post the update without "issue fixed", or cancel the window`);
            }
            // Already over or cancelled: nothing left to end, and the update still says it is fixed.
            if (state === 'in_force') {
              await setAction(client, 'window.end');
              window = await endWindow(client, siteId, id);
              await setAction(client, 'update.post');
            }
          }
          const update = await postUpdate(client, siteId, { body: input.body, windowId: id });
          return { update, window };
        },
        'posting the update',
      );
    },
  };
}
