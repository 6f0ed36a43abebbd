// The SQL of webhooks: list them with their last delivery, read, create, change, rotate the secret,
// delete, and send a test event. The secret leaves this module only when it is made (create,
// rotate); every read leaves it out. Writes run in the caller's audited transaction (writeAs).
// A webhook belongs to a site and hears only its events; every function acts in one site.

import type { Queryable } from '../audit/write-as.js';
import { fromDatabaseError, NotFoundError } from '../errors.js';
import type { SubscribableEvent } from './event-payload.js';
import { generateSecret } from './signature.js';

export const WEBHOOK_FORMATS = ['json', 'slack'] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

export const DELIVERY_STATES = ['pending', 'delivered', 'failed'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

export interface LastDelivery {
  state: DeliveryState;
  attempts: number;
  responseStatus: number | null;
  lastError: string | null;
  at: number;
}

export interface WebhookRecord {
  id: string;
  url: string;
  description: string;
  events: SubscribableEvent[];
  format: WebhookFormat;
  enabled: boolean;
  createdBy: string;
  createdAt: number;
  updatedAt: number;
  secretRotatedAt: number | null;
  lastDelivery: LastDelivery | null;
}

export interface WebhookDetails {
  url: string;
  description: string;
  events: SubscribableEvent[];
  format: WebhookFormat;
}

/** Only the fields given change. */
export type WebhookChanges = Partial<WebhookDetails> & { enabled?: boolean };

interface WebhookRow {
  id: string;
  url: string;
  description: string;
  events: SubscribableEvent[];
  format: WebhookFormat;
  enabled: boolean;
  created_by: string;
  created_at: Date;
  updated_at: Date;
  secret_rotated_at: Date | null;
  last_state: DeliveryState | null;
  last_attempts: number | null;
  last_status: number | null;
  last_error: string | null;
  last_at: Date | null;
}

// Never the secret. The latest delivery is the one with the highest id (the index on (webhook_id, id DESC)).
const SELECT = `
  SELECT w.id::text, w.url, w.description, w.events, w.format, w.enabled, w.created_by, w.created_at, w.updated_at,
         w.secret_rotated_at, d.state AS last_state, d.attempts AS last_attempts, d.response_status AS last_status,
         d.last_error, coalesce(d.finished_at, d.created_at) AS last_at
  FROM webhooks w
  LEFT JOIN LATERAL (SELECT * FROM webhook_deliveries x WHERE x.webhook_id = w.id ORDER BY x.id DESC LIMIT 1) d ON true`;

// A receiver list is short; more than this is a configuration nobody could look after.
const LIST_LIMIT = 200;

function toWebhook(row: WebhookRow): WebhookRecord {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    events: row.events,
    format: row.format,
    enabled: row.enabled,
    createdBy: row.created_by,
    createdAt: row.created_at.getTime(),
    updatedAt: row.updated_at.getTime(),
    secretRotatedAt: row.secret_rotated_at?.getTime() ?? null,
    lastDelivery:
      row.last_state === null
        ? null
        : { state: row.last_state, attempts: row.last_attempts ?? 0, responseStatus: row.last_status, lastError: row.last_error, at: row.last_at!.getTime() },
  };
}

export async function listWebhooks(db: Queryable, siteId: string): Promise<WebhookRecord[]> {
  try {
    const { rows } = await db.query<WebhookRow>(`${SELECT} WHERE w.site_id = $1::bigint ORDER BY w.id LIMIT ${LIST_LIMIT}`, [siteId]);
    return rows.map(toWebhook);
  } catch (err) {
    throw fromDatabaseError(err, 'listing the webhooks');
  }
}

/** One webhook of the site; NotFoundError when there is none (or it is another site's). */
export async function getWebhook(db: Queryable, siteId: string, id: string): Promise<WebhookRecord> {
  let rows: WebhookRow[];
  try {
    ({ rows } = await db.query<WebhookRow>(`${SELECT} WHERE w.id = $1::bigint AND w.site_id = $2::bigint`, [id, siteId]));
  } catch (err) {
    throw fromDatabaseError(err, 'reading the webhook');
  }
  if (!rows[0]) throw new NotFoundError(`there is no webhook #${id}`);
  return toWebhook(rows[0]);
}

