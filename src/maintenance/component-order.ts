// The order of components (within their group) and of component groups, as the status page lists
// them: positions count from 0 with no gaps, within one site, and every change to them is serialised.

import type { Queryable } from '../audit/write-as.js';

// "comp": one lock for every write to components and groups. Two moves at once would otherwise
// read the same order and renumber from it, and a group could be deleted while a component joins it.
const ORDER_LOCK_KEY = 0x636f6d70;

export type Direction = 'up' | 'down';

/** Holds the order lock until the transaction ends; take it before any row lock, so writers cannot deadlock. */
export async function lockOrder(db: Queryable): Promise<void> {
  await db.query('SELECT pg_advisory_xact_lock($1)', [ORDER_LOCK_KEY]);
}

/** ids with `id` taken out and put back at index (past the end: last). Pure. */
export function placeAt(ids: readonly string[], id: string, index: number): string[] {
  const rest = ids.filter((other) => other !== id);
  const at = Math.max(0, Math.min(index, rest.length));
  return [...rest.slice(0, at), id, ...rest.slice(at)];
}

/** The index one step up or down from where id stands in ids, kept within the list. Pure. */
export function stepFrom(ids: readonly string[], id: string, direction: Direction): number {
  const index = ids.indexOf(id);
  return direction === 'up' ? Math.max(0, index - 1) : Math.min(ids.length - 1, index + 1);
}

/** Ids of the site's components of a group (null: those in no group), in order. */
export async function componentOrder(db: Queryable, siteId: string, groupId: string | null): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    'SELECT id::text FROM components WHERE site_id = $1::bigint AND group_id IS NOT DISTINCT FROM $2::bigint ORDER BY position, id',
    [siteId, groupId],
  );
  return rows.map((row) => row.id);
}

export async function groupOrder(db: Queryable, siteId: string): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>('SELECT id::text FROM component_groups WHERE site_id = $1::bigint ORDER BY position, id', [siteId]);
  return rows.map((row) => row.id);
}

/**
 * Gives the site's rows of table the positions 0, 1, 2... in the order of ids. Rows already in
 * place are not touched, so the audit log records only the ones that moved.
 */
export async function writeOrder(db: Queryable, siteId: string, table: 'components' | 'component_groups', ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await db.query(
    `UPDATE ${table} AS t SET position = o.ord - 1, updated_at = now()
     FROM unnest($1::bigint[]) WITH ORDINALITY AS o(id, ord)
     WHERE t.id = o.id AND t.site_id = $2::bigint AND t.position <> o.ord - 1`,
    [ids, siteId],
  );
}
