// What global admins do to sites, from the pages and the API: add one, change its hosts, upstream
// or default flag, remove it. Each is one audited transaction (writeAs) over src/sites/sites.ts;
// the gateways' snapshots route by the new hosts within a notice.

import type { Actor } from '../../accounts/roles.js';
import { writeAs } from '../../audit/write-as.js';
import type { Pool } from '../../db/pool.js';
import { addSite, removeSite, updateSite, type NewSite, type SiteChanges, type SiteRecord } from '../../sites/sites.js';

export interface SiteOperations {
  add(actor: Actor, input: NewSite): Promise<SiteRecord>;
  change(actor: Actor, slug: string, changes: SiteChanges): Promise<SiteRecord>;
  /** Removes the site and everything in it; the audit log keeps what was done. */
  remove(actor: Actor, slug: string): Promise<SiteRecord>;
}

export function createSiteOperations({ pool }: { pool: Pool }): SiteOperations {
  return {
    async add(actor, input) {
      return writeAs(pool, actor.label, 'site.create', (client) => addSite(client, input), `adding site ${input.slug}`);
    },
    async change(actor, slug, changes) {
      return writeAs(pool, actor.label, 'site.update', (client) => updateSite(client, slug, changes), `changing site ${slug}`);
    },
    async remove(actor, slug) {
      return writeAs(pool, actor.label, 'site.delete', (client) => removeSite(client, slug), `removing site ${slug}`);
    },
  };
}
