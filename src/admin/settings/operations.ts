// Saving a site's settings, for the page and the API alike: one audited transaction (settings.update).

import type { Actor } from '../../accounts/roles.js';
import { writeAs } from '../../audit/write-as.js';
import type { Pool } from '../../db/pool.js';
import { getSettings, updateSettings, type SettingsChanges, type SettingsRecord } from '../../maintenance/settings.js';
import type { SnapshotStore } from '../../snapshot/store.js';
import type { SiteSettings } from '../../snapshot/types.js';

export interface SettingsResult {
  settings: SettingsRecord;
  /** False when every value given was already the saved one (and so nothing was audited). */
  changed: boolean;
}

export interface SettingsOperations {
  update(actor: Actor, siteId: string, changes: SettingsChanges): Promise<SettingsResult>;
}

const KEYS: (keyof SiteSettings)[] = ['siteName', 'supportEmail', 'logoUrl', 'brandColor', 'footerText'];

export function createSettingsOperations({ pool, store }: { pool: Pool; store: SnapshotStore }): SettingsOperations {
  return {
    async update(actor, siteId, changes) {
      const result = await writeAs(
        pool,
        actor.label,
        'settings.update',
        async (client) => {
          const before = await getSettings(client, siteId);
          const settings = await updateSettings(client, siteId, changes);
          return { settings, changed: KEYS.some((key) => before[key] !== settings[key]) };
        },
        'saving the settings',
      );
      // The notice would reload the snapshot in a few ms anyway; this way the very next page of
      // this process (the redirect after saving) already shows the new site name.
      if (result.changed) await store.reload();
      return result;
    },
  };
}
