// How the API's errors read in its document: one shape for all ({error: {code, message, field?}},
// see ../errors.ts), one named response per status, and which statuses an endpoint can answer.

import { ROLES } from '../../accounts/roles.js';
import type { Endpoint } from '../api/endpoint.js';
import type { JsonSchema } from './json-schemas.js';

export const ERROR_SCHEMA_NAME = 'Error';

export const errorSchema: JsonSchema = {
  type: 'object',
  description: 'Every error answer has this shape; the HTTP status says which kind it is.',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: {
          type: 'string',
          description:
            'Stable, for programs: GW_ERR_VALIDATION, GW_ERR_BAD_REQUEST, GW_ERR_UNAUTHENTICATED, GW_ERR_FORBIDDEN, GW_ERR_NOT_FOUND, ' +
            'GW_ERR_CONFLICT, GW_ERR_TOO_LARGE, GW_ERR_UNSUPPORTED_MEDIA_TYPE, GW_ERR_RATE_LIMITED, GW_ERR_DATABASE, GW_ERR_INTERNAL.',
        },
        message: { type: 'string', description: 'For people: what went wrong and what to do about it. Its wording may change.' },
        field: { type: 'string', description: 'For validation errors: the input field the message is about, e.g. duration.' },
      },
    },
  },
};

interface ErrorResponse {
  name: string;
  description: string;
  example: { code: string; message: string; field?: string };
  headers?: Record<string, JsonSchema>;
}

export const ERROR_RESPONSES: Record<number, ErrorResponse> = {
  400: {
    name: 'BadRequest',
    description: 'The input is not valid: error.field names the field and error.message says what to change. Nothing was written.',
    example: { code: 'GW_ERR_VALIDATION', message: 'duration "abc" is not a duration: use e.g. 30m, 2h or 1h30m', field: 'duration' },
  },
  401: {
    name: 'Unauthenticated',
    description: 'No token was sent, or it is unknown, revoked or expired.',
    example: { code: 'GW_ERR_UNAUTHENTICATED', message: 'send an API token: Authorization: Bearer imt_...' },
    headers: { 'WWW-Authenticate': { description: 'Bearer realm="intermission"', schema: { type: 'string' } } },
  },
  403: {
    name: 'Forbidden',
    description: "The token's role is below the one this endpoint needs.",
    example: { code: 'GW_ERR_FORBIDDEN', message: "this token's role (viewer) cannot do this: it needs operator or above" },
  },
  404: {
    name: 'NotFound',
    description: 'Nothing has the id in the path.',
    example: { code: 'GW_ERR_NOT_FOUND', message: 'there is no window #42' },
  },
  409: {
    name: 'Conflict',
    description: 'The thing exists but its state does not allow this (e.g. ending a window that is already over). Nothing was written.',
    example: { code: 'GW_ERR_CONFLICT', message: 'window #42 is already over, so it cannot be ended: start or schedule a new one' },
  },
  413: {
    name: 'TooLarge',
    description: 'The body is larger than 64 KB.',
    example: { code: 'GW_ERR_TOO_LARGE', message: 'the request body is too large: at most 64 KB' },
  },
  415: {
    name: 'UnsupportedMediaType',
    description: 'The body is not JSON: send it with Content-Type: application/json.',
    example: { code: 'GW_ERR_UNSUPPORTED_MEDIA_TYPE', message: 'the body must be JSON, sent with Content-Type: application/json (got application/x-www-form-urlencoded)' },
  },
  429: {
    name: 'RateLimited',
    description: 'Too many attempts: wait as long as Retry-After says.',
    example: { code: 'GW_ERR_RATE_LIMITED', message: 'too many attempts: try again in 5 minutes' },
    headers: { 'Retry-After': { description: 'Seconds to wait.', schema: { type: 'integer' } } },
  },
  503: {
    name: 'Unavailable',
    description: 'The database could not be reached. Nothing was written; try again.',
    example: { code: 'GW_ERR_DATABASE', message: 'starting maintenance failed: the database is unavailable (connection refused)' },
  },
};

/** The components.responses entry of each error status. */
export function errorResponses(): Record<string, JsonSchema> {
  return Object.fromEntries(
    Object.values(ERROR_RESPONSES).map(({ name, description, example, headers }) => [
      name,
      {
        description,
        ...(headers ? { headers } : {}),
        content: { 'application/json': { schema: { $ref: `#/components/schemas/${ERROR_SCHEMA_NAME}` }, example: { error: example } } },
      },
    ]),
  );
}

/** The error statuses an endpoint can answer, judged from what it takes and what it does. */
export function errorStatuses(endpoint: Endpoint): number[] {
  const writes = endpoint.method !== 'get';
  const statuses = [401, 503];
  // Writes can also be refused by the database's own rules (a unique name, a check), as a 400.
  if (endpoint.body || endpoint.query || writes) statuses.push(400);
  if (endpoint.role !== ROLES[0]) statuses.push(403);
  if (/:\w/.test(endpoint.path)) statuses.push(404);
  if (writes) statuses.push(409, 413, 415);
  return statuses.sort((a, b) => a - b);
}
