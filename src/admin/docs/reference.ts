// What the API reference page shows, read from the OpenAPI document: operations by tag, each with
// its role, parameters, body and answer fields, errors and a curl line. Plain data: the template
// only prints, escaped.

import type { Role } from '../../accounts/roles.js';
import type { Endpoint } from '../api/endpoint.js';
import { ERROR_RESPONSES } from './errors.js';
import { example, fieldRows, typeText, type FieldRow } from './fields.js';
import type { JsonSchema } from './json-schemas.js';
import { openApiPath, operationId, type OpenApiDocument } from './openapi.js';

/** A run of text, shown as code when it was `quoted` in the description. */
export interface Segment {
  text: string;
  code: boolean;
}

export interface OperationView {
  anchor: string;
  method: string;
  /** The badge class for the method. */
  badge: string;
  path: string;
  summary: string;
  paragraphs: Segment[][];
  role: Role;
  parameters: (FieldRow & { in: string })[];
  body: { required: boolean; fields: FieldRow[] } | undefined;
  success: { status: string; description: string; fields: FieldRow[] };
  errors: { status: string; anchor: string; description: string }[];
  curl: string;
}

export interface TagView {
  name: string;
  anchor: string;
  operations: OperationView[];
}

export interface ErrorView {
  status: string;
  anchor: string;
  code: string;
  description: string;
}

const METHOD_BADGES: Record<string, string> = { GET: 'badge--info', POST: 'badge--ok', PATCH: 'badge--warn', PUT: 'badge--warn', DELETE: 'badge--hold' };

function anchorOf(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

/** Paragraphs of a description, with `backticked` runs marked as code. */
export function segments(text: string | undefined): Segment[][] {
  if (!text) return [];
  return text
    .split(/\n{2,}/)
    .map((paragraph) => paragraph.split('`').map((part, index) => ({ text: part, code: index % 2 === 1 })).filter((part) => part.text !== ''));
}

/** A string in single quotes for a POSIX shell: only ' itself needs care. */
function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** A curl line to copy; the token comes from the environment, so it never lands in shell history. */
export function curlLine(method: string, url: string, body: unknown): string {
  const parts = [`curl -sS${method === 'GET' ? '' : ` -X ${method}`} ${shellQuote(url)}`, '-H "Authorization: Bearer $INTERMISSION_TOKEN"'];
  if (body !== undefined) parts.push("-H 'Content-Type: application/json'", `-d ${shellQuote(JSON.stringify(body))}`);
  return parts.join(' \\\n  ');
}

function operationView(endpoint: Endpoint, document: OpenApiDocument, apiUrl: string): OperationView {
  const { components } = document;
  const path = openApiPath(endpoint.path);
  const op = document.paths[path]![endpoint.method]!;
  const parameters = ((op.parameters ?? []) as JsonSchema[]).map((parameter) => ({
    name: String(parameter.name),
    in: String(parameter.in),
    type: typeText(parameter.schema, components.schemas),
    required: Boolean(parameter.required),
    description: String(parameter.description ?? ''),
  }));
  const bodySchema = op.requestBody?.content?.['application/json']?.schema as JsonSchema | undefined;
  const [status, success] = Object.entries(op.responses as Record<string, JsonSchema>)[0]!;
  const responseSchema = success.content?.['application/json']?.schema as JsonSchema | undefined;
  const errors = Object.keys(op.responses)
    .filter((code) => Number(code) >= 400)
    .map((code) => ({ status: code, anchor: `error-${code}`, description: ERROR_RESPONSES[Number(code)]?.description ?? '' }));
  const sample = bodySchema ? example(bodySchema, components.schemas) : undefined;
  const hasSample = sample !== undefined && !(typeof sample === 'object' && sample !== null && Object.keys(sample).length === 0);
  // Path parameters get a sample value, so the line runs as it is once the id is changed.
  const samplePath = path.replace(/\{[^}]+\}/g, '42');
  const method = endpoint.method.toUpperCase();
  return {
    anchor: operationId(endpoint),
    method,
    badge: METHOD_BADGES[method] ?? '',
    path,
    summary: endpoint.summary,
    paragraphs: segments(endpoint.description),
    role: endpoint.role,
    parameters,
    body: bodySchema && { required: Boolean(op.requestBody.required), fields: fieldRows(bodySchema, components.schemas) },
    success: { status, description: String(success.description ?? ''), fields: fieldRows(responseSchema, components.schemas) },
    errors,
    curl: curlLine(method, `${apiUrl}${samplePath}`, hasSample ? sample : undefined),
  };
}

/** The page's data; apiUrl is where a reader reaches the API, e.g. https://shop.example.com/admin/api/v1. */
export function referenceView(endpoints: readonly Endpoint[], document: OpenApiDocument, apiUrl: string): { tags: TagView[]; errors: ErrorView[] } {
  const tags = document.tags.map(({ name }) => ({
    name,
    anchor: `tag-${anchorOf(name)}`,
    operations: endpoints.filter((endpoint) => endpoint.tag === name).map((endpoint) => operationView(endpoint, document, apiUrl)),
  }));
  const errors = Object.entries(ERROR_RESPONSES).map(([status, response]) => ({
    status,
    anchor: `error-${status}`,
    code: response.example.code,
    description: response.description,
  }));
  return { tags, errors };
}
