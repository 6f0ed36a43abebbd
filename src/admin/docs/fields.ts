// JSON Schemas read back as people read an API reference: a flat list of fields (nested ones as
// window.title or windows[].id) with a short type, and an example value for a curl line.

import { resolve, type JsonSchema } from './json-schemas.js';

export interface FieldRow {
  name: string;
  type: string;
  required: boolean;
  description: string;
}

// Deep enough for {window: {...}, warnings: [{...}]}; deeper shapes are in the JSON document.
const MAX_DEPTH = 3;

type Components = Record<string, JsonSchema>;

function alternatives(schema: JsonSchema): JsonSchema[] | undefined {
  return (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
}

/** "string", "string | null", "array of string", "\"block\" | \"read_only\"", "integer (1 to 100)". */
export function typeText(schema: JsonSchema | undefined, components: Components): string {
  const target = resolve(schema, components);
  if (!target) return 'any';
  if ('const' in target) return JSON.stringify(target.const);
  if (Array.isArray(target.enum)) return target.enum.map((value: unknown) => JSON.stringify(value)).join(' | ');
  const options = alternatives(target);
  if (options) return [...new Set(options.map((option) => typeText(option, components)))].join(' | ');
  const types: string[] = Array.isArray(target.type) ? target.type : target.type ? [target.type] : [];
  if (types.length === 0) return 'any';
  return types
    .map((type) => {
      if (type === 'array') {
        const item = typeText(target.items as JsonSchema | undefined, components);
        return `array of ${item.includes(' | ') ? `(${item})` : item}`;
      }
      if (type === 'integer' || type === 'number') {
        // zod's int() bounds every integer by the safe range, which is no limit worth reading.
        const bound = (value: unknown) => (typeof value === 'number' && Math.abs(value) < Number.MAX_SAFE_INTEGER ? value : undefined);
        const [min, max] = [bound(target.minimum), bound(target.maximum)];
        if (min !== undefined && max !== undefined) return `${type} (${min} to ${max})`;
        if (min !== undefined) return `${type} (${min} or more)`;
        if (max !== undefined) return `${type} (at most ${max})`;
        return type;
      }
      if (type === 'string' && typeof target.format === 'string') return `string (${target.format})`;
      return type;
    })
    .join(' | ');
}

/** The object part of a schema: itself, or the one object among its alternatives (a nullable object). */
function objectOf(schema: JsonSchema | undefined, components: Components): JsonSchema | undefined {
  const target = resolve(schema, components);
  if (!target) return undefined;
  if (target.properties) return target;
  const objects = (alternatives(target) ?? []).map((option) => resolve(option, components)).filter((option) => option?.properties);
  return objects.length === 1 ? objects[0] : undefined;
}

export function fieldRows(schema: JsonSchema | undefined, components: Components, prefix = '', depth = 0): FieldRow[] {
  const object = objectOf(schema, components);
  if (!object || depth > MAX_DEPTH) return [];
  const required = new Set<string>((object.required as string[] | undefined) ?? []);
  const rows: FieldRow[] = [];
  for (const [name, property] of Object.entries(object.properties as Record<string, JsonSchema>)) {
    const target = resolve(property, components);
    const full = `${prefix}${name}`;
    rows.push({ name: full, type: typeText(property, components), required: required.has(name), description: String(property.description ?? target?.description ?? '') });
    const items = target?.type === 'array' ? (target.items as JsonSchema | undefined) : undefined;
    rows.push(...(items ? fieldRows(items, components, `${full}[].`, depth + 1) : fieldRows(property, components, `${full}.`, depth + 1)));
  }
  return rows;
}

/** A stand-in value for a field the reader fills in: an enum's first value, or the field's name in angle brackets. */
function placeholder(name: string, schema: JsonSchema | undefined, components: Components): unknown {
  const target = resolve(schema, components);
  if (!target) return `<${name}>`;
  if ('const' in target) return target.const;
  if (Array.isArray(target.enum)) return target.enum[0];
  const first = alternatives(target)?.[0];
  if (first) return placeholder(name, first, components);
  const type = Array.isArray(target.type) ? target.type[0] : target.type;
  if (type === 'boolean') return true;
  if (type === 'integer' || type === 'number') return target.minimum ?? 1;
  if (type === 'array') return [];
  if (type === 'object') return example(target, components);
  return `<${name}>`;
}

/** The schema's first example, else its required fields with stand-in values ({} when none is required). */
export function example(schema: JsonSchema | undefined, components: Components): unknown {
  const target = resolve(schema, components);
  if (!target) return {};
  if (Array.isArray(target.examples) && target.examples.length > 0) return target.examples[0];
  const object = objectOf(target, components);
  if (!object) return {};
  const properties = object.properties as Record<string, JsonSchema>;
  const required = ((object.required as string[] | undefined) ?? []).filter((name) => name in properties);
  return Object.fromEntries(required.map((name) => [name, placeholder(name, properties[name], components)]));
}
