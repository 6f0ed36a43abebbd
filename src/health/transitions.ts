// What happens when a site's upstream is judged down or back, inside the transaction that judged it:
// the site's outage opens or ends, and (when the site's automatic incidents are on) an incident and
// the linked component of that site follow. The events triggers see those changes, so the site's
// webhooks fire by themselves.

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
  /** The site's name when its Settings have none (SITE_NAME for the primary site, else its slug). */
  defaultSiteName: string;
}

/** Opens the site's outage (and the incident, and marks the component); returns the outage's id. */
export async function goDown(db: Queryable, siteId: string, { detectedBy, cause, defaultSiteName }: DownFacts): Promise<string> {
  const outageId = await openOutage(db, siteId, detectedBy, cause);
  const settings = await getHealthSettings(db, siteId);
  if (!settings.autoIncidents) return outageId;

  const site = settings.siteName ?? defaultSiteName;
  const componentId = settings.upstreamComponentId;
  let previous: ComponentStatus | null = null;
  if (componentId !== null) {
    previous = (await getComponent(db, siteId, componentId, { lock: true })).status;
    if (previous !== 'major_outage') await updateComponent(db, siteId, componentId, { status: 'major_outage' });
  }
  const { incident } = await createIncident(db, siteId, {
    title: `${site} is unavailable`,
    impact: 'major',
    status: 'investigating',
    componentIds: componentId === null ? [] : [componentId],
    body: `Our monitoring finds that ${site} is not responding (${cause}). We have been alerted and are looking into it.`,
  });
  await linkOutage(db, siteId, outageId, { incidentId: incident.id, componentId, componentPrevious: previous });
  return outageId;
}

/**
 * Ends the outage and undoes what its start did: the component goes back to its previous status
 * (unless someone has set another since), and the incident is resolved with the measured duration.
 */
export async function goUp(db: Queryable, siteId: string, outageId: string | null, defaultSiteName: string): Promise<OutageRecord | null> {
  const outage = await endOutage(db, siteId, outageId);
  if (!outage) return null;
  const { componentId, componentPrevious, incidentId } = outage;
  if (componentId !== null && componentPrevious !== null && componentPrevious !== 'major_outage') {
    const component = await getComponent(db, siteId, componentId, { lock: true });
    if (component.status === 'major_outage') await updateComponent(db, siteId, componentId, { status: componentPrevious });
  }
  if (incidentId !== null) {
    const incident = await lockIncident(db, siteId, incidentId);
    // Resolved by hand already: the SRE has said what there was to say.
    if (incident.status !== 'resolved') {
      const site = (await getHealthSettings(db, siteId)).siteName ?? defaultSiteName;
      await setIncidentStatus(db, siteId, incidentId, 'resolved');
      await postIncidentUpdate(db, siteId, incidentId, {
        status: 'resolved',
        body: `${site} is back: it was unavailable for ${durationText(outage.endedAt! - outage.startedAt)}.`,
      });
    }
  }
  return outage;
}
