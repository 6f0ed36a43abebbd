// `npm run bench`: starts the upstream and each target in turn in their own processes, loads them
// from another, and prints req/s, latencies, RSS and PASS/FAIL against the targets.

import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { createChildren, type Children } from './children.js';
import { openBenchDatabase, type BenchDatabase } from './database.js';
import { startCpuCount } from './cpu.js';
import { pickLoadTool, runLoad, type LoadRun, type LoadTool } from './load.js';
import { measureMemory } from './memory.js';
import { BODIES, CONNECTIONS, MAINTENANCE_CONNECTIONS, readPlan, type Plan } from './plan.js';
import { measurePollers } from './pollers.js';
import { measureSites } from './sites.js';
import { BARE_HTTP_PROXY, computeChecks, DIRECT, formatReport, writeResults, type Measured, type Results } from './report.js';
import { hasCommand, ROOT, startBareProxy, startGateway, startNginx, startUpstream, type Target } from './targets.js';

const GATEWAY = 'gateway (1 worker)';
const GATEWAY_2 = 'gateway (2 workers)';
const ACCEPT = { JSON: 'application/json', browser: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' } as const;
// A run with the defaults takes about 7½ minutes; past this something hangs, and the bench stops itself.
const HARD_LIMIT_MS = 30 * 60_000;

const progress = (line: string): void => void process.stderr.write(`${line}\n`);

interface Bench {
  plan: Readonly<Plan>;
  children: Children;
  tool: LoadTool;
  db: BenchDatabase;
  results: Results;
}

/** A warm-up, then the measured run, with the CPU the target's processes spent on it. */
async function measure(bench: Bench, target: Target, run: Omit<LoadRun, 'durationS'>): Promise<Measured> {
  // JIT, the proxy's connection pool and the kernel's buffers settle before counting.
  await runLoad(bench.children, bench.tool, { ...run, durationS: bench.plan.warmupS });
  const stopCount = startCpuCount(target.pid);
  const result = await runLoad(bench.children, bench.tool, { ...run, durationS: bench.plan.durationS });
  const cpu = stopCount();
  return {
    result,
    cpu: { usPerRequest: (cpu.targetSeconds / result.requests) * 1e6, otherShare: cpu.otherShare, stealShare: cpu.stealShare },
  };
}

function describe(measured: Measured): string {
  const { result, cpu } = measured;
  return `${Math.round(result.requestsPerSec)} req/s, p99 ${result.p99Ms.toFixed(2)} ms, ${cpu.usPerRequest.toFixed(0)} µs CPU/req, other load ${(cpu.otherShare * 100).toFixed(0)}%`;
}

/** Every cell of the matrix. */
async function measureForwarding(bench: Bench, target: Target): Promise<void> {
  for (const connections of CONNECTIONS) {
    for (const body of BODIES) {
      const measured = await measure(bench, target, { url: `${target.url}${body.path}`, connections });
      bench.results.forwarding.push({ target: target.name, connections, body: body.name, ...measured });
      progress(`  ${target.name}, ${connections} conn, ${body.name}: ${describe(measured)}`);
    }
  }
}

async function waitForStatus(url: string, accept: string, status: number): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const response = await fetch(url, { headers: { accept } }).catch(() => undefined);
    await response?.arrayBuffer();
    if (response?.status === status) return;
    if (Date.now() > deadline) throw new Error(`${url} still answers ${response?.status ?? 'nothing'} instead of ${status}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The gateway is running; a window is put in force through the CLI, as an SRE would. */
async function measureMaintenance(bench: Bench, gateway: Target): Promise<void> {
  const url = `${gateway.url}${BODIES[0].path}`;
  await bench.db.maintenanceOn(bench.children);
  // The window reaches the gateway by LISTEN/NOTIFY, a few milliseconds after the commit.
  await waitForStatus(url, ACCEPT.JSON, 503);
  try {
    for (const client of ['JSON', 'browser'] as const) {
      const measured = await measure(bench, gateway, { url, connections: MAINTENANCE_CONNECTIONS, accept: ACCEPT[client] });
      bench.results.maintenance.push({
        target: gateway.name,
        client,
        connections: MAINTENANCE_CONNECTIONS,
        ...measured,
        against: { target: gateway.name, connections: MAINTENANCE_CONNECTIONS, body: BODIES[0].name },
      });
      progress(`  ${gateway.name}, maintenance (${client}): ${describe(measured)}`);
    }
  } finally {
    await bench.db.maintenanceOff(bench.children);
  }
  await waitForStatus(url, ACCEPT.JSON, 200);
}

async function withTarget(start: () => Promise<Target | undefined>, use: (target: Target) => Promise<void>): Promise<void> {
  const target = await start();
  if (!target) return;
  progress(`${target.name} at ${target.url} (pid ${target.pid})`);
  try {
    await use(target);
  } finally {
    await target.stop();
  }
}

async function runAll(bench: Bench): Promise<void> {
  const { children, plan, db } = bench;
  const parts = plan.parts;
  const gateway = (name: string, workers: number) => () =>
    startGateway(children, { name, workers, upstream, databaseEnv: db.env });

  if (plan.databaseUrl) {
    // A window left on by an interrupted run would turn every forwarding figure into a 503.
    await db.maintenanceOff(children);
  }
  const upstream = await startUpstream(children);
  progress(`upstream at ${upstream.url} (pid ${upstream.pid})`);

  if (parts.has('direct')) await measureForwarding(bench, { ...upstream, name: DIRECT });
  if (parts.has('http-proxy')) {
    await withTarget(() => startBareProxy(children, 'http-proxy', upstream), (target) => measureForwarding(bench, { ...target, name: BARE_HTTP_PROXY }));
  }
  if (parts.has('http-proxy-3')) {
    await withTarget(() => startBareProxy(children, 'http-proxy-3', upstream), (target) => measureForwarding(bench, target));
  }
  if (parts.has('gateway') || parts.has('maintenance')) {
    await withTarget(gateway(GATEWAY, 1), async (target) => {
      if (parts.has('gateway')) await measureForwarding(bench, target);
      if (parts.has('maintenance')) await measureMaintenance(bench, target);
    });
  }
  if (parts.has('gateway-2')) await withTarget(gateway(GATEWAY_2, 2), (target) => measureForwarding(bench, target));
  if (parts.has('nginx')) {
    if (hasCommand('nginx')) await withTarget(() => startNginx(children, upstream), (target) => measureForwarding(bench, target));
    else progress('nginx is not installed: no nginx rows');
  }
  if (parts.has('pollers')) {
    // A few seconds each way is enough to see a difference; this part stays short whatever BENCH_DURATION says.
    const short: Bench = { ...bench, plan: { ...plan, durationS: Math.min(plan.durationS, 5) } };
    await withTarget(gateway(GATEWAY, 1), async (target) => {
      progress(`pollers: forwarding through ${target.name}, without and with status polls`);
      const deps = { children, tool: bench.tool, warmupS: plan.warmupS, durationS: short.plan.durationS, progress };
      const { rows } = await measurePollers({ ...deps, measure: (t, run) => measure(short, t, run) }, target);
      bench.results.forwarding.push(...rows);
    });
  }
  if (parts.has('sites')) {
    await withTarget(gateway(GATEWAY, 1), async (target) => {
      progress(`sites: forwarding through ${target.name} with 1 site, then 100`);
      const deps = { measure: (t: Target, run: Omit<LoadRun, 'durationS'>) => measure(bench, t, run), databaseEnv: db.env, upstreamUrl: upstream.url, progress };
      bench.results.forwarding.push(...(await measureSites(deps, target)));
    });
  }
  if (parts.has('memory')) {
    // A fresh process, so the series starts from the RSS of a gateway that has served nothing.
    await withTarget(gateway(GATEWAY, 1), async (target) => {
      const measured = bench.results.forwarding.find((row) => row.target === GATEWAY && row.connections === 64 && row.body === BODIES[0].name);
      progress(`memory: ${plan.memoryRequests.toLocaleString('en-US')} requests through ${target.name}`);
      bench.results.memory = await measureMemory(
        children,
        bench.tool,
        {
          target,
          path: BODIES[0].path,
          connections: 64,
          requests: plan.memoryRequests,
          warmupRequests: plan.memoryWarmupRequests,
          estimatedRps: measured?.result.requestsPerSec ?? 5_000,
        },
        progress,
      );
    });
  }
}

function environment(plan: Readonly<Plan>, tool: LoadTool, db: BenchDatabase): Record<string, string | number> {
  const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT }).stdout?.toString().trim();
  const dirty = spawnSync('git', ['status', '--porcelain', '--', 'src'], { cwd: ROOT }).stdout?.toString().trim();
  return {
    node: process.version,
    cpus: `${os.availableParallelism()} × ${os.cpus()[0]?.model ?? 'unknown'}`,
    'load average at start': os.loadavg().map((n) => n.toFixed(2)).join(' '),
    commit: `${commit || 'unknown'}${dirty ? ' (src/ has uncommitted changes)' : ''}`,
    'load generator': tool === 'wrk' ? 'wrk -t2 (separate process)' : 'autocannon (separate process; latencies in whole ms)',
    database: db.description,
    'duration per run': `${plan.durationS} s after a ${plan.warmupS} s warm-up`,
    'gateway settings': 'LOG_LEVEL=info, ACCESS_LOG=off (no per-request log lines)',
  };
}

async function main(): Promise<void> {
  const plan = readPlan();
  const children = createChildren();
  const tool = pickLoadTool(plan.forceAutocannon);
  let db: BenchDatabase | undefined;
  let cleaning: Promise<void> | undefined;
  const cleanup = () =>
    (cleaning ??= (async () => {
      await children.stopAll();
      await db?.cleanup();
    })());

  // Ctrl-C or a kill: stop every child in order (the gateway stops its embedded postgres), then exit.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, function onSignal() {
      progress(`bench: ${signal}: stopping every child process`);
      void cleanup().finally(() => process.exit(130));
    });
  }
  process.once('exit', () => children.signalAll());
  setTimeout(function hardLimit() {
    progress(`bench: still running after ${HARD_LIMIT_MS / 60_000} minutes: giving up`);
    void cleanup().finally(() => process.exit(1));
  }, HARD_LIMIT_MS).unref();

  try {
    db = await openBenchDatabase(plan.databaseUrl);
    const results: Results = {
      startedAt: new Date().toISOString(),
      environment: environment(plan, tool, db),
      forwarding: [],
      maintenance: [],
      gatewayTargets: [GATEWAY, GATEWAY_2],
      checks: [],
    };
    progress(`bench: ${tool}, ${db.description}`);
    await runAll({ plan, children, tool, db, results });
    results.finishedAt = new Date().toISOString();
    results.checks = computeChecks(results);
    process.stdout.write(`\n${formatReport(results)}\n`);
    const file = await writeResults(results);
    process.stdout.write(`\nResults written to ${file}\n`);
  } finally {
    await cleanup();
  }
}

main().catch(function onFailure(err: unknown) {
  process.stderr.write(`bench: failed: ${(err as Error)?.stack ?? String(err)}\n`);
  process.exitCode = 1;
});
