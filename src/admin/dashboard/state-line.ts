// The dashboard's one line: is traffic forwarded or held, by which window(s), until when.
// A pure function of the windows in force, the SRE's zone and the time.

import type { WindowRecord } from '../../maintenance/windows.js';
import { formatTime } from '../time-zone.js';
import { scopeText } from '../windows/view.js';
import { heldUntil } from '../../snapshot/types.js';
import { fromNow } from '../../status/time-text.js';

export interface StateLine {
  kind: 'forwarding' | 'holding';
  /** The bold part: "Traffic is held". */
  headline: string;
  /** The rest of the sentence: "by “Database upgrade” until …". */
  detail: string;
}

function partial(window: WindowRecord): boolean {
  return window.mode === 'read_only' || window.pathPrefixes.length > 0 || window.hosts.length > 0;
}

export function stateLine(inForce: readonly WindowRecord[], zone: string, now: number): StateLine {
  if (inForce.length === 0) {
    return { kind: 'forwarding', headline: 'Traffic is forwarded to the application', detail: 'no maintenance window is in force.' };
  }
  const some = inForce.every(partial);
  const headline = some ? 'Some traffic is held' : 'Traffic is held';
  const by =
    inForce.length === 1
      ? `by “${inForce[0]!.title}”${some ? ` (${inForce[0]!.mode === 'read_only' ? 'read-only, ' : ''}${scopeText(inForce[0]!)})` : ''}`
      : `by ${inForce.length} windows: ${inForce.map((w) => `“${w.title}”`).join(', ')}`;
  const end = heldUntil(inForce, now);
  const verifying = inForce.some((w) => w.verifyUpstream && w.lifecycle === 'verifying');
  const until = verifying ? 'until the application passes its health check'
    : end === null ? 'until someone ends it' : `until ${formatTime(end, zone)} (${fromNow(end, now)})`;
  return { kind: 'holding', headline, detail: `${by} ${until}.` };
}
