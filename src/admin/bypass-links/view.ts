// How bypass links read on the admin pages: state, scope and times in words, in the SRE's zone.

import { bypassLinkState, type BypassLinkRecord, type BypassLinkState } from '../../maintenance/bypass-links.js';
import { formatTime } from '../time-zone.js';
import { fromNow } from '../../status/time-text.js';

const STATES: Record<BypassLinkState, { label: string; badge: string }> = {
  active: { label: 'Active', badge: 'badge--ok' },
  expired: { label: 'Expired', badge: '' },
  revoked: { label: 'Revoked', badge: 'badge--warn' },
};

export interface LinkView {
  id: string;
  /** The uuid's first part, enough to tell links apart (the audit log names them so too). */
  shortId: string;
  note: string;
  scope: string;
  state: BypassLinkState;
  stateLabel: string;
  badge: string;
  expiresText: string;
  expiresRelative: string;
  revokedText: string | null;
  createdBy: string;
  createdText: string;
}

/** "every path", or "/checkout, /api/cart". */
export function linkScope(link: Pick<BypassLinkRecord, 'pathPrefixes'>): string {
  return link.pathPrefixes.length === 0 ? 'every path' : link.pathPrefixes.join(', ');
}

export function linkView(link: BypassLinkRecord, zone: string, now: number): LinkView {
  const state = bypassLinkState(link, now);
  return {
    id: link.id,
    shortId: link.id.slice(0, 8),
    note: link.note,
    scope: linkScope(link),
    state,
    stateLabel: STATES[state].label,
    badge: STATES[state].badge,
    expiresText: formatTime(link.expiresAt, zone),
    expiresRelative: fromNow(link.expiresAt, now),
    revokedText: link.revokedAt === null ? null : formatTime(link.revokedAt, zone),
    createdBy: link.createdBy,
    createdText: formatTime(link.createdAt, zone),
  };
}
