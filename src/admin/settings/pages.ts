// The settings page (admins only, reading included): one form for what the site's status page
// shows about it, each field with the default it falls back to when left empty (siteDefaults).

import express from 'express';
import { getSettings, type SettingsRecord } from '../../maintenance/settings.js';
import type { AdminDeps } from '../deps.js';
import { redirectWith } from '../flash.js';
import { actorOf, formError, formFields, formLocals, isFormError, type FormValues } from '../form.js';
import { requireRole } from '../guards.js';
import { siteBase, siteOf } from '../site-scope.js';
import { isPrimary, siteDefaults } from '../../status/site.js';
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

export function createSettingsPages({ pool, config, store }: AdminDeps, ops: SettingsOperations): express.Router {
  const pages = express.Router();

  function defaultsFor(res: express.Response): { siteName: string; supportEmail: string | null } {
    const { siteName, supportEmail } = siteDefaults(store.current(), siteOf(res), config);
    return { siteName, supportEmail: supportEmail ?? null };
  }

  function render(res: express.Response, status: number, settings: SettingsRecord, values: FormValues, error?: { message: string; field?: string }): void {
    res.status(status).render('admin/settings/edit', {
      title: 'Settings',
      nav: '/settings',
      defaults: defaultsFor(res),
      // Another site's page is at STATUS_PATH/<slug> on any host.
      statusHref: isPrimary(store.current(), siteOf(res)) ? config.statusPath : `${config.statusPath}/${siteOf(res).site.slug}`,
      updatedText: settings.updatedAt ? res.locals.time(settings.updatedAt) : null,
      ...formLocals(values, error),
    });
  }

  pages.get('/settings', requireRole('admin'), async function settingsPage(_req, res) {
    const settings = await getSettings(pool, siteOf(res).site.id);
    render(res, 200, settings, valuesOf(settings));
  });

  pages.post('/settings', requireRole('admin'), async function saveSettings(req, res, next) {
    const values = formFields(req);
    try {
      const changes = parseInput(settingsSchema, values);
      const { changed } = await ops.update(actorOf(res), siteOf(res).site.id, changes);
      redirectWith(res, siteBase(res), '/settings', {
        kind: 'notice',
        text: changed ? 'Settings saved: the status page shows them within a second.' : 'Nothing changed: the settings were already these.',
      });
    } catch (err) {
      if (!isFormError(err)) return next(err);
      render(res, err.status, await getSettings(pool, siteOf(res).site.id), values, formError(err));
    }
  });

  return pages;
}
