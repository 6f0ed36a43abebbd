// The gateway and the CLI as real processes (`node dist/src/main.js`), with their JSON log lines
// parsed, for tests of what only a whole process does: signals, exit codes, start-up errors.

import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const GATEWAY_MAIN = fileURLToPath(new URL('../../src/main.js', import.meta.url));
export const CLI_MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

export interface LogLine {
  msg?: string;
  level?: number;
  pid?: number;
  [key: string]: unknown;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Date.now() when the process exited. */
  at: number;
}

export interface NodeProcess {
  child: ChildProcess;
  pid: number;
  /** Every stdout line, parsed when it is JSON (pino), else { raw }. */
  logs: LogLine[];
  stdout(): string;
  stderr(): string;
  /** Resolves once the process has exited, whatever the reason. */
  exited: Promise<Exit>;
  /** Resolves with the first log line (already seen or to come) that matches, or rejects after timeoutMs or on exit. */
  waitForLog(match: (line: LogLine) => boolean, timeoutMs: number, what?: string): Promise<LogLine>;
  /** SIGTERM, then SIGKILL if still running after graceMs; resolves on exit. */
  stop(graceMs?: number): Promise<Exit>;
}

export interface GatewayProcess extends NodeProcess {
  port: number;
  url: string;
}

const running = new Set<NodeProcess>();

/** Only what is given, plus PATH: no DATABASE_URL or UPSTREAM_URL leaks in from the test's own environment. */
function cleanEnv(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const all: Record<string, string | undefined> = { PATH: process.env.PATH, ...env };
  return Object.fromEntries(Object.entries(all).filter(([, value]) => value !== undefined)) as NodeJS.ProcessEnv;
}

export function spawnNode(script: string, args: string[], env: Record<string, string | undefined>): NodeProcess {
  const child = spawn(process.execPath, [script, ...args], { env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  const logs: LogLine[] = [];
  const out: string[] = [];
  const err: string[] = [];
  const waiters = new Set<() => void>();
  createInterface({ input: child.stdout!, crlfDelay: Infinity }).on('line', (line) => {
    out.push(line);
    let parsed: LogLine;
    try {
      parsed = JSON.parse(line) as LogLine;
    } catch {
      parsed = { raw: line };
    }
    logs.push(parsed);
    for (const wake of waiters) wake();
  });
  child.stderr!.on('data', (chunk: Buffer) => err.push(chunk.toString()));
  const exited = new Promise<Exit>((resolve) => {
    // 'close', not 'exit': by then stdout and stderr are read to the end.
    child.once('close', (code, signal) => resolve({ code, signal, at: Date.now() }));
  });

  const proc: NodeProcess = {
    child,
    pid: child.pid!,
    logs,
    stdout: () => out.join('\n'),
    stderr: () => err.join(''),
    exited,
    waitForLog(match, timeoutMs, what = 'a matching log line') {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          const found = logs.find(match);
          if (!found) return false;
          cleanup();
          resolve(found);
          return true;
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; stdout:\n${proc.stdout()}\nstderr:\n${proc.stderr()}`));
        }, timeoutMs);
        const wake = (): void => void check();
        const cleanup = (): void => {
          clearTimeout(timer);
          waiters.delete(wake);
        };
        if (check()) return;
        waiters.add(wake);
        void exited.then((exit) => {
          if (check()) return;
          cleanup();
          reject(new Error(`process exited (code ${exit.code}, signal ${exit.signal}) before ${what}; stdout:\n${proc.stdout()}\nstderr:\n${proc.stderr()}`));
        });
      });
    },
    async stop(graceMs = 10_000) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      }
      return exited;
    },
  };
  running.add(proc);
  void exited.then(() => running.delete(proc));
  return proc;
}

/** Runs a node script to completion; for the CLI and for start-ups that must fail. */
export async function runNode(
  script: string,
  args: string[],
  env: Record<string, string | undefined>,
  timeoutMs = 30_000,
): Promise<Exit & { stdout: string; stderr: string }> {
  const proc = spawnNode(script, args, env);
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), timeoutMs);
  const exit = await proc.exited;
  clearTimeout(timer);
  return { ...exit, stdout: proc.stdout(), stderr: proc.stderr() };
}

/** Spawns `node dist/src/main.js` and waits for its "gateway listening" log line. */
export async function startGatewayProcess(env: Record<string, string | undefined>, timeoutMs = 30_000): Promise<GatewayProcess> {
  const proc = spawnNode(GATEWAY_MAIN, [], { HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', WORKERS: '1', ...env });
  try {
    const line = await proc.waitForLog((l) => l.msg === 'gateway listening', timeoutMs, '"gateway listening"');
    const port = Number(line.port);
    return Object.assign(proc, { port, url: `http://127.0.0.1:${port}` });
  } catch (err) {
    await proc.stop(1000);
    throw err;
  }
}

/** Kills (SIGKILL) every process these helpers started that is still running: call it in after(). */
export async function killLeftovers(): Promise<void> {
  await Promise.all(
    [...running].map((proc) => {
      proc.child.kill('SIGKILL');
      return proc.exited;
    }),
  );
}

/** Whether a TCP connection to port on 127.0.0.1 is accepted (true) or refused (false). */
export async function acceptsConnections(port: number): Promise<boolean> {
  const socket = net.connect(port, '127.0.0.1');
  try {
    await once(socket, 'connect');
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ECONNREFUSED') return false;
    throw err;
  } finally {
    socket.destroy();
  }
}

/** Whether a pid belongs to a live process (not a zombie). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // A zombie nobody has reaped yet still answers kill(pid, 0).
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) [ZX]/.test(stat);
  } catch {
    return true;
  }
}
