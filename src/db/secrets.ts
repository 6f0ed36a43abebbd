// Secrets every gateway shares through the database, created once by whichever process comes first.

import { randomBytes } from 'node:crypto';
import type { Queryable } from '../audit/write-as.js';

export async function ensureSecret(db: Queryable, name: string): Promise<string> {
  await db.query('INSERT INTO gateway_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [
    name,
    randomBytes(32).toString('base64url'),
  ]);
  const { rows } = await db.query<{ value: string }>('SELECT value FROM gateway_secrets WHERE name = $1', [name]);
  return rows[0]!.value;
}
