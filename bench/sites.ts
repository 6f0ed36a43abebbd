// The "sites" part: does routing by Host cost anything as sites are added? The same gateway forwards
// 1 KB on 64 connections with one site, then with 100 sites of two names each (an exact name and a
// *.wildcard), for a host found by its exact name and one found by its wildcard; and the lookup
// itself is timed in this process, from 1 to 10,000 sites.

import pg from 'pg';
import { indexSites, routeHost } from '../src/sites/site-routes.js';
import { EMPTY_SNAPSHOT, type Snapshot } from '../src/snapshot/types.js';
import { findRunningEmbeddedPostgres } from '../src/db/embedded.js';
import type { LoadRun } from './load.js';
import { BODIES } from './plan.js';
import type { ForwardRow, Measured } from './report.js';
import type { Target } from './targets.js';

export const SITES = 100;
const CONNECTIONS = 64;
const LOOKUPS = 2_000_000;

export interface SitesDeps {
  measure: (target: Target, run: Omit<LoadRun, 'durationS'>) => Promise<Measured>;
  /** The bench database's environment: DATABASE_URL, or the DATA_DIR of the gateway's embedded server. */
  databaseEnv: Record<string, string>;
  upstreamUrl: string;
  progress: (line: string) => void;
}

async function databaseUrl(env: Record<string, string>): Promise<string> {
  if (env.DATABASE_URL) return env.DATABASE_URL;
  const running = await findRunningEmbeddedPostgres({ dataDir: env.DATA_DIR! });
  if (!running) throw new Error(`no embedded server runs in ${env.DATA_DIR}: the gateway should have started it`);
  return running;
}

/** Nanoseconds per routeHost call over `count` sites, for an exact name, a wildcard and an unknown host. */
export function timeLookups(count: number): { exact: number; wildcard: number; fallback: number } {
  const sites: Snapshot[] = [];
  for (let i = 0; i < count; i++) {
    sites.push({ ...EMPTY_SNAPSHOT, site: { id: String(i), slug: `s${i}`, upstreamUrl: null, hosts: [`s${i}.bench.test`, `*.s${i}.bench.test`], isDefault: i === 0 } });
  }
  const routes = indexSites(1, 0, sites);
  const last = count - 1;
  const time = (host: string) => {
    let found = 0;
    const started = process.hrtime.bigint();
    for (let i = 0; i < LOOKUPS; i++) if (routeHost(routes, host) !== null) found++;
    const ns = Number(process.hrtime.bigint() - started) / LOOKUPS;
    if (found !== LOOKUPS) throw new Error(`routeHost missed ${host}`);
    return ns;
  };
  return { exact: time(`s${last}.bench.test`), wildcard: time(`www.s${last}.bench.test`), fallback: time('unknown.bench.test') };
}

function line(label: string, m: Measured): string {
  return `  ${label}: ${Math.round(m.result.requestsPerSec)} req/s, p99 ${m.result.p99Ms.toFixed(2)} ms, ${m.cpu.usPerRequest.toFixed(0)} µs CPU/req`;
}

export async function measureSites(deps: SitesDeps, gateway: Target): Promise<ForwardRow[]> {
  for (const count of [1, 100, 10_000]) {
    const ns = timeLookups(count);
    deps.progress(`  routeHost over ${count} sites: exact ${ns.exact.toFixed(0)} ns, wildcard ${ns.wildcard.toFixed(0)} ns, default ${ns.fallback.toFixed(0)} ns`);
  }
  const url = `${gateway.url}${BODIES[0].path}`;
  const one = await deps.measure(gateway, { url, connections: CONNECTIONS, headers: { host: 'www.example.test' } });
  deps.progress(line('1 site, any host', one));

  const client = new pg.Client({ connectionString: await databaseUrl(deps.databaseEnv) });
  await client.connect();
  let exact: Measured;
  let wildcard: Measured;
  try {
    await addSites(client, deps.upstreamUrl);
    await untilRouted(gateway.url, `bench-${SITES - 1}`);
    exact = await deps.measure(gateway, { url, connections: CONNECTIONS, headers: { host: `bench-${SITES - 1}.bench.test` } });
    deps.progress(line(`${SITES} sites, an exact host`, exact));
    wildcard = await deps.measure(gateway, { url, connections: CONNECTIONS, headers: { host: `www.bench-${SITES - 1}.bench.test` } });
    deps.progress(line(`${SITES} sites, a wildcard host`, wildcard));
  } finally {
    // The next part (and the next run, on a DATABASE_URL server) starts from one site again.
    await client.query("DELETE FROM sites WHERE slug LIKE 'bench-%'").catch(() => undefined);
    await client.end();
  }
  // One site again, so a drift of the machine over the part shows instead of passing for a cost.
  const oneAgain = await deps.measure(gateway, { url, connections: CONNECTIONS, headers: { host: 'www.example.test' } });
  deps.progress(line('1 site again', oneAgain));
  const baseline = (one.result.requestsPerSec + oneAgain.result.requestsPerSec) / 2;
  const baselineCpu = (one.cpu.usPerRequest + oneAgain.cpu.usPerRequest) / 2;
  deps.progress(
    `  ${SITES} sites / 1 site (mean of the two runs): ${(exact.result.requestsPerSec / baseline).toFixed(3)}× req/s and ` +
      `${(exact.cpu.usPerRequest / baselineCpu).toFixed(3)}× CPU/req (exact host), ${(wildcard.result.requestsPerSec / baseline).toFixed(3)}× and ` +
      `${(wildcard.cpu.usPerRequest / baselineCpu).toFixed(3)}× (wildcard host); the two 1-site runs differ by ` +
      `${(Math.abs(one.result.requestsPerSec - oneAgain.result.requestsPerSec) / baseline * 100).toFixed(1)}%`,
  );
  const row = (target: string, m: Measured): ForwardRow => ({ target, connections: CONNECTIONS, body: BODIES[0].name, ...m });
  return [
    row(`${gateway.name}, 1 site`, one),
    row(`${gateway.name}, ${SITES} sites (exact host)`, exact),
    row(`${gateway.name}, ${SITES} sites (wildcard host)`, wildcard),
    row(`${gateway.name}, 1 site again`, oneAgain),
  ];
}

/** SITES - 1 more sites, each with an exact name and a wildcard, all forwarding to the bench upstream. */
async function addSites(client: pg.Client, upstreamUrl: string): Promise<void> {
  await client.query(
    `WITH added AS (
       INSERT INTO sites (slug, upstream_url) SELECT 'bench-' || i, $1 FROM generate_series(1, $2::int - 1) i RETURNING id, slug)
     INSERT INTO site_hosts (host, site_id)
     SELECT name, id FROM added, LATERAL (VALUES (slug || '.bench.test'), ('*.' || slug || '.bench.test')) AS names(name)`,
    [upstreamUrl, SITES],
  );
}

/** The gateway hears the change by LISTEN/NOTIFY; its metrics list every site of its snapshot by slug. */
async function untilRouted(gatewayUrl: string, slug: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const res = await fetch(`${gatewayUrl}/_gateway/metrics`).catch(() => undefined);
    if (res && (await res.text()).includes(`site="${slug}"`)) return;
    if (Date.now() > deadline) throw new Error(`the gateway did not route site ${slug} within 10 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
