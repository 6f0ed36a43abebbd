// What a pid is on this OS: alive (not a zombie, not a thread), which program, and stopping
// one that is not our child. Used to tell a live embedded server from a stale pid file.

import { execFile } from 'node:child_process';
import { readFile, readlink } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** Whether kill(pid, 0) finds anything, which is also the test postgres applies to postmaster.pid. */
export function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A running process: kill(pid, 0) also succeeds for zombies nobody reaps and for thread ids. */
export async function isAlive(pid: number): Promise<boolean> {
  if (!pidExists(pid)) return false;
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => undefined);
  if (status === undefined) return true;
  const state = /^State:\s*(\S)/m.exec(status)?.[1];
  const tgid = /^Tgid:\s*(\d+)/m.exec(status)?.[1];
  return state !== 'Z' && state !== 'X' && (tgid === undefined || Number(tgid) === pid);
}

/** What runs as pid, as far as this OS tells: program name and working directory, each when known. */
export async function describeProcess(pid: number): Promise<{ program?: string; cwd?: string }> {
  const comm = await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => undefined);
  if (comm !== undefined) {
    const cwd = await readlink(`/proc/${pid}/cwd`).catch(() => undefined);
    return { program: comm.trim(), ...(cwd === undefined ? {} : { cwd }) };
  }
  try {
    const { stdout } = await execFileAsync('ps', ['-o', 'comm=', '-p', String(pid)]);
    const program = path.basename(stdout.trim());
    return program ? { program } : {};
  } catch {
    return {};
  }
}

/** Signals a process that is not our child and polls until it is gone; true if it went. */
export async function stopProcess(pid: number, steps: Array<[NodeJS.Signals, number]>): Promise<boolean> {
  for (const [signal, waitMs] of steps) {
    try {
      process.kill(pid, signal);
    } catch {
      return true;
    }
    for (const deadline = Date.now() + waitMs; Date.now() < deadline; await sleep(100)) {
      if (!(await isAlive(pid))) return true;
    }
  }
  return !(await isAlive(pid));
}
