// What the windows and dashboard tests share: a customer's request through the gateway, counts
// that prove nothing was written, and future local times.

import { primarySite } from '../../src/sites/site-routes.js';
import { DateTime } from 'luxon';
import { isInForce } from '../../src/snapshot/types.js';
import type { TestDatabase } from '../helpers/database.js';
import { waitFor, type TestGateway } from '../helpers/gateway.js';
import { request, type Response } from '../helpers/http.js';
import { AUDIT_BY_PEOPLE } from './fixtures.js';

// Moved to fixtures.ts; still exported here for test/admin/openapi.test.ts and test/cli/, which are
// being changed elsewhere at the moment. Drop this line once they import from fixtures.ts.
export { ADMIN, API, auditRows, SCRIPT } from './fixtures.js';

/** A customer's browser asking the application for a page, through the gateway. */
export function customer(gw: TestGateway, path = '/shop/cart', method = 'GET'): Promise<Response> {
  return request(`${gw.url}${path}`, { method, headers: { accept: 'text/html' } });
}

/** Waits (up to a second: the snapshot reloads on NOTIFY) until a customer gets `status`. */
export async function customerGets(gw: TestGateway, status: number, path = '/shop/cart', method = 'GET'): Promise<Response> {
  let last: Response | undefined;
  await waitFor(async () => (last = await customer(gw, path, method)).status === status, 1000, `a customer ${method} ${path} gets ${status} (last: ${last?.status})`);
  return last!;
}

export function retryAfter(res: Response): number {
  return Number(res.headers['retry-after']);
}

/** Rows in the tables a window operation writes, and in the audit log: unchanged means nothing was written. */
export async function writes(db: TestDatabase): Promise<string> {
  const { rows } = await db.query<{ n: string }>(
    `SELECT concat_ws(',', (SELECT count(*) FROM windows), (SELECT count(*) FROM updates), (SELECT count(*) FROM window_components),
       ${AUDIT_BY_PEOPLE}, (SELECT coalesce(max(updated_at)::text, '') FROM windows)) AS n`,
  );
  return rows[0]!.n;
}

/** Ends every window, so a test starts with traffic forwarded. */
export async function clearWindows(db: TestDatabase, gw: TestGateway): Promise<void> {
  await db.query('UPDATE windows SET ended_at = greatest(starts_at, least(now(), coalesce(ends_at, now()))) WHERE ended_at IS NULL');
  // The gateway learns it from the change notice a moment later; a test that starts before then
  // would see the last test's window still in force.
  await waitFor(() => !primarySite(gw.store.current())!.windows.some((w) => isInForce(w, Date.now())), 1000, "no window in force in the gateway's snapshot");
}

export const NEXT_YEAR = DateTime.utc().year + 1;

/** The night the clocks go forward in the EU next year (the last Sunday of March), e.g. "2027-03-28". */
export function springForward(): string {
  let day = DateTime.utc(NEXT_YEAR, 3, 31);
  while (day.weekday !== 7) day = day.minus({ days: 1 });
  return day.toISODate()!;
}
