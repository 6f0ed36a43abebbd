// CPU accounting from /proc: what the target's processes spent per request (steadier than req/s
// on a shared machine), and how busy the machine was with processes that are not the bench's.

import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';

export interface CpuUse {
  /** CPU seconds the target's process tree used (user + system, all threads). */
  targetSeconds: number;
  /** Share of the machine's CPU capacity used by processes outside the bench, 0..1. */
  otherShare: number;
  /** Share of the capacity the hypervisor gave to other guests (steal), 0..1. */
  stealShare: number;
}

interface Reading {
  at: number;
  target: Map<number, number>;
  benchTicks: number;
  busyTicks: number;
  stealTicks: number;
}

const TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

/** Fields after the "(comm)" of /proc/<pid>/stat; the command name may hold spaces. */
function statFields(pid: number): string[] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

function ownTicks(fields: string[]): number {
  // utime and stime: fields 14 and 15 of stat, 12 and 13 after "(comm)".
  return Number(fields[11]) + Number(fields[12]);
}

/** The process and all its descendants (the gateway's workers and postgres, nginx's worker). */
function tree(root: number): Map<number, number> {
  const childrenOf = new Map<number, number[]>();
  const ticks = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const fields = statFields(pid);
    if (!fields) continue;
    const parent = Number(fields[1]);
    childrenOf.set(parent, [...(childrenOf.get(parent) ?? []), pid]);
    ticks.set(pid, ownTicks(fields));
  }
  const found = new Map<number, number>();
  const pending = [root];
  while (pending.length > 0) {
    const pid = pending.pop()!;
    if (!ticks.has(pid) || found.has(pid)) continue;
    found.set(pid, ticks.get(pid)!);
    pending.push(...(childrenOf.get(pid) ?? []));
  }
  return found;
}

function benchTicks(): number {
  // The bench itself, its live descendants, and (cutime, cstime) the children it has reaped,
  // such as each wrk run, which has exited by the time the run is read.
  const self = statFields(process.pid)!;
  let total = Number(self[13]) + Number(self[14]);
  for (const ticks of tree(process.pid).values()) total += ticks;
  return total;
}

function machineTicks(): { busy: number; steal: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
  const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
  return { busy: user! + nice! + system! + irq! + softirq!, steal: steal ?? 0 };
}

function read(targetPid: number): Reading {
  const machine = machineTicks();
  return { at: performance.now(), target: tree(targetPid), benchTicks: benchTicks(), busyTicks: machine.busy, stealTicks: machine.steal };
}

/** Starts counting; the returned function gives what was used since. */
export function startCpuCount(targetPid: number): () => CpuUse {
  const before = read(targetPid);
  return function stopCpuCount(): CpuUse {
    const after = read(targetPid);
    let target = 0;
    for (const [pid, ticks] of after.target) target += ticks - (before.target.get(pid) ?? 0);
    const capacity = ((after.at - before.at) / 1000) * os.availableParallelism() * TICKS_PER_SECOND;
    const other = after.busyTicks - before.busyTicks - (after.benchTicks - before.benchTicks);
    return {
      targetSeconds: target / TICKS_PER_SECOND,
      otherShare: Math.max(0, other / capacity),
      stealShare: (after.stealTicks - before.stealTicks) / capacity,
    };
  };
}
