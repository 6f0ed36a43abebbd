// `intermission status`, and how a window reads to a person in every command's output.

import type { Command } from 'commander';
import type { CurrentAndUpcoming } from '../maintenance/windows.js';
import { effectiveEnd, type MaintenanceWindow } from '../snapshot/types.js';
import { addSiteOptions, REMOTE_HELP, SITES_HELP, withTarget, type SiteOptions } from './target.js';

function plural(count: number, unit: string): string {
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
}

/** A rough span for people: "45 seconds", "30 minutes", "1 hour 30 minutes", "3 days 2 hours". */
export function humanizeDuration(ms: number): string {
  if (ms < 59_500) return plural(Math.max(1, Math.round(ms / 1000)), 'second');
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return plural(minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 ? `${plural(hours, 'hour')} ${plural(minutes % 60, 'minute')}` : plural(hours, 'hour');
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${plural(days, 'day')} ${plural(hours % 24, 'hour')}` : plural(days, 'day');
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** What a window covers and how: "all paths; block", "paths /api; hosts a.example.com; read-only; redirect". */
export function describeEffect(window: MaintenanceWindow): string {
  const parts = [window.pathPrefixes.length ? `paths ${window.pathPrefixes.join(', ')}` : 'all paths'];
  if (window.hosts.length) parts.push(`hosts ${window.hosts.join(', ')}`);
  parts.push(window.mode === 'read_only' ? 'read-only' : 'block');
  if (window.response === 'redirect') parts.push('redirect');
  return parts.join('; ');
}

/** One line per window, e.g. `#12 "Database upgrade": since …, until … (in 25 minutes); all paths; block`. */
export function describeWindow(window: MaintenanceWindow, now: number): string {
  const end = effectiveEnd(window);
  // In force past its end: it verifies the application, and holds until a health check passes.
  const until =
    end === null ? 'no end'
    : end <= now ? `ended ${iso(end)}, held until the application passes a health check`
    : `until ${iso(end)} (in ${humanizeDuration(end - now)})`;
  const when =
    window.startsAt <= now
      ? `since ${iso(window.startsAt)}, ${until}`
      : `from ${iso(window.startsAt)} (in ${humanizeDuration(window.startsAt - now)}), ${end === null ? 'no end' : `until ${iso(end)}`}`;
  return `#${window.id} ${JSON.stringify(window.title)}: ${when}; ${describeEffect(window)}`;
}

function windowJson(window: MaintenanceWindow) {
  const end = effectiveEnd(window);
  return {
    id: Number(window.id),
    title: window.title,
    message: window.message,
    startsAt: iso(window.startsAt),
    endsAt: end === null ? null : iso(end),
    mode: window.mode,
    response: window.response,
    pathPrefixes: window.pathPrefixes,
    hosts: window.hosts,
    lifecycle: window.lifecycle,
  };
}

export function formatStatus(state: CurrentAndUpcoming): string {
  const lines: string[] = [];
  if (state.inForce.length === 0) lines.push('Maintenance is OFF: no window in force.');
  else {
    lines.push(`Maintenance is ON: ${plural(state.inForce.length, 'window')} in force`);
    for (const window of state.inForce) lines.push(`  ${describeWindow(window, state.now)}`);
  }
  if (state.upcoming.length === 0) lines.push('Nothing scheduled.');
  else {
    lines.push('Coming up:');
    for (const window of state.upcoming) lines.push(`  ${describeWindow(window, state.now)}`);
  }
  return `${lines.join('\n')}\n`;
}

export function formatStatusJson(state: CurrentAndUpcoming): string {
  const body = {
    now: iso(state.now),
    maintenance: state.inForce.length > 0,
    inForce: state.inForce.map(windowJson),
    upcoming: state.upcoming.map(windowJson),
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}

export function addStatusCommand(program: Command): void {
  const status = program
    .command('status')
    .description('show the maintenance in force now and the windows coming up')
    .option('--json', 'print JSON for scripts instead of text');
  addSiteOptions(status)
    .addHelpText(
      'after',
      `${REMOTE_HELP} A viewer token is enough here.
${SITES_HELP}

Examples:
  $ intermission status
  $ intermission status --json | jq '.maintenance'
  $ INTERMISSION_URL=https://shop.example.com INTERMISSION_TOKEN=imt_... intermission status`,
    )
    .action(async function showStatus(options: SiteOptions & { json?: boolean }) {
      const state = await withTarget(options, (target) => target.status());
      process.stdout.write(options.json ? formatStatusJson(state) : formatStatus(state));
    });
}
