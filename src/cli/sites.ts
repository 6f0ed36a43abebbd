// `intermission sites add|list|set|remove`: the applications one gateway stands in front of, each
// reached by its own host names and forwarded to its own upstream. Every flag is checked before the
// database or the API is touched, so bad input changes nothing.

import type { Command } from 'commander';
import { ValidationError } from '../errors.js';
import { parseSiteHosts, parseSlug, parseUpstream } from '../sites/site-input.js';
import type { SiteChanges } from '../sites/sites.js';
import { loadCli, withDatabase } from './context.js';
import { createDatabaseSitesTarget, createRemoteSitesTarget, type CliSite, type RemovedWith, type SitesTarget } from './sites-target.js';
import { addRemoteOptions, remoteClient, type RemoteOptions } from './target.js';

const SITES_REMOTE_HELP = `
Remote: with --url (or INTERMISSION_URL) and a global admin's API token (INTERMISSION_TOKEN, or
--token), the command goes through the gateway's API at <url><admin path>/api/v1/sites.`;

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

async function withSites<T>(options: RemoteOptions, fn: (target: SitesTarget) => Promise<T>): Promise<T> {
  const api = remoteClient(options);
  if (api) return fn(createRemoteSitesTarget(api));
  const cli = loadCli();
  return withDatabase(cli, ({ pool }) => fn(createDatabaseSitesTarget(cli, pool)));
}

function upstreamText(site: CliSite): string {
  return site.upstream ?? 'UPSTREAM_URL';
}

/** One line: `blog: hosts blog.example.com, *.blog.example.com; upstream http://10.0.0.5:8080; default`. */
export function describeSite(site: CliSite): string {
  const hosts = site.hosts.length > 0 ? `hosts ${site.hosts.join(', ')}` : 'no hosts';
  return `${site.slug}: ${hosts}; upstream ${upstreamText(site)}${site.isDefault ? '; default (answers every host no site names)' : ''}`;
}

export function formatSites(sites: readonly CliSite[]): string {
  const rows = [['SLUG', 'DEFAULT', 'UPSTREAM', 'HOSTS'], ...sites.map((site) => [site.slug, site.isDefault ? 'yes' : '', upstreamText(site), site.hosts.join(', ')])];
  const widths = [0, 1, 2].map((column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => (column < 3 ? cell.padEnd(widths[column]!) : cell)).join('  ').trimEnd()).join('\n') + '\n';
}

function siteJson(site: CliSite) {
  return { slug: site.slug, hosts: site.hosts, upstream: site.upstream, default: site.isDefault };
}

/** "3 windows, 1 component and 2 members", or null when nothing went with it. */
export function removedText(removed: Exclude<RemovedWith, null>): string | null {
  const parts = Object.entries(removed)
    .filter(([, count]) => count > 0)
    .map(([label, count]) => `${count} ${label}${count === 1 || label.endsWith('series') ? '' : 's'}`);
  if (parts.length === 0) return null;
  return parts.length === 1 ? parts[0]! : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}

function addAdd(sites: Command): void {
  const command = sites
    .command('add')
    .description('add a site: the host names that reach it and the application they go to')
    .argument('<slug>', 'its short name in URLs (STATUS_PATH/<slug>, --site <slug>): lower-case letters, digits and dashes')
    .option('--host <name>', 'a host name that reaches it, e.g. shop.example.com or *.example.com; repeat for more', collect, [])
    .option('--upstream <url>', "where its requests go, e.g. http://shop:8080 (default: the gateway's UPSTREAM_URL)")
    .option('--default', 'also answer every host no other site names (takes over from the current default site)');
  addRemoteOptions(command)
    .addHelpText('after', `${SITES_REMOTE_HELP}

Examples:
  $ intermission sites add shop --host shop.example.com --host www.shop.example.com --upstream http://shop:8080
  $ intermission sites add tenants --host '*.tenants.example.com' --upstream http://tenants:3000 --default`)
    .action(async function addSiteCommand(slugArg: string, options: RemoteOptions & { host: string[]; upstream?: string; default?: boolean }) {
      const slug = parseSlug(slugArg, 'slug');
      const hosts = parseSiteHosts(options.host, '--host');
      if (hosts.length === 0 && !options.default) {
        throw new ValidationError('a site needs at least one --host to be reached by (or --default, to answer every host no site names)', '--host');
      }
      const upstreamUrl = options.upstream === undefined ? null : parseUpstream(options.upstream, '--upstream');
      const site = await withSites(options, (target) => target.add({ slug, hosts, upstreamUrl, isDefault: options.default ?? false }));
      process.stdout.write(`Added site ${describeSite(site)}\n`);
    });
}

