// Load generation from a separate process: wrk when installed (C, so the client is not the
// bottleneck), else autocannon in a child process; both reduced to the same few figures.

import path from 'node:path';
import type { Children } from './children.js';
import { hasCommand, ROOT } from './targets.js';

export type LoadTool = 'wrk' | 'autocannon';

export interface LoadRun {
  /** Full URL, path included. */
  url: string;
  connections: number;
  durationS: number;
  accept?: string;
  /** autocannon only: requests per second across all connections (its --overallRate). */
  overallRate?: number;
  headers?: Record<string, string>;
}

export interface LoadResult {
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  /** Responses that were not 2xx/3xx: expected for the maintenance response, a fault otherwise. */
  non2xx: number;
  /** Connect, read, write errors and timeouts. */
  errors: number;
}

export function pickLoadTool(forceAutocannon: boolean): LoadTool {
  return !forceAutocannon && hasCommand('wrk') ? 'wrk' : 'autocannon';
}

// wrk's clients time out after 2 s by default and then leave the request out of the latencies.
const TIMEOUT_S = 10;

export async function runLoad(children: Children, tool: LoadTool, run: LoadRun): Promise<LoadResult> {
  const args = tool === 'wrk' ? wrkArgs(run) : autocannonArgs(run);
  const command = tool === 'wrk' ? 'wrk' : path.join(ROOT, 'node_modules', '.bin', 'autocannon');
  const child = children.start(tool, command, args, { keepOutput: true, graceMs: 2_000 });
  const code = await child.exited;
  if (code !== 0) throw new Error(`${tool} failed (${code}) on ${run.url}:\n${child.tail()}`);
  return tool === 'wrk' ? parseWrk(child.stdout()) : parseAutocannon(child.stdout());
}

function wrkArgs(run: LoadRun): string[] {
  // Two threads for two cores; more would only fight the servers under test for CPU.
  const threads = Math.min(2, run.connections);
  const args = [`-t${threads}`, `-c${run.connections}`, `-d${run.durationS}s`, `--timeout`, `${TIMEOUT_S}s`, '--latency'];
  if (run.accept) args.push('-H', `Accept: ${run.accept}`);
  for (const [name, value] of Object.entries(run.headers ?? {})) args.push('-H', `${name}: ${value}`);
  return [...args, run.url];
}

function autocannonArgs(run: LoadRun): string[] {
  const args = ['--json', '-c', String(run.connections), '-d', String(run.durationS), '-t', String(TIMEOUT_S)];
  if (run.accept) args.push('-H', `accept=${run.accept}`);
  for (const [name, value] of Object.entries(run.headers ?? {})) args.push('-H', `${name}=${value}`);
  if (run.overallRate) args.push('--overallRate', String(run.overallRate));
  return [...args, run.url];
}

const UNIT_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000 };

function wrkDuration(text: string | undefined): number {
  const match = /^([\d.]+)(us|ms|s|m)$/.exec(text ?? '');
  if (!match) throw new Error(`unexpected wrk latency "${text}"`);
  return Number(match[1]) * UNIT_MS[match[2]!]!;
}

export function parseWrk(output: string): LoadResult {
  const requestsPerSec = /Requests\/sec:\s+([\d.]+)/.exec(output)?.[1];
  const total = /(\d+) requests in/.exec(output)?.[1];
  if (requestsPerSec === undefined || total === undefined) throw new Error(`could not read wrk's output:\n${output}`);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
  return {
    requestsPerSec: Number(requestsPerSec),
    p50Ms: wrkDuration(/^\s+50%\s+(\S+)/m.exec(output)?.[1]),
    p99Ms: wrkDuration(/^\s+99%\s+(\S+)/m.exec(output)?.[1]),
    requests: Number(total),
    non2xx: Number(/Non-2xx or 3xx responses: (\d+)/.exec(output)?.[1] ?? 0),
    errors: socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0,
  };
}

interface AutocannonJson {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}

export function parseAutocannon(output: string): LoadResult {
  // Its progress bar and notices go to stderr; the last stdout line is the JSON result.
  const json = JSON.parse(output.trim().split('\n').pop() ?? '') as AutocannonJson;
  return {
    requestsPerSec: json.requests.average,
    p50Ms: json.latency.p50,
    p99Ms: json.latency.p99,
    requests: json.requests.total,
    non2xx: json.non2xx,
    errors: json.errors + json.timeouts,
  };
}
