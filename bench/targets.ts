// Starts what is measured, each in its own process: the upstream, the bare proxies, the gateway
// (one or two workers) and nginx; each resolves once it accepts connections.

import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Children } from './children.js';
import { parseListening } from './listen.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BENCH_DIST = path.join(ROOT, 'dist', 'bench');
const READY_MS = 15_000;
// The embedded database may run initdb on its first start.
const GATEWAY_READY_MS = 90_000;

export interface Target {
  name: string;
  /** Origin, e.g. http://127.0.0.1:40123 */
  url: string;
  /** The process that serves (the gateway's primary when it runs workers). */
  pid: number;
  stop(): Promise<void>;
}

/**
 * BENCH_PROFILE_DIR=<dir>: every node target writes a V8 CPU profile there when it stops (for
 * finding where the time goes; the figures of such a run are not comparable with the others).
 */
function profileArgs(): string[] {
  const dir = process.env.BENCH_PROFILE_DIR;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(dir)}`] : [];
}

async function startBenchChild(children: Children, name: string, script: string, args: string[]): Promise<Target> {
  const nodeArgs = script === 'upstream.js' ? [] : profileArgs();
  const child = children.start(name, process.execPath, [...nodeArgs, path.join(BENCH_DIST, script), ...args], { stdinPipe: true, graceMs: 5_000 });
  const port = await child.waitForLine(parseListening, READY_MS);
  return { name, url: `http://127.0.0.1:${port}`, pid: child.pid, stop: () => child.stop() };
}

export function startUpstream(children: Children): Promise<Target> {
  return startBenchChild(children, 'upstream', 'upstream.js', []);
}

export function startBareProxy(children: Children, library: 'http-proxy' | 'http-proxy-3', upstream: Target, xfwd = false): Promise<Target> {
  const name = `bare ${library}${xfwd ? ' +xfwd' : ''}`;
  return startBenchChild(children, name, 'bare-proxy.js', [library, upstream.url, ...(xfwd ? ['xfwd'] : [])]);
}

export interface GatewayOptions {
  name: string;
  workers: number;
  upstream: Target;
  /** DATABASE_URL or DATA_DIR, from the bench database. */
  databaseEnv: Record<string, string>;
  accessLog?: 'off' | 'gateway' | 'all';
}

function gatewayListening(line: string): number | undefined {
  if (!line.includes('"gateway listening"')) return undefined;
  return (JSON.parse(line) as { port: number }).port;
}

/** `node dist/src/main.js` as an operator would run it; its embedded database, if any, is its own. */
export async function startGateway(children: Children, options: GatewayOptions): Promise<Target> {
  const { DATABASE_URL: _url, DATA_DIR: _dir, ...inherited } = process.env;
  const env: NodeJS.ProcessEnv = {
    ...inherited,
    UPSTREAM_URL: options.upstream.url,
    PORT: '0',
    HOST: '127.0.0.1',
    // "gateway listening", which carries the port, is an info line; with ACCESS_LOG=off no
    // request is logged, so the figures are the request path's, not pino's.
    LOG_LEVEL: 'info',
    ACCESS_LOG: options.accessLog ?? 'off',
    WORKERS: String(options.workers),
    // No request is in flight when the bench stops a gateway; waiting longer only slows the bench.
    SHUTDOWN_TIMEOUT_MS: '2000',
    ...options.databaseEnv,
  };
  const args = [...profileArgs(), path.join(ROOT, 'dist', 'src', 'main.js')];
  const child = children.start(options.name, process.execPath, args, { env, cwd: ROOT, stdinPipe: true, graceMs: 30_000 });
  const port = await child.waitForLine(gatewayListening, GATEWAY_READY_MS);
  return { name: options.name, url: `http://127.0.0.1:${port}`, pid: child.pid, stop: () => child.stop() };
}

export function hasCommand(command: string, versionFlag = '-v'): boolean {
  const result = spawnSync(command, [versionFlag], { stdio: 'ignore' });
  return !(result.error && (result.error as NodeJS.ErrnoException).code === 'ENOENT');
}

/** A port that was free a moment ago, for nginx, which cannot listen on port 0 and tell us. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, timeoutMs: number, alive: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (!alive() || Date.now() > deadline) throw new Error(`nothing listens on port ${port}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function nginxConfig(dir: string, port: number, upstreamPort: number): string {
  const temp = (kind: string) => `${kind}_temp_path ${path.join(dir, kind)};`;
  // As root, nginx would switch its worker to "nobody"; keep it the current user like the others.
  const user = process.getuid?.() === 0 ? `user ${os.userInfo().username} ${spawnSync('id', ['-gn']).stdout.toString().trim() || 'root'};` : '';
  return `# Written by bench/targets.ts for one run; deleted after it.
daemon off;
master_process on;
worker_processes 1;
${user}
error_log stderr warn;
pid ${path.join(dir, 'nginx.pid')};
events { worker_connections 4096; }
http {
  access_log off;
  ${['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(temp).join('\n  ')}
  # Node's server has no per-connection request limit; nginx's default of 1000 would make wrk
  # reconnect and measure connection set-up instead of forwarding.
  keepalive_requests 1000000;
  upstream app {
    server 127.0.0.1:${upstreamPort};
    keepalive 64;
    keepalive_requests 1000000;
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://app;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
`;
}

/** nginx with one worker, from a temp config and temp dirs; undefined when nginx is not installed. */
export async function startNginx(children: Children, upstream: Target): Promise<Target | undefined> {
  if (!hasCommand('nginx')) return undefined;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'im-bench-nginx-'));
  await Promise.all(['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((kind) => mkdir(path.join(dir, kind))));
  const port = await freePort();
  const config = path.join(dir, 'nginx.conf');
  await writeFile(config, nginxConfig(dir, port, Number(new URL(upstream.url).port)));
  // -e: the compiled-in error log (/var/log/nginx) is opened before the config is read.
  const child = children.start('nginx', 'nginx', ['-p', dir, '-e', 'stderr', '-c', config], { graceMs: 5_000 });
  try {
    await waitForPort(port, READY_MS, () => !child.hasExited());
  } catch (err) {
    await child.stop();
    await rm(dir, { recursive: true, force: true });
    throw new Error(`nginx did not start: ${(err as Error).message}\n${child.tail()}`);
  }
  return {
    name: 'nginx (1 worker)',
    url: `http://127.0.0.1:${port}`,
    pid: child.pid,
    async stop() {
      // SIGTERM is nginx's fast shutdown; the master waits for its worker.
      await child.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
