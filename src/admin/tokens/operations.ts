// What admins do to API tokens, from the pages and the API: create one for their site, or (a
// global admin) one for every site, whose secret exists only in the result; and revoke one of
// their site's. Each is one audited transaction (writeAs); the hash stays out of the log.

import { createApiToken, revokeApiToken, type ApiToken, type TokenScope } from '../../accounts/api-tokens.js';
import type { Actor, Role } from '../../accounts/roles.js';
import { writeAs } from '../../audit/write-as.js';
import type { Pool } from '../../db/pool.js';
import { ForbiddenError } from '../../errors.js';

export interface TokenInput {
  name: string;
  role: Role;
  expires_in: number | null;
  global?: boolean;
}

export interface TokenOperations {
  create(actor: Actor, siteId: string, input: TokenInput): Promise<{ token: ApiToken; secret: string }>;
  /** Revoking a revoked token changes nothing and is not an error: a pipeline may retry. */
  revoke(actor: Actor, siteId: string, id: string): Promise<ApiToken>;
}

/** The tokens an actor reaches from a site: that site's, and a global admin's also the global ones. */
export function tokenScope(actor: Actor, siteId: string): TokenScope {
  return { siteId, global: actor.globalAdmin };
}

export function createTokenOperations({ pool }: { pool: Pool }): TokenOperations {
  return {
    async create(actor, siteId, input) {
      if (input.global && !actor.globalAdmin) throw new ForbiddenError('only a global admin can make a token for every site: leave global off to make one for this site');
      const fields = { name: input.name, role: input.global ? 'admin' as const : input.role, expiresInMs: input.expires_in, siteId: input.global ? null : siteId };
      return writeAs(pool, actor.label, 'token.create', (client) => createApiToken(client, fields), 'creating the API token');
    },

    async revoke(actor, siteId, id) {
      return writeAs(pool, actor.label, 'token.revoke', (client) => revokeApiToken(client, tokenScope(actor, siteId), id), 'revoking the API token');
    },
  };
}
