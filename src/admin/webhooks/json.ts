// How webhooks and their deliveries read in the API (snake_case, ISO 8601 times in UTC, never the
// secret but in the answer that made it), and the zod schemas of those shapes for the reference.

import { z } from 'zod';
import { NotFoundError } from '../../errors.js';
import type { DeliveryRecord } from '../../notify/deliveries.js';
import { EVENT_TYPES, SUBSCRIBABLE_EVENTS } from '../../notify/event-payload.js';
import { DELIVERY_STATES, WEBHOOK_FORMATS, type WebhookRecord } from '../../notify/webhooks.js';

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export const lastDeliverySchema = z.object({
  state: z.enum(DELIVERY_STATES),
  attempts: z.number().int(),
  response_status: z.number().int().nullable().describe("the receiver's last HTTP status; null: no answer (timeout, refused, ...)"),
  last_error: z.string().nullable(),
  at: z.string().describe('when it was delivered or given up, or made while still pending'),
});

export const webhookJsonSchema = z.object({
  id: z.string().describe('the webhook id (digits)'),
  url: z.string(),
  description: z.string(),
  events: z.array(z.enum(SUBSCRIBABLE_EVENTS)),
  format: z.enum(WEBHOOK_FORMATS).describe('json: the event as JSON; slack: {"text": ...} for a Slack incoming webhook'),
  enabled: z.boolean(),
  created_by: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
  secret_rotated_at: z.string().nullable().describe('null: the secret is the one made with the webhook'),
  last_delivery: lastDeliverySchema.nullable(),
});

export const webhookWithSecretSchema = z.object({
  webhook: webhookJsonSchema,
  secret: z.string().describe('whsec_...: the key of the Intermission-Signature HMAC; shown only in this response'),
});

export const deliveryJsonSchema = z.object({
  id: z.string().describe('sent as the Intermission-Delivery header'),
  event_id: z.string().describe('the id in the payload'),
  event_type: z.enum(EVENT_TYPES),
  event_at: z.string(),
  state: z.enum(DELIVERY_STATES),
  attempts: z.number().int(),
  response_status: z.number().int().nullable(),
  last_error: z.string().nullable(),
  next_attempt_at: z.string().nullable().describe('while pending: when the next attempt is due'),
  created_at: z.string(),
  finished_at: z.string().nullable().describe('when it was delivered or given up'),
});

export function webhookJson(webhook: WebhookRecord): z.infer<typeof webhookJsonSchema> {
  const last = webhook.lastDelivery;
  return {
    id: webhook.id,
    url: webhook.url,
    description: webhook.description,
    events: webhook.events,
    format: webhook.format,
    enabled: webhook.enabled,
    created_by: webhook.createdBy,
    created_at: iso(webhook.createdAt)!,
    updated_at: iso(webhook.updatedAt)!,
    secret_rotated_at: iso(webhook.secretRotatedAt),
    last_delivery: last && { state: last.state, attempts: last.attempts, response_status: last.responseStatus, last_error: last.lastError, at: iso(last.at)! },
  };
}

export function deliveryJson(delivery: DeliveryRecord): z.infer<typeof deliveryJsonSchema> {
  return {
    id: delivery.id,
    event_id: delivery.eventId,
    event_type: delivery.eventType,
    event_at: iso(delivery.eventAt)!,
    state: delivery.state,
    attempts: delivery.attempts,
    response_status: delivery.responseStatus,
    last_error: delivery.lastError,
    next_attempt_at: delivery.state === 'pending' ? iso(delivery.nextAttemptAt) : null,
    created_at: iso(delivery.createdAt)!,
    finished_at: iso(delivery.finishedAt),
  };
}

/** A webhook id from a path: anything but digits names no webhook. */
export function webhookId(raw: unknown): string {
  if (typeof raw !== 'string' || !/^\d{1,18}$/.test(raw)) throw new NotFoundError(`there is no webhook #${String(raw).slice(0, 40)}`);
  return raw;
}
