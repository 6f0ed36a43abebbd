// The audit log in the automation API: every change, newest first, with the same filters as the
// page and a cursor (next_before) for the next, older page.

import { z } from 'zod';
import { listAuditEntries, type AuditEntry } from '../../audit/audit-log.js';
import { ForbiddenError } from '../../errors.js';
import { endpoint, type Endpoint } from '../api/endpoint.js';
import type { AdminDeps } from '../deps.js';
import { changedFieldNames } from './diff.js';
import { auditQuery, DEFAULT_PAGE_SIZE } from './input.js';

const row = z.record(z.string(), z.unknown()).nullable();

export const auditEntryJsonSchema = z.object({
  id: z.string(),
  at: z.string().describe('ISO 8601, UTC'),
  actor: z.string().describe('e.g. user:alice@example.com, token:deploy'),
  action: z.string().describe('e.g. window.extend, settings.update'),
  kind: z.string().describe('the table changed: windows, components, users, ...'),
  object_id: z.string().nullable(),
  site: z.string().nullable().describe('the slug of the site changed; null: no one site (users, global tokens), or a site since removed'),
  before: row.describe('the row before the change; null for a creation'),
  after: row.describe('the row after the change; null for a deletion'),
  changed_fields: z.array(z.string()).describe('the fields that differ (for a creation or deletion, those with a value)'),
});

function entryJson(entry: AuditEntry, slugOf: (id: string) => string | null): z.infer<typeof auditEntryJsonSchema> {
  return {
    id: entry.id,
    at: new Date(entry.at).toISOString(),
    actor: entry.actor,
    action: entry.action,
    kind: entry.kind,
    object_id: entry.objectId,
    site: entry.siteId === null ? null : slugOf(entry.siteId),
    before: entry.before,
    after: entry.after,
    changed_fields: changedFieldNames(entry.before, entry.after),
  };
}

export function createAuditEndpoints({ pool, store }: AdminDeps): Endpoint[] {
  const slugOf = (id: string) => store.current().byId.get(id)?.site.slug ?? null;
  return [
    endpoint({
      method: 'get', path: '/audit', tag: 'Audit log', role: 'viewer',
      summary: 'Read the audit log',
      description:
        'Every change made through the pages, the API, the CLI or plain SQL: who, what, when, and the row before and after. Newest first; ' +
        `filter by actor, kind and action; at most limit entries (default ${DEFAULT_PAGE_SIZE}, at most 200). For the next page, pass next_before as before. ` +
        'The site\'s entries only; a global admin\'s token may pass all_sites=true for every site\'s, and those of no one site (users, global tokens).',
      query: auditQuery,
      response: z.object({
        entries: z.array(auditEntryJsonSchema),
        next_before: z.string().nullable().describe('the cursor of the next, older page; null on the last'),
      }),
      async handler({ query, actor, site }) {
        const { all_sites: allSites, ...filters } = query;
        if (allSites && !actor.globalAdmin) throw new ForbiddenError('all_sites is for global admins: leave it out for this site\'s entries');
        const page = await listAuditEntries(pool, { ...filters, siteId: allSites ? null : site.site.id, limit: filters.limit ?? DEFAULT_PAGE_SIZE });
        return { entries: page.entries.map((entry) => entryJson(entry, slugOf)), next_before: page.nextBefore };
      },
    }),
  ];
}
