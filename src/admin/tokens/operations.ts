// What admins do to API tokens, from the pages and the API: create one (its secret exists only in
// the result) and revoke one. Each is one audited transaction (writeAs); the hash stays out of the log.

import { createApiToken, revokeApiToken, type ApiToken } from '../../accounts/api-tokens.js';
import type { Actor, Role } from '../../accounts/roles.js';
import { writeAs } from '../../audit/write-as.js';
import type { Pool } from '../../db/pool.js';

export interface TokenOperations {
  create(actor: Actor, input: { name: string; role: Role; expires_in: number | null }): Promise<{ token: ApiToken; secret: string }>;
  /** Revoking a revoked token changes nothing and is not an error: a pipeline may retry. */
  revoke(actor: Actor, id: string): Promise<ApiToken>;
}

export function createTokenOperations({ pool }: { pool: Pool }): TokenOperations {
  return {
    async create(actor, input) {
      return writeAs(pool, actor.label, 'token.create', (client) => createApiToken(client, { name: input.name, role: input.role, expiresInMs: input.expires_in }), 'creating the API token');
    },

    async revoke(actor, id) {
      return writeAs(pool, actor.label, 'token.revoke', (client) => revokeApiToken(client, id), 'revoking the API token');
    },
  };
}
