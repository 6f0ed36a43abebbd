// Saving what automation may do when the upstream goes down, for the page and the API alike: one
// audited transaction (health.settings), in the site's settings row.

import type { Actor } from '../../accounts/roles.js';
import { writeAs } from '../../audit/write-as.js';
import type { Pool } from '../../db/pool.js';
import { getHealthSettings, updateHealthSettings, type HealthSettings, type HealthSettingsChanges } from '../../health/health-settings.js';

export interface HealthSettingsResult {
  settings: HealthSettings;
  /** False when the values given were already the saved ones. */
  changed: boolean;
}

export interface HealthOperations {
  updateSettings(actor: Actor, siteId: string, changes: HealthSettingsChanges): Promise<HealthSettingsResult>;
}

export function createHealthOperations({ pool }: { pool: Pool }): HealthOperations {
  return {
    updateSettings(actor, siteId, changes) {
      return writeAs(
        pool,
        actor.label,
        'health.settings',
        async (client) => {
          const before = await getHealthSettings(client, siteId);
          const same =
            (changes.autoIncidents === undefined || changes.autoIncidents === before.autoIncidents) &&
            (changes.upstreamComponentId === undefined || changes.upstreamComponentId === before.upstreamComponentId);
          // Nothing to write, so nothing audited.
          if (same) return { settings: before, changed: false };
          return { settings: await updateHealthSettings(client, siteId, changes), changed: true };
        },
        'saving the health settings',
      );
    },
  };
}
