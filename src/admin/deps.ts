// What the admin area's routers are built from; main.ts (through gateway.ts) provides it.

import type { Config } from '../config/config.js';
import type { Pool } from '../db/pool.js';
import type { Logger } from '../log.js';
import type { SnapshotStore } from '../snapshot/store.js';

export interface AdminDeps {
  config: Readonly<Config>;
  pool: Pool;
  store: SnapshotStore;
  log: Logger;
  /** The application behind the gateway, for the dashboard's health line. */
  upstream: URL;
  now: () => number;
}
