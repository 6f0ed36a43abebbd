// Start-up work done once per deployment step, before any gateway serves: migrations and shared secrets.

import type { Logger } from '../log.js';
import { migrate } from './migrate.js';
import { createPool } from './pool.js';
import { ensureSecret } from './secrets.js';

export const BYPASS_SECRET = 'bypass';

export async function prepareDatabase(url: string, log: Logger): Promise<void> {
  const pool = createPool({ url, log, max: 2, applicationName: 'intermission-migrate' });
  try {
    await migrate(pool, log.child({ module: 'migrate' }));
    await ensureSecret(pool, BYPASS_SECRET);
  } finally {
    await pool.end();
  }
}
