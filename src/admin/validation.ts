// Input checking for the admin pages and the API with zod: one schema per operation, shared by
// both, so a form and a pipeline get the same rules and the same messages naming the field.

import { z } from 'zod';
import { GatewayError, ValidationError } from '../errors.js';

/** Parses input with schema; the first problem becomes a ValidationError that names its field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
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
