// How API tokens read on the admin pages: states in words, times in the reader's zone and
// relative to now. Plain data for the templates, which only print (escaped).

import type { ApiToken } from '../../accounts/api-tokens.js';
import type { Role } from '../../accounts/roles.js';
import { formatTime } from '../time-zone.js';
import { tokenState, type TokenState } from './json.js';
import { fromNow } from '../../status/time-text.js';

export const STATE_LABELS: Record<TokenState, { label: string; badge: string }> = {
  active: { label: 'Active', badge: 'badge--ok' },
  expired: { label: 'Expired', badge: 'badge--warn' },
  revoked: { label: 'Revoked', badge: '' },
};

export interface TokenView {
  id: string;
  name: string;
  prefix: string;
  role: Role;
  /** Where it acts: a site's slug, or "every site"; shown only with more than one site. */
  scopeText: string;
  state: TokenState;
  stateLabel: string;
  badge: string;
  expiresText: string;
  expiresRelative: string | null;
  lastUsedText: string;
  lastUsedRelative: string | null;
  revokedText: string | null;
  createdBy: string;
  createdText: string;
}

export function tokenView(token: ApiToken, zone: string, now: number, slugOf: (siteId: string) => string): TokenView {
  const state = tokenState(token, now);
  return {
    id: token.id,
    name: token.name,
    prefix: token.prefix,
    role: token.role,
    scopeText: token.siteId === null ? 'every site' : slugOf(token.siteId),
    state,
    stateLabel: STATE_LABELS[state].label,
    badge: STATE_LABELS[state].badge,
    expiresText: token.expiresAt === null ? 'never' : formatTime(token.expiresAt, zone),
    expiresRelative: token.expiresAt === null ? null : fromNow(token.expiresAt, now),
    lastUsedText: token.lastUsedAt === null ? 'never used' : formatTime(token.lastUsedAt, zone),
    lastUsedRelative: token.lastUsedAt === null ? null : fromNow(token.lastUsedAt, now),
    revokedText: token.revokedAt === null ? null : formatTime(token.revokedAt, zone),
    createdBy: token.createdBy,
    createdText: formatTime(token.createdAt, zone),
  };
}
