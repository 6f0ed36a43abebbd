// `intermission maintenance on|off|schedule`: what an SRE types to start, end and plan windows,
// on the database or through a remote gateway's API (target.ts). Every flag is checked before
// either is touched, so bad input writes nothing.

import type { Command } from 'commander';
import {
  MAX_WINDOW_MS,
  parseDuration,
  parseFutureTime,
  parseHostList,
  parseMessage,
  parsePathList,
  parseTitle,
} from '../maintenance/input.js';
import type { WindowDetails, WindowEnd } from '../maintenance/windows.js';
import { ValidationError } from '../errors.js';
import { describeEffect, describeWindow, humanizeDuration, iso } from './status.js';
import { addSiteOptions, REMOTE_HELP, SITES_HELP, withTarget, type SiteOptions } from './target.js';

interface DetailOptions {
  title?: string;
  message?: string;
  readOnly?: boolean;
  paths?: string;
  hosts?: string;
  redirect?: boolean;
}

const DEFAULT_TITLE = 'Maintenance';

function parseDetails(options: DetailOptions): WindowDetails {
  return {
    title: parseTitle(options.title ?? DEFAULT_TITLE, '--title'),
    message: parseMessage(options.message ?? '', '--message'),
    mode: options.readOnly ? 'read_only' : 'block',
    response: options.redirect ? 'redirect' : 'render',
    pathPrefixes: options.paths === undefined ? [] : parsePathList(options.paths, '--paths'),
    hosts: options.hosts === undefined ? [] : parseHostList(options.hosts, '--hosts'),
  };
}

function parseEnd(options: { for?: string; until?: string }): WindowEnd {
  if (options.for !== undefined && options.until !== undefined) {
    throw new ValidationError('--for and --until cannot be used together: give a duration or an end time, not both', '--for');
  }
  if (options.for !== undefined) return { afterMs: parseDuration(options.for, '--for') };
  if (options.until !== undefined) return { at: parseFutureTime(options.until, '--until', Date.now(), MAX_WINDOW_MS) };
  return null;
}

/** What the API noticed but did not refuse (e.g. overlapping windows): on stderr, so stdout reads the same either way. */
function warn(warnings: readonly string[]): void {
  for (const warning of warnings) process.stderr.write(`intermission: warning: ${warning}\n`);
}

function withDetailOptions(command: Command): Command {
  command
    .option('--message <text>', 'what customers read on the status page (at most 5000 characters)')
    .option('--read-only', 'let GET, HEAD and OPTIONS through and hold only writes')
    .option('--paths <list>', 'only these path prefixes, comma-separated, e.g. /api,/checkout (default: all paths)')
    .option('--hosts <list>', 'only these host names, comma-separated, e.g. shop.example.com (default: all hosts)')
    .option('--redirect', 'send browsers to the status page with a 307 instead of showing it at their URL');
  return addSiteOptions(command);
}

function addOn(maintenance: Command): void {
  const on = maintenance
    .command('on')
    .description('turn maintenance on now, until turned off or for a while')
    .option('--for <duration>', 'end after this long, e.g. 30m, 2h, 1h30m, 1d')
    .option('--until <time>', 'end at this ISO 8601 time with an offset, e.g. 2026-11-22T15:00:00Z')
    .option('--title <text>', `a short title, at most 200 characters (default: "${DEFAULT_TITLE}")`);
  withDetailOptions(on)
    .addHelpText(
      'after',
      `
Without --for or --until the window stays until \`intermission maintenance off\`.
${REMOTE_HELP}
${SITES_HELP}

Examples:
  $ intermission maintenance on
  $ intermission maintenance on --for 30m --title "Database upgrade" --message "Back by 15:00 UTC."
  $ intermission maintenance on --until 2026-11-22T15:00:00Z --read-only
  $ intermission maintenance on --paths /checkout,/api/orders --redirect
  $ INTERMISSION_URL=https://shop.example.com INTERMISSION_TOKEN=imt_... intermission maintenance on --for 20m`,
    )
    .action(async function turnOn(options: DetailOptions & SiteOptions & { for?: string; until?: string }) {
      const input = { ...parseDetails(options), end: parseEnd(options) };
      const { window, warnings } = await withTarget(options, (target) => target.startMaintenance(input));
      warn(warnings);
      const end = window.endsAt === null ? 'with no end' : `until ${iso(window.endsAt)} (in ${humanizeDuration(window.endsAt - window.startsAt)})`;
      process.stdout.write(`Maintenance is ON (window #${window.id}) ${end}; ${describeEffect(window)}\n`);
      if (window.endsAt === null) process.stdout.write('Turn it off with: intermission maintenance off\n');
    });
}

