// Small parsers for environment values. Each throws a ConfigError that names the variable,
// the value it got, and what it expected, so a wrong setting is fixed in one try.

import ipaddr from 'ipaddr.js';
import { ConfigError } from '../errors.js';

export type Env = Record<string, string | undefined>;

function fail(name: string, value: string, expected: string): never {
  throw new ConfigError(`${name}=${JSON.stringify(value)} is invalid: expected ${expected}`);
}

/** The trimmed value, or undefined when unset or empty. */
export function text(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

export function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = text(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value) || value < min || value > max) {
    fail(name, raw, `a whole number from ${min} to ${max}`);
  }
  return value;
}

export function oneOf<T extends string>(env: Env, name: string, fallback: T, allowed: readonly T[]): T {
  const raw = text(env, name);
  if (raw === undefined) return fallback;
  const value = raw.toLowerCase() as T;
  if (!allowed.includes(value)) fail(name, raw, `one of ${allowed.join(', ')}`);
  return value;
}

/** A URL with one of the given protocols; `shown` is what the message may repeat of the value. */
function url(env: Env, name: string, protocols: string[], example: string, shown = (raw: string) => raw): URL | undefined {
  const raw = text(env, name);
  if (raw === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    fail(name, shown(raw), `an absolute URL such as ${example}`);
  }
  if (!protocols.includes(parsed.protocol)) fail(name, shown(raw), `a ${protocols.map((p) => `${p}//`).join(' or ')} URL such as ${example}`);
  return parsed;
}

export function httpUrl(env: Env, name: string): URL | undefined {
  return url(env, name, ['http:', 'https:'], 'http://app:3000');
}

/** For nodemailer; never repeats the password in a message. */
export function smtpUrl(env: Env, name: string): URL | undefined {
  return url(env, name, ['smtp:', 'smtps:'], 'smtp://user:password@mail.example.com:587', redactUrl);
}

/** The raw value, since pg parses it; never repeats the password in a message. */
export function postgresUrl(env: Env, name: string): string | undefined {
  return url(env, name, ['postgres:', 'postgresql:'], 'postgres://user:password@host:5432/database', redactUrl) && text(env, name);
}

/** Hides the password of a URL before it is shown in a message or a log. */
export function redactUrl(raw: string): string {
  return raw.replace(/(\/\/[^:/@]*:)[^@/]*@/, '$1***@');
}

/** A path prefix such as /status: starts with one slash, no trailing slash, plain characters. */
export function pathPrefix(env: Env, name: string, fallback: string): string {
  const raw = text(env, name) ?? fallback;
  if (!/^(\/[A-Za-z0-9._~-]+)+$/.test(raw)) fail(name, raw, 'a path such as /status (letters, digits, . _ ~ -, no trailing slash)');
  return raw;
}

export function list(env: Env, name: string): string[] {
  const raw = text(env, name);
  if (raw === undefined) return [];
  return raw.split(',').map((item) => item.trim()).filter(Boolean);
}

export function cidrList(env: Env, name: string): [ipaddr.IPv4 | ipaddr.IPv6, number][] {
  return list(env, name).map((item) => {
    try {
      return item.includes('/') ? ipaddr.parseCIDR(item) : ipaddr.parseCIDR(`${item}/${ipaddr.parse(item).kind() === 'ipv4' ? 32 : 128}`);
    } catch {
      fail(name, item, 'a comma-separated list of IP addresses or CIDR ranges such as 10.0.0.0/8');
    }
  });
}

/** The shape a support address must have, wherever it is set (SUPPORT_EMAIL or Settings). */
export const EMAIL_ADDRESS = /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/;

export function email(env: Env, name: string): string | undefined {
  const raw = text(env, name);
  if (raw === undefined) return undefined;
  if (!EMAIL_ADDRESS.test(raw)) fail(name, raw, 'an email address such as support@example.com');
  return raw;
}

export function boolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = text(env, name);
  if (raw === undefined) return fallback;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  fail(name, raw, 'true or false');
}

export { fail as invalidSetting };
