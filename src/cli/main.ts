#!/usr/bin/env node
// The `intermission` command: maintenance on/off/schedule, status, migrate and bypass links from a
// shell, on the same database as the gateway or through a remote gateway's API (--url/--token).
// Exit codes: 0 done, 2 bad input, 1 anything else.

import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { prepareDatabase } from '../db/prepare.js';
import { ConfigError, GatewayError, ValidationError } from '../errors.js';
import { addBypassLinkCommand } from './bypass-link.js';
import { loadCli, withDatabase } from './context.js';
import { addMaintenanceCommand } from './maintenance.js';
import { addSitesCommand } from './sites.js';
import { addStatusCommand } from './status.js';

const BAD_INPUT = 2;
const FAILED = 1;

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

function addMigrateCommand(program: Command): void {
  program
    .command('migrate')
    .description('apply the database migrations that are not applied yet (gateways also do this at start-up)')
    .addHelpText('after', '\nExamples:\n  $ intermission migrate\n  $ DATABASE_URL=postgres://intermission@db/intermission intermission migrate')
    .action(async function runMigrations() {
      const cli = loadCli();
      const applied = await withDatabase(cli, ({ url }) => prepareDatabase(url, cli.log), { prepare: false });
      if (applied.length === 0) process.stdout.write('The schema is up to date: no migrations to apply.\n');
      else process.stdout.write(`Applied ${applied.length} migration${applied.length === 1 ? '' : 's'}:\n${applied.map((name) => `  ${name}\n`).join('')}`);
    });
}

function buildProgram(): Command {
  const program = new Command('intermission');
  // Set before any subcommand exists: .command() copies these settings to each one.
  program
    .description('Turn maintenance on and off, schedule windows and hand out bypass links, on the database the Intermission gateway uses or through its API.')
    .version(version(), '-V, --version', 'print the version')
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(`intermission: ${text.replace(/^error: /, '')}`) })
    .showHelpAfterError('(add --help for usage)')
    .addHelpText(
      'after',
      `
The database is DATABASE_URL, or else the embedded one in DATA_DIR (default ./data): a running
gateway's server is used as is; otherwise it is started for the command and stopped after.
Also read: PUBLIC_URL and PORT (bypass links), LOG_LEVEL (default warn, logs go to stderr).

From a pipeline, without the database: give maintenance, status and bypass-link the gateway's
address and an API token (made by an admin at ADMIN_PATH/tokens), and they go through its API:
  INTERMISSION_URL         the gateway's public address, e.g. https://shop.example.com (or --url)
  INTERMISSION_TOKEN       the API token, never printed (or --token, which shows in the process list)
  INTERMISSION_ADMIN_PATH  the gateway's ADMIN_PATH, default /admin (or --admin-path)
The output and exit codes are the same either way: 2 for bad input (the message names the flag,
or the field the gateway refused), 1 for anything else (a refused token, an unreachable gateway).

Several applications behind one gateway: each is a site with its own host names and upstream,
managed with \`intermission sites\`. The other commands act in the default site unless given
--site <slug>:
  $ intermission sites add blog --host blog.example.com --upstream http://blog:8080
  $ intermission maintenance on --site blog --for 30m

Examples:
  $ intermission maintenance on --for 30m --title "Database upgrade"
  $ intermission maintenance off
  $ intermission maintenance schedule --at 2026-11-22T14:00:00Z --for 2h --title "Database upgrade"
  $ intermission status --json
  $ intermission bypass-link --for 1h --note "QA"
  $ intermission migrate
  $ INTERMISSION_URL=https://shop.example.com INTERMISSION_TOKEN=imt_... intermission maintenance on --for 20m`,
    );
  addMaintenanceCommand(program);
  addStatusCommand(program);
  addBypassLinkCommand(program);
  addMigrateCommand(program);
  addSitesCommand(program);
  return program;
}

/** Prints what went wrong in one line and returns the exit code. */
function report(err: unknown): number {
  // Commander has already printed its own message (or the help, or the version).
  if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : BAD_INPUT;
  if (err instanceof ValidationError || err instanceof ConfigError) {
    process.stderr.write(`intermission: ${err.message}\n`);
    return BAD_INPUT;
  }
  if (err instanceof GatewayError) {
    process.stderr.write(`intermission: ${err.message}\n`);
    return FAILED;
  }
  // Not one of ours: a bug, so the stack is worth showing.
  process.stderr.write(`intermission: unexpected error: ${(err as Error)?.stack ?? String(err)}\n`);
  return FAILED;
}

async function main(argv: string[]): Promise<void> {
  // `intermission status | head` closes the pipe early; that is not an error worth a stack trace.
  process.stdout.on('error', function onStdoutError(err: NodeJS.ErrnoException) {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  try {
    await buildProgram().parseAsync(argv);
  } catch (err) {
    process.exitCode = report(err);
  }
}

await main(process.argv);
