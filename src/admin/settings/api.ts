// The Settings endpoints of the automation API: read a site's (any role), change them (admins), with
// the defaults alongside so a client can tell what an empty setting shows (siteDefaults: the
// environment's for the primary site, the slug and no e-mail for the others).

import { z } from 'zod';
import { getSettings, type SettingsRecord } from '../../maintenance/settings.js';
import type { SiteDefaults } from '../../status/site.js';
import { endpoint, type Endpoint } from '../api/endpoint.js';
import type { Snapshot } from '../../snapshot/types.js';
import { siteDefaults } from '../../status/site.js';
import type { AdminDeps } from '../deps.js';
import { settingsSchema } from './input.js';
import type { SettingsOperations } from './operations.js';

const TAG = 'Settings';

export const settingsJsonSchema = z.object({
  site_name: z.string().nullable().describe('null: SITE_NAME from the environment'),
  support_email: z.string().nullable().describe('null: SUPPORT_EMAIL from the environment, or none'),
  logo_url: z.string().nullable().describe('an http(s) URL or a path starting with /; null: no logo'),
  brand_color: z.string().nullable().describe('#rrggbb; null: the status page\'s own colours'),
  footer_text: z.string().nullable().describe('shown at the foot of the status page; null: none'),
  updated_at: z.string().nullable().describe('ISO 8601, UTC; null: never saved'),
  defaults: z.object({
    site_name: z.string(),
    support_email: z.string().nullable(),
  }).describe('what the status page shows when a setting is null'),
});

export function settingsJson(settings: SettingsRecord, defaults: Pick<SiteDefaults, 'siteName' | 'supportEmail'>): z.infer<typeof settingsJsonSchema> {
  return {
    site_name: settings.siteName,
    support_email: settings.supportEmail,
    logo_url: settings.logoUrl,
    brand_color: settings.brandColor,
    footer_text: settings.footerText,
    updated_at: settings.updatedAt ? new Date(settings.updatedAt).toISOString() : null,
    defaults: { site_name: defaults.siteName, support_email: defaults.supportEmail ?? null },
  };
}

export function createSettingsEndpoints({ pool, config, store }: AdminDeps, ops: SettingsOperations): Endpoint[] {
  const defaultsOf = (site: Snapshot) => siteDefaults(store.current(), site, config);

  return [
    endpoint({
      method: 'get', path: '/settings', tag: TAG, role: 'viewer',
      summary: 'Read the settings',
      description: 'What the status page shows about the site. A null setting falls back to the default in `defaults`, or to nothing.',
      response: settingsJsonSchema,
      async handler({ site }) {
        return settingsJson(await getSettings(pool, site.site.id), defaultsOf(site));
      },
    }),
    endpoint({
      method: 'patch', path: '/settings', tag: TAG, role: 'admin',
      summary: 'Change the settings',
      description: 'Changes the fields given; null or "" clears one, so the default applies. The status page follows within a second.',
      body: settingsSchema,
      response: settingsJsonSchema.extend({ changed: z.boolean().describe('false when every value given was already saved') }),
      async handler({ body, actor, site }) {
        const { settings, changed } = await ops.update(actor, site.site.id, body);
        return { ...settingsJson(settings, defaultsOf(site)), changed };
      },
    }),
  ];
}
