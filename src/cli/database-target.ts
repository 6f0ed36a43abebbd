// The commands' work done straight on the gateway's database, each write one audited transaction
// in the name of the shell user ("cli:alice"), as the gateway's own pages would record it.

import { writeAs } from '../audit/write-as.js';
import type { Config } from '../config/config.js';
import { bypassUrl, createBypassLink } from '../maintenance/bypass-links.js';
import { endNow, listCurrentAndUpcoming, schedule, startNow } from '../maintenance/windows.js';
import type { Pool } from '../db/pool.js';
import { loadCli, withDatabase, type Cli } from './context.js';
import type { Target } from './target.js';

/** Where links point when no --base-url is given: PUBLIC_URL, else this machine's gateway. */
function defaultBase(config: Readonly<Config>): URL {
  return config.publicUrl ?? new URL(`http://localhost:${config.port || 8080}`);
}

export function createDatabaseTarget(cli: Cli, pool: Pool): Target {
  return {
    async startMaintenance(input) {
      const window = await writeAs(pool, cli.actor, 'window.start', (client) => startNow(client, input));
      return { window, warnings: [] };
    },

    async endMaintenance() {
      const ended = await writeAs(pool, cli.actor, 'window.end', (client) => endNow(client));
      return { ended, upcoming: (await listCurrentAndUpcoming(pool)).upcoming };
    },

    async scheduleMaintenance(input) {
      const window = await writeAs(pool, cli.actor, 'window.schedule', (client) => schedule(client, input));
      return { window, warnings: [] };
    },

    status() {
      return listCurrentAndUpcoming(pool);
    },

    async createBypassLink(input, baseUrl) {
      const link = await writeAs(pool, cli.actor, 'bypass_link.create', (client) => createBypassLink(client, input));
      return { id: link.id, expiresAt: link.expiresAt, url: bypassUrl(baseUrl ?? defaultBase(cli.config), link.token) };
    },
  };
}

/** Opens the database (DATABASE_URL, or the embedded one), runs fn, and closes it again. */
export async function withDatabaseTarget<T>(fn: (target: Target) => Promise<T>): Promise<T> {
  const cli = loadCli();
  return withDatabase(cli, ({ pool }) => fn(createDatabaseTarget(cli, pool)));
}
