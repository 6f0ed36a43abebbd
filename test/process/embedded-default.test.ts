// The default set-up end to end, whatever DATABASE_URL the tests run with: no DATABASE_URL, so the
// gateway runs its own embedded PostgreSQL in DATA_DIR; the CLI attaches to it; a kill -9 leaves
// a server behind that the next start stops; a second gateway on the folder is refused; SIGTERM
// stops everything.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, readlink, realpath, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stopProcess } from '../../src/db/embedded-pids.js';
import { waitFor } from '../helpers/gateway.js';
import { request } from '../helpers/http.js';
import { CLI_MAIN, GATEWAY_MAIN, isRunning, killLeftovers, runNode, startGatewayProcess, type GatewayProcess } from '../helpers/process.js';
import { startUpstream, type Upstream } from '../helpers/upstream.js';

let upstream: Upstream;
let dataDir: string;
let gateway: GatewayProcess | undefined;

before(async () => {
  upstream = await startUpstream();
  // Short: the unix socket path inside it must stay under 104 bytes.
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'im-e2e-'));
});

after(async () => {
  await gateway?.stop(15_000);
  await killLeftovers();
  // A failed test can leave the server a killed gateway started: stop it by its own pid file.
  const pid = postmasterPid();
  if (pid !== undefined && isRunning(pid)) await stopProcess(pid, [['SIGINT', 10_000], ['SIGKILL', 5_000]]);
  await upstream?.close();
  await rm(dataDir, { recursive: true, force: true });
});

function env(): Record<string, string> {
  return { UPSTREAM_URL: upstream.url, DATA_DIR: dataDir, LOG_LEVEL: 'info' };
}

function postmasterPid(): number | undefined {
  try {
    const pid = Number(readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
    return pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Every live process working in the data folder: the postmaster and its children chdir into it. */
async function processesInDataDir(): Promise<number[]> {
  const pgdata = await realpath(path.join(dataDir, 'postgres'));
  const found: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cwd = await readlink(`/proc/${entry}/cwd`).catch(() => '');
    if ((cwd === pgdata || cwd.startsWith(`${pgdata}/`)) && isRunning(Number(entry))) found.push(Number(entry));
  }
  return found;
}

function cli(...args: string[]) {
  return runNode(CLI_MAIN, args, { DATA_DIR: dataDir }, 30_000);
}

async function statusOf(gw: GatewayProcess, urlPath = '/shop'): Promise<number> {
  return (await request(`${gw.url}${urlPath}`)).status;
}

describe('embedded default end to end', () => {
  it('starts with no DATABASE_URL, initialising its own PostgreSQL in DATA_DIR, and forwards', async () => {
    gateway = await startGatewayProcess(env(), 90_000);
    assert.ok(gateway.logs.some((line) => line.msg === 'embedded postgres server ready'), gateway.stdout());
    assert.equal(await statusOf(gateway), 200);
    const pid = postmasterPid();
    assert.ok(pid !== undefined && isRunning(pid), 'no postmaster.pid for a running server');
  });

  it('takes maintenance on from the CLI within a second, through the running server, and off again', async () => {
    const on = await cli('maintenance', 'on', '--for', '5m');
    assert.equal(on.code, 0, on.stderr);
    const heldAfter = await waitFor(async () => (await statusOf(gateway!)) === 503, 1000, 'held after `maintenance on`');
    const off = await cli('maintenance', 'off');
    assert.equal(off.code, 0, off.stderr);
    const backAfter = await waitFor(async () => (await statusOf(gateway!)) === 200, 1000, 'forwarded after `maintenance off`');
    assert.ok(heldAfter < 1000 && backAfter < 1000);
  });

  it('after a kill -9, starts again: stops the orphaned postgres and runs its own', async () => {
    const orphan = postmasterPid()!;
    gateway!.child.kill('SIGKILL');
    await gateway!.exited;
    assert.ok(isRunning(orphan), 'postgres was expected to outlive a gateway killed with kill -9');

    gateway = await startGatewayProcess(env(), 60_000);
    assert.ok(gateway.logs.some((line) => line.msg === 'stopping a postgres server left running by an earlier gateway'), gateway.stdout());
    assert.equal(isRunning(orphan), false, 'the orphaned postgres is still running');
    const restarted = postmasterPid();
    assert.ok(restarted !== undefined && restarted !== orphan && isRunning(restarted));
    assert.equal(await statusOf(gateway), 200);
  });

  it('refuses a second gateway on the same DATA_DIR with a message saying it is in use', async () => {
    const second = await runNode(GATEWAY_MAIN, [], { ...env(), HOST: '127.0.0.1', PORT: '0', WORKERS: '1' }, 30_000);
    assert.notEqual(second.code, 0);
    assert.match(second.stderr, /in use/);
    assert.match(second.stderr, new RegExp(`pid ${gateway!.pid}`));
    assert.doesNotMatch(second.stderr, /^\s+at /m);
    // The first one is untouched.
    assert.equal(await statusOf(gateway!), 200);
    assert.ok(isRunning(postmasterPid()!));
  });

  it('stops the embedded server too on SIGTERM: no postgres process is left on the data folder', async () => {
    const postgres = postmasterPid()!;
    assert.ok((await processesInDataDir()).includes(postgres));
    const exit = await gateway!.stop(20_000);
    assert.equal(exit.code, 0, gateway!.stderr());
    assert.ok(gateway!.logs.some((line) => line.msg === 'embedded postgres server stopped'), gateway!.stdout());
    assert.ok(gateway!.logs.some((line) => line.msg === 'stopped'), gateway!.stdout());
    assert.equal(isRunning(postgres), false);
    assert.deepEqual(await processesInDataDir(), []);
    gateway = undefined;
  });
});
