// Input checking for the admin pages and the API with zod: one schema per operation, shared by
// both, so a form and a pipeline get the same rules and the same messages naming the field.

import { z } from 'zod';
import { GatewayError, ValidationError } from '../errors.js';

/** Parses input with schema; the first problem becomes a ValidationError that names its field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  if (issue.code === 'unrecognized_keys') {
    // A typo such as "titel" deserves its own name in the answer, not zod's generic sentence.
    const key = issue.keys[0]!;
    const prefix = issue.path.length > 0 ? `${issue.path.map(String).join('.')}.` : '';
    throw new ValidationError(`${prefix}${key} is not a field here: check its spelling in the API reference`, `${prefix}${key}`);
  }
  const field = issue.path.map(String).join('.') || undefined;
  // Messages from our own parsers (via `checked`) already start with the field's name.
  const message = issue.code === 'custom' || !field ? issue.message : `${field}: ${lowerFirst(issue.message)}`;
  throw new ValidationError(message, field);
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/**
 * Runs one of the project's parsers (parseDuration, parseTitle, ...) inside a zod transform, so
 * its message, which names the field, is the one a person sees.
 */
export function checked<In, Out>(parse: (value: In, field: string) => Out, field: string) {
  return function check(value: In, ctx: z.RefinementCtx): Out {
    try {
      return parse(value, field);
    } catch (err) {
      if (!(err instanceof GatewayError)) throw err;
      ctx.addIssue({ code: 'custom', message: err.message, path: [] });
      return z.NEVER;
    }
  };
}

/** A form checkbox: present ("on", "true", "1") or absent; JSON may send a boolean. */
export const checkbox = z
  .union([z.boolean(), z.enum(['on', 'true', '1', 'false', '0', ''])])
  .optional()
  .transform((value) => value === true || value === 'on' || value === 'true' || value === '1');

/** A database id: digits only, so a malformed one is a 400, not a SQL error. */
export const id = z.string().regex(/^\d{1,18}$/, 'is not an id (digits only)');

/** A list from a form (comma- or newline-separated text) or from JSON (an array of strings). */
export const list = z
  .union([z.string().max(20_000), z.array(z.string().max(2000)).max(100)])
  .optional()
  .transform((value) => (Array.isArray(value) ? value.join(',') : (value ?? '').replace(/\n/g, ',')));

/** Empty form fields (a select left on "no change", a blank input) count as not given. */
export function blank<S extends z.ZodType>(schema: S) {
  return z.preprocess((value) => (typeof value === 'string' && value.trim() === '' ? undefined : value), schema);
}

/**
 * Text of at most `max` characters. The check here is a loose cap in UTF-16 units that stops huge
 * strings early; the exact limit, in characters as PostgreSQL counts them, is the field parser's.
 * The API reference shows `max`, which is what JSON Schema's maxLength means (characters).
 */
export function text(max: number) {
  return z
    .string({ error: (issue) => (issue.input === undefined ? 'is missing' : 'must be text') })
    .max(max * 4)
    .meta({ maxLength: max });
}

/** Component ids: checkboxes in a form (one value or many; an empty value means "none"), numbers or strings in JSON. */
export const componentIds = z
  .union([z.array(z.union([z.string().max(20), z.number()])).max(100), z.string().max(20), z.number()])
  .optional()
  .transform((value, ctx) => {
    if (value === undefined) return undefined;
    const ids = (Array.isArray(value) ? value : [value]).map(String).filter((item) => item !== '');
    const bad = ids.find((item) => !/^\d{1,18}$/.test(item));
    if (bad !== undefined) {
      ctx.addIssue({ code: 'custom', message: `component_ids has ${JSON.stringify(bad.slice(0, 20))}: each must be a component id (digits)`, path: [] });
      return z.NEVER;
    }
    return [...new Set(ids)];
  });

/** The body of a post that carries nothing but its CSRF token, or of an API call that takes no fields. */
export const emptyBody = z.strictObject({});
