// What the window pages share beyond every form's basics (../form.ts): where an action returns
// to, and the warning about overlapping windows.

import type express from 'express';
import type { WindowRecord } from '../../maintenance/windows.js';
import type { FlashMessage } from '../flash.js';
import type { FormValues } from '../form.js';
import { formatTime } from '../time-zone.js';
import { overlapText } from './json.js';

/** Where an action returns to: the dashboard when it came from there, else the window's page. */
export function backPath(req: express.Request, id: string): string {
  return (req.body as FormValues | undefined)?.back === 'dashboard' ? '' : `/windows/${id}`;
}

/** The flash warning for overlapping windows, in the zone the SRE reads. */
export function overlapFlash(overlaps: readonly WindowRecord[], zone: string): FlashMessage[] {
  if (overlaps.length === 0) return [];
  const names = overlaps.slice(0, 3).map((other) => overlapText(other, (ms) => formatTime(ms, zone)));
  const more = overlaps.length > 3 ? ` and ${overlaps.length - 3} more` : '';
  return [{ kind: 'warning', text: `Saved, but it overlaps ${names.join(', ')}${more}. Check that this is intended.` }];
}
