// `npm start` with a setting that cannot work: the process exits non-zero at once with one message
// a person can act on (which variable, which value, what to do), never a stack trace.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { GATEWAY_MAIN, killLeftovers, runNode } from '../helpers/process.js';
import { startUpstream, type Upstream } from '../helpers/upstream.js';

let upstream: Upstream;
let dataDir: string;

before(async () => {
  upstream = await startUpstream();
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'im-start-'));
});

after(async () => {
  await killLeftovers();
  await upstream?.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** `npm start`: node dist/src/main.js with only the environment given. */
function start(env: Record<string, string>) {
  return runNode(GATEWAY_MAIN, [], { HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env }, 20_000);
}

function assertNoStack(stderr: string): void {
  assert.doesNotMatch(stderr, /^\s+at /m, `a stack trace was printed:\n${stderr}`);
}

describe('start-up errors', () => {
  it('exits without UPSTREAM_URL, naming it and `npm run demo`, before touching the data folder', async () => {
    const result = await start({ PORT: '0', DATA_DIR: path.join(dataDir, 'data') });
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /UPSTREAM_URL/);
    assert.match(result.stderr, /npm run demo/);
    assertNoStack(result.stderr);
    assert.equal(existsSync(path.join(dataDir, 'data')), false, 'the embedded database was started for nothing');
  });

  it('exits with PORT=abc, naming PORT and the value', async () => {
    const result = await start({ PORT: 'abc', UPSTREAM_URL: upstream.url, DATA_DIR: path.join(dataDir, 'data') });
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /PORT="abc"/);
    assert.match(result.stderr, /whole number/);
    assertNoStack(result.stderr);
    assert.deepEqual(await readdir(dataDir), []);
  });

  it('exits with an unreachable DATABASE_URL, saying which database and why, without the password', async () => {
    const started = Date.now();
    const result = await start({ PORT: '0', UPSTREAM_URL: upstream.url, DATABASE_URL: 'postgres://x:s3cret-pw@127.0.0.1:1/db' });
    assert.notEqual(result.code, 0);
    assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms to give up`);
    assert.match(result.stderr, /^intermission: could not start: .*database.*\n$/);
    assert.match(result.stderr, /DATABASE_URL/);
    assert.match(result.stderr, /127\.0\.0\.1:1/);
    assert.match(result.stderr, /ECONNREFUSED/);
    assert.doesNotMatch(result.stderr, /s3cret-pw/);
    assertNoStack(result.stderr);
  });
});
