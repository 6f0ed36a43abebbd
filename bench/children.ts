// The bench's child processes: each target, the upstream and every load run is its own process,
// tracked here so that every one of them is stopped however the bench ends (done, error, Ctrl-C).

import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

export interface Child {
  name: string;
  pid: number;
  /** Settles when the process has exited, with its exit code (or the signal that ended it). */
  exited: Promise<number | string>;
  hasExited(): boolean;
  /** All of stdout, for commands whose output is the result (wrk, autocannon, the CLI). */
  stdout(): string;
  /** The last lines of stderr and stdout, to explain a failure. */
  tail(): string;
  /** Resolves with the first stdout line that matches, rejects if the process exits or time runs out. */
  waitForLine<T>(match: (line: string) => T | undefined, timeoutMs: number): Promise<T>;
  /** SIGTERM, then SIGKILL to its whole process group after graceMs; resolves once it has exited. */
  stop(graceMs?: number): Promise<void>;
}

export interface ChildOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Keep the whole stdout (load tools) instead of only a tail (servers that log). */
  keepOutput?: boolean;
  /** Give the child a stdin pipe: our own children exit when it closes, i.e. when the bench dies. */
  stdinPipe?: boolean;
  graceMs?: number;
}

export interface Children {
  start(name: string, command: string, args: string[], options?: ChildOptions): Child;
  /** Stops every child still running, in reverse start order, and waits for each. */
  stopAll(): Promise<void>;
  /** Last resort from a synchronous 'exit' handler: SIGTERM to all, no waiting. */
  signalAll(): void;
}

const TAIL_LINES = 40;
const DEFAULT_GRACE_MS = 20_000;

export function createChildren(): Children {
  const running = new Set<Child>();

  function start(name: string, command: string, args: string[], options: ChildOptions = {}): Child {
    const spawnOptions: SpawnOptions = {
      env: options.env ?? process.env,
      cwd: options.cwd,
      stdio: [options.stdinPipe ? 'pipe' : 'ignore', 'pipe', 'pipe'],
      // Its own process group: a Ctrl-C reaches only the bench, which then stops children in
      // order (the gateway must get exactly one SIGTERM to stop its embedded postgres cleanly).
      detached: true,
    };
    const proc: ChildProcess = spawn(command, args, spawnOptions);
    if (proc.pid === undefined) throw new Error(`could not start ${name} (${command})`);
    const pid = proc.pid;
    const tailLines: string[] = [];
    const lineListeners = new Set<(line: string) => void>();
    let output = '';
    let partial = '';

    function remember(line: string): void {
      tailLines.push(line);
      if (tailLines.length > TAIL_LINES) tailLines.shift();
    }
    proc.stdout!.setEncoding('utf8').on('data', function onStdout(chunk: string) {
      if (options.keepOutput) output += chunk;
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        remember(line);
        for (const listener of lineListeners) listener(line);
      }
    });
    proc.stderr!.setEncoding('utf8').on('data', function onStderr(chunk: string) {
      for (const line of chunk.split('\n')) if (line.trim()) remember(`[stderr] ${line}`);
    });
    // A failed spawn (ENOENT) emits 'error' and then 'exit' may never come.
    let exitedFlag = false;
    const exited = new Promise<number | string>((resolve) => {
      proc.once('error', function onSpawnError(err) {
        remember(`[spawn] ${err.message}`);
        exitedFlag = true;
        resolve(err.message);
      });
      proc.once('exit', function onExit(code, signal) {
        exitedFlag = true;
        resolve(code ?? signal ?? 'unknown');
      });
    });

    const child: Child = {
      name,
      pid,
      exited,
      hasExited: () => exitedFlag,
      stdout: () => output,
      tail: () => [...tailLines, partial].filter(Boolean).join('\n'),
      waitForLine<T>(match: (line: string) => T | undefined, timeoutMs: number): Promise<T> {
        return new Promise<T>((resolve, reject) => {
          const timer = setTimeout(() => finish(new Error(`${name} did not get ready within ${timeoutMs} ms:\n${child.tail()}`)), timeoutMs);
          function onLine(line: string): void {
            const value = match(line);
            if (value !== undefined) finish(undefined, value);
          }
          function finish(err: Error | undefined, value?: T): void {
            clearTimeout(timer);
            lineListeners.delete(onLine);
            if (err) reject(err);
            else resolve(value as T);
          }
          lineListeners.add(onLine);
          void exited.then((code) => finish(new Error(`${name} exited (${code}) before it was ready:\n${child.tail()}`)));
        });
      },
      async stop(graceMs = options.graceMs ?? DEFAULT_GRACE_MS) {
        if (!exitedFlag) {
          signal(pid, 'SIGTERM');
          const timer = setTimeout(function killGroup() {
            process.stderr.write(`bench: ${name} (pid ${pid}) did not stop within ${graceMs} ms: killing its process group\n`);
            signal(-pid, 'SIGKILL');
          }, graceMs);
          await exited;
          clearTimeout(timer);
        }
        running.delete(child);
      },
    };
    running.add(child);
    void exited.then(() => running.delete(child));
    return child;
  }

  return {
    start,
    async stopAll() {
      for (const child of [...running].reverse()) await child.stop();
    },
    signalAll() {
      for (const child of running) if (!child.hasExited()) signal(child.pid, 'SIGTERM');
    },
  };
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone.
  }
}
