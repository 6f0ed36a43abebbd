// Start-up work done once per deployment step, before any gateway serves: migrations and shared secrets.

import type { Logger } from '../log.js';
import { migrate } from './migrate.js';
import { createPool } from './pool.js';
import { ensureSecret } from './secrets.js';

export const BYPASS_SECRET = 'bypass';

/** Applies pending migrations and creates missing secrets; returns the migrations it applied. */
export async function prepareDatabase(url: string, log: Logger): Promise<string[]> {
  const pool = createPool({ url, log, max: 2, applicationName: 'intermission-migrate' });
  try {
    const applied = await migrate(pool, log.child({ module: 'migrate' }));
    await ensureSecret(pool, BYPASS_SECRET);
    return applied;
  } finally {
    await pool.end();
  }
}
