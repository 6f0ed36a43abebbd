// The memory phase: a million requests through one gateway process, its RSS read from /proc
// between runs of about 100k requests each, so every sample has an exact request count.

import { readFile } from 'node:fs/promises';
import type { Children } from './children.js';
import { runLoad, type LoadTool } from './load.js';
import type { Target } from './targets.js';

export interface RssSample {
  requests: number;
  elapsedS: number;
  rssMb: number;
}

export interface MemoryResult {
  target: string;
  path: string;
  connections: number;
  requests: number;
  requestsPerSec: number;
  /** Responses that were not 2xx plus socket errors: should be 0. */
  failures: number;
  samples: RssSample[];
  warmupRequests: number;
  rssAfterWarmupMb: number;
  rssEndMb: number;
  /** Highest RSS the process ever had (VmHWM), peaks between samples included. */
  peakRssMb: number;
  growthAfterWarmupMb: number;
  growthRatio: number;
}

export interface MemoryRun {
  target: Target;
  path: string;
  connections: number;
  requests: number;
  warmupRequests: number;
  /** A first guess of the req/s, to size each run; corrected after every run. */
  estimatedRps: number;
}

async function status(pid: number, field: 'VmRSS' | 'VmHWM'): Promise<number> {
  const text = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1];
  if (kb === undefined) throw new Error(`no ${field} in /proc/${pid}/status`);
  return Number(kb) / 1024;
}

export async function measureMemory(children: Children, tool: LoadTool, run: MemoryRun, progress: (line: string) => void): Promise<MemoryResult> {
  const url = `${run.target.url}${run.path}`;
  const step = Math.max(1000, Math.min(100_000, Math.round(run.requests / 10)));
  const started = Date.now();
  const samples: RssSample[] = [{ requests: 0, elapsedS: 0, rssMb: await status(run.target.pid, 'VmRSS') }];
  let rps = run.estimatedRps;
  let sent = 0;
  let failures = 0;
  let loadSeconds = 0;

  while (sent < run.requests) {
    const wanted = Math.min(step, run.requests - sent);
    // wrk runs for a time, not a count: size the run from the rate the last one reached.
    const durationS = Math.max(1, Math.round(wanted / rps));
    const result = await runLoad(children, tool, { url, connections: run.connections, durationS });
    sent += result.requests;
    failures += result.non2xx + result.errors;
    loadSeconds += result.requests / result.requestsPerSec;
    rps = result.requestsPerSec;
    const sample = { requests: sent, elapsedS: (Date.now() - started) / 1000, rssMb: await status(run.target.pid, 'VmRSS') };
    samples.push(sample);
    progress(`  ${sample.requests.toLocaleString('en-US')} requests, RSS ${sample.rssMb.toFixed(1)} MB`);
  }

  const warm = samples.find((sample) => sample.requests >= run.warmupRequests) ?? samples[1]!;
  const end = samples[samples.length - 1]!;
  return {
    target: run.target.name,
    path: run.path,
    connections: run.connections,
    requests: sent,
    requestsPerSec: sent / loadSeconds,
    failures,
    samples,
    warmupRequests: warm.requests,
    rssAfterWarmupMb: warm.rssMb,
    rssEndMb: end.rssMb,
    peakRssMb: await status(run.target.pid, 'VmHWM'),
    growthAfterWarmupMb: end.rssMb - warm.rssMb,
    growthRatio: (end.rssMb - warm.rssMb) / warm.rssMb,
  };
}
