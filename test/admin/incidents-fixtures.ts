// What the incidents tests share: the components an incident can name and the operator who reports
// one, a fingerprint of the tables an incident operation writes (unchanged means nothing was
// written), an incident's row, and reporting one through the API.

import { primarySite } from '../../src/sites/site-routes.js';
import assert from 'node:assert/strict';
import { api, makeToken, signedIn, type Browser } from '../helpers/admin.js';
import type { TestDatabase } from '../helpers/database.js';
import { waitFor, type TestGateway } from '../helpers/gateway.js';
import { ADMIN, API, AUDIT_BY_PEOPLE } from './fixtures.js';

export interface IncidentComponents {
  api: string;
  checkout: string;
}

export interface IncidentsSetUp {
  components: IncidentComponents;
  /** oper@example.com, signed in. */
  operator: Browser;
  /** An operator's token named "deploy". */
  operatorToken: string;
}

/** Adds the components API and Checkout (once the gateway's snapshot knows them) and the operator. */
export async function setUpIncidents(db: TestDatabase, gw: TestGateway): Promise<IncidentsSetUp> {
  const { rows } = await db.query<{ id: string; name: string }>("INSERT INTO components (name, position) VALUES ('API', 1), ('Checkout', 2) RETURNING id::text, name");
  const components = { api: rows.find((r) => r.name === 'API')!.id, checkout: rows.find((r) => r.name === 'Checkout')!.id };
  await waitFor(() => primarySite(gw.store.current())!.components.length === 2, 2000, 'the snapshot knows the components');
  const operator = await signedIn(gw.pool, gw.url, ADMIN, 'operator', 'oper@example.com');
  const operatorToken = await makeToken(gw.pool, 'operator', 'deploy');
  return { components, operator, operatorToken };
}

/** Rows in the tables an incident operation writes, and in the audit log: unchanged means nothing was written. */
export async function incidentWrites(db: TestDatabase): Promise<string> {
  const { rows } = await db.query<{ n: string }>(
    `SELECT concat_ws(',', (SELECT count(*) FROM incidents), (SELECT count(*) FROM updates), (SELECT count(*) FROM incident_components),
       ${AUDIT_BY_PEOPLE}, (SELECT coalesce(max(updated_at)::text, '') FROM incidents)) AS n`,
  );
  return rows[0]!.n;
}

export interface IncidentRow { id: string; title: string; status: string; impact: string; resolved_at: Date | null; created_by: string }

export async function findIncident(db: TestDatabase, id: string): Promise<IncidentRow> {
  return (await db.query<IncidentRow>('SELECT id::text, title, status, impact, resolved_at, created_by FROM incidents WHERE id = $1', [id])).rows[0]!;
}

/** Reports an incident with the token (by default "Slow checkout" with a first update); returns its id. */
export async function reportIncident(gw: TestGateway, token: string, fields: Record<string, unknown> = {}): Promise<string> {
  const res = await api(gw.url, token, 'POST', `${API}/incidents`, { title: 'Slow checkout', body: 'We are looking into it.', ...fields });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.incident.id;
}
