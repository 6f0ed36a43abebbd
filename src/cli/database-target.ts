// The commands' work done straight on the gateway's database, in one site, each write one audited
// transaction in the name of the shell user ("cli:alice"), as the gateway's own pages would record it.

import { writeAs } from '../audit/write-as.js';
import type { Config } from '../config/config.js';
import { bypassUrl, createBypassLink } from '../maintenance/bypass-links.js';
import { endNow, listCurrentAndUpcoming, schedule, startNow } from '../maintenance/windows.js';
import type { Pool } from '../db/pool.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { getSite } from '../sites/sites.js';
import { loadCli, withDatabase, type Cli } from './context.js';
import type { Target } from './target.js';

/** Where links point when no --base-url is given: PUBLIC_URL, else this machine's gateway. */
function defaultBase(config: Readonly<Config>): URL {
  return config.publicUrl ?? new URL(`http://localhost:${config.port || 8080}`);
}

/**
 * The id of the site --site names, or without it of the one a single-site gateway means: the
 * default site, else the only one. Several and no default: the command must name one.
 */
export async function chooseSite(pool: Pool, slug: string | undefined): Promise<string> {
  if (slug !== undefined) {
    try {
      return (await getSite(pool, slug)).id;
    } catch (err) {
      if (err instanceof NotFoundError) throw new ValidationError(`--site ${slug}: there is no site ${slug} (see intermission sites list)`, '--site');
      throw err;
    }
  }
  const { rows } = await pool.query<{ id: string; slug: string; is_default: boolean }>('SELECT id::text, slug, is_default FROM sites ORDER BY is_default DESC, slug');
  if (rows[0]?.is_default || rows.length === 1) return rows[0]!.id;
  throw new ValidationError(
    `there are ${rows.length} sites and none is the default: name the one to act in with --site (one of ${rows.map((row) => row.slug).join(', ')})`,
    '--site',
  );
}

export function createDatabaseTarget(cli: Cli, pool: Pool, siteId: string): Target {
  return {
    async startMaintenance(input) {
      const window = await writeAs(pool, cli.actor, 'window.start', (client) => startNow(client, siteId, input));
      return { window, warnings: [] };
    },

    async endMaintenance() {
      const ended = await writeAs(pool, cli.actor, 'window.end', (client) => endNow(client, siteId));
      return { ended, upcoming: (await listCurrentAndUpcoming(pool, siteId)).upcoming };
    },

    async scheduleMaintenance(input) {
      const window = await writeAs(pool, cli.actor, 'window.schedule', (client) => schedule(client, siteId, input));
      return { window, warnings: [] };
    },

    status() {
      return listCurrentAndUpcoming(pool, siteId);
    },

    async createBypassLink(input, baseUrl) {
      const link = await writeAs(pool, cli.actor, 'bypass_link.create', (client) => createBypassLink(client, siteId, input));
      return { id: link.id, expiresAt: link.expiresAt, url: bypassUrl(baseUrl ?? defaultBase(cli.config), link.token) };
    },
  };
}

/** Opens the database (DATABASE_URL, or the embedded one), runs fn in the site chosen, and closes it again. */
export async function withDatabaseTarget<T>(site: string | undefined, fn: (target: Target) => Promise<T>): Promise<T> {
  const cli = loadCli();
  return withDatabase(cli, async ({ pool }) => fn(createDatabaseTarget(cli, pool, await chooseSite(pool, site))));
}
