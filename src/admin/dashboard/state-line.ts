// The dashboard's one line: is traffic forwarded or held, by which window(s), until when, or
// answered with the trouble page while the application is judged down. A pure function of the
// windows in force, the upstream's judged state, the SRE's zone and the time.

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

/** `downSince`: when the application was judged down, or null while it is up (or checks are off). */
export function stateLine(inForce: readonly WindowRecord[], zone: string, now: number, downSince: number | null = null): StateLine {
  if (inForce.length === 0 && downSince !== null) {
    return {
      kind: 'holding',
      headline: 'Customers get the trouble page',
      detail: `the application is judged down since ${formatTime(downSince, zone)} (${fromNow(downSince, now)}); they are forwarded again once the health checks see it back.`,
    };
  }
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
