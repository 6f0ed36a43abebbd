// The one decision the gateway makes for every request: forward it, hold it for maintenance, or
// answer it while the upstream is judged down. Pure: a function of the snapshot, the time, the
// request and the static policy. No I/O.

import { type Cidr, inCidrs } from './client-address.js';
import { verifyBypassToken } from './bypass-token.js';
import { hasAnyPrefix } from './paths.js';
import { heldUntil, isInForce, type MaintenanceWindow, type Snapshot } from '../snapshot/types.js';

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
  /**
   * False when health checks are off (HEALTHCHECK_INTERVAL_S=0): nothing would ever judge the
   * upstream back up, so a "down" left in the database is not acted on. Default true.
   */
  upstreamChecks?: boolean;
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
    }
  | {
      /** The upstream is judged down and no window holds the request: it is not sent there. */
      action: 'unavailable';
      /** The outage in progress, for counting what it held. */
      outageId: string | null;
    };

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const FORWARD_NO_WINDOW: Decision = Object.freeze({ action: 'forward', reason: 'no_window' });
const FORWARD_READ_ONLY: Decision = Object.freeze({ action: 'forward', reason: 'read_only' });

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

/** True when the link is active and its scope (path prefixes; none: every path) covers path. */
export function bypassCovers(snapshot: Snapshot, linkId: string, path: string): boolean {
  const prefixes = snapshot.activeBypassLinks.get(linkId);
  return prefixes !== undefined && (prefixes.length === 0 || hasAnyPrefix(path, prefixes));
}

/** How a request gets past what would stop it: an allowlisted address, or a bypass cookie or header; null: it does not. */
function bypassVia(snapshot: Snapshot, now: number, request: RequestFacts, policy: DecidePolicy): 'cidr' | 'cookie' | null {
  if (inCidrs(request.clientAddress, policy.bypassCidrs)) return 'cidr';
  const token = request.bypassToken;
  if (token) {
    const claims = verifyBypassToken(snapshot.bypassSecret, token, now);
    if (claims && bypassCovers(snapshot, claims.linkId, request.path)) return 'cookie';
  }
  return null;
}

/**
 * A request no window holds, while the upstream is judged down: allowed paths and bypasses still
 * go through, so an SRE can reach the application to fix it; the rest is answered here.
 */
function whileDown(snapshot: Snapshot, now: number, request: RequestFacts, policy: DecidePolicy): Decision {
  if (hasAnyPrefix(request.path, policy.allowedPaths)) return { action: 'forward', reason: 'allowed_path' };
  const via = bypassVia(snapshot, now, request, policy);
  if (via) return { action: 'bypass', via };
  return { action: 'unavailable', outageId: snapshot.upstream.outageId };
}

export function decide(snapshot: Snapshot, now: number, request: RequestFacts, policy: DecidePolicy): Decision {
  const down = snapshot.upstream.state === 'down' && policy.upstreamChecks !== false;
  if (snapshot.windows.length === 0 && !down) return FORWARD_NO_WINDOW;
  const inForce = windowsFor(snapshot, now, request.path, request.host);
  if (inForce.length === 0) return down ? whileDown(snapshot, now, request, policy) : FORWARD_NO_WINDOW;
  if (hasAnyPrefix(request.path, policy.allowedPaths)) return { action: 'forward', reason: 'allowed_path' };

  const safe = SAFE_METHODS.has(request.method);
  const holding = safe ? inForce.filter((window) => window.mode === 'block') : inForce;
  if (holding.length === 0) return down ? whileDown(snapshot, now, request, policy) : FORWARD_READ_ONLY;

  const via = bypassVia(snapshot, now, request, policy);
  if (via) return { action: 'bypass', via };
  return { action: 'hold', windows: holding, response: holding[0]!.response, until: heldUntil(holding, now) };
}

/** Seconds for Retry-After: whole seconds until `until`, at least 1; undefined when there is no end. */
export function retryAfterSeconds(until: number | null, now: number): number | undefined {
  if (until === null) return undefined;
  return Math.max(1, Math.ceil((until - now) / 1000));
}
