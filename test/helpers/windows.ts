// Builders for snapshots and windows in unit tests, with a fixed clock.

import { DEFAULT_SITE, NO_SETTINGS, UPSTREAM_UP, type MaintenanceWindow, type Snapshot } from '../../src/snapshot/types.js';

export const NOW = Date.parse('2026-11-22T12:00:00.000Z');
export const MINUTE = 60_000;

let nextId = 1;

export function win(overrides: Partial<MaintenanceWindow> = {}): MaintenanceWindow {
  return {
    id: String(nextId++),
    title: 'Database upgrade',
    message: 'We are upgrading the database.',
    startsAt: NOW - 10 * MINUTE,
    endsAt: NOW + 30 * MINUTE,
    endedAt: null,
    mode: 'block',
    response: 'render',
    pathPrefixes: [],
    hosts: [],
    componentIds: [],
    lifecycle: 'in_progress',
    verifyUpstream: false,
    ...overrides,
  };
}

export function snap(windows: MaintenanceWindow[], overrides: Partial<Snapshot> = {}): Snapshot {
  return {
    version: 1,
    loadedAt: NOW,
    site: DEFAULT_SITE,
    windows,
    components: [],
    componentGroups: [],
    incidents: [],
    updates: [],
    bypassSecret: 'test-secret',
    activeBypassLinks: new Map(),
    settings: NO_SETTINGS,
    upstream: UPSTREAM_UP,
    pastWindows: [],
    ...overrides,
  };
}
