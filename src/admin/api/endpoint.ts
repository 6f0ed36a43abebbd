// API endpoints as data: method, path, scope, least role, input schemas and handler. The router
// mounts them and the OpenAPI document is generated from the same list, so the two cannot drift
// apart. A per-site endpoint acts in one site (ctx.site) with the actor's role there; a global one
// (sites, for instance) acts across sites.

import express from 'express';
import type { z } from 'zod';
import { hasRole, type Actor, type Role } from '../../accounts/roles.js';
import { ForbiddenError, UnauthenticatedError } from '../../errors.js';
import type { Snapshot } from '../../snapshot/types.js';
import { siteOf } from '../site-scope.js';
import { parseInput } from '../validation.js';

export interface EndpointContext<Body, Query> {
  body: Body;
  query: Query;
  params: Record<string, string>;
  actor: Actor;
  /** The site the call acts in (see site-scope.ts); reading it in a global endpoint throws. */
  site: Snapshot;
  req: express.Request;
  res: express.Response;
}

export interface Endpoint {
  method: 'get' | 'post' | 'patch' | 'put' | 'delete';
  /** Express-style, relative to ADMIN_PATH/api/v1, e.g. /windows/:id/extend. */
  path: string;
  /** Groups endpoints in the reference, e.g. "Windows". */
  tag: string;
  summary: string;
  description?: string;
  /** The least role in the site (per-site endpoints), or anywhere (global ones). */
  role: Role;
  /**
   * 'site' (the default): mounted at ADMIN_PATH/api/v1/... and ADMIN_PATH/api/v1/sites/<slug>/...,
   * acting in that site. 'global': mounted at ADMIN_PATH/api/v1/... only.
   */
  scope?: 'site' | 'global';
  /** Only a global admin (or a global token) may call it. */
  globalAdmin?: boolean;
  body?: z.ZodType;
  query?: z.ZodType;
  /** Describes a successful response in the reference; not enforced. */
  response?: z.ZodType;
  /** 200 unless said otherwise (201 for creations). */
  status?: number;
  handler(ctx: EndpointContext<any, any>): Promise<unknown>;
}

/** Defines an endpoint with its handler typed from its schemas. */
export function endpoint<B extends z.ZodType | undefined = undefined, Q extends z.ZodType | undefined = undefined>(
  definition: Omit<Endpoint, 'body' | 'query' | 'handler'> & {
    body?: B;
    query?: Q;
    handler(ctx: EndpointContext<B extends z.ZodType ? z.output<B> : undefined, Q extends z.ZodType ? z.output<Q> : undefined>): Promise<unknown>;
  },
): Endpoint {
  return definition as Endpoint;
}

export function mountEndpoints(router: express.Router, endpoints: readonly Endpoint[]): void {
  for (const definition of endpoints) {
    router[definition.method](definition.path, async function handleEndpoint(req, res, next) {
      try {
        const actor = res.locals.actor as Actor | undefined;
        if (!actor) {
          throw new UnauthenticatedError(
            res.locals.tokenRefused
              ? 'the API token is unknown, revoked or expired: ask an admin for a new one (API tokens page)'
              : 'send an API token: Authorization: Bearer imt_...',
          );
        }
        if (definition.globalAdmin && !actor.globalAdmin) {
          throw new ForbiddenError('only a global admin (or a global API token) can do this');
        }
        if (!hasRole(actor.role, definition.role)) {
          throw new ForbiddenError(`this token's role (${actor.role}) cannot do this: it needs ${definition.role} or above`);
        }
        const body = definition.body ? parseInput(definition.body, req.body) : undefined;
        const query = definition.query ? parseInput(definition.query, req.query) : undefined;
        const ctx = { body, query, params: req.params as Record<string, string>, actor, req, res } as EndpointContext<unknown, unknown>;
        // Read when used: a global endpoint has no site, and saying so beats acting in a wrong one.
        Object.defineProperty(ctx, 'site', { get: () => siteOf(res), enumerable: true });
        const result = await definition.handler(ctx);
        const status = definition.status ?? 200;
        if (result === undefined) res.status(204).end();
        else res.status(status).json(result);
      } catch (err) {
        next(err);
      }
    });
  }
}
