// The settings page (admins only, reading included): one form for what the status page shows
// about the site, each field with the environment's default it falls back to when left empty.

import express from 'express';
import { getSettings, type SettingsRecord } from '../../maintenance/settings.js';
import type { AdminDeps } from '../deps.js';
import { redirectWith } from '../flash.js';
import { actorOf, formError, formFields, formLocals, isFormError, type FormValues } from '../form.js';
import { requireRole } from '../guards.js';
import { parseInput } from '../validation.js';
import { settingsSchema } from './input.js';
import type { SettingsOperations } from './operations.js';

function valuesOf(settings: SettingsRecord): FormValues {
  return {
    site_name: settings.siteName ?? '',
    support_email: settings.supportEmail ?? '',
    logo_url: settings.logoUrl ?? '',
    brand_color: settings.brandColor ?? '',
    footer_text: settings.footerText ?? '',
  };
}

export function createSettingsPages({ pool, config }: AdminDeps, ops: SettingsOperations): express.Router {
  const pages = express.Router();

  function render(res: express.Response, status: number, settings: SettingsRecord, values: FormValues, error?: { message: string; field?: string }): void {
    res.status(status).render('admin/settings/edit', {
      title: 'Settings',
      nav: '/settings',
      defaults: { siteName: config.siteName, supportEmail: config.supportEmail ?? null },
      updatedText: settings.updatedAt ? res.locals.time(settings.updatedAt) : null,
      ...formLocals(values, error),
    });
  }

  pages.get('/settings', requireRole('admin'), async function settingsPage(_req, res) {
    const settings = await getSettings(pool);
    render(res, 200, settings, valuesOf(settings));
  });

  pages.post('/settings', requireRole('admin'), async function saveSettings(req, res, next) {
    const values = formFields(req);
    try {
      const changes = parseInput(settingsSchema, values);
      const { changed } = await ops.update(actorOf(res), changes);
      redirectWith(res, config.adminPath, '/settings', {
        kind: 'notice',
        text: changed ? 'Settings saved: the status page shows them within a second.' : 'Nothing changed: the settings were already these.',
      });
    } catch (err) {
      if (!isFormError(err)) return next(err);
      render(res, err.status, await getSettings(pool), values, formError(err));
    }
  });

  return pages;
}
