// The gateway's static configuration: read from the environment once, validated, frozen.
// Dynamic state (windows, components, bypass links) lives in PostgreSQL, never here.

import os from 'node:os';
import path from 'node:path';
import proxyAddr from 'proxy-addr';
import type ipaddr from 'ipaddr.js';
import { ConfigError } from '../errors.js';
import * as read from './parse.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const ACCESS_LOG_MODES = ['off', 'gateway', 'all'] as const;

export interface Config {
  /** Where forwarded traffic goes. Only `undefined` for commands that never forward (the CLI). */
  upstreamUrl: URL | undefined;
  host: string;
  port: number;
  /** A postgres:// URL, or undefined for the embedded server kept in dataDir. */
  databaseUrl: string | undefined;
  dataDir: string;
  statusPath: string;
  adminPath: string;
  siteName: string;
  supportEmail: string | undefined;
  /** The public address of the gateway, used in links it prints or returns (bypass links, status_url). */
  publicUrl: URL | undefined;
  /** Decides which peers may set X-Forwarded-For; see client-address.ts. */
  trustProxy: (addr: string, hop: number) => boolean;
  trustedProxies: string[];
  bypassCidrs: [ipaddr.IPv4 | ipaddr.IPv6, number][];
  allowedPaths: string[];
  logLevel: (typeof LOG_LEVELS)[number];
  accessLog: (typeof ACCESS_LOG_MODES)[number];
  upstreamTimeoutMs: number;
  keepAliveTimeoutMs: number;
  shutdownTimeoutMs: number;
  snapshotReloadMs: number;
  workers: number;
  /** The first admin, created at start-up when no user exists yet; without them a setup link is logged. */
  adminEmail: string | undefined;
  adminPassword: string | undefined;
  sessionIdleTimeoutMs: number;
  sessionMaxAgeMs: number;
  /** Runs the scheduled jobs in this process; they are coordinated, so on everywhere is safe. */
  jobs: boolean;
  healthcheck: HealthcheckConfig;
  /** How long a window that verifies the upstream may stay in verifying after its end. */
  verifyTimeoutMs: number;
  /** How far ahead recurring series are expanded into windows. */
  seriesHorizonDays: number;
  webhooks: WebhookConfig;
  /** smtp:// or smtps:// URL for e-mail reminders; undefined: no e-mail. */
  smtpUrl: URL | undefined;
  smtpFrom: string;
  events: EventsConfig;
}

export interface EventsConfig {
  /** A comment line this often keeps proxies and load balancers from closing an idle stream. */
  heartbeatMs: number;
  /** Open streams one process keeps; more are refused with 503 and the page falls back to polling. */
  maxStreams: number;
}

export interface HealthcheckConfig {
  /** The path the active check asks for; any answer below 500 within the timeout passes. */
  path: string;
  /** Seconds between active checks; 0 turns detection of unplanned downtime off. */
  intervalSeconds: number;
  timeoutMs: number;
  /** Consecutive failed checks that judge the upstream down, and passed ones that judge it back. */
  downAfter: number;
  upAfter: number;
  /** Consecutive failed forwarded requests (no answer, or 5xx) that judge it down; 0: only active checks. */
  requestFailures: number;
}

export interface WebhookConfig {
  timeoutMs: number;
  maxAttempts: number;
  /** The first retry waits this long; each next one twice as long, up to an hour. */
  retryBaseMs: number;
}

const SECOND = 1000;
const HOUR = 3600 * SECOND;
const DAY = 24 * HOUR;

function trustedProxies(env: read.Env): { list: string[]; trust: Config['trustProxy'] } {
  const list = read.list(env, 'TRUSTED_PROXIES');
  try {
    return { list, trust: proxyAddr.compile(list) };
  } catch (err) {
    return read.invalidSetting('TRUSTED_PROXIES', list.join(','), `IP addresses, CIDR ranges or the words loopback, linklocal, uniquelocal (${(err as Error).message})`);
  }
}

