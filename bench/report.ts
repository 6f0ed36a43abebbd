// Turns the measurements into the printed table, the PASS/FAIL lines for the targets,
// and the JSON file in bench/results/.

import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { LoadResult } from './load.js';
import type { MemoryResult } from './memory.js';
import { GOALS } from './plan.js';
import { ROOT } from './targets.js';

export const DIRECT = 'direct (upstream)';
export const BARE_HTTP_PROXY = 'bare http-proxy';

export interface RunCpu {
  /** CPU time of the target's processes per request: steadier than req/s on a shared machine. */
  usPerRequest: number;
  /** Machine capacity used by processes outside the bench during the run: above ~10%, distrust the row. */
  otherShare: number;
  stealShare: number;
}

export interface Measured {
  result: LoadResult;
  cpu: RunCpu;
}

export interface ForwardRow extends Measured {
  target: string;
  connections: number;
  body: string;
}

export interface MaintenanceRow extends Measured {
  target: string;
  client: 'JSON' | 'browser';
  connections: number;
  /** The gateway's own forwarding row this response is compared with. */
  against: { target: string; connections: number; body: string };
}

export interface Check {
  goal: string;
  measured: string;
  pass: boolean;
}

export interface Results {
  startedAt: string;
  finishedAt?: string;
  environment: Record<string, string | number>;
  forwarding: ForwardRow[];
  maintenance: MaintenanceRow[];
  memory?: MemoryResult;
  /** Gateway targets whose rows are checked against the targets. */
  gatewayTargets: string[];
  checks: Check[];
}

function find(rows: ForwardRow[], target: string, connections: number, body: string): ForwardRow | undefined {
  return rows.find((row) => row.target === target && row.connections === connections && row.body === body);
}

const ratio = (a: number | undefined, b: number | undefined): number | undefined => (a !== undefined && b ? a / b : undefined);
const times = (value: number | undefined): string => (value === undefined ? '-' : `${value.toFixed(2)}×`);
const ms = (value: number): string => value.toFixed(2);
const percent = (share: number): string => `${(share * 100).toFixed(0)}%`;
const rps = (value: number): string => Math.round(value).toLocaleString('en-US');

export function computeChecks(results: Results): Check[] {
  const checks: Check[] = [];
  const rows = results.forwarding;
  for (const target of results.gatewayTargets) {
    for (const row of rows.filter((r) => r.target === target)) {
      const base = find(rows, BARE_HTTP_PROXY, row.connections, row.body);
      if (!base) continue;
      const cell = `${target}, ${row.connections} conn, ${row.body}`;
      const throughput = row.result.requestsPerSec / base.result.requestsPerSec;
      const p99 = row.result.p99Ms / base.result.p99Ms;
      checks.push({
        goal: `req/s ≥ ${GOALS.minThroughputRatio.toFixed(1)}× bare http-proxy: ${cell}`,
        measured: `${times(throughput)} (${rps(row.result.requestsPerSec)} vs ${rps(base.result.requestsPerSec)})`,
        pass: throughput >= GOALS.minThroughputRatio,
      });
      checks.push({
        goal: `p99 ≤ ${GOALS.maxP99Ratio.toFixed(1)}× bare http-proxy: ${cell}`,
        measured: `${times(p99)} (${ms(row.result.p99Ms)} vs ${ms(base.result.p99Ms)} ms)`,
        pass: p99 <= GOALS.maxP99Ratio,
      });
    }
  }
  for (const row of results.maintenance) {
    const forward = find(rows, row.against.target, row.against.connections, row.against.body);
    if (!forward) continue;
    const speed = row.result.requestsPerSec / forward.result.requestsPerSec;
    checks.push({
      goal: `maintenance response (${row.client}) faster than forwarding: ${row.against.target}, ${row.connections} conn, vs ${row.against.body}`,
      measured: `${times(speed)} (${rps(row.result.requestsPerSec)} vs ${rps(forward.result.requestsPerSec)} req/s)`,
      pass: speed > 1,
    });
  }
  const memory = results.memory;
  if (memory) {
    checks.push({
      goal: `RSS flat over ${memory.requests.toLocaleString('en-US')} requests (growth after warm-up ≤ ${GOALS.maxRssGrowth * 100}%)`,
      measured: `${memory.growthAfterWarmupMb >= 0 ? '+' : ''}${memory.growthAfterWarmupMb.toFixed(1)} MB (${(memory.growthRatio * 100).toFixed(1)}%), ${memory.failures} failed requests`,
      pass: memory.growthRatio <= GOALS.maxRssGrowth && memory.failures === 0,
    });
  }
  return checks;
}

