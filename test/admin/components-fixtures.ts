// What the components tests share: rows as the database holds them, the order of a group, a
// fingerprint of every table they write (unchanged means nothing was written), a fresh start, and
// the SREs of the pages tests and their shorthands.

import assert from 'node:assert/strict';
import { signedIn, type Browser } from '../helpers/admin.js';
import type { TestDatabase } from '../helpers/database.js';
import type { TestGateway } from '../helpers/gateway.js';
import { request } from '../helpers/http.js';
import { ADMIN, AUDIT_BY_PEOPLE } from './fixtures.js';

export interface ComponentRow {
  id: string;
  name: string;
  description: string;
  status: string;
  group_id: string | null;
  position: number;
}

/** No components, no groups, no audit rows: each test reads only what it did. */
export async function clearComponents(db: TestDatabase): Promise<void> {
  await db.query('DELETE FROM components');
  await db.query('DELETE FROM component_groups');
  await db.query('DELETE FROM audit_log');
}

export async function componentRow(db: TestDatabase, name: string): Promise<ComponentRow> {
  const { rows } = await db.query<ComponentRow>('SELECT id::text, name, description, status, group_id::text, position FROM components WHERE name = $1', [name]);
  assert.ok(rows[0], `component ${name} exists`);
  return rows[0];
}

export async function groupIdOf(db: TestDatabase, name: string): Promise<string> {
  return (await db.query<{ id: string }>('SELECT id::text FROM component_groups WHERE name = $1', [name])).rows[0]!.id;
}

/** Names of the components in a group (null: in none), in order. */
export async function orderIn(db: TestDatabase, groupName: string | null): Promise<string[]> {
  const { rows } = await db.query<{ name: string }>(
    `SELECT c.name FROM components c LEFT JOIN component_groups g ON g.id = c.group_id
     WHERE g.name IS NOT DISTINCT FROM $1 ORDER BY c.position, c.id`,
    [groupName],
  );
  return rows.map((row) => row.name);
}

/** Rows of the tables components and groups are written to, and of the audit log. */
export async function componentWrites(db: TestDatabase): Promise<string> {
  const { rows } = await db.query<{ n: string }>(
    `SELECT concat_ws(',', (SELECT count(*) FROM components), (SELECT count(*) FROM component_groups), ${AUDIT_BY_PEOPLE},
       (SELECT coalesce(max(updated_at)::text, '') FROM components), (SELECT coalesce(max(updated_at)::text, '') FROM component_groups)) AS n`,
  );
  return rows[0]!.n;
}

/** The status a customer reads next to a component on the status page. */
export async function shownStatus(gw: TestGateway, name: string): Promise<string | undefined> {
  const page = await request(`${gw.url}/status`, { headers: { accept: 'text/html' } });
  const match = new RegExp(`>${name}<[\\s\\S]*?(Operational|Degraded performance|Partial outage|Major outage|Under maintenance)`).exec(page.body);
  return match?.[1];
}

/** The pages tests' SREs: an operator who changes components, and a viewer who reads them. */
export async function signInSres(gw: TestGateway): Promise<{ operator: Browser; viewer: Browser }> {
  const operator = await signedIn(gw.pool, gw.url, ADMIN, 'operator', 'ops@example.com');
  const viewer = await signedIn(gw.pool, gw.url, ADMIN, 'viewer', 'look@example.com');
  return { operator, viewer };
}

/**
 * The shorthands of a pages test: `current` gives the file's database and operator, read at each
 * call because the file's before hook sets them after the shorthands are made.
 */
export function componentPages(current: () => { db: TestDatabase; operator: Browser }) {
  return {
    component: (name: string) => componentRow(current().db, name),
    order: (groupName: string | null) => orderIn(current().db, groupName),
    writes: () => componentWrites(current().db),
    /** Adds a component through the form (operational, in no group, unless `fields` say otherwise). */
    async add(name: string, fields: Record<string, string> = {}): Promise<ComponentRow> {
      const { db, operator } = current();
      const res = await operator.submit(`${ADMIN}/components`, { name, description: '', status: 'operational', group_id: '', ...fields }, `${ADMIN}/components/new`);
      assert.equal(res.status, 200, res.body);
      return componentRow(db, name);
    },
    /** Adds a component group through the form; returns its id. */
    async addGroup(name: string): Promise<string> {
      const { db, operator } = current();
      const res = await operator.submit(`${ADMIN}/components/groups`, { name }, `${ADMIN}/components/groups/new`);
      assert.equal(res.status, 200);
      return groupIdOf(db, name);
    },
  };
}