function workers(env: read.Env): number {
  const raw = read.text(env, 'WORKERS');
  if (raw === undefined || raw.toLowerCase() === 'auto') return os.availableParallelism();
  return read.integer(env, 'WORKERS', 1, 1, 64);
}

function firstAdmin(env: read.Env): { email: string | undefined; password: string | undefined } {
  const email = read.email(env, 'ADMIN_EMAIL')?.toLowerCase();
  // Not trimmed: spaces may be part of a passphrase.
  const password = env.ADMIN_PASSWORD || undefined;
  if ((email === undefined) !== (password === undefined)) {
    throw new ConfigError('ADMIN_EMAIL and ADMIN_PASSWORD go together: set both to create the first admin, or neither to get a setup link in the log');
  }
  if (password !== undefined && [...password].length < 12) {
    throw new ConfigError('ADMIN_PASSWORD is too short: expected at least 12 characters');
  }
  return { email, password };
}

// node-cron runs a job on second marks, so an interval must divide a minute evenly (or be whole minutes).
const HEALTHCHECK_INTERVALS = [0, 1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60];

function healthcheck(env: read.Env): HealthcheckConfig {
  const path = read.text(env, 'HEALTHCHECK_PATH') ?? '/';
  if (!path.startsWith('/')) read.invalidSetting('HEALTHCHECK_PATH', path, 'a path that starts with /, such as /healthz');
  const intervalSeconds = read.integer(env, 'HEALTHCHECK_INTERVAL_S', 10, 0, 60);
  if (!HEALTHCHECK_INTERVALS.includes(intervalSeconds)) {
    read.invalidSetting('HEALTHCHECK_INTERVAL_S', String(intervalSeconds), `one of ${HEALTHCHECK_INTERVALS.join(', ')} (seconds that divide a minute; 0 turns checks off)`);
  }
  return {
    path,
    intervalSeconds,
    timeoutMs: read.integer(env, 'HEALTHCHECK_TIMEOUT_MS', 2 * SECOND, 100, 60 * SECOND),
    downAfter: read.integer(env, 'HEALTHCHECK_DOWN_AFTER', 3, 1, 100),
    upAfter: read.integer(env, 'HEALTHCHECK_UP_AFTER', 2, 1, 100),
    requestFailures: read.integer(env, 'HEALTHCHECK_REQUEST_FAILURES', 10, 0, 10000),
  };
}

function smtp(env: read.Env): { url: URL | undefined; from: string } {
  const url = read.smtpUrl(env, 'SMTP_URL');
  const from = read.text(env, 'SMTP_FROM') ?? 'Intermission <intermission@localhost>';
  return { url, from };
}

function checkReservedPaths(statusPath: string, adminPath: string): void {
  const overlaps = (a: string, b: string) => a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);
  if (overlaps(statusPath, adminPath)) {
    throw new ConfigError(`STATUS_PATH=${statusPath} and ADMIN_PATH=${adminPath} overlap: give each its own path`);
  }
  for (const [name, value] of [['STATUS_PATH', statusPath], ['ADMIN_PATH', adminPath]] as const) {
    if (overlaps(value, '/_gateway')) throw new ConfigError(`${name}=${value} is invalid: /_gateway is reserved for the gateway itself`);
  }
}

