// How errors reach people: the API answers JSON with a stable code; pages answer a readable page,
// or send an anonymous visitor to the sign-in form. The status comes from the error alone.

import type express from 'express';
import { GatewayError, RateLimitedError, UnauthenticatedError, ValidationError } from '../errors.js';
import type { Logger } from '../log.js';

interface BodyParserError {
  type?: string;
  status?: number;
  expose?: boolean;
}

/** body-parser's errors (too large, bad JSON, bad charset) as ours, so the API keeps one shape. */
function normalise(err: unknown): GatewayError | undefined {
  if (err instanceof GatewayError) return err;
  const parser = err as BodyParserError;
  if (parser?.type === 'entity.too.large') return new GatewayError('GW_ERR_TOO_LARGE', 413, 'the request body is too large: at most 64 KB');
  if (parser?.type === 'entity.parse.failed') return new ValidationError('the request body is not valid JSON');
  if (parser?.type && parser.status && parser.status < 500) return new GatewayError('GW_ERR_BAD_REQUEST', parser.status, `the request body could not be read (${parser.type})`);
  return undefined;
}

function setRetryAfter(res: express.Response, err: GatewayError): void {
  if (err instanceof RateLimitedError) res.set('Retry-After', String(Math.ceil(err.retryAfterMs / 1000)));
}

export function createApiErrorHandler(log: Logger): express.ErrorRequestHandler {
  return function apiError(err, req, res, _next) {
    const known = normalise(err);
    if (!known || known.status >= 500) log.error({ err, method: req.method, path: req.path }, 'admin api request failed');
    if (res.headersSent) return void res.destroy();
    const status = known?.status ?? 500;
    if (known) setRetryAfter(res, known);
    if (status === 401) res.set('WWW-Authenticate', 'Bearer realm="intermission"');
    res.status(status).json({
      error: {
        code: known?.code ?? 'GW_ERR_INTERNAL',
        message: known?.message ?? 'internal error: the gateway logged the details',
        ...(known instanceof ValidationError && known.field ? { field: known.field } : {}),
      },
    });
  };
}

export function createPageErrorHandler(adminPath: string, log: Logger): express.ErrorRequestHandler {
  return function pageError(err, req, res, _next) {
    const known = normalise(err);
    if (!known || known.status >= 500) log.error({ err, method: req.method, path: req.path }, 'admin page failed');
    if (res.headersSent) return void res.destroy();
    if (known instanceof UnauthenticatedError) {
      // Back to where they were going after signing in; a post's target is not a page, so go home.
      const next = req.method === 'GET' ? `?next=${encodeURIComponent(req.originalUrl)}` : '';
      return void res.redirect(303, `${adminPath}/login${next}`);
    }
    if (known) setRetryAfter(res, known);
    res.status(known?.status ?? 500).render('admin/error', {
      title: known?.status === 404 ? 'Not found' : known?.status === 403 ? 'Not allowed' : 'Something went wrong',
      message: known?.message ?? 'An internal error happened; the gateway logged the details.',
    });
  };
}
