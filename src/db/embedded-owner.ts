// Who owns DATA_DIR: the lock a gateway takes while it runs the embedded server, and servers
// left running by a gateway that was killed before it could stop them.

import { existsSync } from 'node:fs';
import { readFile, readlink, realpath, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { EmbeddedDatabaseError } from '../errors.js';
import type { Logger } from '../log.js';
import { describeProcess, isAlive, pidExists, stopProcess } from './embedded-pids.js';

export interface DataDirPaths {
  dataDir: string;
  pgdata: string;
  lockFile: string;
}

// Tells our own lock from a stale one with the same pid: a restarted container reuses pids.
const PROCESS_STARTED_AT = String(Math.round(performance.timeOrigin));

export async function readPid(file: string): Promise<number | undefined> {
  const text = await readFile(file, 'utf8').catch(() => '');
  const pid = Number(text.split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

export async function takeLock(layout: DataDirPaths, log: Logger): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await writeFile(layout.lockFile, `${process.pid}\n${PROCESS_STARTED_AT}\n`, { flag: 'wx' });
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 5) {
        throw new EmbeddedDatabaseError('GW_ERR_EMBEDDED_PATH', `Cannot take the lock ${layout.lockFile}: ${(err as Error).message}`, { cause: err });
      }
    }
    const text = await readFile(layout.lockFile, 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    const [first, startedAt] = text.split('\n');
    const pid = Number(first);
    // An empty lock is most likely being written by a process that has just created it.
    if (!pid && attempt < 3) {
      await sleep(100);
      continue;
    }
    if (pid && (await holdsLock(pid, startedAt))) {
      throw new EmbeddedDatabaseError(
        'GW_ERR_EMBEDDED_BUSY',
        `DATA_DIR ${layout.dataDir} is in use by another Intermission process (pid ${pid}): stop it, or set DATA_DIR to another folder, or set DATABASE_URL`,
      );
    }
    log.warn({ ownerPid: pid, lockFile: layout.lockFile }, 'taking over the lock of a gateway that is no longer running');
    await rm(layout.lockFile, { force: true });
  }
}

async function holdsLock(pid: number, startedAt: string | undefined): Promise<boolean> {
  if (pid === process.pid) return startedAt === PROCESS_STARTED_AT;
  if (!(await isAlive(pid))) return false;
  // A reused pid that now runs another program does not hold the lock.
  const [theirs, ours] = await Promise.all([readlink(`/proc/${pid}/exe`), readlink('/proc/self/exe')].map((p) => p.catch(() => undefined)));
  return theirs === undefined || ours === undefined || theirs === ours;
}

/** After a kill -9 of the gateway its postgres keeps running: stop it before starting our own. */
export async function stopOrphanedServer(layout: DataDirPaths, log: Logger): Promise<void> {
  const pidFile = path.join(layout.pgdata, 'postmaster.pid');
  const pid = await readPid(pidFile);
  // A pid nothing answers to is a stale file that postgres clears by itself.
  if (pid === undefined || !pidExists(pid)) return;
  if (await isAlive(pid)) {
    const { program, cwd } = await describeProcess(pid);
    // Unknown: leave it, postgres refuses to start next to a live server and says so.
    if (program === undefined) return;
    if (program === 'postgres' && (cwd === undefined || cwd === (await realpath(layout.pgdata)))) {
      log.warn({ postgresPid: pid, dataDir: layout.dataDir }, 'stopping a postgres server left running by an earlier gateway');
      const gone = await stopProcess(pid, [['SIGINT', 15_000], ['SIGQUIT', 5_000], ['SIGKILL', 5_000]]);
      if (!gone) {
        throw new EmbeddedDatabaseError(
          'GW_ERR_EMBEDDED_START',
          `A PostgreSQL server (pid ${pid}) left running in DATA_DIR ${layout.dataDir} by an earlier gateway does not stop: stop it by hand, then start again`,
        );
      }
      if (!existsSync(pidFile) || !pidExists(pid)) return;
    }
  }
  // That pid is now a zombie, a thread or another program, not our server; postgres would still
  // refuse to start because kill(pid, 0) succeeds.
  log.info({ postgresPid: pid }, 'removing a stale postmaster.pid');
  await rm(pidFile, { force: true });
}
