// Where a command does its work: the gateway's database (the default), or a remote gateway's API
// when given a URL and a token; and in which site (--site, else the one a single-site gateway has).
// Commands speak to one interface and print the same either way.

import type { Command } from 'commander';
import type { NewBypassLink } from '../maintenance/bypass-links.js';
import type { CurrentAndUpcoming, ScheduleInput, StartNowInput } from '../maintenance/windows.js';
import type { MaintenanceWindow } from '../snapshot/types.js';
import { ConfigError, ValidationError } from '../errors.js';
import { pathPrefix } from '../config/parse.js';
import { parseBaseUrl } from '../maintenance/input.js';
import { parseSlug } from '../sites/site-input.js';
import { createApiClient, type ApiClient } from './api-client.js';
import { withDatabaseTarget } from './database-target.js';
import { createRemoteTarget } from './remote-target.js';

export interface WindowDone {
  window: MaintenanceWindow;
  /** Things worth a look that did not stop the change (the API reports overlapping windows). */
  warnings: string[];
}

export interface CreatedLink {
  id: string;
  expiresAt: number;
  url: string;
}

export interface Target {
  startMaintenance(input: StartNowInput): Promise<WindowDone>;
  /** Ends every window in force; also says what is still to come. */
  endMaintenance(): Promise<{ ended: MaintenanceWindow[]; upcoming: MaintenanceWindow[] }>;
  scheduleMaintenance(input: ScheduleInput): Promise<WindowDone>;
  status(): Promise<CurrentAndUpcoming>;
  /** baseUrl: where the link should point (--base-url), else the target's own idea of the public address. */
  createBypassLink(input: Required<NewBypassLink>, baseUrl: URL | undefined): Promise<CreatedLink>;
}

export interface RemoteOptions {
  url?: string;
  token?: string;
  adminPath?: string;
}

/** The options of a command that acts in one site. */
export interface SiteOptions extends RemoteOptions {
  /** The site's slug; without it, the default site (or the only one). */
  site?: string;
}

const DEFAULT_ADMIN_PATH = '/admin';

export function addRemoteOptions(command: Command): Command {
  return command
    .option('--url <url>', "work through this gateway's API instead of the database, e.g. https://shop.example.com (env INTERMISSION_URL)")
    .option('--token <token>', 'the API token for --url; prefer INTERMISSION_TOKEN, since a flag shows in the process list')
    .option('--admin-path <path>', `the gateway's ADMIN_PATH (env INTERMISSION_ADMIN_PATH, default ${DEFAULT_ADMIN_PATH})`);
}

/** --site, and the remote options: for every command that acts in one site. */
export function addSiteOptions(command: Command): Command {
  command.option('--site <slug>', 'with several sites behind the gateway: the one to act in (default: the default site)');
  return addRemoteOptions(command);
}

export const SITES_HELP = `
Several sites: a gateway in front of several applications acts in its default site unless told
another with --site <slug> (\`intermission sites list\` shows them); with no default site, --site
is required. Remote, --site goes to <url><admin path>/api/v1/sites/<slug>.`;

export const REMOTE_HELP = `
Remote: with --url (or INTERMISSION_URL) and a token (INTERMISSION_TOKEN, or --token), the
command goes through the gateway's API at <url><admin path>/api/v1 instead of the database; the
token needs the operator role to change anything. --url is the gateway's public address, the
same as its PUBLIC_URL; the admin path is a separate option (--admin-path, default /admin).`;

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

/** The remote gateway to use, or undefined for the database. */
export function remoteOf(options: RemoteOptions, env: NodeJS.ProcessEnv = process.env): { baseUrl: URL; adminPath: string; token: string } | undefined {
  const raw = options.url ?? (env.INTERMISSION_URL?.trim() || undefined);
  const token = options.token ?? (env.INTERMISSION_TOKEN?.trim() || undefined);
  if (raw === undefined) {
    if (token !== undefined) {
      throw new ValidationError('a token was given but no gateway: add --url (or INTERMISSION_URL), or unset the token to work on the database', '--url');
    }
    return undefined;
  }
  const baseUrl = parseBaseUrl(raw, '--url');
  if (baseUrl.username || baseUrl.password) {
    throw new ValidationError('--url must not hold a user name or password: the API token goes in --token or INTERMISSION_TOKEN', '--url');
  }
  if (token === undefined) throw new ValidationError('--url needs an API token: set INTERMISSION_TOKEN (or give --token)', '--token');
  let adminPath: string;
  try {
    adminPath = pathPrefix({ '--admin-path': options.adminPath ?? env.INTERMISSION_ADMIN_PATH }, '--admin-path', DEFAULT_ADMIN_PATH);
  } catch (err) {
    throw err instanceof ConfigError ? new ValidationError(err.message, '--admin-path') : err;
  }
  return { baseUrl, adminPath, token };
}

/** The client of the remote gateway options (or the environment) name, or undefined for the database. */
export function remoteClient(options: RemoteOptions): ApiClient | undefined {
  const remote = remoteOf(options);
  if (!remote) return undefined;
  const { baseUrl } = remote;
  if (baseUrl.protocol === 'http:' && !isLoopback(baseUrl.hostname)) {
    process.stderr.write(`intermission: warning: the API token goes to ${baseUrl.host} over plain HTTP; use https:// if you can\n`);
  }
  return createApiClient(remote);
}

/** Runs fn in the site --site names (else the primary one), on the remote gateway when options (or the environment) name one, else on the database. */
export async function withTarget<T>(options: SiteOptions, fn: (target: Target) => Promise<T>): Promise<T> {
  const site = options.site === undefined ? undefined : parseSlug(options.site, '--site');
  const api = remoteClient(options);
  if (!api) return withDatabaseTarget(site, fn);
  return fn(createRemoteTarget(api, site));
}
