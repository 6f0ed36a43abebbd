// The zod schemas of webhook operations and of the reminder setting, shared by the pages and the
// API so a form and a pipeline get the same rules and messages naming the field.

import { z } from 'zod';
import { ValidationError } from '../../errors.js';
import { parseLine, quoted } from '../../maintenance/input.js';
import { SUBSCRIBABLE_EVENTS, type SubscribableEvent } from '../../notify/event-payload.js';
import { MAX_REMINDER_MINUTES, MIN_REMINDER_MINUTES } from '../../notify/reminders.js';
import { WEBHOOK_FORMATS, type WebhookChanges, type WebhookDetails } from '../../notify/webhooks.js';
import { blank, checked, text } from '../validation.js';

// The same limits as the CHECK constraints on webhooks (migrations/004_automation.sql).
const MAX_URL_LENGTH = 2000;
const MAX_DESCRIPTION_LENGTH = 200;

/** The receiver's address: http or https only (no file:, no javascript:), written out in full. */
export function parseWebhookUrl(raw: string, field: string): string {
  const value = raw.trim();
  if (!value) throw new ValidationError(`${field} is empty: give the receiver's address, e.g. https://hooks.example.com/intermission`, field);
  if ([...value].length > MAX_URL_LENGTH) throw new ValidationError(`${field} is ${[...value].length} characters long: at most ${MAX_URL_LENGTH}`, field);
  const url = URL.canParse(value) && !/\s/.test(value) ? new URL(value) : undefined;
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname || !/^https?:\/\//i.test(value)) {
    throw new ValidationError(`${field} ${quoted(raw)} is not an http:// or https:// URL such as https://hooks.example.com/intermission`, field);
  }
  return url.href;
}

function parseDescription(raw: string, field: string): string {
  return parseLine(raw, field, MAX_DESCRIPTION_LENGTH);
}

/** Event types from checkboxes (one value or many; an empty value is the "none ticked" marker) or a JSON array. */
export function parseEvents(raw: string | string[], field: string): SubscribableEvent[] {
  const given = (Array.isArray(raw) ? raw : [raw]).map((value) => value.trim()).filter((value) => value !== '');
  const unknown = given.find((value) => !(SUBSCRIBABLE_EVENTS as readonly string[]).includes(value));
  if (unknown !== undefined) throw new ValidationError(`${field} has ${quoted(unknown)}: each must be one of ${SUBSCRIBABLE_EVENTS.join(', ')}`, field);
  if (given.length === 0) throw new ValidationError(`${field} is empty: choose at least one event to send`, field);
  // In the order of the list, so the same choice always reads the same.
  return SUBSCRIBABLE_EVENTS.filter((type) => given.includes(type));
}

function parseMinutes(raw: number | string, field: string): number {
  const value = typeof raw === 'number' ? raw : raw.trim() === '' ? Number.NaN : Number(raw);
  if (!Number.isInteger(value) || value < MIN_REMINDER_MINUTES || value > MAX_REMINDER_MINUTES) {
    throw new ValidationError(`${field} ${quoted(String(raw))} is not a whole number of minutes from ${MIN_REMINDER_MINUTES} to ${MAX_REMINDER_MINUTES} (a week)`, field);
  }
  return value;
}

const url = text(MAX_URL_LENGTH).transform(checked(parseWebhookUrl, 'url'));
const description = text(MAX_DESCRIPTION_LENGTH).transform(checked(parseDescription, 'description'));
const events = z
  .union([z.array(z.string().max(100)).max(40), z.string().max(100)], { error: 'must be a list of event types' })
  .transform(checked(parseEvents, 'events'));
const format = z.enum(WEBHOOK_FORMATS, { error: 'must be json (the event as JSON) or slack (a Slack-compatible text message)' });

export const createWebhookSchema = z
  .strictObject({
    url: url.describe("the receiver's http(s) address; redirects are not followed"),
    description: description.optional().describe('what it is for, e.g. "#ops channel"; at most 200 characters'),
    events: events.optional().describe(`the event types to send; absent: all of ${SUBSCRIBABLE_EVENTS.join(', ')}`),
    format: blank(format.optional()).describe('json (the default) or slack'),
  })
  .transform((input): WebhookDetails => ({
    url: input.url,
    description: input.description ?? '',
    events: input.events ?? [...SUBSCRIBABLE_EVENTS],
    format: input.format ?? 'json',
  }));

export const updateWebhookSchema = z
  .strictObject({
    url: url.optional(),
    description: description.optional(),
    events: events.optional().describe('the whole list of event types to send'),
    format: format.optional(),
    enabled: z.boolean({ error: 'must be true or false' }).optional().describe('false stops deliveries; waiting ones are given up'),
  })
  .transform((input, ctx): WebhookChanges => {
    if (Object.values(input).every((value) => value === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'nothing to change: give at least one of url, description, events, format or enabled', path: [] });
      return z.NEVER;
    }
    return input;
  });

export const reminderSchema = z.strictObject({
  reminder_minutes: z
    .union([z.number(), z.string().max(20)], { error: (issue) => (issue.input === undefined ? 'is missing' : 'must be a number of minutes') })
    .transform(checked(parseMinutes, 'reminder_minutes'))
    .describe(`how many minutes before a window starts reminders go out, ${MIN_REMINDER_MINUTES} to ${MAX_REMINDER_MINUTES}`),
});
