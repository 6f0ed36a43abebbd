// What admins do to webhooks, from the pages and the API: create (its secret exists only in the
// result), change, enable or disable, rotate the secret, delete, send a test event, and set how long
// before a start reminders go out. Each acts in the request's site, in one audited transaction
// (writeAs); the secret stays out of the log.

import type { Actor } from '../../accounts/roles.js';
import { writeAs } from '../../audit/write-as.js';
import type { Pool } from '../../db/pool.js';
import { ConflictError } from '../../errors.js';
import { setReminderMinutes } from '../../notify/reminders.js';
import {
  createWebhook,
  deleteWebhook,
  getWebhook,
  rotateWebhookSecret,
  sendTestEvent,
  updateWebhook,
  type WebhookChanges,
  type WebhookDetails,
  type WebhookRecord,
} from '../../notify/webhooks.js';

export interface WebhookWithSecret {
  webhook: WebhookRecord;
  secret: string;
}

export interface WebhookOperations {
  create(actor: Actor, siteId: string, input: WebhookDetails): Promise<WebhookWithSecret>;
  update(actor: Actor, siteId: string, id: string, changes: WebhookChanges): Promise<WebhookRecord>;
  rotateSecret(actor: Actor, siteId: string, id: string): Promise<WebhookWithSecret>;
  remove(actor: Actor, siteId: string, id: string): Promise<WebhookRecord>;
  /** A disabled webhook gets nothing, not even a test: enabling it comes first. */
  sendTest(actor: Actor, siteId: string, id: string): Promise<{ webhook: WebhookRecord; eventId: string; deliveryId: string }>;
  /** Returns whether the setting changed. */
  setReminderMinutes(actor: Actor, siteId: string, minutes: number): Promise<boolean>;
}

/** The audit action of a change: turning a webhook on or off is worth finding on its own. */
function updateAction(changes: WebhookChanges): string {
  const onlyEnabled = Object.entries(changes).every(([key, value]) => key === 'enabled' || value === undefined);
  if (onlyEnabled && changes.enabled !== undefined) return changes.enabled ? 'webhook.enable' : 'webhook.disable';
  return 'webhook.update';
}

export function createWebhookOperations({ pool }: { pool: Pool }): WebhookOperations {
  return {
    async create(actor, siteId, input) {
      return writeAs(pool, actor.label, 'webhook.create', (client) => createWebhook(client, siteId, input), 'creating the webhook');
    },

    async update(actor, siteId, id, changes) {
      return writeAs(pool, actor.label, updateAction(changes), (client) => updateWebhook(client, siteId, id, changes), 'changing the webhook');
    },

    async rotateSecret(actor, siteId, id) {
      return writeAs(pool, actor.label, 'webhook.rotate_secret', (client) => rotateWebhookSecret(client, siteId, id), 'rotating the secret');
    },

    async remove(actor, siteId, id) {
      return writeAs(pool, actor.label, 'webhook.delete', (client) => deleteWebhook(client, siteId, id), 'deleting the webhook');
    },

    async sendTest(actor, siteId, id) {
      return writeAs(
        pool,
        actor.label,
        'webhook.test',
        async (client) => {
          const webhook = await getWebhook(client, siteId, id);
          if (!webhook.enabled) throw new ConflictError(`webhook #${id} is disabled: enable it first, then send the test`);
          return { webhook, ...(await sendTestEvent(client, siteId, id)) };
        },
        'sending the test event',
      );
    },

    async setReminderMinutes(actor, siteId, minutes) {
      return writeAs(pool, actor.label, 'settings.reminders', (client) => setReminderMinutes(client, siteId, minutes), 'saving the reminder setting');
    },
  };
}
