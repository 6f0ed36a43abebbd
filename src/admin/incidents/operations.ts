// What the pages and the API do to incidents, one function per operation: each acts in the
// request's site and runs in one audited
// transaction (writeAs), so an incident never exists without its first update, nor a status
// change without the update that announced it.

import type { Actor } from '../../accounts/roles.js';
import { setAction, writeAs } from '../../audit/write-as.js';
import type { Pool } from '../../db/pool.js';
import type { IncidentStatus } from '../../maintenance/incident-status.js';
import {
  createIncident,
  lockIncident,
  postIncidentUpdate,
  setIncidentStatus,
  updateIncident,
  type IncidentChanges,
  type IncidentRecord,
  type IncidentWithUpdate,
  type NewIncident,
} from '../../maintenance/incidents.js';
import type { PostUpdateInput } from './input.js';

export interface PostedUpdate extends IncidentWithUpdate {
  previousStatus: IncidentStatus;
}

export interface IncidentOperations {
  create(actor: Actor, siteId: string, input: NewIncident): Promise<IncidentWithUpdate>;
  /** Without a status the incident keeps its own; "issue fixed" arrives here as resolved. */
  postUpdate(actor: Actor, siteId: string, id: string, input: PostUpdateInput): Promise<PostedUpdate>;
  update(actor: Actor, siteId: string, id: string, changes: IncidentChanges): Promise<IncidentRecord>;
}


/** How a status change reads in the audit log: resolving and reopening are worth finding on their own. */
export function statusAction(from: IncidentStatus, to: IncidentStatus): string {
  if (to === 'resolved' && from !== 'resolved') return 'incident.resolve';
  if (from === 'resolved' && to !== 'resolved') return 'incident.reopen';
  return 'incident.status';
}

export function createIncidentOperations({ pool }: { pool: Pool }): IncidentOperations {
  return {
    async create(actor, siteId, input) {
      return writeAs(pool, actor.label, 'incident.create', (client) => createIncident(client, siteId, input), 'reporting the incident');
    },

    async postUpdate(actor, siteId, id, input) {
      return writeAs(
        pool,
        actor.label,
        'update.post',
        async (client) => {
          const before = await lockIncident(client, siteId, id);
          const status = input.status ?? before.status;
          // An update that keeps the status still touches the incident (its updated_at), which the audit leaves out.
          if (status !== before.status) await setAction(client, statusAction(before.status, status));
          const incident = await setIncidentStatus(client, siteId, id, status);
          await setAction(client, 'update.post');
          const update = await postIncidentUpdate(client, siteId, id, { body: input.body, status });
          return { incident, update, previousStatus: before.status };
        },
        'posting the update',
      );
    },

    async update(actor, siteId, id, changes) {
      return writeAs(pool, actor.label, 'incident.update', (client) => updateIncident(client, siteId, id, changes), 'changing the incident');
    },
  };
}
