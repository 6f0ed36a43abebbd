// A small client for a remote gateway's automation API (ADMIN_PATH/api/v1): JSON over Node's
// fetch with the bearer token, and every failure turned into one line a person can act on. The
// token goes in the Authorization header only: it is never part of a URL, a message or a log.

import {
  ConflictError,
  ForbiddenError,
  GatewayError,
  NotFoundError,
  RateLimitedError,
  UnauthenticatedError,
  ValidationError,
} from '../errors.js';

export const DEFAULT_TIMEOUT_MS = 30_000;

export interface ApiClientOptions {
  /** The gateway's base URL, e.g. https://shop.example.com (a path prefix it is published under is kept). */
  baseUrl: URL;
  /** The gateway's ADMIN_PATH, e.g. /admin. */
  adminPath: string;
  token: string;
  timeoutMs?: number;
}

export interface ApiClient {
  /** e.g. https://shop.example.com/admin/api/v1, for messages. */
  readonly apiUrl: string;
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body: unknown): Promise<T>;
  patch<T>(path: string, body: unknown): Promise<T>;
  /** Resolves to undefined for a 204. */
  delete<T>(path: string): Promise<T>;
}

interface ApiErrorBody {
  error: { code: string; message: string; field?: string };
}

function isApiError(body: unknown): body is ApiErrorBody {
  const error = (body as ApiErrorBody | undefined)?.error;
  return typeof error?.code === 'string' && typeof error.message === 'string';
}

/** Why fetch failed, in words: undici hides the system error (ECONNREFUSED, ENOTFOUND, ...) in cause. */
function reason(err: unknown): string {
  const error = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (error?.name === 'TimeoutError') return 'it did not answer in time';
  const cause = error?.cause;
  if (cause?.code && cause.message) return cause.message.includes(cause.code) ? cause.message : `${cause.code}: ${cause.message}`;
  return cause?.message ?? error?.message ?? String(err);
}

/** The error for an answer that is not a success, by status; the API's own message is kept whole. */
function errorFrom(status: number, body: unknown, headers: Headers, where: string): GatewayError {
  if (!isApiError(body)) {
    const type = headers.get('content-type')?.split(';', 1)[0] ?? 'no content type';
    const location = headers.get('location');
    if (status >= 300 && status < 400 && location) {
      return new GatewayError('GW_ERR_REMOTE_REDIRECT', 502, `${where} answered with a redirect (${status}) to ${location}: give that address in --url`);
    }
    return new GatewayError('GW_ERR_NOT_THE_API', 502, `${where} did not answer like the Intermission API (${status}, ${type}): check --url and --admin-path`);
  }
  const { code, message, field } = body.error;
  switch (status) {
    case 400:
    case 413:
      return new ValidationError(`the gateway refused the input (${status}): ${message}`, field);
    case 401:
      return new UnauthenticatedError(`the token was refused (401): ${message} (check --token or INTERMISSION_TOKEN: it may be mistyped, revoked or expired)`);
    case 403:
      return new ForbiddenError(`the token is not allowed to do this (403): ${message}`, code);
    case 404:
      return new NotFoundError(`not found (404): ${message}`);
    case 409:
      return new ConflictError(`the gateway refused (409): ${message}`);
    case 429: {
      const seconds = Number(headers.get('retry-after') ?? 60);
      return new RateLimitedError(`too many requests (429): ${message}`, (Number.isFinite(seconds) ? seconds : 60) * 1000);
    }
    default:
      return new GatewayError(code, status, `the gateway could not do it (${status}): ${message}`);
  }
}

export function createApiClient({ baseUrl, adminPath, token, timeoutMs = DEFAULT_TIMEOUT_MS }: ApiClientOptions): ApiClient {
  // A space or a line break would let the value add headers of its own; refuse it before anything is sent.
  if (!/^[\x21-\x7e]+$/.test(token)) throw new ValidationError('the API token holds spaces or control characters: copy it again, it looks like imt_...', '--token');
  const apiUrl = `${baseUrl.origin}${baseUrl.pathname.replace(/\/+$/, '')}${adminPath}/api/v1`;
  const where = `the gateway at ${apiUrl}`;

  async function call<T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
    let status: number;
    let headers: Headers;
    let text: string;
    try {
      const res = await fetch(`${apiUrl}${path}`, {
        method,
        headers: {
          accept: 'application/json',
          authorization: `Bearer ${token}`,
          'user-agent': 'intermission-cli',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        // A redirect is reported, not followed: the token should go only where it was sent.
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      ({ status, headers } = res);
      text = await res.text();
    } catch (err) {
      throw new GatewayError('GW_ERR_UNREACHABLE', 502, `could not reach ${where}: ${reason(err)} (check --url, and that the gateway is running)`, { cause: err });
    }
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (status >= 200 && status < 300) {
      if (parsed === undefined && status !== 204) throw errorFrom(status, undefined, headers, where);
      return parsed as T;
    }
    throw errorFrom(status, parsed, headers, where);
  }

  return {
    apiUrl,
    get: (path) => call('GET', path),
    post: (path, body) => call('POST', path, body),
    patch: (path, body) => call('PATCH', path, body),
    delete: (path) => call('DELETE', path),
  };
}
