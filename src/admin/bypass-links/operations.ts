// What the pages and the API do to bypass links: create one (the secret URL comes back once) and
// revoke one, each in one audited transaction. The URL points at PUBLIC_URL, or else at the
// address the request came to.

import type express from 'express';
import type { Actor } from '../../accounts/roles.js';
import { writeAs } from '../../audit/write-as.js';
import type { Config } from '../../config/config.js';
import type { Pool } from '../../db/pool.js';
import type { SnapshotStore } from '../../snapshot/store.js';
import { bypassUrl, createBypassLink, revokeBypassLink, type BypassLink, type BypassLinkRecord, type NewBypassLink } from '../../maintenance/bypass-links.js';

export interface CreatedLink {
  link: BypassLink;
  /** The secret URL to hand over. */
  url: string;
}

export interface BypassLinkOperations {
  create(actor: Actor, input: NewBypassLink, req: express.Request): Promise<CreatedLink>;
  revoke(actor: Actor, id: string): Promise<BypassLinkRecord>;
}

/** PUBLIC_URL, or the origin this request reached (its scheme follows TRUSTED_PROXIES through req.protocol). */
export function publicBase(config: Pick<Config, 'publicUrl'>, req: express.Request): URL {
  if (config.publicUrl) return config.publicUrl;
  try {
    return new URL(`${req.protocol}://${req.get('host') ?? 'localhost'}`);
  } catch {
    return new URL(`${req.protocol}://localhost`);
  }
}

interface Deps {
  pool: Pool;
  store: SnapshotStore;
  config: Pick<Config, 'publicUrl'>;
}

export function createBypassLinkOperations({ pool, store, config }: Deps): BypassLinkOperations {
  return {
    async create(actor, input, req) {
      const link = await writeAs(pool, actor.label, 'bypass_link.create', (client) => createBypassLink(client, input), 'creating a bypass link');
      // Other gateways follow the change notice within milliseconds; this one must know the link
      // before answering, or a pipeline that opens the URL at once could be told it is invalid.
      await store.reload();
      return { link, url: bypassUrl(publicBase(config, req), link.token) };
    },

    async revoke(actor, id) {
      const link = await writeAs(pool, actor.label, 'bypass_link.revoke', (client) => revokeBypassLink(client, id), 'revoking the bypass link');
      await store.reload();
      return link;
    },
  };
}
