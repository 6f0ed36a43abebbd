// What the pages and the API do to bypass links: create one (the secret URL comes back once) and
// revoke one, each in one audited transaction, in the request's site. A link opens on its own
// site's hosts only, so the URL points at PUBLIC_URL, or else at the address the request came
// to, when that host answers for the site; otherwise at the site's first host name.

import type express from 'express';
import type { Actor } from '../../accounts/roles.js';
import { writeAs } from '../../audit/write-as.js';
import type { Config } from '../../config/config.js';
import type { Pool } from '../../db/pool.js';
import { hostName } from '../../decide/paths.js';
import { routeHost } from '../../sites/site-routes.js';
import type { SnapshotStore } from '../../snapshot/store.js';
import type { SiteSnapshots, Snapshot } from '../../snapshot/types.js';
import { bypassUrl, createBypassLink, revokeBypassLink, type BypassLink, type BypassLinkRecord, type NewBypassLink } from '../../maintenance/bypass-links.js';

export interface CreatedLink {
  link: BypassLink;
  /** The secret URL to hand over. */
  url: string;
}

export interface BypassLinkOperations {
  create(actor: Actor, site: Snapshot, input: NewBypassLink, req: express.Request): Promise<CreatedLink>;
  revoke(actor: Actor, siteId: string, id: string): Promise<BypassLinkRecord>;
}

function requestOrigin(req: express.Request): URL {
  try {
    return new URL(`${req.protocol}://${req.get('host') ?? 'localhost'}`);
  } catch {
    return new URL(`${req.protocol}://localhost`);
  }
}

/**
 * PUBLIC_URL, or the origin this request reached (its scheme follows TRUSTED_PROXIES through
 * req.protocol), when its host answers for the site; else the same with the site's first exact
 * host name, since the link is refused on another site's host. A site of wildcards only keeps the base.
 */
export function publicBase(config: Pick<Config, 'publicUrl'>, req: express.Request, snapshots: SiteSnapshots, site: Snapshot): URL {
  const base = config.publicUrl ?? requestOrigin(req);
  if (routeHost(snapshots, hostName(base.host))?.site.id === site.site.id) return base;
  const host = site.site.hosts.find((name) => !name.startsWith('*.'));
  if (!host) return base;
  const url = new URL(base.href);
  url.hostname = host;
  return url;
}

interface Deps {
  pool: Pool;
  store: SnapshotStore;
  config: Pick<Config, 'publicUrl'>;
}

export function createBypassLinkOperations({ pool, store, config }: Deps): BypassLinkOperations {
  return {
    async create(actor, site, input, req) {
      const link = await writeAs(pool, actor.label, 'bypass_link.create', (client) => createBypassLink(client, site.site.id, input), 'creating a bypass link');
      // Other gateways follow the change notice within milliseconds; this one must know the link
      // before answering, or a pipeline that opens the URL at once could be told it is invalid.
      await store.reload();
      return { link, url: bypassUrl(publicBase(config, req, store.current(), site), link.token) };
    },

    async revoke(actor, siteId, id) {
      const link = await writeAs(pool, actor.label, 'bypass_link.revoke', (client) => revokeBypassLink(client, siteId, id), 'revoking the bypass link');
      await store.reload();
      return link;
    },
  };
}
