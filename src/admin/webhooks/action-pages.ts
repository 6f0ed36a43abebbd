// What can be done to one webhook from the pages: enable or disable it, rotate its secret and
// delete it (each after a confirmation where it cannot be undone), send a test event, and see its
// latest deliveries.

import type express from 'express';
import { listDeliveries } from '../../notify/deliveries.js';
import { getWebhook } from '../../notify/webhooks.js';
import type { AdminDeps } from '../deps.js';
import { redirectWith } from '../flash.js';
import { actorOf, confirmed, formFields, pageZone } from '../form.js';
import { requireRole } from '../guards.js';
import { siteBase, siteOf } from '../site-scope.js';
import { emptyBody, parseInput } from '../validation.js';
import { webhookId } from './json.js';
import type { WebhookOperations } from './operations.js';
import type { RenderSecret } from './pages.js';
import { deliveryView, webhookView } from './view.js';

/** Adds the routes to pages itself (not a nested router), so every route can be listed from it. */
export function addWebhookActionPages(pages: express.Router, deps: AdminDeps, ops: WebhookOperations, renderSecret: RenderSecret): void {
  const { pool, now } = deps;

  pages.get('/webhooks/:id/deliveries', requireRole('viewer'), async function webhookDeliveries(req, res) {
    const id = webhookId(req.params.id);
    const zone = pageZone(req, res);
    const at = now();
    // The webhook first: another site's is not found, and its deliveries are never read.
    const webhook = await getWebhook(pool, siteOf(res).site.id, id);
    const deliveries = await listDeliveries(pool, id);
    res.render('admin/webhooks/deliveries', {
      title: `Deliveries of webhook #${id}`,
      nav: '/webhooks',
      zone,
      webhook: webhookView(webhook, zone, at),
      deliveries: deliveries.map((delivery) => deliveryView(delivery, zone, at)),
    });
  });

  for (const enabled of [true, false]) {
    const action = enabled ? 'enable' : 'disable';
    pages.post(`/webhooks/:id/${action}`, requireRole('admin'), async function setEnabled(req, res) {
      const id = webhookId(req.params.id);
      parseInput(emptyBody, formFields(req));
      const webhook = await ops.update(actorOf(res), siteOf(res).site.id, id, { enabled });
      const text = enabled ? `Webhook #${id} is on: it gets events from now on.` : `Webhook #${id} is off: it gets no more events, and those still waiting were given up.`;
      redirectWith(res, siteBase(res), '/webhooks', { kind: 'notice', text: `${text} (${webhook.url})` });
    });
  }

  pages.post('/webhooks/:id/test', requireRole('admin'), async function sendTest(req, res) {
    const id = webhookId(req.params.id);
    parseInput(emptyBody, formFields(req));
    const webhook = await getWebhook(pool, siteOf(res).site.id, id);
    if (!webhook.enabled) {
      return redirectWith(res, siteBase(res), '/webhooks', { kind: 'warning', text: `Webhook #${id} is off: turn it on first, then send the test.` });
    }
    await ops.sendTest(actorOf(res), siteOf(res).site.id, id);
    redirectWith(res, siteBase(res), `/webhooks/${id}/deliveries`, { kind: 'notice', text: 'Test event sent: it arrives within a second or two; reload to see the result.' });
  });

  pages.post('/webhooks/:id/rotate-secret', requireRole('admin'), async function rotateSecret(req, res) {
    const id = webhookId(req.params.id);
    parseInput(emptyBody, formFields(req));
    const webhook = webhookView(await getWebhook(pool, siteOf(res).site.id, id), pageZone(req, res), now());
    if (!confirmed(req)) {
      return res.render('admin/confirm', {
        title: `Rotate the secret of webhook #${id}?`,
        nav: '/webhooks',
        heading: `Rotate the secret of webhook #${id}?`,
        lines: ['A new secret signs every delivery from now on, and the old one stops working at once: the receiver refuses deliveries until it has the new secret.'],
        details: [['URL', webhook.url], ['Secret', webhook.secretText]],
        action: `${siteBase(res)}/webhooks/${id}/rotate-secret`,
        confirmLabel: 'Yes, make a new secret',
        hidden: [],
        danger: true,
        cancelHref: `${siteBase(res)}/webhooks`,
      });
    }
    renderSecret(req, res, 200, await ops.rotateSecret(actorOf(res), siteOf(res).site.id, id), true);
  });

  pages.post('/webhooks/:id/delete', requireRole('admin'), async function deleteWebhook(req, res) {
    const id = webhookId(req.params.id);
    parseInput(emptyBody, formFields(req));
    const webhook = webhookView(await getWebhook(pool, siteOf(res).site.id, id), pageZone(req, res), now());
    if (!confirmed(req)) {
      return res.render('admin/confirm', {
        title: `Delete webhook #${id}?`,
        nav: '/webhooks',
        heading: `Delete webhook #${id}?`,
        lines: ['It gets no more events, and its deliveries, sent or waiting, are deleted with it. This cannot be undone: disable it instead to keep its history.'],
        details: [['URL', webhook.url], ['Description', webhook.description || '—'], ['Events', webhook.allEvents ? 'all' : webhook.events.join(', ')]],
        action: `${siteBase(res)}/webhooks/${id}/delete`,
        confirmLabel: 'Yes, delete',
        hidden: [],
        danger: true,
        cancelHref: `${siteBase(res)}/webhooks`,
      });
    }
    const removed = await ops.remove(actorOf(res), siteOf(res).site.id, id);
    redirectWith(res, siteBase(res), '/webhooks', { kind: 'notice', text: `Deleted webhook #${id} (${removed.url}).` });
  });
}
