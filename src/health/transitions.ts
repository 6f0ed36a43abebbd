// What happens when the upstream is judged down or back, inside the transaction that judged it:
// the outage opens or ends, and (when automatic incidents are on) an incident and the linked
// component follow. The events triggers see those changes, so webhooks fire by themselves.

import type { Queryable } from '../audit/write-as.js';
import { createIncident, lockIncident, postIncidentUpdate, setIncidentStatus } from '../maintenance/incidents.js';
import { getComponent, updateComponent } from '../maintenance/components.js';
import type { ComponentStatus } from '../snapshot/types.js';
import { getHealthSettings } from './health-settings.js';
import { durationText } from '../status/time-text.js';
import { endOutage, linkOutage, openOutage, type DetectedBy, type OutageRecord } from './outages.js';

export interface DownFacts {
  detectedBy: DetectedBy;
  /** What was seen, for the outage and the incident's first update. */
  cause: string;
  /** SITE_NAME, when Settings has no site name. */
  defaultSiteName: string;
}

/** Opens the outage (and the incident, and marks the component); returns the outage's id. */
export async function goDown(db: Queryable, { detectedBy, cause, defaultSiteName }: DownFacts): Promise<string> {
  const outageId = await openOutage(db, detectedBy, cause);
  const settings = await getHealthSettings(db);
  if (!settings.autoIncidents) return outageId;

  const site = settings.siteName ?? defaultSiteName;
  const componentId = settings.upstreamComponentId;
  let previous: ComponentStatus | null = null;
  if (componentId !== null) {
    previous = (await getComponent(db, componentId, { lock: true })).status;
    if (previous !== 'major_outage') await updateComponent(db, componentId, { status: 'major_outage' });
  }
  const { incident } = await createIncident(db, {
    title: `${site} is unavailable`,
    impact: 'major',
    status: 'investigating',
    componentIds: componentId === null ? [] : [componentId],
    body: `Our monitoring finds that ${site} is not responding (${cause}). We have been alerted and are looking into it.`,
  });
  await linkOutage(db, outageId, { incidentId: incident.id, componentId, componentPrevious: previous });
  return outageId;
}

/**
 * Ends the outage and undoes what its start did: the component goes back to its previous status
 * (unless someone has set another since), and the incident is resolved with the measured duration.
 */
export async function goUp(db: Queryable, outageId: string | null, defaultSiteName: string): Promise<OutageRecord | null> {
  const outage = await endOutage(db, outageId);
  if (!outage) return null;
  const { componentId, componentPrevious, incidentId } = outage;
  if (componentId !== null && componentPrevious !== null && componentPrevious !== 'major_outage') {
    const component = await getComponent(db, componentId, { lock: true });
    if (component.status === 'major_outage') await updateComponent(db, componentId, { status: componentPrevious });
  }
  if (incidentId !== null) {
    const incident = await lockIncident(db, incidentId);
    // Resolved by hand already: the SRE has said what there was to say.
    if (incident.status !== 'resolved') {
      const site = (await getHealthSettings(db)).siteName ?? defaultSiteName;
      await setIncidentStatus(db, incidentId, 'resolved');
      await postIncidentUpdate(db, incidentId, {
        status: 'resolved',
        body: `${site} is back: it was unavailable for ${durationText(outage.endedAt! - outage.startedAt)}.`,
      });
    }
  }
  return outage;
}
