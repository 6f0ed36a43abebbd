// What becomes of a delivery after an attempt: delivered on a 2xx, else tried again after a delay
// that doubles each time (capped at an hour, with a little jitter so deliveries that failed together
// do not all come back together), until the last attempt fails it. Pure.

export const MAX_RETRY_DELAY_MS = 3600_000;
// Up to 10% later than the plain doubling: spreads retries, never brings one earlier.
const JITTER = 0.1;
const MAX_ERROR_LENGTH = 1000;

export interface RetryOptions {
  maxAttempts: number;
  retryBaseMs: number;
}

/** What one attempt got: an HTTP status (any), or an error before any status arrived. */
export interface AttemptResult {
  status: number | null;
  error: string | null;
}

export type DeliveryOutcome =
  | { state: 'delivered'; responseStatus: number }
  | { state: 'pending'; responseStatus: number | null; lastError: string; retryInMs: number }
  | { state: 'failed'; responseStatus: number | null; lastError: string };

/** The wait after the attempts-th failed attempt: base, 2·base, 4·base ... up to an hour. */
export function retryDelayMs(attempts: number, retryBaseMs: number, random: () => number = Math.random): number {
  const plain = retryBaseMs * 2 ** Math.max(0, attempts - 1);
  return Math.round(Math.min(MAX_RETRY_DELAY_MS, plain * (1 + JITTER * random())));
}

export function isSuccess(status: number | null): status is number {
  return status !== null && status >= 200 && status < 300;
}

/** attempts counts the attempt just made. */
export function deliveryOutcome(result: AttemptResult, attempts: number, options: RetryOptions, random: () => number = Math.random): DeliveryOutcome {
  if (isSuccess(result.status)) return { state: 'delivered', responseStatus: result.status };
  const lastError = (result.error ?? `HTTP ${result.status}`).slice(0, MAX_ERROR_LENGTH);
  if (attempts >= options.maxAttempts) return { state: 'failed', responseStatus: result.status, lastError };
  return { state: 'pending', responseStatus: result.status, lastError, retryInMs: retryDelayMs(attempts, options.retryBaseMs, random) };
}