function table(header: string[], body: string[][], rightFrom: number): string {
  const widths = header.map((cell, i) => Math.max(cell.length, ...body.map((row) => row[i]!.length)));
  const line = (row: string[]) => row.map((cell, i) => (i >= rightFrom ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

function faults(result: LoadResult, expectNon2xx = false): string {
  const parts = [];
  if (!expectNon2xx && result.non2xx) parts.push(`${result.non2xx} non-2xx`);
  if (result.errors) parts.push(`${result.errors} socket errors`);
  return parts.join(', ');
}

export function formatReport(results: Results): string {
  const out: string[] = [];
  const env = results.environment;
  out.push(`Intermission bench, ${results.startedAt}`);
  out.push(Object.entries(env).map(([key, value]) => `  ${key}: ${value}`).join('\n'));

  out.push('', 'Forwarding (GET, keep-alive). ×: ratio of req/s, or of p99 or CPU where named. cpu µs/req: CPU time of the');
  out.push("target's own processes per request. other: machine CPU used outside the bench during the run (distrust rows above ~10%).");
  out.push('Bare proxies: a raw http.Server calling proxy.web with a keep-alive agent, nothing else; the gateway also decides,');
  out.push('counts, sets X-Forwarded-*, X-Request-Id and an upstream timeout on every request.');
  const rows = results.forwarding.map((row) => {
    const direct = find(results.forwarding, DIRECT, row.connections, row.body);
    const bare = find(results.forwarding, BARE_HTTP_PROXY, row.connections, row.body);
    return [
      row.target,
      String(row.connections),
      row.body,
      rps(row.result.requestsPerSec),
      ms(row.result.p50Ms),
      ms(row.result.p99Ms),
      times(ratio(row.result.requestsPerSec, direct?.result.requestsPerSec)),
      times(ratio(row.result.requestsPerSec, bare?.result.requestsPerSec)),
      times(ratio(row.result.p99Ms, bare?.result.p99Ms)),
      row.cpu.usPerRequest.toFixed(0),
      times(ratio(row.cpu.usPerRequest, bare?.cpu.usPerRequest)),
      percent(row.cpu.otherShare),
      faults(row.result),
    ];
  });
  out.push(
    table(
      ['target', 'conn', 'body', 'req/s', 'p50 ms', 'p99 ms', '×direct', '×http-proxy', 'p99 ×http-proxy', 'cpu µs/req', 'cpu ×http-proxy', 'other', 'faults'],
      rows,
      3,
    ),
  );

  if (results.maintenance.length > 0) {
    out.push('', 'Maintenance response (503 from memory), compared with the same gateway forwarding 1 KB');
    const held = results.maintenance.map((row) => {
      const forward = find(results.forwarding, row.against.target, row.against.connections, row.against.body);
      return [
        row.target,
        row.client,
        String(row.connections),
        rps(row.result.requestsPerSec),
        ms(row.result.p50Ms),
        ms(row.result.p99Ms),
        times(ratio(row.result.requestsPerSec, forward?.result.requestsPerSec)),
        times(ratio(row.result.p99Ms, forward?.result.p99Ms)),
        row.cpu.usPerRequest.toFixed(0),
        percent(row.cpu.otherShare),
        row.result.non2xx === row.result.requests ? 'all 503' : `only ${row.result.non2xx}/${row.result.requests} non-2xx`,
        faults(row.result, true),
      ];
    });
    out.push(table(['target', 'client', 'conn', 'req/s', 'p50 ms', 'p99 ms', '×forwarding', 'p99 ×forwarding', 'cpu µs/req', 'other', 'status', 'faults'], held, 2));
  }

  const memory = results.memory;
  if (memory) {
    out.push('', `Memory: ${memory.target}, GET ${memory.path}, ${memory.connections} connections, ${rps(memory.requestsPerSec)} req/s on average`);
    out.push(
      table(
        ['requests', 'seconds', 'RSS MB'],
        memory.samples.map((s) => [s.requests.toLocaleString('en-US'), s.elapsedS.toFixed(0), s.rssMb.toFixed(1)]),
        0,
      ),
    );
    out.push(
      `  after warm-up (${memory.warmupRequests.toLocaleString('en-US')} requests): ${memory.rssAfterWarmupMb.toFixed(1)} MB; ` +
        `end: ${memory.rssEndMb.toFixed(1)} MB; growth after warm-up: ${memory.growthAfterWarmupMb.toFixed(1)} MB ` +
        `(${(memory.growthRatio * 100).toFixed(1)}%); peak (VmHWM): ${memory.peakRssMb.toFixed(1)} MB`,
    );
  }

  out.push('', 'Targets from the issue');
  for (const check of results.checks) out.push(`  ${check.pass ? 'PASS' : 'FAIL'}  ${check.goal}: ${check.measured}`);
  const failed = results.checks.filter((check) => !check.pass).length;
  out.push(`  ${results.checks.length - failed} passed, ${failed} failed`);
  return out.join('\n');
}

export async function writeResults(results: Results): Promise<string> {
  const dir = path.join(ROOT, 'bench', 'results');
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${results.startedAt.replace(/[:.]/g, '-')}.json`);
  await writeFile(file, `${JSON.stringify(results, null, 2)}\n`);
  return file;
}
