// The recurring series endpoints of the automation API: list, read, create, change and delete.
// The same operations as the pages; each answer carries the occurrences as concrete windows.

import { z } from 'zod';
import { getSeries, listOccurrences, listSeries } from '../../maintenance/series.js';
import { endpoint, type Endpoint } from '../api/endpoint.js';
import type { AdminDeps } from '../deps.js';
import { emptyBody } from '../validation.js';
import { createSeriesSchema, updateSeriesSchema } from './input.js';
import { seriesId, seriesJson, seriesJsonSchema, seriesResultJson, seriesResultSchema } from './json.js';
import type { SeriesOperations } from './operations.js';

const TAG = 'Recurring series';
const ABOUT =
  'A series is expanded into concrete windows ahead (SERIES_HORIZON_DAYS, 14 by default), which customers and the windows endpoints see like any other. ' +
  'An occurrence edited, extended or cancelled through the windows endpoints is detached: changes to the series leave it alone.';

const createBody = createSeriesSchema.meta({
  examples: [{ title: 'Nightly database maintenance', cron: '30 2 * * *', time_zone: 'Europe/Berlin', duration: '1h', message: 'Checkout pauses for the nightly database maintenance.' }],
});
const updateBody = updateSeriesSchema.meta({ examples: [{ cron: '0 3 * * 1,4', duration: '90m' }] });

export function createSeriesEndpoints({ pool, now }: AdminDeps, ops: SeriesOperations): Endpoint[] {
  return [
    endpoint({
      method: 'get', path: '/series', tag: TAG, role: 'viewer',
      summary: 'List recurring series',
      description: 'By title, each with its next starts.',
      response: z.object({ series: z.array(seriesJsonSchema) }),
      async handler({ site }) {
        return { series: (await listSeries(pool, site.site.id)).map((series) => seriesJson(series, now())) };
      },
    }),
    endpoint({
      method: 'get', path: '/series/:id', tag: TAG, role: 'viewer',
      summary: 'Read a series and its occurrences',
      response: seriesResultSchema,
      async handler({ params, site }) {
        const id = seriesId(params.id);
        const [series, occurrences] = await Promise.all([getSeries(pool, site.site.id, id), listOccurrences(pool, site.site.id, id)]);
        return seriesResultJson({ series, occurrences, created: 0, removed: 0 }, now());
      },
    }),
    endpoint({
      method: 'post', path: '/series', tag: TAG, role: 'operator', status: 201,
      summary: 'Create a recurring series',
      description: `title, cron, time_zone and duration; the window details (message, kind, mode, response, paths, hosts, component_ids, verify_upstream) as for a window. Its occurrences are created at once. ${ABOUT}`,
      body: createBody,
      response: seriesResultSchema,
      async handler({ body, actor, site }) {
        return seriesResultJson(await ops.create(actor, site.site.id, body), now());
      },
    }),
    endpoint({
      method: 'patch', path: '/series/:id', tag: TAG, role: 'operator',
      summary: 'Change a series',
      description: `Changes the fields given, then regenerates its upcoming occurrences that were not changed by hand; those in force or over stay as they are. ${ABOUT}`,
      body: updateBody,
      response: seriesResultSchema,
      async handler({ params, body, actor, site }) {
        return seriesResultJson(await ops.update(actor, site.site.id, seriesId(params.id), body), now());
      },
    }),
    endpoint({
      method: 'delete', path: '/series/:id', tag: TAG, role: 'operator',
      summary: 'Delete a series',
      description: 'Removes it and its upcoming occurrences that were not changed by hand. Occurrences in force, over, edited or skipped stay, as one-off windows.',
      body: emptyBody,
      response: z.object({ series: seriesJsonSchema, removed: z.number().int().describe('upcoming occurrences removed') }),
      async handler({ params, actor, site }) {
        const { series, removed } = await ops.remove(actor, site.site.id, seriesId(params.id));
        return { series: seriesJson(series, now()), removed };
      },
    }),
  ];
}