export function loadConfig(env: read.Env = process.env): Readonly<Config> {
  const statusPath = read.pathPrefix(env, 'STATUS_PATH', '/status');
  const adminPath = read.pathPrefix(env, 'ADMIN_PATH', '/admin');
  checkReservedPaths(statusPath, adminPath);
  const proxies = trustedProxies(env);
  const allowedPaths = read.list(env, 'ALLOWED_PATHS');
  const admin = firstAdmin(env);
  const mail = smtp(env);
  for (const prefix of allowedPaths) {
    if (!prefix.startsWith('/')) read.invalidSetting('ALLOWED_PATHS', prefix, 'a comma-separated list of paths that start with /');
  }
  return Object.freeze({
    upstreamUrl: read.httpUrl(env, 'UPSTREAM_URL'),
    host: read.text(env, 'HOST') ?? '0.0.0.0',
    port: read.integer(env, 'PORT', 8080, 0, 65535),
    databaseUrl: read.postgresUrl(env, 'DATABASE_URL'),
    dataDir: path.resolve(read.text(env, 'DATA_DIR') ?? './data'),
    statusPath,
    adminPath,
    siteName: read.text(env, 'SITE_NAME') ?? 'Our service',
    supportEmail: read.email(env, 'SUPPORT_EMAIL'),
    publicUrl: read.httpUrl(env, 'PUBLIC_URL'),
    trustProxy: proxies.trust,
    trustedProxies: proxies.list,
    bypassCidrs: read.cidrList(env, 'BYPASS_CIDRS'),
    allowedPaths: allowedPaths.length > 0 || env.ALLOWED_PATHS !== undefined ? allowedPaths : ['/.well-known/'],
    logLevel: read.oneOf(env, 'LOG_LEVEL', 'info', LOG_LEVELS),
    accessLog: read.oneOf(env, 'ACCESS_LOG', 'gateway', ACCESS_LOG_MODES),
    upstreamTimeoutMs: read.integer(env, 'UPSTREAM_TIMEOUT_MS', 60 * SECOND, 100, HOUR),
    keepAliveTimeoutMs: read.integer(env, 'KEEP_ALIVE_TIMEOUT_MS', 65 * SECOND, 1000, HOUR),
    shutdownTimeoutMs: read.integer(env, 'SHUTDOWN_TIMEOUT_MS', 25 * SECOND, 0, HOUR),
    snapshotReloadMs: read.integer(env, 'SNAPSHOT_RELOAD_MS', 30 * SECOND, 1000, HOUR),
    workers: workers(env),
    adminEmail: admin.email,
    adminPassword: admin.password,
    sessionIdleTimeoutMs: read.integer(env, 'SESSION_IDLE_TIMEOUT_MS', 8 * HOUR, 60 * SECOND, 30 * DAY),
    sessionMaxAgeMs: read.integer(env, 'SESSION_MAX_AGE_MS', 7 * DAY, 60 * SECOND, 365 * DAY),
    jobs: read.boolean(env, 'JOBS', true),
    healthcheck: Object.freeze(healthcheck(env)),
    verifyTimeoutMs: read.integer(env, 'VERIFY_TIMEOUT_MS', 15 * 60 * SECOND, SECOND, DAY),
    seriesHorizonDays: read.integer(env, 'SERIES_HORIZON_DAYS', 14, 1, 366),
    webhooks: Object.freeze({
      timeoutMs: read.integer(env, 'WEBHOOK_TIMEOUT_MS', 10 * SECOND, 100, 60 * SECOND),
      maxAttempts: read.integer(env, 'WEBHOOK_MAX_ATTEMPTS', 8, 1, 50),
      retryBaseMs: read.integer(env, 'WEBHOOK_RETRY_BASE_MS', 30 * SECOND, 10, HOUR),
    }),
    smtpUrl: mail.url,
    smtpFrom: mail.from,
    events: Object.freeze({
      heartbeatMs: read.integer(env, 'EVENTS_HEARTBEAT_S', 15, 1, 300) * SECOND,
      maxStreams: read.integer(env, 'EVENTS_MAX_STREAMS', 10_000, 0, 1_000_000),
    }),
  });
}

/** For `npm start`: forwarding needs somewhere to forward to. */
export function requireUpstream(config: Readonly<Config>): URL {
  if (config.upstreamUrl) return config.upstreamUrl;
  throw new ConfigError(
    'UPSTREAM_URL is not set: set it to the address of the application to protect, ' +
      'e.g. UPSTREAM_URL=http://app:3000 npm start (or try `npm run demo`, which runs a sample application for you)',
  );
}
