// The one decision the gateway makes for every request: forward it, or hold it for maintenance.
// Pure: a function of the snapshot, the time, the request and the static policy. No I/O.

import { type Cidr, inCidrs } from './client-address.js';
import { verifyBypassToken } from './bypass-token.js';
import { hasAnyPrefix } from './paths.js';
import { effectiveEnd, isInForce, type MaintenanceWindow, type Snapshot } from '../snapshot/types.js';

export interface RequestFacts {
  method: string;
  /** Normalised path, see normalizePath. */
  path: string;
  /** Lower-case host without port. */
  host: string;
  /** Read only when a window is in force, so callers may compute it lazily in a getter. */
  readonly clientAddress: string;
  readonly bypassToken: string | undefined;
}

export interface DecidePolicy {
  allowedPaths: readonly string[];
  bypassCidrs: readonly Cidr[];
}

export type Decision =
  | { action: 'forward'; reason: 'no_window' | 'allowed_path' | 'read_only' }
  | { action: 'bypass'; via: 'cidr' | 'cookie' }
  | {
      action: 'hold';
      /** The windows that hold this request, earliest start first. */
      windows: readonly MaintenanceWindow[];
      response: MaintenanceWindow['response'];
      /** When every holding window is over, or null while one of them has no end. */
      until: number | null;
    };

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const FORWARD_NO_WINDOW: Decision = Object.freeze({ action: 'forward', reason: 'no_window' });

export function appliesTo(window: MaintenanceWindow, path: string, host: string): boolean {
  if (window.hosts.length > 0 && !window.hosts.includes(host)) return false;
  return window.pathPrefixes.length === 0 || hasAnyPrefix(path, window.pathPrefixes);
}

const NONE: readonly MaintenanceWindow[] = Object.freeze([]);

/**
 * Windows in force now that cover this path and host. Allocates only when one does: with a
 * window merely scheduled for later, this runs on every forwarded request.
 */
export function windowsFor(snapshot: Snapshot, now: number, path: string, host: string): readonly MaintenanceWindow[] {
  let found: MaintenanceWindow[] | undefined;
  for (const window of snapshot.windows) {
    if (isInForce(window, now) && appliesTo(window, path, host)) (found ??= []).push(window);
  }
  return found ?? NONE;
}

function latestEnd(windows: readonly MaintenanceWindow[]): number | null {
  let latest = 0;
  for (const window of windows) {
    const end = effectiveEnd(window);
    if (end === null) return null;
    if (end > latest) latest = end;
  }
  return latest;
}

/** True when the link is active and its scope (path prefixes; none: every path) covers path. */
export function bypassCovers(snapshot: Snapshot, linkId: string, path: string): boolean {
  const prefixes = snapshot.activeBypassLinks.get(linkId);
  return prefixes !== undefined && (prefixes.length === 0 || hasAnyPrefix(path, prefixes));
}

export function decide(snapshot: Snapshot, now: number, request: RequestFacts, policy: DecidePolicy): Decision {
  if (snapshot.windows.length === 0) return FORWARD_NO_WINDOW;
  const inForce = windowsFor(snapshot, now, request.path, request.host);
  if (inForce.length === 0) return FORWARD_NO_WINDOW;
  if (hasAnyPrefix(request.path, policy.allowedPaths)) return { action: 'forward', reason: 'allowed_path' };

  const safe = SAFE_METHODS.has(request.method);
  const holding = safe ? inForce.filter((window) => window.mode === 'block') : inForce;
  if (holding.length === 0) return { action: 'forward', reason: 'read_only' };

  if (inCidrs(request.clientAddress, policy.bypassCidrs)) return { action: 'bypass', via: 'cidr' };
  const token = request.bypassToken;
  if (token) {
    const claims = verifyBypassToken(snapshot.bypassSecret, token, now);
    if (claims && bypassCovers(snapshot, claims.linkId, request.path)) return { action: 'bypass', via: 'cookie' };
  }
  return { action: 'hold', windows: holding, response: holding[0]!.response, until: latestEnd(holding) };
}

/** Seconds for Retry-After: whole seconds until `until`, at least 1; undefined when there is no end. */
export function retryAfterSeconds(until: number | null, now: number): number | undefined {
  if (until === null) return undefined;
  return Math.max(1, Math.ceil((until - now) / 1000));
}
