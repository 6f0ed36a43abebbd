// Which components a window puts under maintenance on the status page (window_components rows).

import type { Queryable } from '../audit/write-as.js';
import { ValidationError } from '../errors.js';

/**
 * Refuses component ids that name no component of the site, with a message naming them (a foreign
 * key error would not): another site's component is as unknown here as a deleted one.
 */
export async function checkComponents(db: Queryable, siteId: string, componentIds: readonly string[]): Promise<void> {
  if (componentIds.length === 0) return;
  const { rows } = await db.query<{ missing: string[] }>(
    'SELECT ARRAY(SELECT unnest($1::bigint[]) EXCEPT SELECT id FROM components WHERE site_id = $2::bigint ORDER BY 1)::text[] AS missing',
    [componentIds, siteId],
  );
  const missing = rows[0]!.missing;
  if (missing.length > 0) {
    throw new ValidationError(`component_ids has ${missing.join(', ')}: no component has ${missing.length === 1 ? 'that id' : 'those ids'}`, 'component_ids');
  }
}

/** Makes the window's components exactly componentIds; the caller has found the window in the site. */
export async function setComponents(db: Queryable, siteId: string, windowId: string, componentIds: readonly string[]): Promise<void> {
  await checkComponents(db, siteId, componentIds);
  await db.query('DELETE FROM window_components WHERE window_id = $1 AND NOT (component_id = ANY ($2::bigint[]))', [windowId, componentIds]);
  await db.query(
    `INSERT INTO window_components (window_id, component_id) SELECT $1, unnest($2::bigint[]) ON CONFLICT DO NOTHING`,
    [windowId, componentIds],
  );
}
