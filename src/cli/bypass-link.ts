// `intermission bypass-link`: a secret, expiring link that lets its holder past maintenance,
// e.g. to check a deploy before customers see it. The URL alone goes to stdout, for scripts.

import type { Command } from 'commander';
import { MAX_BYPASS_LINK_MS, MAX_NOTE_LENGTH, parseBaseUrl, parseDuration, parseLine, parsePathList } from '../maintenance/input.js';
import { humanizeDuration, iso } from './status.js';
import { addSiteOptions, REMOTE_HELP, SITES_HELP, withTarget, type SiteOptions } from './target.js';

const DEFAULT_DURATION = '1h';

export function addBypassLinkCommand(program: Command): void {
  const command = program
    .command('bypass-link')
    .description('create a secret link that lets whoever opens it past maintenance until it expires')
    .option('--for <duration>', `how long the link works, at most 30d (default: ${DEFAULT_DURATION})`)
    .option('--note <text>', 'what the link is for, kept with it (at most 200 characters)')
    .option('--paths <prefixes>', 'only let the holder past on these path prefixes, comma-separated, e.g. /checkout,/api/cart (default: every path)')
    .option('--base-url <url>', "the gateway's public address (default: PUBLIC_URL, else http://localhost:PORT; remote: the gateway's answer)");
  addSiteOptions(command)
    .addHelpText(
      'after',
      `
The URL is printed alone on stdout; what it is goes to stderr. Anyone with the URL gets through,
so share it like a password.
${REMOTE_HELP}
${SITES_HELP}

Examples:
  $ intermission bypass-link
  $ intermission bypass-link --for 2h --note "QA checks the release" --base-url https://shop.example.com
  $ intermission bypass-link --for 1d --paths /checkout,/api/cart --note "payments team"
  $ URL=$(intermission bypass-link --for 15m)
  $ URL=$(INTERMISSION_URL=https://shop.example.com INTERMISSION_TOKEN=imt_... intermission bypass-link --for 15m)`,
    )
    .action(async function bypassLink(options: SiteOptions & { for?: string; note?: string; paths?: string; baseUrl?: string }) {
      const durationMs = parseDuration(options.for ?? DEFAULT_DURATION, '--for', MAX_BYPASS_LINK_MS);
      const note = parseLine(options.note ?? '', '--note', MAX_NOTE_LENGTH);
      const pathPrefixes = options.paths === undefined ? [] : parsePathList(options.paths, '--paths');
      const base = options.baseUrl === undefined ? undefined : parseBaseUrl(options.baseUrl, '--base-url');
      const link = await withTarget(options, (target) => target.createBypassLink({ durationMs, note, pathPrefixes }, base));
      const scope = pathPrefixes.length > 0 ? ` for ${pathPrefixes.join(', ')}` : '';
      process.stderr.write(`Bypass link ${link.id}${scope}, expires ${iso(link.expiresAt)} (in ${humanizeDuration(durationMs)}):\n`);
      process.stdout.write(`${link.url}\n`);
    });
}
