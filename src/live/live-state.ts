// What an open status page hears: the overall status, under the fingerprint of everything the
// page shows, so a page that reconnects (to any gateway) with Last-Event-ID hears only what it missed.

import { heldUntil, isInForce, type Snapshot } from '../snapshot/types.js';
import { pageStatus } from '../status/view-model.js';
import { pageFingerprint } from './fingerprint.js';

export interface LiveState {
  id: string;
  /** The event's data line: JSON, one line. */
  data: string;
}

export function liveState(snapshot: Snapshot, now: number): LiveState {
  const { indicator, description } = pageStatus(snapshot, now);
  const inForce = snapshot.windows.filter((window) => isInForce(window, now));
  const endsAt = heldUntil(inForce, now);
  return {
    id: pageFingerprint(snapshot, now),
    data: JSON.stringify({
      indicator,
      description,
      maintenance: inForce.length > 0,
      ends_at: endsAt === null ? null : new Date(endsAt).toISOString(),
    }),
  };
}
