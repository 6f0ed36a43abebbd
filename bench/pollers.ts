// The "pollers" part: does a crowd of status widgets slow forwarding? The same gateway forwards 1 KB
// on 64 connections, alone and then beside 1000 requests a second of STATUS_PATH/api/v2/summary.json
// with If-None-Match (the 304 a well-behaved poller gets), and the two figures are compared. Then
// the CPU one such poll costs, against a route answered through express.

import type { Children } from './children.js';
import { runLoad, type LoadResult, type LoadRun, type LoadTool } from './load.js';
import { BODIES } from './plan.js';
import type { ForwardRow, Measured } from './report.js';
import type { Target } from './targets.js';

export const POLLS_PER_SECOND = 1000;
// Polling clients are many and each slow: spread the rate over a few hundred connections.
const POLL_CONNECTIONS = 100;
const FORWARD_CONNECTIONS = 64;
const COST_CONNECTIONS = 16;

export interface PollersDeps {
  children: Children;
  tool: LoadTool;
  /** A warm-up, then the measured run (run.ts's measure), lasting warmupS + durationS. */
  measure: (target: Target, run: Omit<LoadRun, 'durationS'>) => Promise<Measured>;
  warmupS: number;
  durationS: number;
  progress: (line: string) => void;
}

export interface PollersResult {
  rows: ForwardRow[];
  polls: LoadResult;
}

function line(label: string, m: Measured): string {
  return `  ${label}: ${Math.round(m.result.requestsPerSec)} req/s, p99 ${m.result.p99Ms.toFixed(2)} ms, ${m.cpu.usPerRequest.toFixed(0)} µs CPU/req`;
}

export async function measurePollers(deps: PollersDeps, gateway: Target): Promise<PollersResult> {
  const forward = { url: `${gateway.url}${BODIES[0].path}`, connections: FORWARD_CONNECTIONS };
  const summary = `${gateway.url}/status/api/v2/summary.json`;
  const first = await fetch(summary);
  await first.arrayBuffer();
  const etag = first.headers.get('etag');
  if (first.status !== 200 || !etag) throw new Error(`${summary} answered ${first.status} without an ETag`);

  const quiet = await deps.measure(gateway, forward);
  deps.progress(line('forwarding alone', quiet));

  // autocannon, whatever the forwarding tool: only it sends at a fixed rate.
  const polling = runLoad(deps.children, 'autocannon', {
    url: summary,
    connections: POLL_CONNECTIONS,
    durationS: deps.warmupS + deps.durationS + 2,
    overallRate: POLLS_PER_SECOND,
    headers: { 'if-none-match': etag },
  });
  await new Promise((resolve) => setTimeout(resolve, 500));
  const polled = await deps.measure(gateway, forward);
  const polls = await polling;
  deps.progress(line(`forwarding beside ${POLLS_PER_SECOND} polls/s`, polled));
  deps.progress(
    `  polls: ${Math.round(polls.requestsPerSec)} req/s answered (304s count as "non-2xx": ${polls.non2xx}), p99 ${polls.p99Ms} ms, errors ${polls.errors}; ` +
      `forwarding with polls / without: ${(polled.result.requestsPerSec / quiet.result.requestsPerSec).toFixed(3)} req/s, ` +
      `${(polled.result.p99Ms / quiet.result.p99Ms).toFixed(2)} p99`,
  );
  // What one poll costs the gateway, alone at full speed, against a route that goes through express.
  const pollCost = await deps.measure(gateway, { url: summary, connections: COST_CONNECTIONS, headers: { 'if-none-match': etag } });
  deps.progress(line('summary.json 304s alone', pollCost));
  const expressCost = await deps.measure(gateway, { url: `${gateway.url}/_gateway/healthz`, connections: COST_CONNECTIONS });
  deps.progress(line('/_gateway/healthz (through express) alone', expressCost));
  const row = (target: string, connections: number, body: string, m: Measured): ForwardRow => ({ target, connections, body, ...m });
  return {
    rows: [
      row(`${gateway.name}, no polls`, FORWARD_CONNECTIONS, BODIES[0].name, quiet),
      row(`${gateway.name}, ${POLLS_PER_SECOND} polls/s`, FORWARD_CONNECTIONS, BODIES[0].name, polled),
      row(`${gateway.name}, summary.json 304s`, COST_CONNECTIONS, '0 KB', pollCost),
      row(`${gateway.name}, healthz via express`, COST_CONNECTIONS, '0 KB', expressCost),
    ],
    polls,
  };
}
