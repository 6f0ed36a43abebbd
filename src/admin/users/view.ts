// How users and sessions read on the admin pages: states and roles in words, times in the
// reader's zone. Plain data for the templates, which only print (escaped).

import { hasRole, ROLE_DESCRIPTIONS, ROLES, type Role } from '../../accounts/roles.js';
import type { SessionSummary } from '../../accounts/sessions.js';
import type { Member } from '../../accounts/site-members.js';
import { formatTime } from '../time-zone.js';
import { userState, type UserState } from './json.js';
import { fromNow } from '../../status/time-text.js';

export const STATE_LABELS: Record<UserState, { label: string; badge: string }> = {
  active: { label: 'Active', badge: 'badge--ok' },
  invite_pending: { label: 'Invite pending', badge: 'badge--info' },
  disabled: { label: 'Disabled', badge: '' },
};

/** The role choices of a form, least first, with what each may do. */
export const ROLE_CHOICES = ROLES.map((role) => ({ role, description: ROLE_DESCRIPTIONS[role] }));

export function isDowngrade(from: Role, to: Role): boolean {
  return from !== to && hasRole(from, to);
}

export interface UserView {
  id: string;
  email: string;
  name: string;
  /** In this site: a global admin who is not a member shows as admin. */
  role: Role;
  member: boolean;
  globalAdmin: boolean;
  state: UserState;
  stateLabel: string;
  badge: string;
  createdText: string;
  timeZone: string;
  passwordText: string;
  /** For a pending invite: when its newest link expires, or that it has. */
  inviteText: string | null;
  inviteExpired: boolean;
}

export function userView(user: Member, zone: string, now: number, inviteExpiresAt?: number): UserView {
  const state = userState(user);
  const expired = inviteExpiresAt === undefined || inviteExpiresAt <= now;
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role ?? 'admin',
    member: user.role !== null,
    globalAdmin: user.globalAdmin,
    state,
    stateLabel: STATE_LABELS[state].label,
    badge: STATE_LABELS[state].badge,
    createdText: formatTime(user.createdAt, zone),
    timeZone: user.timeZone ?? 'their browser’s',
    passwordText: user.passwordChangedAt === null ? 'not chosen yet' : `last changed ${formatTime(user.passwordChangedAt, zone)}`,
    inviteText:
      state !== 'invite_pending' ? null
      : expired ? 'the invite link has expired: make a new one'
      : `the invite link works until ${formatTime(inviteExpiresAt!, zone)} (${fromNow(inviteExpiresAt!, now)})`,
    inviteExpired: state === 'invite_pending' && expired,
  };
}

export interface SessionView {
  idHash: string;
  current: boolean;
  createdText: string;
  lastSeenText: string;
  expiresText: string;
  address: string;
  browser: string;
}

/** The raw user agent, shortened: enough to tell one's sessions apart, with no parser to keep up to date. */
function browserOf(userAgent: string): string {
  const text = userAgent.trim();
  if (!text) return 'unknown browser';
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

export function sessionView(session: SessionSummary, currentIdHash: string, zone: string, now: number): SessionView {
  return {
    idHash: session.idHash,
    current: session.idHash === currentIdHash,
    createdText: formatTime(session.createdAt, zone),
    lastSeenText: fromNow(session.lastSeenAt, now),
    expiresText: formatTime(session.expiresAt, zone),
    address: session.address || 'unknown address',
    browser: browserOf(session.userAgent),
  };
}