/** Creates a webhook with a new secret; the one place, with rotation, where the secret comes back. */
export async function createWebhook(db: Queryable, siteId: string, input: WebhookDetails): Promise<{ webhook: WebhookRecord; secret: string }> {
  const secret = generateSecret();
  try {
    const { rows } = await db.query<{ id: string }>(
      'INSERT INTO webhooks (url, description, events, format, secret, site_id) VALUES ($1, $2, $3, $4, $5, $6::bigint) RETURNING id::text',
      [input.url, input.description, input.events, input.format, secret, siteId],
    );
    return { webhook: await getWebhook(db, siteId, rows[0]!.id), secret };
  } catch (err) {
    throw fromDatabaseError(err, 'creating the webhook');
  }
}

export async function updateWebhook(db: Queryable, siteId: string, id: string, changes: WebhookChanges): Promise<WebhookRecord> {
  try {
    const { rowCount } = await db.query(
      `UPDATE webhooks SET url = coalesce($2, url), description = coalesce($3, description), events = coalesce($4, events),
              format = coalesce($5, format), enabled = coalesce($6, enabled), updated_at = now()
       WHERE id = $1::bigint AND site_id = $7::bigint`,
      [id, changes.url ?? null, changes.description ?? null, changes.events ?? null, changes.format ?? null, changes.enabled ?? null, siteId],
    );
    if (rowCount === 0) throw new NotFoundError(`there is no webhook #${id}`);
    if (changes.enabled === false) {
      // Waiting deliveries would go out in a burst of stale events on re-enabling; they end here instead.
      await db.query(
        `UPDATE webhook_deliveries SET state = 'failed', finished_at = now(), last_error = 'the webhook was disabled before this was delivered'
         WHERE webhook_id = $1::bigint AND state = 'pending'`,
        [id],
      );
    }
    return await getWebhook(db, siteId, id);
  } catch (err) {
    throw fromDatabaseError(err, 'changing the webhook');
  }
}

export async function rotateWebhookSecret(db: Queryable, siteId: string, id: string): Promise<{ webhook: WebhookRecord; secret: string }> {
  const secret = generateSecret();
  try {
    const { rowCount } = await db.query(
      'UPDATE webhooks SET secret = $2, secret_rotated_at = now(), updated_at = now() WHERE id = $1::bigint AND site_id = $3::bigint',
      [id, secret, siteId],
    );
    if (rowCount === 0) throw new NotFoundError(`there is no webhook #${id}`);
    return { webhook: await getWebhook(db, siteId, id), secret };
  } catch (err) {
    throw fromDatabaseError(err, 'rotating the secret');
  }
}

/** Deletes the webhook and, with it (ON DELETE CASCADE), its deliveries, sent or waiting. */
export async function deleteWebhook(db: Queryable, siteId: string, id: string): Promise<WebhookRecord> {
  const webhook = await getWebhook(db, siteId, id);
  try {
    await db.query('DELETE FROM webhooks WHERE id = $1::bigint AND site_id = $2::bigint', [id, siteId]);
  } catch (err) {
    throw fromDatabaseError(err, 'deleting the webhook');
  }
  return webhook;
}

/** A webhook.test event, in the webhook's site; the fan-out trigger gives it a delivery to this webhook only. */
export async function sendTestEvent(db: Queryable, siteId: string, id: string): Promise<{ eventId: string; deliveryId: string }> {
  try {
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO events (type, data, site_id)
       SELECT 'webhook.test', jsonb_build_object('webhook_id', w.id), w.site_id FROM webhooks w WHERE w.id = $1::bigint AND w.site_id = $2::bigint
       RETURNING id::text`,
      [id, siteId],
    );
    if (!rows[0]) throw new NotFoundError(`there is no webhook #${id}`);
    const eventId = rows[0].id;
    const delivery = await db.query<{ id: string }>('SELECT id::text FROM webhook_deliveries WHERE event_id = $1::bigint', [eventId]);
    return { eventId, deliveryId: delivery.rows[0]!.id };
  } catch (err) {
    throw fromDatabaseError(err, 'sending the test event');
  }
}
