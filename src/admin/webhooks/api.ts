// The Webhooks endpoints of the automation API: list and read (any role, never the secret), create
// and rotate the secret (the two answers that hold it), change, delete, send a test event, a
// webhook's deliveries, and the reminder setting. The same operations as the pages.

import { z } from 'zod';
import { listDeliveries } from '../../notify/deliveries.js';
import { SUBSCRIBABLE_EVENTS } from '../../notify/event-payload.js';
import { getReminderMinutes } from '../../notify/reminders.js';
import { getWebhook, listWebhooks } from '../../notify/webhooks.js';
import { endpoint, type Endpoint } from '../api/endpoint.js';
import type { AdminDeps } from '../deps.js';
import { emptyBody } from '../validation.js';
import { createWebhookSchema, reminderSchema, updateWebhookSchema } from './input.js';
import { deliveryJson, deliveryJsonSchema, webhookId, webhookJson, webhookJsonSchema, webhookWithSecretSchema } from './json.js';
import type { WebhookOperations } from './operations.js';

const TAG = 'Webhooks';
const SIGNING =
  'Each delivery is a POST signed with the secret: Intermission-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">, ' +
  'plus Intermission-Event and Intermission-Delivery headers. Non-2xx answers are retried with backoff; redirects are not followed.';

const remindersJsonSchema = z.object({
  reminder_minutes: z.number().int().describe('window.reminder events (and reminder e-mails) go out this many minutes before a window starts'),
  email_enabled: z.boolean().describe('whether SMTP_URL is set, so subscribed operators and admins also get an e-mail'),
});

export function createWebhookEndpoints({ pool, config }: AdminDeps, ops: WebhookOperations): Endpoint[] {
  return [
    endpoint({
      method: 'get', path: '/webhooks', tag: TAG, role: 'viewer',
      summary: 'List webhooks',
      description: 'Oldest first, each with the result of its latest delivery. Secrets are never listed.',
      response: z.object({ webhooks: z.array(webhookJsonSchema) }),
      async handler({ site }) {
        return { webhooks: (await listWebhooks(pool, site.site.id)).map(webhookJson) };
      },
    }),
    endpoint({
      method: 'get', path: '/webhooks/:id', tag: TAG, role: 'viewer',
      summary: 'Read a webhook',
      response: webhookJsonSchema,
      async handler({ params, site }) {
        return webhookJson(await getWebhook(pool, site.site.id, webhookId(params.id)));
      },
    }),
    endpoint({
      method: 'post', path: '/webhooks', tag: TAG, role: 'admin', status: 201,
      summary: 'Create a webhook',
      description: `url, and optionally description, events (default: all of ${SUBSCRIBABLE_EVENTS.join(', ')}) and format (json or slack). ${SIGNING} The secret is in this response only.`,
      body: createWebhookSchema,
      response: webhookWithSecretSchema,
      async handler({ body, actor, site }) {
        const { webhook, secret } = await ops.create(actor, site.site.id, body);
        return { webhook: webhookJson(webhook), secret };
      },
    }),
    endpoint({
      method: 'patch', path: '/webhooks/:id', tag: TAG, role: 'admin',
      summary: 'Change a webhook',
      description: 'Changes the fields given: url, description, events (the whole list), format, enabled. Disabling gives up its waiting deliveries.',
      body: updateWebhookSchema,
      response: webhookJsonSchema,
      async handler({ params, body, actor, site }) {
        return webhookJson(await ops.update(actor, site.site.id, webhookId(params.id), body));
      },
    }),
    endpoint({
      method: 'delete', path: '/webhooks/:id', tag: TAG, role: 'admin',
      summary: 'Delete a webhook',
      description: 'With its deliveries, sent or waiting. Attempts already under way finish, but are not recorded.',
      body: emptyBody,
      response: z.object({ webhook: webhookJsonSchema }),
      async handler({ params, actor, site }) {
        return { webhook: webhookJson(await ops.remove(actor, site.site.id, webhookId(params.id))) };
      },
    }),
    endpoint({
      method: 'post', path: '/webhooks/:id/rotate-secret', tag: TAG, role: 'admin',
      summary: "Rotate a webhook's secret",
      description: 'Makes a new secret and signs every delivery from now on with it; the old one stops working at once. The new secret is in this response only.',
      body: emptyBody,
      response: webhookWithSecretSchema,
      async handler({ params, actor, site }) {
        const { webhook, secret } = await ops.rotateSecret(actor, site.site.id, webhookId(params.id));
        return { webhook: webhookJson(webhook), secret };
      },
    }),
    endpoint({
      method: 'post', path: '/webhooks/:id/test', tag: TAG, role: 'admin', status: 201,
      summary: 'Send a test event',
      description: 'A webhook.test event, delivered to this webhook only, within a second or two; follow it in the deliveries. A disabled webhook is refused (409).',
      body: emptyBody,
      response: z.object({ event_id: z.string(), delivery_id: z.string() }),
      async handler({ params, actor, site }) {
        const { eventId, deliveryId } = await ops.sendTest(actor, site.site.id, webhookId(params.id));
        return { event_id: eventId, delivery_id: deliveryId };
      },
    }),
    endpoint({
      method: 'get', path: '/webhooks/:id/deliveries', tag: TAG, role: 'viewer',
      summary: "A webhook's deliveries",
      description: 'The latest 50, newest first: the event, its state (pending, delivered, failed), attempts, the last response status and error.',
      response: z.object({ deliveries: z.array(deliveryJsonSchema) }),
      async handler({ params, site }) {
        const id = webhookId(params.id);
        await getWebhook(pool, site.site.id, id);
        return { deliveries: (await listDeliveries(pool, id)).map(deliveryJson) };
      },
    }),
    endpoint({
      method: 'get', path: '/reminders', tag: TAG, role: 'viewer',
      summary: 'Read the reminder setting',
      response: remindersJsonSchema,
      async handler({ site }) {
        return { reminder_minutes: await getReminderMinutes(pool, site.site.id), email_enabled: config.smtpUrl !== undefined };
      },
    }),
    endpoint({
      method: 'patch', path: '/reminders', tag: TAG, role: 'admin',
      summary: 'Change the reminder setting',
      description: 'reminder_minutes: 1 to 10080. A window is reminded of once, when it comes within this time of its start (unless it was scheduled at shorter notice).',
      body: reminderSchema,
      response: remindersJsonSchema.extend({ changed: z.boolean() }),
      async handler({ body, actor, site }) {
        const changed = await ops.setReminderMinutes(actor, site.site.id, body.reminder_minutes);
        return { reminder_minutes: body.reminder_minutes, email_enabled: config.smtpUrl !== undefined, changed };
      },
    }),
  ];
}
