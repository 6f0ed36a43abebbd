// `intermission bypass-link`: a secret, expiring link that lets its holder past maintenance,
// e.g. to check a deploy before customers see it. The URL alone goes to stdout, for scripts.

import type { Command } from 'commander';
import { writeAs } from '../audit/write-as.js';
import { createBypassLink } from '../maintenance/bypass-links.js';
import { MAX_BYPASS_LINK_MS, MAX_NOTE_LENGTH, parseBaseUrl, parseDuration, parseMessage } from '../maintenance/input.js';
import type { Config } from '../config/config.js';
import { loadCli, withDatabase } from './context.js';
import { humanizeDuration, iso } from './status.js';

const DEFAULT_DURATION = '1h';

function baseUrlOf(option: string | undefined, config: Readonly<Config>): URL {
  if (option !== undefined) return parseBaseUrl(option, '--base-url');
  return config.publicUrl ?? new URL(`http://localhost:${config.port || 8080}`);
}

/** <base>/_gateway/bypass?token=…, keeping a path prefix the gateway may be published under. */
export function bypassUrl(base: URL, token: string): string {
  const url = new URL(base.href);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/_gateway/bypass`;
  url.search = '';
  url.hash = '';
  url.searchParams.set('token', token);
  return url.href;
}

export function addBypassLinkCommand(program: Command): void {
  program
    .command('bypass-link')
    .description('create a secret link that lets whoever opens it past maintenance until it expires')
    .option('--for <duration>', `how long the link works, at most 30d (default: ${DEFAULT_DURATION})`)
    .option('--note <text>', 'what the link is for, kept with it (at most 200 characters)')
    .option('--base-url <url>', "the gateway's public address (default: PUBLIC_URL, else http://localhost:PORT)")
    .addHelpText(
      'after',
      `
The URL is printed alone on stdout; what it is goes to stderr. Anyone with the URL gets through,
so share it like a password.

Examples:
  $ intermission bypass-link
  $ intermission bypass-link --for 2h --note "QA checks the release" --base-url https://shop.example.com
  $ URL=$(intermission bypass-link --for 15m)`,
    )
    .action(async function bypassLink(options: { for?: string; note?: string; baseUrl?: string }) {
      const cli = loadCli();
      const durationMs = parseDuration(options.for ?? DEFAULT_DURATION, '--for', MAX_BYPASS_LINK_MS);
      const note = parseMessage(options.note ?? '', '--note', MAX_NOTE_LENGTH);
      const base = baseUrlOf(options.baseUrl, cli.config);
      const link = await withDatabase(cli, ({ pool }) => writeAs(pool, cli.actor, 'bypass_link.create', (client) => createBypassLink(client, { durationMs, note })));
      process.stderr.write(`Bypass link ${link.id}, expires ${iso(link.expiresAt)} (in ${humanizeDuration(durationMs)}):\n`);
      process.stdout.write(`${bypassUrl(base, link.token)}\n`);
    });
}
