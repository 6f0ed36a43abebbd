// Prometheus metrics of one gateway process, in its own registry (no global state).

import client from 'prom-client';
import type { SnapshotStore } from '../snapshot/store.js';
import { isInForce } from '../snapshot/types.js';

export const OUTCOMES = ['forward', 'bypass', 'hold', 'unavailable', 'gateway', 'no_site'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export interface Metrics {
  registry: client.Registry;
  /** Pre-bound counters, so the request path does no label lookup. */
  requests: Record<Outcome, client.Counter.Internal>;
  upstreamError(kind: string, status: number): void;
  clientAbort(): void;
}

export function createMetrics(store: SnapshotStore, now: () => number = Date.now, openStreams: () => number = () => 0): Metrics {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: 'intermission_process_' });

  const requests = new client.Counter({
    name: 'intermission_requests_total',
    help: 'Requests by what the gateway did with them: forward, bypass (forwarded past a window or an outage), hold (maintenance response), unavailable (trouble page: the upstream is judged down), gateway (its own routes), no_site (a host no site names, with no default site).',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const upstreamErrors = new client.Counter({
    name: 'intermission_upstream_errors_total',
    help: 'Forwarded requests that failed at the upstream, by error and the status returned.',
    labelNames: ['kind', 'status'],
    registers: [registry],
  });
  const clientAborts = new client.Counter({
    name: 'intermission_client_aborts_total',
    help: 'Forwarded requests whose client went away before the response was complete.',
    registers: [registry],
  });
  new client.Gauge({
    name: 'intermission_snapshot_age_seconds',
    help: 'Seconds since the snapshot was last confirmed against the database.',
    registers: [registry],
    collect() {
      const age = store.status().ageMs;
      this.set(age === null ? -1 : age / 1000);
    },
  });
  new client.Gauge({
    name: 'intermission_database_connected',
    help: '1 while the snapshot connection to the database is up.',
    registers: [registry],
    collect() {
      this.set(store.status().connected ? 1 : 0);
    },
  });
  new client.Gauge({
    name: 'intermission_upstream_up',
    help: '1 while the health checks judge the upstream up, 0 while it is judged down (from the snapshot), by site.',
    labelNames: ['site'],
    registers: [registry],
    collect() {
      this.reset();
      for (const site of store.current().sites) this.set({ site: site.site.slug }, site.upstream.state === 'down' ? 0 : 1);
    },
  });
  new client.Gauge({
    name: 'intermission_windows_in_force',
    help: 'Maintenance windows in force now (whatever their scope), by site.',
    labelNames: ['site'],
    registers: [registry],
    collect() {
      const at = now();
      this.reset();
      for (const site of store.current().sites) {
        this.set({ site: site.site.slug }, site.windows.filter((window) => isInForce(window, at)).length);
      }
    },
  });
  new client.Gauge({
    name: 'intermission_event_streams',
    help: 'Status pages connected to this process for live updates (Server-Sent Events).',
    registers: [registry],
    collect() {
      this.set(openStreams());
    },
  });

  return {
    registry,
    requests: Object.fromEntries(OUTCOMES.map((outcome) => [outcome, requests.labels(outcome)])) as Metrics['requests'],
    upstreamError: (kind, status) => upstreamErrors.labels(kind, String(status)).inc(),
    clientAbort: () => clientAborts.inc(),
  };
}
