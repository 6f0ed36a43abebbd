// What status a failed forward turns into: one pure function, like Traefik's ComputeStatusCode.

export const UPSTREAM_TIMEOUT_CODE = 'GW_UPSTREAM_TIMEOUT';

const TIMEOUT_CODES = new Set([UPSTREAM_TIMEOUT_CODE, 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'UND_ERR_HEADERS_TIMEOUT']);

export function upstreamErrorStatus(err: { code?: string } | undefined): 502 | 504 {
  return err?.code !== undefined && TIMEOUT_CODES.has(err.code) ? 504 : 502;
}

/** A short, stable name for metrics and logs: the error code, or "unknown". */
export function upstreamErrorKind(err: { code?: string } | undefined): string {
  const code = err?.code;
  return code && /^[A-Z0-9_]{2,40}$/.test(code) ? code.toLowerCase() : 'unknown';
}
