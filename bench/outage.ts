// `npm run bench:outage`: how long two gateways sharing one database take to put customers on the
// trouble page when the application stops answering, and to send them back when it returns, with
// health checks every second, judged down after 2 failures and up after 2 passes (HEALTHCHECK_*
// in the environment change them). Also when the automatic incident opens and is resolved.
// DATABASE_URL: a server of yours (a scratch database is made on it); unset: an embedded server.

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { prepareDatabase } from '../src/db/prepare.js';
import { openDatabase, silent, startGatewayOn, summary, untilAll } from './two-gateways.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const GIVE_UP_MS = 20_000;
const HEALTH = {
  HEALTHCHECK_PATH: '/healthz',
  HEALTHCHECK_INTERVAL_S: process.env.HEALTHCHECK_INTERVAL_S ?? '1',
  HEALTHCHECK_DOWN_AFTER: process.env.HEALTHCHECK_DOWN_AFTER ?? '2',
  HEALTHCHECK_UP_AFTER: process.env.HEALTHCHECK_UP_AFTER ?? '2',
  HEALTHCHECK_TIMEOUT_MS: '500',
  // Only the active checks: the bench's own polling would trip request watching first.
  HEALTHCHECK_REQUEST_FAILURES: '0',
};

/** Milliseconds from `since` until the query returns a row. */
async function untilRow(db: pg.Client, sql: string, since: number): Promise<number> {
  while ((await db.query(sql)).rowCount === 0) {
    if (performance.now() - since > GIVE_UP_MS) throw new Error(`no row after ${GIVE_UP_MS} ms: ${sql}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return performance.now() - since;
}

async function main(): Promise<void> {
  const database = await openDatabase('intermission_outage');
  await prepareDatabase(database.url, silent);
  const app = http.createServer((_req, res) => res.end('ok'));
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  const port = (app.address() as AddressInfo).port;
  const upstreamUrl = `http://127.0.0.1:${port}`;
  const gateways = [await startGatewayOn(database.url, upstreamUrl, HEALTH), await startGatewayOn(database.url, upstreamUrl, HEALTH)];
  const urls = gateways.map((g) => g.url);
  const db = new pg.Client({ connectionString: database.url });
  await db.connect();
  const results = { trouble: [] as number[], incident: [] as number[], back: [] as number[], resolved: [] as number[] };
  try {
    for (let round = 0; round < ROUNDS; round += 1) {
      await untilAll(urls, 200, performance.now(), GIVE_UP_MS);
      let t0 = performance.now();
      await new Promise((resolve) => { app.close(resolve); app.closeAllConnections(); });
      results.trouble.push(await untilAll(urls, 503, t0, GIVE_UP_MS));
      results.incident.push(await untilRow(db, 'SELECT 1 FROM incidents WHERE resolved_at IS NULL', t0));
      t0 = performance.now();
      await new Promise<void>((resolve) => app.listen(port, '127.0.0.1', resolve));
      results.back.push(await untilAll(urls, 200, t0, GIVE_UP_MS));
      results.resolved.push(await untilRow(db, "SELECT 1 FROM incidents WHERE resolved_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM incidents WHERE resolved_at IS NULL)", t0));
    }
  } finally {
    await db.end();
    for (const gateway of gateways) await gateway.close();
    app.close();
    await database.close();
  }
  const { HEALTHCHECK_INTERVAL_S: every, HEALTHCHECK_DOWN_AFTER: down, HEALTHCHECK_UP_AFTER: up } = HEALTH;
  process.stdout.write(`Outages over ${ROUNDS} rounds, 2 gateways, ${database.description}; checks every ${every} s, down after ${down}, up after ${up}:\n`);
  process.stdout.write(`${summary('application stopped: trouble page on both', results.trouble)}\n`);
  process.stdout.write(`${summary('  incident opened', results.incident)}\n`);
  process.stdout.write(`${summary('application back: forwarded on both', results.back)}\n`);
  process.stdout.write(`${summary('  incident resolved', results.resolved)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:outage failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
