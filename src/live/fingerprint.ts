// A short id for everything the status page shows at a moment. Equal data gives an equal id on
// every gateway, so a page can tell whether what it shows is still current.

import { createHash } from 'node:crypto';
import { isInForce, type Snapshot } from '../snapshot/types.js';

export function pageFingerprint(snapshot: Snapshot, now: number): string {
  // The bypass secret and links decide requests but are never shown, so they stay out.
  const shown = JSON.stringify([
    snapshot.windows,
    snapshot.windows.filter((window) => isInForce(window, now)).map((window) => window.id),
    snapshot.components,
    snapshot.componentGroups,
    snapshot.incidents,
    snapshot.updates,
    snapshot.settings,
    snapshot.upstream,
    snapshot.pastWindows,
  ]);
  return createHash('sha256').update(shown).digest('base64url').slice(0, 22);
}
