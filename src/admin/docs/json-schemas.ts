// The endpoints' zod schemas as JSON Schema 2020-12 (the dialect of OpenAPI 3.1), one named
// component each, with what they share referenced and what JSON cannot express widened.

import { z } from 'zod';

export type JsonSchema = Record<string, any>;

export const COMPONENT_PREFIX = '#/components/schemas/';
// Where zod puts parts that are shared or recursive but not registered under a name of their own.
const SHARED = '__shared';
const SHARED_REF = new RegExp(`^${COMPONENT_PREFIX}${SHARED}#/\\$defs/(.+)$`);

export interface NamedSchema {
  name: string;
  schema: z.ZodType;
}

function typeOf(schema: unknown): string | undefined {
  return (schema as { _zod?: { def?: { type?: string } } })._zod?.def?.type;
}

/**
 * What JSON has no word for: dates travel as ISO 8601 strings; anything else (a custom check, a
 * transform's output) is documented as "any value" instead of failing the whole document.
 */
function widen(ctx: { zodSchema: unknown }): JsonSchema | 'any' {
  return typeOf(ctx.zodSchema) === 'date' ? { type: 'string', format: 'date-time' } : 'any';
}

/** Applies fn to every object in a JSON value, depth first. */
function visit(value: unknown, fn: (node: JsonSchema) => void): void {
  if (Array.isArray(value)) for (const item of value) visit(item, fn);
  else if (value && typeof value === 'object') {
    for (const child of Object.values(value)) visit(child, fn);
    fn(value as JsonSchema);
  }
}

/** A name no other component has yet, taken: name, name2, name3... */
export function claim(name: string, taken: Set<string>): string {
  let unique = name;
  for (let n = 2; taken.has(unique); n += 1) unique = `${name}${n}`;
  taken.add(unique);
  return unique;
}

/**
 * Converts schemas with one io ('input' for what clients send, 'output' for what they get back)
 * into components named as given; a schema given twice under two names keeps the first. Parts
 * zod pulls out on its own (a shape named with .meta({ id }), a recursive one) become components
 * too, under a name not in `taken`, which is updated.
 */
export function toComponents(entries: readonly NamedSchema[], io: 'input' | 'output', taken: Set<string>): Record<string, JsonSchema> {
  if (entries.length === 0) return {};
  const registry = z.registry<{ id: string }>();
  for (const { name, schema } of entries) if (!registry.has(schema)) registry.add(schema, { id: name });

  const { schemas } = z.toJSONSchema(registry, {
    io,
    target: 'draft-2020-12',
    unrepresentable: widen,
    uri: (id) => `${COMPONENT_PREFIX}${id}`,
    override(ctx) {
      // Answers may gain fields in later versions: a client must not reject them.
      if (io === 'output' && ctx.jsonSchema.additionalProperties === false) delete ctx.jsonSchema.additionalProperties;
    },
  }) as { schemas: Record<string, JsonSchema> };

  const components: Record<string, JsonSchema> = {};
  const shared = new Map<string, string>();
  for (const [id, schema] of Object.entries(schemas)) {
    if (id !== SHARED) {
      // A document is one resource: $id and $schema inside a component would change how its $refs resolve.
      const { $id: _id, $schema: _schema, ...rest } = schema;
      components[id] = rest;
      continue;
    }
    for (const [def, part] of Object.entries((schema.$defs ?? {}) as Record<string, JsonSchema>)) {
      // zod's own names (schema0) say nothing; an author's id is kept, marked when it is the input side.
      const generated = /^_*schema\d+$/.test(def);
      const name = generated ? `${io === 'input' ? 'Input' : 'Output'}${def.replace(/^_*s/, 'S')}` : io === 'input' ? `${def}Input` : def;
      shared.set(def, claim(name, taken));
      components[shared.get(def)!] = part;
    }
  }
  if (io === 'input') {
    // zod keeps a transformed schema's examples for its output side only; a request body's examples are what a client sends.
    for (const { name, schema } of entries) {
      const examples = z.globalRegistry.get(schema)?.examples;
      if (Array.isArray(examples) && components[name] && !components[name].examples) components[name].examples = examples;
    }
  }
  visit(components, (node) => {
    const match = typeof node.$ref === 'string' ? SHARED_REF.exec(node.$ref) : null;
    if (match) node.$ref = `${COMPONENT_PREFIX}${shared.get(match[1]!) ?? match[1]}`;
  });
  return components;
}

/** The component a $ref names, or the schema itself; undefined when the $ref points nowhere. */
export function resolve(schema: JsonSchema | undefined, components: Record<string, JsonSchema>): JsonSchema | undefined {
  if (!schema || typeof schema.$ref !== 'string') return schema;
  if (!schema.$ref.startsWith(COMPONENT_PREFIX)) return undefined;
  return components[schema.$ref.slice(COMPONENT_PREFIX.length)];
}

/** Every $ref in a JSON value, for checking that each one resolves. */
export function refsIn(value: unknown): string[] {
  const refs: string[] = [];
  visit(value, (node) => {
    if (typeof node.$ref === 'string') refs.push(node.$ref);
  });
  return refs;
}
