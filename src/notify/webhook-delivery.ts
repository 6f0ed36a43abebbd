// The `webhooks` job: every second, claim the deliveries that are due and send them, concurrently
// and outside any transaction. A run returns as soon as it has claimed: the sends go on in the
// background, tracked here, so a receiver that hangs holds only its own attempts (and only up to
// WEBHOOK_TIMEOUT_MS), never the next tick, the request path or other receivers. While claims find
// work, each finished attempt claims again at once, so a burst drains without waiting for ticks.
// stop() aborts the attempts in flight.

import type { Config } from '../config/config.js';
import { transaction, type Pool } from '../db/pool.js';
import type { Job } from '../jobs/scheduler.js';
import type { Logger } from '../log.js';
import { anyDue, claimDueDeliveries, recordOutcome, type ClaimedDelivery } from './deliveries.js';
import { eventPayload, type PayloadLinks } from './event-payload.js';
import { deliveryOutcome } from './retry-policy.js';
import { sendWebhook } from './send-webhook.js';
import { signatureHeader } from './signature.js';
import { siteLabels, siteLinks, type SiteLabel } from './site-labels.js';
import { slackPayload } from './slack-text.js';

// Sends in flight on this gateway, in all and per webhook: enough for a burst of events to many
// receivers, bounded so a flood of events to a dead receiver cannot open thousands of sockets.
const MAX_IN_FLIGHT = 64;
const MAX_IN_FLIGHT_PER_WEBHOOK = 8;
// Beyond the timeout: time to record the outcome before another gateway may take the delivery again.
const LEASE_MARGIN_MS = 15_000;
// How long stop() waits for aborted attempts to record themselves before the pool is closed.
const STOP_GRACE_MS = 2000;

export interface WebhookDeliveryDeps {
  config: Pick<Config, 'webhooks' | 'publicUrl' | 'statusPath' | 'adminPath' | 'siteName'>;
  pool: Pool;
  log: Logger;
  now?: () => number;
}

/** Links in payloads: absolute under PUBLIC_URL when it is set, else paths on the gateway. */
export function payloadLinks(config: Pick<Config, 'publicUrl' | 'statusPath' | 'adminPath'>): PayloadLinks {
  const base = config.publicUrl?.href.replace(/\/$/, '') ?? '';
  return { statusUrl: `${base}${config.statusPath}`, adminUrl: `${base}${config.adminPath}` };
}

/**
 * The body and headers of one attempt; the timestamp is signed anew for each. With several sites
 * the payload names the event's site and links to its own pages.
 */
export function webhookRequest(delivery: ClaimedDelivery, links: PayloadLinks, nowMs: number, site?: SiteLabel): { body: string; headers: Record<string, string> } {
  const payload = eventPayload(delivery.event, siteLinks(links, site), site?.named ? site : undefined);
  const body = JSON.stringify(delivery.format === 'slack' ? slackPayload(payload) : payload);
  return {
    body,
    headers: {
      'intermission-signature': signatureHeader(delivery.secret, body, Math.floor(nowMs / 1000)),
      'intermission-event': delivery.event.type,
      'intermission-delivery': delivery.id,
    },
  };
}

export function createWebhookJob({ config, pool, log, now = Date.now }: WebhookDeliveryDeps): Job {
  const { timeoutMs, maxAttempts, retryBaseMs } = config.webhooks;
  const links = payloadLinks(config);
  const stopping = new AbortController();
  const inFlight = new Set<Promise<void>>();
  const perWebhook = new Map<string, number>();
  // Whether the last claim found work (or left some out), so there may be more; and the claim under way, if any.
  let backlog = false;
  let claiming: Promise<number> | null = null;

  async function attempt(delivery: ClaimedDelivery, site: SiteLabel | undefined): Promise<void> {
    const { body, headers } = webhookRequest(delivery, links, now(), site);
    const result = await sendWebhook({ url: delivery.url, body, headers, timeoutMs, signal: stopping.signal });
    const outcome = deliveryOutcome(result, delivery.attempts, { maxAttempts, retryBaseMs });
    const fields = { delivery: delivery.id, webhook: delivery.webhookId, event: delivery.event.type, attempt: delivery.attempts, status: result.status };
    if (outcome.state === 'delivered') log.debug(fields, 'webhook delivered');
    else log.warn({ ...fields, error: outcome.lastError, retryInMs: outcome.state === 'pending' ? outcome.retryInMs : undefined }, outcome.state === 'failed' ? 'webhook delivery failed for good' : 'webhook attempt failed');
    try {
      await recordOutcome(pool, delivery.id, outcome);
    } catch (err) {
      // The lease runs out and the delivery is tried again: a receiver may see it twice, never lose it.
      log.warn({ delivery: delivery.id, err: (err as Error).message }, 'could not record a webhook attempt');
    }
  }

  function track(delivery: ClaimedDelivery, site: SiteLabel | undefined): void {
    perWebhook.set(delivery.webhookId, (perWebhook.get(delivery.webhookId) ?? 0) + 1);
    const running: Promise<void> = attempt(delivery, site)
      .catch((err: Error) => log.error({ err, delivery: delivery.id }, 'webhook attempt crashed'))
      .finally(() => {
        inFlight.delete(running);
        const left = (perWebhook.get(delivery.webhookId) ?? 1) - 1;
        if (left > 0) perWebhook.set(delivery.webhookId, left);
        else perWebhook.delete(delivery.webhookId);
        if (backlog) claim().catch((err: Error) => log.warn({ err: err.message }, 'could not claim webhook deliveries'));
      });
    inFlight.add(running);
  }

  async function claimAndSend(): Promise<number> {
    if (!(await anyDue(pool))) {
      backlog = false;
      return 0;
    }
    const busy = [...perWebhook].filter(([, count]) => count >= MAX_IN_FLIGHT_PER_WEBHOOK).map(([id]) => id);
    const claimed = await transaction(pool, (client) =>
      claimDueDeliveries(client, {
        limit: MAX_IN_FLIGHT - inFlight.size,
        leaseMs: timeoutMs + LEASE_MARGIN_MS,
        maxAttempts,
        perWebhook: MAX_IN_FLIGHT_PER_WEBHOOK,
        busyWebhookIds: busy,
      }),
    );
    // A webhook left out as busy may have more waiting: its attempts finishing must claim again.
    backlog = claimed.length > 0 || busy.length > 0;
    if (claimed.length === 0) return 0;
    // Read after the claim, outside its transaction: a failure here leaves the leases to run out, and the deliveries are tried again.
    const sites = await siteLabels(pool, config.siteName, [...new Set(claimed.map((delivery) => delivery.siteId))]);
    for (const delivery of claimed) track(delivery, sites.get(delivery.siteId));
    return claimed.length;
  }

  /** One claim at a time in this process; a call during one shares its result. */
  function claim(): Promise<number> {
    if (stopping.signal.aborted) return Promise.resolve(0);
    claiming ??= claimAndSend().finally(() => (claiming = null));
    return claiming;
  }

  return {
    name: 'webhooks',
    schedule: '* * * * * *',
    run: claim,
    async stop() {
      stopping.abort();
      // A claim under way still starts its attempts (each aborted at once); wait for it to hand them over.
      await claiming?.catch(() => 0);
      if (inFlight.size === 0) return;
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, STOP_GRACE_MS)));
      await Promise.race([Promise.allSettled([...inFlight]), grace]);
      clearTimeout(timer);
    },
  };
}
