// Every error the gateway raises on purpose: a stable code, the HTTP status it maps to,
// and the original cause, so logs and API clients can tell failures apart.

export class GatewayError extends Error {
  readonly code: string;
  readonly status: number;

  constructor(code: string, status: number, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.status = status;
  }
}

/** A setting (environment variable or CLI flag) has a value the gateway cannot use. */
export class ConfigError extends GatewayError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('GW_ERR_CONFIG', 500, message, options);
  }
}

/** Input from a person or a client is invalid; the message names what is wrong. */
export class ValidationError extends GatewayError {
  readonly field: string | undefined;

  constructor(message: string, field?: string, options?: { cause?: unknown }) {
    super('GW_ERR_VALIDATION', 400, message, options);
    this.field = field;
  }
}

/** A thing that was asked for by id does not exist. */
export class NotFoundError extends GatewayError {
  constructor(message: string) {
    super('GW_ERR_NOT_FOUND', 404, message);
  }
}

/** No valid session or API token came with a request that needs one. */
export class UnauthenticatedError extends GatewayError {
  constructor(message: string) {
    super('GW_ERR_UNAUTHENTICATED', 401, message);
  }
}

/** The actor is known but their role does not allow this, or a CSRF check failed. */
export class ForbiddenError extends GatewayError {
  constructor(message: string, code = 'GW_ERR_FORBIDDEN') {
    super(code, 403, message);
  }
}

/** Too many attempts; retryAfterMs says when to try again. */
export class RateLimitedError extends GatewayError {
  readonly retryAfterMs: number;

  constructor(message: string, retryAfterMs: number) {
    super('GW_ERR_RATE_LIMITED', 429, message);
    this.retryAfterMs = retryAfterMs;
  }
}

/** The thing exists but is in a state that does not allow this (e.g. extending a window that is over). */
export class ConflictError extends GatewayError {
  constructor(message: string) {
    super('GW_ERR_CONFLICT', 409, message);
  }
}

/** The database cannot be reached or refused the work; nothing was saved. */
export class DatabaseError extends GatewayError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('GW_ERR_DATABASE', 503, message, options);
  }
}

/** The embedded PostgreSQL server could not be prepared or started. */
export class EmbeddedDatabaseError extends GatewayError {
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(code, 500, message, options);
  }
}

/** The upstream application did not answer properly. */
export class UpstreamError extends GatewayError {
  constructor(status: 502 | 504, message: string, options?: { cause?: unknown }) {
    super(status === 504 ? 'GW_ERR_UPSTREAM_TIMEOUT' : 'GW_ERR_UPSTREAM_UNAVAILABLE', status, message, options);
  }
}

// SQLSTATE classes that mean "the input was wrong", not "the database is broken".
const BAD_INPUT_SQLSTATES: Record<string, string> = {
  '23505': 'already exists',
  '23P01': 'overlaps an existing entry',
  '23514': 'breaks a rule',
  '23502': 'is missing a required value',
  '23503': 'refers to something that does not exist',
  '22007': 'is not a valid date or time',
  '22008': 'is out of range',
  '22P02': 'has an invalid value',
};

/** Turns a pg error into a GatewayError a person can act on; anything else is a DatabaseError. */
export function fromDatabaseError(err: unknown, what: string): GatewayError {
  if (err instanceof GatewayError) return err;
  const pgErr = err as { code?: string; constraint?: string; message?: string };
  const reason = pgErr.code ? BAD_INPUT_SQLSTATES[pgErr.code] : undefined;
  if (reason) {
    const detail = pgErr.constraint ? ` (${pgErr.constraint})` : '';
    return new ValidationError(`${what} ${reason}${detail}`, pgErr.constraint, { cause: err });
  }
  return new DatabaseError(`${what} failed: the database is unavailable (${pgErr.message ?? String(err)})`, { cause: err });
}