function addList(sites: Command): void {
  const command = sites.command('list').description('list the sites, their host names and upstreams').option('--json', 'print JSON for scripts instead of text');
  addRemoteOptions(command)
    .addHelpText('after', `${SITES_REMOTE_HELP}

Examples:
  $ intermission sites list
  $ intermission sites list --json | jq -r '.[].slug'`)
    .action(async function listSitesCommand(options: RemoteOptions & { json?: boolean }) {
      const list = await withSites(options, (target) => target.list());
      process.stdout.write(options.json ? `${JSON.stringify(list.map(siteJson), null, 2)}\n` : formatSites(list));
    });
}

function addSet(sites: Command): void {
  const command = sites
    .command('set')
    .description("change a site's host names, upstream, or whether it is the default")
    .argument('<slug>', 'the site to change')
    .option('--host <name>', 'its host names from now on (replacing the ones it has); repeat for more', collect, [])
    .option('--upstream <url>', "where its requests go from now on; 'default' for the gateway's UPSTREAM_URL")
    .option('--default', 'make it the default site, which answers every host no site names')
    .option('--no-default', 'stop it being the default site: unnamed hosts then get a 404 page');
  addRemoteOptions(command)
    .addHelpText('after', `${SITES_REMOTE_HELP}

Examples:
  $ intermission sites set shop --host shop.example.com --host shop.example.org
  $ intermission sites set shop --upstream http://shop-v2:8080
  $ intermission sites set shop --default`)
    .action(async function setSiteCommand(slugArg: string, options: RemoteOptions & { host: string[]; upstream?: string; default?: boolean }) {
      const slug = parseSlug(slugArg, 'slug');
      const changes: SiteChanges = {};
      if (options.host.length > 0) changes.hosts = parseSiteHosts(options.host, '--host');
      if (options.upstream !== undefined) changes.upstreamUrl = options.upstream === 'default' ? null : parseUpstream(options.upstream, '--upstream');
      if (options.default !== undefined) changes.isDefault = options.default;
      if (Object.keys(changes).length === 0) throw new ValidationError('nothing to change: give --host, --upstream, --default or --no-default', '--host');
      const site = await withSites(options, (target) => target.update(slug, changes));
      process.stdout.write(`Changed site ${describeSite(site)}\n`);
    });
}

function addRemove(sites: Command): void {
  const command = sites
    .command('remove')
    .description('remove a site and everything it holds (windows, components, incidents, webhooks, its team and tokens)')
    .argument('<slug>', 'the site to remove');
  addRemoteOptions(command)
    .addHelpText('after', `
It asks nothing: what went with the site is printed, and the audit log keeps what it was.
The last site cannot be removed: a gateway needs one.
${SITES_REMOTE_HELP}

Examples:
  $ intermission sites remove old-shop`)
    .action(async function removeSiteCommand(slugArg: string, options: RemoteOptions) {
      const slug = parseSlug(slugArg, 'slug');
      const { site, removed } = await withSites(options, (target) => target.remove(slug));
      const held = removed === null ? 'everything it held' : removedText(removed);
      process.stdout.write(`Removed site ${describeSite(site)}\n`);
      process.stdout.write(held === null ? 'It held nothing else.\n' : `Removed with it: ${held}.\n`);
    });
}

export function addSitesCommand(program: Command): void {
  const sites = program
    .command('sites')
    .description('manage the sites behind this gateway: each its own host names and upstream (for several applications)')
    .addHelpText('after', `
One application needs no sites: UPSTREAM_URL alone is the one site. Add sites to put several
applications (or tenants) behind one gateway; each then has its own status page, windows and team.

Examples:
  $ intermission sites add shop --host shop.example.com --upstream http://shop:8080
  $ intermission sites list
  $ intermission sites remove shop`);
  addAdd(sites);
  addList(sites);
  addSet(sites);
  addRemove(sites);
}
