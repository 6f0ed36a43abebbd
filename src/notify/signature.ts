// Webhook secrets and signatures, in Stripe's scheme: Intermission-Signature: t=<unix seconds>,v1=<hex
// HMAC-SHA256 of "<t>.<body>" keyed with the whole secret>. The time is signed with the body, so a
// receiver that checks it within a tolerance can refuse a delivery replayed later.

import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const SECRET_PREFIX = 'whsec_';
/** Five minutes, as Stripe: room for clock skew and a slow network, not for a replay days later. */
export const DEFAULT_TOLERANCE_S = 300;

/** A new secret: 32 random bytes, prefixed so a leaked one is recognisable in a scan. */
export function generateSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(32).toString('base64url')}`;
}

function hmac(secret: string, timestamp: number, body: string | Buffer): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
}

/** The value of the Intermission-Signature header for body, signed at timestampS (unix seconds). */
export function signatureHeader(secret: string, body: string, timestampS: number): string {
  return `t=${timestampS},v1=${hmac(secret, timestampS, body)}`;
}

export interface VerifyOptions {
  /** How far the signed time may be from now, in seconds. */
  toleranceS?: number;
  /** Epoch ms; for tests. */
  now?: number;
}

/**
 * Whether header is a valid signature of body (the raw request body, exactly as received) with
 * secret, made within the tolerance. Any v1 entry may match, so a receiver keeps working while a
 * sender starts signing with a second scheme or key.
 */
export function verifySignature(secret: string, header: string | undefined, body: string | Buffer, { toleranceS = DEFAULT_TOLERANCE_S, now = Date.now() }: VerifyOptions = {}): boolean {
  if (typeof header !== 'string') return false;
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const [key, value] = part.trim().split('=', 2);
    if (key === 't' && value && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    else if (key === 'v1' && value && /^[0-9a-f]{64}$/.test(value)) signatures.push(value);
  }
  if (timestamp === undefined || signatures.length === 0) return false;
  if (Math.abs(now / 1000 - timestamp) > toleranceS) return false;
  const expected = Buffer.from(hmac(secret, timestamp, body), 'hex');
  return signatures.some((signature) => timingSafeEqual(Buffer.from(signature, 'hex'), expected));
}
