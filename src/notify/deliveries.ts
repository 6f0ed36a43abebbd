// The SQL of webhook deliveries: claim the ones that are due (a short transaction, FOR UPDATE SKIP
// LOCKED, so gateways and overlapping runs never take the same one), record each attempt's outcome,
// and list a webhook's latest for the admin area.

import type { Queryable } from '../audit/write-as.js';
import { fromDatabaseError } from '../errors.js';
import type { EventRecord } from './event-payload.js';
import type { DeliveryOutcome } from './retry-policy.js';
import type { DeliveryState, WebhookFormat } from './webhooks.js';

/** A delivery taken for one attempt, with what is needed to make it. */
export interface ClaimedDelivery {
  id: string;
  /** Counting this attempt. */
  attempts: number;
  webhookId: string;
  url: string;
  secret: string;
  format: WebhookFormat;
  event: EventRecord;
  /** The site of the event (and of the webhook: only a site's own webhooks hear its events). */
  siteId: string;
}

export interface ClaimOptions {
  limit: number;
  /** How far next_attempt_at moves ahead while the attempt is under way: if this gateway dies, it is due again then. */
  leaseMs: number;
  maxAttempts: number;
  /** At most this many of one webhook's deliveries per claim, so one receiver cannot take every slot. */
  perWebhook: number;
  /** Webhooks already at their limit of attempts in flight here. */
  busyWebhookIds: string[];
}

interface ClaimRow {
  id: string;
  attempts: number;
  webhook_id: string;
  url: string;
  secret: string;
  format: WebhookFormat;
  event_id: string;
  type: EventRecord['type'];
  at: Date;
  data: Record<string, unknown>;
  site_id: string;
}

// A lease that ran out on its last attempt (the gateway died mid-attempt) is not tried again forever.
const EXHAUSTED_SQL = `
  UPDATE webhook_deliveries SET state = 'failed', finished_at = now(),
         last_error = coalesce(last_error, 'no result was recorded for the last attempt')
  WHERE state = 'pending' AND next_attempt_at <= now() AND attempts >= $1`;

// Ranked without locks first (window functions and FOR UPDATE do not mix), then locked and leased.
// A disabled webhook's deliveries are not taken; a deleted one's are gone with it.
const CLAIM_SQL = `
  WITH ranked AS (
    SELECT d.id, row_number() OVER (PARTITION BY d.webhook_id ORDER BY d.next_attempt_at, d.id) AS n
    FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
    WHERE d.state = 'pending' AND d.next_attempt_at <= now() AND d.attempts < $3 AND w.enabled
      AND NOT (d.webhook_id = ANY ($5::bigint[]))
  ), due AS (
    SELECT d.id FROM webhook_deliveries d
    WHERE d.id IN (SELECT id FROM ranked WHERE n <= $4) AND d.state = 'pending' AND d.next_attempt_at <= now()
    ORDER BY d.next_attempt_at, d.id
    LIMIT $1
    FOR UPDATE SKIP LOCKED
  ), claimed AS (
    UPDATE webhook_deliveries d SET attempts = d.attempts + 1, next_attempt_at = now() + $2::int * interval '1 millisecond'
    FROM due WHERE d.id = due.id
    RETURNING d.id, d.attempts, d.webhook_id, d.event_id
  )
  SELECT c.id::text, c.attempts, c.webhook_id::text, w.url, w.secret, w.format, e.id::text AS event_id, e.type, e.at, e.data, e.site_id::text
  FROM claimed c JOIN webhooks w ON w.id = c.webhook_id JOIN events e ON e.id = c.event_id
  ORDER BY c.id`;

/**
 * Whether any delivery is due: the webhooks job asks every second on some gateway, so "none" is
 * one indexed statement (webhook_deliveries_due_idx) rather than a transaction.
 */
export async function anyDue(db: Queryable): Promise<boolean> {
  const { rows } = await db.query<{ due: boolean }>("SELECT EXISTS (SELECT 1 FROM webhook_deliveries WHERE state = 'pending' AND next_attempt_at <= now()) AS due");
  return rows[0]?.due ?? false;
}

export async function claimDueDeliveries(db: Queryable, options: ClaimOptions): Promise<ClaimedDelivery[]> {
  if (options.limit <= 0) return [];
  await db.query(EXHAUSTED_SQL, [options.maxAttempts]);
  const { rows } = await db.query<ClaimRow>(CLAIM_SQL, [options.limit, options.leaseMs, options.maxAttempts, options.perWebhook, options.busyWebhookIds]);
  return rows.map((row) => ({
    id: row.id,
    attempts: row.attempts,
    webhookId: row.webhook_id,
    url: row.url,
    secret: row.secret,
    format: row.format,
    event: { id: row.event_id, type: row.type, at: row.at.getTime(), data: row.data },
    siteId: row.site_id,
  }));
}

/** Records an attempt's outcome. Only a delivery still pending is touched: one deleted or disabled meanwhile stays as it is. */
export async function recordOutcome(db: Queryable, id: string, outcome: DeliveryOutcome): Promise<void> {
  const retryInMs = outcome.state === 'pending' ? outcome.retryInMs : 0;
  const lastError = outcome.state === 'delivered' ? null : outcome.lastError;
  await db.query(
    `UPDATE webhook_deliveries
     SET state = $2, response_status = $3, last_error = $4,
         next_attempt_at = CASE WHEN $2 = 'pending' THEN now() + $5::int * interval '1 millisecond' ELSE next_attempt_at END,
         finished_at = CASE WHEN $2 = 'pending' THEN NULL ELSE now() END
     WHERE id = $1::bigint AND state = 'pending'`,
    [id, outcome.state, outcome.responseStatus, lastError, retryInMs],
  );
}

export interface DeliveryRecord {
  id: string;
  eventId: string;
  eventType: EventRecord['type'];
  eventAt: number;
  state: DeliveryState;
  attempts: number;
  responseStatus: number | null;
  lastError: string | null;
  nextAttemptAt: number;
  createdAt: number;
  finishedAt: number | null;
}

interface DeliveryRow {
  id: string;
  event_id: string;
  type: EventRecord['type'];
  at: Date;
  state: DeliveryState;
  attempts: number;
  response_status: number | null;
  last_error: string | null;
  next_attempt_at: Date;
  created_at: Date;
  finished_at: Date | null;
}

export const DELIVERY_LIST_LIMIT = 50;

/** A webhook's latest deliveries, newest first. The caller reads the webhook in its site first (getWebhook). */
export async function listDeliveries(db: Queryable, webhookId: string, limit = DELIVERY_LIST_LIMIT): Promise<DeliveryRecord[]> {
  try {
    const { rows } = await db.query<DeliveryRow>(
      `SELECT d.id::text, d.event_id::text, e.type, e.at, d.state, d.attempts, d.response_status, d.last_error,
              d.next_attempt_at, d.created_at, d.finished_at
       FROM webhook_deliveries d JOIN events e ON e.id = d.event_id
       WHERE d.webhook_id = $1::bigint ORDER BY d.id DESC LIMIT $2`,
      [webhookId, limit],
    );
    return rows.map((row) => ({
      id: row.id,
      eventId: row.event_id,
      eventType: row.type,
      eventAt: row.at.getTime(),
      state: row.state,
      attempts: row.attempts,
      responseStatus: row.response_status,
      lastError: row.last_error,
      nextAttemptAt: row.next_attempt_at.getTime(),
      createdAt: row.created_at.getTime(),
      finishedAt: row.finished_at?.getTime() ?? null,
    }));
  } catch (err) {
    throw fromDatabaseError(err, 'listing the deliveries');
  }
}
