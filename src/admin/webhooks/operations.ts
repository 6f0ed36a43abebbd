// What admins do to webhooks, from the pages and the API: create (its secret exists only in the
// result), change, enable or disable, rotate the secret, delete, send a test event, and set how long
// before a start reminders go out. Each is one audited transaction (writeAs); the secret stays out of the log.

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
  create(actor: Actor, input: WebhookDetails): Promise<WebhookWithSecret>;
  update(actor: Actor, id: string, changes: WebhookChanges): Promise<WebhookRecord>;
  rotateSecret(actor: Actor, id: string): Promise<WebhookWithSecret>;
  remove(actor: Actor, id: string): Promise<WebhookRecord>;
  /** A disabled webhook gets nothing, not even a test: enabling it comes first. */
  sendTest(actor: Actor, id: string): Promise<{ webhook: WebhookRecord; eventId: string; deliveryId: string }>;
  /** Returns whether the setting changed. */
  setReminderMinutes(actor: Actor, minutes: number): Promise<boolean>;
}

/** The audit action of a change: turning a webhook on or off is worth finding on its own. */
function updateAction(changes: WebhookChanges): string {
  const onlyEnabled = Object.entries(changes).every(([key, value]) => key === 'enabled' || value === undefined);
  if (onlyEnabled && changes.enabled !== undefined) return changes.enabled ? 'webhook.enable' : 'webhook.disable';
  return 'webhook.update';
}

export function createWebhookOperations({ pool }: { pool: Pool }): WebhookOperations {
  return {
    async create(actor, input) {
      return writeAs(pool, actor.label, 'webhook.create', (client) => createWebhook(client, input), 'creating the webhook');
    },

    async update(actor, id, changes) {
      return writeAs(pool, actor.label, updateAction(changes), (client) => updateWebhook(client, id, changes), 'changing the webhook');
    },

    async rotateSecret(actor, id) {
      return writeAs(pool, actor.label, 'webhook.rotate_secret', (client) => rotateWebhookSecret(client, id), 'rotating the secret');
    },

    async remove(actor, id) {
      return writeAs(pool, actor.label, 'webhook.delete', (client) => deleteWebhook(client, id), 'deleting the webhook');
    },

    async sendTest(actor, id) {
      return writeAs(
        pool,
        actor.label,
        'webhook.test',
        async (client) => {
          const webhook = await getWebhook(client, id);
          if (!webhook.enabled) throw new ConflictError(`webhook #${id} is disabled: enable it first, then send the test`);
          return { webhook, ...(await sendTestEvent(client, id)) };
        },
        'sending the test event',
      );
    },

    async setReminderMinutes(actor, minutes) {
      return writeAs(pool, actor.label, 'settings.reminders', (client) => setReminderMinutes(client, minutes), 'saving the reminder setting');
    },
  };
}
