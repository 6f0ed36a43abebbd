// Every write made on someone's behalf runs here: one transaction that names the actor and the
// action, which the audit trigger (migrations/002_admin.sql) and created_by defaults read.

import type pg from 'pg';
import { transaction, type Pool } from '../db/pool.js';
import { fromDatabaseError } from '../errors.js';

/** What runs queries: the pool, or the client of a transaction in progress. */
export type Queryable = Pick<pg.ClientBase, 'query'>;

/**
 * Runs fn in a transaction as `actor` doing `action` (e.g. "user:alice@example.com", "window.extend").
 * A database error becomes a GatewayError that says what failed ("starting maintenance ...").
 */
export async function writeAs<T>(pool: Pool, actor: string, action: string, fn: (client: pg.PoolClient) => Promise<T>, what = action): Promise<T> {
  try {
    return await transaction(pool, async function asActor(client) {
      await client.query("SELECT set_config('intermission.actor', $1, true), set_config('intermission.action', $2, true)", [actor, action]);
      return fn(client);
    });
  } catch (err) {
    throw fromDatabaseError(err, what);
  }
}

/**
 * Renames the action mid-transaction, for one that holds two (ending a window while posting an
 * update): the audit trigger reads the action per row, so each row is recorded as what it was.
 */
export async function setAction(client: Queryable, action: string): Promise<void> {
  await client.query("SELECT set_config('intermission.action', $1, true)", [action]);
}
