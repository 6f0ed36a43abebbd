// The zod schemas of component and group operations, shared by the pages and the API so a form
// and a pipeline get the same rules and messages. Field names are the API's (snake_case).

import { z } from 'zod';
import type { Direction } from '../../maintenance/component-order.js';
import type { ComponentChanges, NewComponent } from '../../maintenance/components.js';
import type { GroupChanges } from '../../maintenance/component-groups.js';
import { parseLine, parseMessage } from '../../maintenance/input.js';
import { COMPONENT_STATUSES } from '../../snapshot/types.js';
import { checked } from '../validation.js';

// The same limits as the CHECK constraints on components and component_groups, checked first for a better message.
export const MAX_NAME_LENGTH = 200;
export const MAX_DESCRIPTION_LENGTH = 2000;
// A position past the end means "last"; beyond this it is more likely a mistake than a plan.
const MAX_POSITION = 10_000;

/** A component's or group's name: one line, 1 to 200 characters as PostgreSQL counts them. */
export function parseName(raw: string, field: string): string {
  return parseLine(raw, field, MAX_NAME_LENGTH, 'give a short name such as "API" or "Checkout"');
}

// Only a bound on the work: the body limit (64 KB) comes first, and the parsers give the real limits.
const MAX_TEXT = 65_536;

function text(missing: string) {
  return z.string({ error: (issue) => (issue.input === undefined ? `is missing: ${missing}` : 'must be text (a JSON string)') }).max(MAX_TEXT);
}

const name = text('give a short name such as "API" or "Checkout"').transform(checked(parseName, 'name'));
const description = text('give a line of text, or leave the field out').transform(
  checked((raw: string, field: string) => parseMessage(raw, field, MAX_DESCRIPTION_LENGTH), 'description'),
);

const STATUS_LIST = COMPONENT_STATUSES.join(', ');
export const status = z.enum(COMPONENT_STATUSES, {
  error: (issue) => (issue.input === undefined ? `is missing: choose one of ${STATUS_LIST}` : `must be one of ${STATUS_LIST}`),
});

/** A group id (digits, from a form or JSON), or null / "" for no group; absent stays undefined. */
const groupId = z
  .union([z.string().max(20), z.number(), z.null()])
  .optional()
  .transform((value, ctx) => {
    if (value === undefined) return undefined;
    if (value === null || value === '') return null;
    const text = String(value);
    if (!/^\d{1,18}$/.test(text)) {
      ctx.addIssue({ code: 'custom', message: `group_id ${JSON.stringify(text)} is not a group id (digits): give one, or null for no group`, path: [] });
      return z.NEVER;
    }
    return text;
  });

const position = z.number().int().min(0).max(MAX_POSITION);

function somethingGiven<T extends object>(changes: T, ctx: z.RefinementCtx, example: string): T {
  if (Object.values(changes).some((value) => value !== undefined)) return changes;
  ctx.addIssue({ code: 'custom', message: `nothing to change: give at least one field, e.g. ${example}`, path: [] });
  return z.NEVER as T;
}

export const createSchema = z
  .strictObject({ name, description: description.optional(), status: status.optional(), group_id: groupId })
  .transform(
    (input): NewComponent => ({
      name: input.name,
      description: input.description ?? '',
      status: input.status ?? 'operational',
      groupId: input.group_id ?? null,
    }),
  );

export const updateSchema = z
  .strictObject({ name: name.optional(), description: description.optional(), status: status.optional(), group_id: groupId, position: position.optional() })
  .transform((input, ctx): ComponentChanges =>
    somethingGiven(
      { name: input.name, description: input.description, status: input.status, groupId: input.group_id, position: input.position },
      ctx,
      'status or name',
    ),
  );

/** The quick "set status" control. */
export const statusSchema = z.strictObject({ status });

/** The up and down buttons of the pages. */
export const moveSchema = z
  .strictObject({ direction: z.enum(['up', 'down'], { error: 'must be up or down' }) })
  .transform((input): Direction => input.direction);

export const createGroupSchema = z.strictObject({ name });

export const updateGroupSchema = z
  .strictObject({ name: name.optional(), position: position.optional() })
  .transform((input, ctx): GroupChanges => somethingGiven({ name: input.name, position: input.position }, ctx, 'name'));
