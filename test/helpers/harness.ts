// The set-up most integration test files share: a fresh database, a real upstream and a gateway in
// front of it, started once before the file's tests and stopped after them.

import { after, before } from 'node:test';
import { createTestDatabase, stopTestServer, type TestDatabase } from './database.js';
import { startGateway, type TestGateway } from './gateway.js';
import { startUpstream, type Upstream } from './upstream.js';

export interface Harness {
  db: TestDatabase;
  upstream: Upstream;
  gw: TestGateway;
}

/**
 * Registers a before hook that starts a database, an upstream and a gateway (`env` on top of the
 * gateway's test defaults), and an after hook that stops them. Returns a promise of them, settled
 * by that before hook: the file's own before hooks await it, as `({ db, gw } = await harness)`.
 * It is a promise rather than an object filled in later because Node 20 starts top-level before
 * hooks one after the other without waiting for the previous one to finish.
 *
 * After hooks do run one at a time, in the order they were registered: the file's own run once the
 * database is dropped, so what still uses it (a second gateway) is closed in an after hook
 * registered before this call.
 */
export function useGateway(env: Record<string, string> = {}): Promise<Harness> {
  const parts: Partial<Harness> = {};
  let begin!: () => void;
  const started = new Promise<void>((resolve) => (begin = resolve)).then(async () => {
    parts.db = await createTestDatabase();
    parts.upstream = await startUpstream();
    parts.gw = await startGateway(parts.db.url, parts.upstream.url, env);
    return parts as Harness;
  });
  before(() => {
    begin();
    return started;
  });
  after(async () => {
    // Any part may be missing when the before hook failed half-way; close what was started.
    await parts.gw?.close();
    await parts.upstream?.close();
    await parts.db?.drop();
    await stopTestServer();
  });
  return started;
}
