// The CLI as an SRE runs it: a real process, judged by its exit code and what it prints.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `intermission <args>` with PATH and `env` only (an undefined value leaves the variable out). */
export function runCli(args: string[], env: Record<string, string | undefined>): Promise<CliResult> {
  return new Promise((resolve) => {
    const clean = Object.fromEntries(Object.entries({ PATH: process.env.PATH, ...env }).filter(([, value]) => value !== undefined));
    execFile(process.execPath, [CLI, ...args], { env: clean as NodeJS.ProcessEnv, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
  });
}

/** Bad input: exit code 2, nothing on stdout, and one line on stderr that matches `pattern`. */
export function assertOneLineError(result: CliResult, pattern: RegExp): void {
  assert.equal(result.code, 2, result.stderr);
  assert.equal(result.stdout, '');
  assert.match(result.stderr, /^intermission: [^\n]+\n$/);
  assert.match(result.stderr, pattern);
}
