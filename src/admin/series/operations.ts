// What the pages and the API do to recurring series: create, change and delete one, each in one
// audited transaction (writeAs) in the request's site that also expands or trims its occurrences, so the windows list
// shows the result at once. A rule that would never start, or whose occurrences would overlap
// one another, is refused before anything is written.

import type { Actor } from '../../accounts/roles.js';
import { writeAs, type Queryable } from '../../audit/write-as.js';
import type { Pool } from '../../db/pool.js';
import { ValidationError } from '../../errors.js';
import { formatDuration } from '../../maintenance/input.js';
import {
  createSeries,
  deleteSeries,
  getSeries,
  listOccurrences,
  updateSeries,
  type SeriesChanges,
  type SeriesInput,
  type SeriesResult,
} from '../../maintenance/series.js';
import type { WindowRecord } from '../../maintenance/windows.js';
import { localDate, nextOccurrences, type Recurrence } from '../../schedule/recurrence.js';

// Enough starts to see how close two come, for any series that starts at least monthly.
const OVERLAP_SAMPLE = 40;

export interface SeriesOutcome extends SeriesResult {
  /** Its occurrences in force or to come, after the change. */
  occurrences: WindowRecord[];
}

export interface SeriesOperations {
  create(actor: Actor, siteId: string, input: SeriesInput): Promise<SeriesOutcome>;
  update(actor: Actor, siteId: string, id: string, changes: SeriesChanges): Promise<SeriesOutcome>;
  remove(actor: Actor, siteId: string, id: string): Promise<SeriesResult>;
}

/** Refuses a rule with no start left, or whose occurrences would run into the next one. */
export function checkRule(rule: Recurrence, now: number): void {
  if (rule.endsOn !== null && rule.endsOn < localDate(now, rule.timeZone)) {
    throw new ValidationError(`ends_on ${rule.endsOn} is in the past in ${rule.timeZone}: the series would never start`, 'ends_on');
  }
  const starts = nextOccurrences(rule, now, OVERLAP_SAMPLE);
  if (starts.length === 0) {
    const field = rule.endsOn === null ? 'cron' : 'ends_on';
    throw new ValidationError(`${field}: the series would never start${rule.endsOn === null ? '' : ` before ${rule.endsOn}`}: check the expression and the end date`, field);
  }
  for (let i = 1; i < starts.length; i += 1) {
    const gap = starts[i]! - starts[i - 1]!;
    if (gap < rule.durationMs) {
      throw new ValidationError(
        `duration ${formatDuration(rule.durationMs)} is longer than the ${formatDuration(gap)} between two starts (${new Date(starts[i - 1]!).toISOString()} and ${new Date(starts[i]!).toISOString()}): occurrences would overlap; shorten it or start less often`,
        'duration',
      );
    }
  }
}

export function createSeriesOperations({ pool, now, horizonDays }: { pool: Pool; now: () => number; horizonDays: number }): SeriesOperations {
  async function withOccurrences(client: Queryable, siteId: string, result: SeriesResult): Promise<SeriesOutcome> {
    return { ...result, occurrences: await listOccurrences(client, siteId, result.series.id) };
  }

  return {
    async create(actor, siteId, input) {
      checkRule(input, now());
      return writeAs(
        pool,
        actor.label,
        'series.create',
        async (client) => withOccurrences(client, siteId, await createSeries(client, siteId, input, horizonDays)),
        'creating the series',
      );
    },

    async update(actor, siteId, id, changes) {
      return writeAs(
        pool,
        actor.label,
        'series.update',
        async (client) => {
          const current = await getSeries(client, siteId, id);
          const given = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
          checkRule({ ...current, ...given }, now());
          return withOccurrences(client, siteId, await updateSeries(client, siteId, id, changes, horizonDays));
        },
        'changing the series',
      );
    },

    async remove(actor, siteId, id) {
      return writeAs(pool, actor.label, 'series.delete', (client) => deleteSeries(client, siteId, id), 'deleting the series');
    },
  };
}
