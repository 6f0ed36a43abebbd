// Password hashing with scrypt, memory-hard and built into Node (argon2id would need a native
// addon). The cost parameters are stored with each hash, so they can be raised later.

import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { ValidationError } from '../errors.js';

// N=2^15, r=8: 32 MiB and about 50-100 ms per hash on a server core, as OWASP suggests for scrypt.
const COST = { N: 2 ** 15, r: 8, p: 1 };
const KEY_LENGTH = 32;
export const MIN_PASSWORD_LENGTH = 12;
const MAX_PASSWORD_LENGTH = 1024;

function derive(password: string, salt: Buffer, cost: { N: number; r: number; p: number }): Promise<Buffer> {
  const options: ScryptOptions = { ...cost, maxmem: 256 * cost.N * cost.r };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/** Checks a new password's length; the message names the field. */
export function checkNewPassword(password: unknown, field = 'password'): string {
  if (typeof password !== 'string' || password.length === 0) throw new ValidationError(`${field} is empty: choose a password`, field);
  if ([...password].length < MIN_PASSWORD_LENGTH) {
    throw new ValidationError(`${field} is too short: use at least ${MIN_PASSWORD_LENGTH} characters (a passphrase is easiest)`, field);
  }
  if (password.length > MAX_PASSWORD_LENGTH) throw new ValidationError(`${field} is too long: at most ${MAX_PASSWORD_LENGTH} characters`, field);
  return password;
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, COST);
  return `scrypt$${COST.N}$${COST.r}$${COST.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

// Checked against when the account does not exist, so a wrong email costs as long as a wrong password.
const NO_ACCOUNT_HASH = `scrypt$${COST.N}$${COST.r}$${COST.p}$${'A'.repeat(22)}$${'A'.repeat(43)}`;

/** True when password matches stored; with stored null (no such account) it still spends the time. */
export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  if (password.length > MAX_PASSWORD_LENGTH) return false;
  const hash = stored ?? NO_ACCOUNT_HASH;
  const [scheme, n, r, p, salt, key] = hash.split('$');
  if (scheme !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64url');
  const actual = await derive(password, Buffer.from(salt, 'base64url'), { N: Number(n), r: Number(r), p: Number(p) });
  return stored !== null && actual.length === expected.length && timingSafeEqual(actual, expected);
}
