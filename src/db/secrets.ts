// Secrets every gateway shares through the database, created once by whichever process comes first.

import { randomBytes } from 'node:crypto';
import type { Pool } from './pool.js';

export async function ensureSecret(pool: Pool, name: string): Promise<string> {
  await pool.query('INSERT INTO gateway_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [
    name,
    randomBytes(32).toString('base64url'),
  ]);
  const { rows } = await pool.query<{ value: string }>('SELECT value FROM gateway_secrets WHERE name = $1', [name]);
  return rows[0]!.value;
}
