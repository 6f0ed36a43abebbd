// A small bounded memo for rendered pages (the status page, the badge, the widget): the last few
// values by key, oldest dropped first. Keys carry the snapshot version, so a change makes new keys
// and the old ones age out.

import { ConfigError } from '../errors.js';

export interface Memo<T> {
  get(key: string, build: () => T): T;
  readonly size: number;
}

export function createMemo<T>(maxSize: number): Memo<T> {
  if (!Number.isInteger(maxSize) || maxSize < 1) throw new ConfigError(`memo size must be a positive integer, got ${maxSize}`);
  const entries = new Map<string, T>();
  return {
    get(key, build) {
      const hit = entries.get(key);
      if (hit !== undefined) return hit;
      const value = build();
      entries.set(key, value);
      // Map keeps insertion order: the first key is the oldest. Labels come from the query string,
      // so a flood of different ones costs a render each, never memory.
      if (entries.size > maxSize) entries.delete(entries.keys().next().value as string);
      return value;
    },
    get size() {
      return entries.size;
    },
  };
}
