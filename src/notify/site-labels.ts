// How notifications name a site and link to it. With one site nothing changes: no site in payloads,
// links at STATUS_PATH and ADMIN_PATH. With several, payloads and Slack lines name the site, and
// links go to STATUS_PATH/<slug> and ADMIN_PATH/sites/<slug>, which reach that site on any host.

import type { Queryable } from '../audit/write-as.js';
import type { PayloadLinks } from './event-payload.js';

export interface SiteLabel {
  id: string;
  slug: string;
  /** Its Settings' name, else SITE_NAME for the primary site (the default, or the only one) and the slug for any other (as src/status/site.ts). */
  name: string;
  /** There is more than one site: say which one this is. */
  named: boolean;
}

interface LabelRow {
  id: string;
  slug: string;
  site_name: string | null;
  is_primary: boolean;
  site_count: number;
}

/** The labels of the given sites (all of them when `ids` is undefined), by id. */
export async function siteLabels(db: Queryable, siteName: string, ids?: readonly string[]): Promise<Map<string, SiteLabel>> {
  const { rows } = await db.query<LabelRow>(
    `SELECT s.id::text, s.slug, nullif(btrim(st.site_name), '') AS site_name,
            (s.is_default OR (SELECT count(*) FROM sites) = 1) AS is_primary, (SELECT count(*) FROM sites)::int AS site_count
     FROM sites s LEFT JOIN settings st ON st.site_id = s.id
     WHERE $1::bigint[] IS NULL OR s.id = ANY ($1::bigint[])`,
    [ids ?? null],
  );
  return new Map(
    rows.map((row) => [
      row.id,
      { id: row.id, slug: row.slug, name: row.site_name ?? (row.is_primary ? siteName : row.slug), named: row.site_count > 1 },
    ]),
  );
}

/** The gateway-wide links made the site's own, when there are several sites. */
export function siteLinks(links: PayloadLinks, site: SiteLabel | undefined): PayloadLinks {
  if (site === undefined || !site.named) return links;
  const slug = encodeURIComponent(site.slug);
  return { statusUrl: `${links.statusUrl}/${slug}`, adminUrl: `${links.adminUrl}/sites/${slug}` };
}
