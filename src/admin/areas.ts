// The parts of the admin area, each with its pages and its API endpoints. The API reference is
// built from every other area's endpoints.

import type express from 'express';
import type { Endpoint } from './api/endpoint.js';
import { createAuditArea } from './audit/area.js';
import { createBypassLinksArea } from './bypass-links/area.js';
import { createComponentsArea } from './components/area.js';
import { createDashboardArea } from './dashboard/area.js';
import type { AdminDeps } from './deps.js';
import { createDocsArea } from './docs/area.js';
import { createHealthArea } from './health/area.js';
import { createIncidentsArea } from './incidents/area.js';
import { createSeriesArea } from './series/area.js';
import { createSettingsArea } from './settings/area.js';
import { createSitesArea } from './sites/area.js';
import { createTokensArea } from './tokens/area.js';
import { createUsersArea } from './users/area.js';
import { createWebhooksArea } from './webhooks/area.js';
import { createWindowsArea } from './windows/area.js';

export interface AdminArea {
  /**
   * Pages of one site, mounted after sign-in and the CSRF check at ADMIN_PATH/ and at
   * ADMIN_PATH/sites/<slug>/; each route names its least role, which is the actor's in that site.
   */
  pages?: express.Router;
  /** Pages of no one site (sites, your account, the API reference), at ADMIN_PATH/ only. */
  globalPages?: express.Router;
  endpoints?: Endpoint[];
}

export function adminAreas(deps: AdminDeps): AdminArea[] {
  const areas = [
    createDashboardArea(deps),
    createWindowsArea(deps),
    createSeriesArea(deps),
    createComponentsArea(deps),
    createIncidentsArea(deps),
    createHealthArea(deps),
    createBypassLinksArea(deps),
    createWebhooksArea(deps),
    createUsersArea(deps),
    createTokensArea(deps),
    createSettingsArea(deps),
    createAuditArea(deps),
    createSitesArea(deps),
  ];
  return [...areas, createDocsArea(deps, areas.flatMap((area) => area.endpoints ?? []))];
}
