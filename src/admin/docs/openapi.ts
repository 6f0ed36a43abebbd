// The OpenAPI 3.1 document of the automation API, built from the same Endpoint list the router
// mounts, so the reference cannot drift from what the gateway does.

import { z } from 'zod';
import { ROLE_DESCRIPTIONS, type Role } from '../../accounts/roles.js';
import type { Endpoint } from '../api/endpoint.js';
import { ERROR_RESPONSES, ERROR_SCHEMA_NAME, errorResponses, errorSchema, errorStatuses } from './errors.js';
import { claim, COMPONENT_PREFIX, refsIn, resolve, toComponents, type JsonSchema, type NamedSchema } from './json-schemas.js';

export const SECURITY_SCHEME = 'bearerToken';
const PARAM = /:([A-Za-z_][A-Za-z0-9_]*)/g;

export interface OpenApiOptions {
  /** ADMIN_PATH: the API is at ADMIN_PATH/api/v1. */
  adminPath: string;
  version: string;
}

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  servers: { url: string; description: string }[];
  security: Record<string, string[]>[];
  tags: { name: string }[];
  paths: Record<string, Record<string, JsonSchema>>;
  components: { schemas: Record<string, JsonSchema>; responses: Record<string, JsonSchema>; securitySchemes: Record<string, JsonSchema> };
}

/** /windows/:id/extend as OpenAPI writes it: /windows/{id}/extend. */
export function openApiPath(path: string): string {
  return path.replace(PARAM, '{$1}');
}

export function pathParams(path: string): string[] {
  return [...path.matchAll(PARAM)].map((match) => match[1]!);
}

