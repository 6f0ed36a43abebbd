// The API reference: the OpenAPI document and a readable page built from it. Signed-in people
// read both at ADMIN_PATH/api/docs and ADMIN_PATH/api/openapi.json; a pipeline tool fetches the
// document with its token at ADMIN_PATH/api/v1/openapi.json. Anonymous visitors get neither:
// the list of operations says more about the installation than a stranger needs to know.

import { readFileSync } from 'node:fs';
import express from 'express';
import { z } from 'zod';
import { endpoint, type Endpoint } from '../api/endpoint.js';
import type { AdminArea } from '../areas.js';
import type { AdminDeps } from '../deps.js';
import { requireRole } from '../guards.js';
import { buildOpenApi } from './openapi.js';
import { referenceView } from './reference.js';

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

const documentShape = z.looseObject({
  openapi: z.string().describe('3.1.0'),
  info: z.looseObject({ title: z.string(), version: z.string() }),
  paths: z.record(z.string(), z.unknown()).describe('every operation, by path and method'),
  components: z.record(z.string(), z.unknown()),
});

export function createDocsArea({ config }: AdminDeps, endpoints: Endpoint[]): AdminArea {
  // Filled in just below: the document describes this endpoint too.
  let document: ReturnType<typeof buildOpenApi> | undefined;
  const self = endpoint({
    method: 'get', path: '/openapi.json', tag: 'Reference', role: 'viewer', scope: 'global',
    summary: 'This API as an OpenAPI 3.1 document',
    description: 'The same document as ADMIN_PATH/api/openapi.json, for tools that hold a token rather than a session (client generators, contract tests).',
    response: documentShape,
    async handler() {
      return document;
    },
  });
  const all = [...endpoints, self];
  document = buildOpenApi(all, { adminPath: config.adminPath, version: packageVersion() });
  const built = document;

  // The reference is the gateway's, not one site's.
  const pages = express.Router();

  pages.get('/api/openapi.json', requireRole('viewer'), function openApiDocument(_req, res) {
    res.json(built);
  });

  pages.get('/api/docs', requireRole('viewer'), function apiReference(req, res) {
    // Where a reader reaches the API: PUBLIC_URL when set, else the address this page was asked at.
    const origin = config.publicUrl ? config.publicUrl.href.replace(/\/+$/, '') : `${req.protocol}://${req.get('host') ?? 'localhost'}`;
    const apiUrl = `${origin}${config.adminPath}/api/v1`;
    res.render('admin/docs/reference', {
      title: 'API reference',
      nav: '/api/docs',
      apiUrl,
      origin,
      ...referenceView(all, built, apiUrl),
    });
  });

  return { globalPages: pages, endpoints: [self] };
}