function addOff(maintenance: Command): void {
  const off = maintenance.command('off').description('end every maintenance window in force now, scoped ones included');
  addSiteOptions(off)
    .addHelpText(
      'after',
      `
Windows scheduled for later are left alone; see them with \`intermission status\`.
${REMOTE_HELP}
${SITES_HELP}

Examples:
  $ intermission maintenance off
  $ INTERMISSION_URL=https://shop.example.com INTERMISSION_TOKEN=imt_... intermission maintenance off`,
    )
    .action(async function turnOff(options: SiteOptions) {
      const { ended, upcoming } = await withTarget(options, (target) => target.endMaintenance());
      if (ended.length === 0) process.stdout.write('Maintenance is OFF: no maintenance was in force.\n');
      else {
        const ids = ended.map((window) => `#${window.id}`).join(', ');
        process.stdout.write(`Maintenance is OFF: ended ${ended.length} window${ended.length === 1 ? '' : 's'} (${ids}).\n`);
      }
      const next = upcoming[0];
      if (next) process.stdout.write(`Next scheduled: ${describeWindow(next, Date.now())}\n`);
    });
}

function addSchedule(maintenance: Command): void {
  const command = maintenance
    .command('schedule')
    .description('plan a maintenance window for later')
    .requiredOption('--at <time>', 'when it starts: an ISO 8601 time with Z or an offset, e.g. 2026-11-22T14:00:00Z')
    .requiredOption('--for <duration>', 'how long it lasts, e.g. 30m, 2h, 1h30m')
    .requiredOption('--title <text>', 'a short title, at most 200 characters');
  withDetailOptions(command)
    .addHelpText(
      'after',
      `
Times without Z or an offset are refused: "14:00" means different moments on different machines.
${REMOTE_HELP}
${SITES_HELP}

Examples:
  $ intermission maintenance schedule --at 2026-11-22T14:00:00Z --for 2h --title "Database upgrade"
  $ intermission maintenance schedule --at 2026-11-22T02:00:00+01:00 --for 30m --title "Payments" --paths /checkout --read-only
  $ intermission maintenance schedule --url https://shop.example.com --at 2026-11-22T14:00:00Z --for 2h --title "Database upgrade"`,
    )
    .action(async function scheduleWindow(options: DetailOptions & SiteOptions & { at: string; for: string }) {
      const input = {
        ...parseDetails(options),
        startsAt: parseFutureTime(options.at, '--at', Date.now()),
        durationMs: parseDuration(options.for, '--for'),
      };
      const { window, warnings } = await withTarget(options, (target) => target.scheduleMaintenance(input));
      warn(warnings);
      process.stdout.write(
        `Scheduled window #${window.id} ${JSON.stringify(window.title)}: from ${iso(window.startsAt)} ` +
          `(in ${humanizeDuration(window.startsAt - Date.now())}) until ${iso(window.endsAt!)} ` +
          `(${humanizeDuration(input.durationMs)}); ${describeEffect(window)}\n`,
      );
    });
}

export function addMaintenanceCommand(program: Command): void {
  const maintenance = program
    .command('maintenance')
    .description('turn maintenance on or off, or schedule it')
    .addHelpText(
      'after',
      `
Each subcommand works on the database, or with --url and a token through a gateway's API.

Examples:
  $ intermission maintenance on --for 30m --title "Database upgrade"
  $ intermission maintenance off
  $ intermission maintenance schedule --at 2026-11-22T14:00:00Z --for 2h --title "Database upgrade"
  $ INTERMISSION_URL=https://shop.example.com INTERMISSION_TOKEN=imt_... intermission maintenance on --for 20m`,
    );
  addOn(maintenance);
  addOff(maintenance);
  addSchedule(maintenance);
}