function capital(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** getWindows, postWindowsByIdExtend, deleteBypassLinksById: unique, since method and path are. */
export function operationId(endpoint: Endpoint): string {
  const words = endpoint.path
    .split('/')
    .filter(Boolean)
    .map((segment) => (segment.startsWith(':') ? `By${capital(segment.slice(1))}` : segment.split(/[^A-Za-z0-9]+/).map(capital).join('')));
  return `${endpoint.method}${words.join('')}`;
}

export function roleSentence(role: Role): string {
  return `Needs a token with the ${role} role or above (${role}: ${ROLE_DESCRIPTIONS[role]}).`;
}

function parameter(name: string, where: 'path' | 'query', schema: JsonSchema, required: boolean): JsonSchema {
  const { description, ...rest } = schema;
  const about = where === 'path' && /id$/i.test(name) ? 'Which one: the id a listing or a creation answered with.' : description;
  return { name, in: where, required, ...(about ? { description: about } : {}), schema: rest };
}

/** A query schema's fields as query parameters; the component is dropped unless something refers to it. */
function queryParameters(name: string, components: Record<string, JsonSchema>): JsonSchema[] {
  const schema = resolve({ $ref: `${COMPONENT_PREFIX}${name}` }, components);
  const properties = (schema?.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set<string>((schema?.required as string[] | undefined) ?? []);
  return Object.entries(properties).map(([field, fieldSchema]) => parameter(field, 'query', fieldSchema, required.has(field)));
}

function ref(name: string): JsonSchema {
  return { $ref: `${COMPONENT_PREFIX}${name}` };
}

function operation(endpoint: Endpoint, names: Map<unknown, string>, components: Record<string, JsonSchema>): JsonSchema {
  const id = operationId(endpoint);
  const parameters = [
    ...pathParams(endpoint.path).map((name) => parameter(name, 'path', { type: 'string' }, true)),
    ...(endpoint.query ? queryParameters(names.get(endpoint.query)!, components) : []),
  ];
  const status = endpoint.status ?? 200;
  const body = endpoint.body && names.get(endpoint.body)!;
  const bodySchema = body ? resolve(ref(body), components) : undefined;
  const responses: Record<string, JsonSchema> = {
    [status]: {
      description: status === 201 ? 'Created' : 'Success',
      ...(endpoint.response ? { content: { 'application/json': { schema: ref(names.get(endpoint.response)!) } } } : {}),
    },
  };
  for (const code of errorStatuses(endpoint)) responses[code] = { $ref: `#/components/responses/${ERROR_RESPONSES[code]!.name}` };
  return {
    operationId: id,
    tags: [endpoint.tag],
    summary: endpoint.summary,
    description: [endpoint.description, endpoint.globalAdmin ? `${roleSentence(endpoint.role)} Only a global admin's token may call it.` : roleSentence(endpoint.role)].filter(Boolean).join('\n\n'),
    'x-required-role': endpoint.role,
    // Per-site operations also answer under /sites/{site}: see the document's description.
    'x-scope': endpoint.scope ?? 'site',
    ...(parameters.length ? { parameters } : {}),
    ...(body
      ? { requestBody: { required: ((bodySchema?.required as string[] | undefined) ?? []).length > 0, content: { 'application/json': { schema: ref(body) } } } }
      : {}),
    responses,
  };
}

/** Names each schema after the first operation that uses it (e.g. PostWindowsStartBody), unless it has a name. */
function nameSchemas(endpoints: readonly Endpoint[], taken: Set<string>): { input: NamedSchema[]; output: NamedSchema[]; names: Map<unknown, string> } {
  const names = new Map<unknown, string>();
  const input: NamedSchema[] = [];
  const output: NamedSchema[] = [];
  const name = (list: NamedSchema[], schema: Endpoint['body'], suffix: string, endpoint: Endpoint) => {
    if (!schema || names.has(schema)) return;
    // A shape its area named (schema.meta({ id: 'Window' })) keeps that name, which reads better where it is reused.
    const given = z.globalRegistry.get(schema)?.id;
    const wanted = typeof given === 'string' && /^[A-Za-z0-9._-]+$/.test(given) ? given : `${capital(operationId(endpoint))}${suffix}`;
    names.set(schema, claim(wanted, taken));
    list.push({ name: names.get(schema)!, schema });
  };
  for (const endpoint of endpoints) {
    name(input, endpoint.body, 'Body', endpoint);
    name(input, endpoint.query, 'Query', endpoint);
    name(output, endpoint.response, 'Response', endpoint);
  }
  return { input, output, names };
}

export function buildOpenApi(endpoints: readonly Endpoint[], options: OpenApiOptions): OpenApiDocument {
  const taken = new Set<string>([ERROR_SCHEMA_NAME]);
  const { input, output, names } = nameSchemas(endpoints, taken);
  const schemas: Record<string, JsonSchema> = {
    ...toComponents(input, 'input', taken),
    ...toComponents(output, 'output', taken),
    [ERROR_SCHEMA_NAME]: errorSchema,
  };
  const paths: OpenApiDocument['paths'] = {};
  for (const endpoint of endpoints) {
    (paths[openApiPath(endpoint.path)] ??= {})[endpoint.method] = operation(endpoint, names, schemas);
  }
  // Query schemas became parameters; keep one only if another schema still points at it.
  const referenced = new Set(refsIn({ paths, schemas }));
  for (const endpoint of endpoints) {
    const name = endpoint.query && names.get(endpoint.query);
    if (name && !referenced.has(`${COMPONENT_PREFIX}${name}`)) delete schemas[name];
  }
  const api = `${options.adminPath}/api/v1`;
  return {
    openapi: '3.1.0',
    info: {
      title: 'Intermission automation API',
      version: options.version,
      description:
        'What the admin pages do, for deploy pipelines: maintenance windows, components, incidents, updates and bypass links. ' +
        `JSON in and out under ${api}, authenticated with an API token (Authorization: Bearer imt_...) that an admin creates at ${options.adminPath}/tokens. ` +
        'Every error is JSON, {"error": {"code", "message", "field"}}: code is stable, message says what to do, field names the input at fault. ' +
        'Every write is recorded in the audit log under the token\'s name. ' +
        `With several sites (applications) behind the gateway, every operation whose x-scope is "site" also answers under ${api}/sites/{slug}/..., acting in that site; ` +
        'unprefixed, it acts in the token\'s own site (or, for a global admin\'s token, the default site). A site the token has no role in answers 404, as one that does not exist.',
    },
    servers: [{ url: api, description: 'This gateway' }],
    security: [{ [SECURITY_SCHEME]: [] }],
    tags: [...new Set(endpoints.map((endpoint) => endpoint.tag))].map((name) => ({ name })),
    paths,
    components: {
      schemas,
      responses: errorResponses(),
      securitySchemes: {
        [SECURITY_SCHEME]: {
          type: 'http',
          scheme: 'bearer',
          description: `An API token (imt_...), created by an admin at ${options.adminPath}/tokens. It carries a role: viewer, operator or admin.`,
        },
      },
    },
  };
}
