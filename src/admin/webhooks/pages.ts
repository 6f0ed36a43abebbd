// The webhooks pages: the list (every role may read it; no secrets, ever) with the reminder
// setting, and for admins the create form, the one page that shows a new secret, and the edit form.

import express from 'express';
import { getReminderMinutes } from '../../notify/reminders.js';
import { SUBSCRIBABLE_EVENTS } from '../../notify/event-payload.js';
import { getWebhook, listWebhooks, type WebhookRecord } from '../../notify/webhooks.js';
import type { AdminDeps } from '../deps.js';
import { redirectWith } from '../flash.js';
import { actorOf, formError, formFields, formLocals, isFormError, pageZone, type FormValues } from '../form.js';
import { requireRole } from '../guards.js';
import { siteBase, siteOf } from '../site-scope.js';
import { parseInput } from '../validation.js';
import { addWebhookActionPages } from './action-pages.js';
import { createWebhookSchema, reminderSchema, updateWebhookSchema } from './input.js';
import { webhookId } from './json.js';
import type { WebhookOperations, WebhookWithSecret } from './operations.js';
import { EVENT_CHOICES, FORMAT_CHOICES, webhookView } from './view.js';

type FormProblem = { message: string; field?: string };

/** Renders the page that shows a secret, once: after creating a webhook or rotating its secret. */
export type RenderSecret = (req: express.Request, res: express.Response, status: number, result: WebhookWithSecret, rotated: boolean) => void;

function valuesOf(webhook: WebhookRecord): FormValues {
  return { url: webhook.url, description: webhook.description, events: webhook.events, format: webhook.format };
}

export function createWebhookPages(deps: AdminDeps, ops: WebhookOperations): express.Router {
  const { pool, config, now } = deps;
  const pages = express.Router();
  const choices = { eventChoices: EVENT_CHOICES, formats: FORMAT_CHOICES };

  async function renderList(req: express.Request, res: express.Response, status: number, values?: FormValues, error?: FormProblem): Promise<void> {
    const zone = pageZone(req, res);
    const at = now();
    const [webhooks, minutes] = await Promise.all([listWebhooks(pool, siteOf(res).site.id), getReminderMinutes(pool, siteOf(res).site.id)]);
    res.status(status).render('admin/webhooks/list', {
      title: 'Webhooks',
      nav: '/webhooks',
      zone,
      webhooks: webhooks.map((webhook) => webhookView(webhook, zone, at)),
      emailEnabled: config.smtpUrl !== undefined,
      ...formLocals(values ?? { reminder_minutes: String(minutes) }, error),
    });
  }

  function renderNew(res: express.Response, status: number, values: FormValues, error?: FormProblem): void {
    res.status(status).render('admin/webhooks/new', { title: 'New webhook', nav: '/webhooks', ...choices, ...formLocals(values, error) });
  }

  function renderEdit(res: express.Response, status: number, webhook: WebhookRecord, values: FormValues, error?: FormProblem): void {
    res.status(status).render('admin/webhooks/edit', { title: `Edit webhook #${webhook.id}`, nav: '/webhooks', webhook, ...choices, ...formLocals(values, error) });
  }

  const renderSecret: RenderSecret = (req, res, status, { webhook, secret }, rotated) => {
    res.status(status).render('admin/webhooks/secret', {
      title: rotated ? `New secret for webhook #${webhook.id}` : `Webhook #${webhook.id} created`,
      nav: '/webhooks',
      webhook: webhookView(webhook, pageZone(req, res), now()),
      secret,
      rotated,
    });
  };

  pages.get('/webhooks', requireRole('viewer'), async function webhookList(req, res) {
    await renderList(req, res, 200);
  });

  pages.get('/webhooks/new', requireRole('viewer'), function newWebhook(_req, res) {
    renderNew(res, 200, { events: [...SUBSCRIBABLE_EVENTS], format: 'json' });
  });

  pages.post('/webhooks', requireRole('admin'), async function createWebhook(req, res, next) {
    const values = formFields(req);
    try {
      // Rendered, not redirected to: the secret is not kept anywhere it could be shown from again.
      renderSecret(req, res, 201, await ops.create(actorOf(res), siteOf(res).site.id, parseInput(createWebhookSchema, values)), false);
    } catch (err) {
      if (!isFormError(err)) return next(err);
      renderNew(res, err.status, values, formError(err));
    }
  });

  pages.post('/webhooks/reminders', requireRole('admin'), async function saveReminders(req, res, next) {
    const values = formFields(req);
    try {
      const { reminder_minutes: minutes } = parseInput(reminderSchema, values);
      const changed = await ops.setReminderMinutes(actorOf(res), siteOf(res).site.id, minutes);
      const text = changed ? `Reminders now go out ${minutes} minutes before a window starts.` : `Nothing changed: reminders already go out ${minutes} minutes before.`;
      redirectWith(res, siteBase(res), '/webhooks', { kind: 'notice', text });
    } catch (err) {
      if (!isFormError(err)) return next(err);
      await renderList(req, res, err.status, values, formError(err));
    }
  });

  pages.get('/webhooks/:id/edit', requireRole('viewer'), async function editWebhook(req, res) {
    const webhook = await getWebhook(pool, siteOf(res).site.id, webhookId(req.params.id));
    renderEdit(res, 200, webhook, valuesOf(webhook));
  });

  pages.post('/webhooks/:id/edit', requireRole('admin'), async function saveWebhook(req, res, next) {
    const id = webhookId(req.params.id);
    const before = await getWebhook(pool, siteOf(res).site.id, id);
    const values = formFields(req);
    try {
      const webhook = await ops.update(actorOf(res), siteOf(res).site.id, id, parseInput(updateWebhookSchema, values));
      redirectWith(res, siteBase(res), '/webhooks', { kind: 'notice', text: `Saved webhook #${webhook.id} (${webhook.url}).` });
    } catch (err) {
      if (!isFormError(err)) return next(err);
      renderEdit(res, err.status, before, values, formError(err));
    }
  });

  addWebhookActionPages(pages, deps, ops, renderSecret);
  return pages;
}
