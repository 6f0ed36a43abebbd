// The SQL of sites and their hostnames: list, read, add, change and remove. Inputs arrive checked
// (see site-input.ts); a name another site holds, or a slug taken, is refused with a message that
// says which. Every change notifies the gateways, whose snapshots route by host within a second.

import type { Queryable } from '../audit/write-as.js';
import { fromDatabaseError, NotFoundError, ValidationError } from '../errors.js';

export interface SiteRecord {
  id: string;
  slug: string;
  /** null: the gateway's UPSTREAM_URL. */
  upstreamUrl: string | null;
  hosts: string[];
  isDefault: boolean;
  createdAt: number;
}

export interface NewSite {
  slug: string;
  hosts: string[];
  upstreamUrl: string | null;
  isDefault?: boolean;
}

/** undefined leaves a field as it is; hosts given replace the site's names. */
export interface SiteChanges {
  hosts?: string[];
  upstreamUrl?: string | null;
  isDefault?: boolean;
}

interface SiteRow {
  id: string;
  slug: string;
  upstream_url: string | null;
  hosts: string[];
  is_default: boolean;
  created_at: Date;
}

const COLUMNS = `s.id::text, s.slug, s.upstream_url, s.is_default, s.created_at,
  coalesce((SELECT array_agg(h.host ORDER BY h.host) FROM site_hosts h WHERE h.site_id = s.id), '{}') AS hosts`;

function toRecord(row: SiteRow): SiteRecord {
  return {
    id: row.id,
    slug: row.slug,
    upstreamUrl: row.upstream_url,
    hosts: row.hosts,
    isDefault: row.is_default,
    createdAt: row.created_at.getTime(),
  };
}

export async function listSites(db: Queryable): Promise<SiteRecord[]> {
  try {
    const { rows } = await db.query<SiteRow>(`SELECT ${COLUMNS} FROM sites s ORDER BY s.slug`);
    return rows.map(toRecord);
  } catch (err) {
    throw fromDatabaseError(err, 'listing the sites');
  }
}

export async function getSite(db: Queryable, slug: string): Promise<SiteRecord> {
  let rows: SiteRow[];
  try {
    ({ rows } = await db.query<SiteRow>(`SELECT ${COLUMNS} FROM sites s WHERE s.slug = $1`, [slug]));
  } catch (err) {
    throw fromDatabaseError(err, `reading site ${slug}`);
  }
  if (!rows[0]) throw new NotFoundError(`there is no site ${slug}`);
  return toRecord(rows[0]);
}

/** Names some other site holds already, so the refusal can say whose they are. */
async function refuseTakenHosts(db: Queryable, hosts: string[], siteId: string | null): Promise<void> {
  if (hosts.length === 0) return;
  const { rows } = await db.query<{ host: string; slug: string }>(
    `SELECT h.host, s.slug FROM site_hosts h JOIN sites s ON s.id = h.site_id
     WHERE h.host = ANY($1::text[]) AND ($2::bigint IS NULL OR h.site_id <> $2::bigint) ORDER BY h.host`,
    [hosts, siteId],
  );
  if (rows.length > 0) {
    const taken = rows.map((row) => `${row.host} (site ${row.slug})`).join(', ');
    throw new ValidationError(`host ${taken} already belongs to another site: a name can route to one site only`, 'hosts');
  }
}

async function setHosts(db: Queryable, siteId: string, hosts: string[]): Promise<void> {
  await db.query('DELETE FROM site_hosts WHERE site_id = $1::bigint AND NOT (host = ANY($2::text[]))', [siteId, hosts]);
  await db.query('INSERT INTO site_hosts (host, site_id) SELECT unnest($2::text[]), $1::bigint ON CONFLICT (host) DO NOTHING', [siteId, hosts]);
}

/** A new default site takes over from the old one: there is at most one. */
async function clearDefault(db: Queryable, except: string | null): Promise<void> {
  await db.query('UPDATE sites SET is_default = false, updated_at = now() WHERE is_default AND ($1::bigint IS NULL OR id <> $1::bigint)', [except]);
}

/** Adds a site with its settings and a healthy upstream (a trigger adds those rows). */
export async function addSite(db: Queryable, input: NewSite): Promise<SiteRecord> {
  try {
    const { rows: taken } = await db.query('SELECT 1 FROM sites WHERE slug = $1', [input.slug]);
    if (taken.length > 0) throw new ValidationError(`a site named ${input.slug} exists already: choose another slug`, 'slug');
    await refuseTakenHosts(db, input.hosts, null);
    if (input.isDefault) await clearDefault(db, null);
    const { rows } = await db.query<{ id: string }>(
      'INSERT INTO sites (slug, upstream_url, is_default) VALUES ($1, $2, $3) RETURNING id::text',
      [input.slug, input.upstreamUrl, input.isDefault ?? false],
    );
    await setHosts(db, rows[0]!.id, input.hosts);
    return await getSite(db, input.slug);
  } catch (err) {
    throw fromDatabaseError(err, `adding site ${input.slug}`);
  }
}

export async function updateSite(db: Queryable, slug: string, changes: SiteChanges): Promise<SiteRecord> {
  try {
    const site = await getSite(db, slug);
    if (changes.hosts !== undefined) {
      await refuseTakenHosts(db, changes.hosts, site.id);
      await setHosts(db, site.id, changes.hosts);
    }
    if (changes.isDefault === true) await clearDefault(db, site.id);
    await db.query(
      `UPDATE sites SET upstream_url = CASE WHEN $2 THEN $3 ELSE upstream_url END,
         is_default = coalesce($4, is_default), updated_at = now()
       WHERE id = $1::bigint`,
      [site.id, changes.upstreamUrl !== undefined, changes.upstreamUrl ?? null, changes.isDefault ?? null],
    );
    return await getSite(db, slug);
  } catch (err) {
    throw fromDatabaseError(err, `changing site ${slug}`);
  }
}

/**
 * Removes a site and everything it holds (components, windows, incidents, webhooks, its team and
 * tokens). The audit log keeps what was done. The last site cannot go: the gateway needs one.
 */
export async function removeSite(db: Queryable, slug: string): Promise<SiteRecord> {
  try {
    const site = await getSite(db, slug);
    const { rows } = await db.query<{ count: string }>('SELECT count(*)::text AS count FROM sites');
    if (Number(rows[0]!.count) <= 1) throw new ValidationError(`site ${slug} is the only one: a gateway needs at least one site`, 'slug');
    await db.query('DELETE FROM sites WHERE id = $1::bigint', [site.id]);
    return site;
  } catch (err) {
    throw fromDatabaseError(err, `removing site ${slug}`);
  }
}
