// `npm run bench:propagation`: how long a change made through the automation API takes to be in
// force for customers on two gateways that share one database, as a deploy pipeline sees it:
// from the call to start (or end) maintenance until both gateways answer 503 (or 200 again).
// DATABASE_URL: a server of yours (a scratch database is made on it); unset: an embedded server.

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApiToken } from '../src/accounts/api-tokens.js';
import { writeAs } from '../src/audit/write-as.js';
import { prepareDatabase } from '../src/db/prepare.js';
import { openDatabase, silent, startGatewayOn, summary, untilAll } from './two-gateways.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 30);
const GIVE_UP_MS = 5000;
// Only what the API call changes is measured: the jobs would add their own statements.
const NO_JOBS = { JOBS: 'off' };

async function main(): Promise<void> {
  const database = await openDatabase('intermission_propagation');
  await prepareDatabase(database.url, silent);
  const upstream = http.createServer((_req, res) => res.end('ok'));
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  const gateways = [await startGatewayOn(database.url, upstreamUrl, NO_JOBS), await startGatewayOn(database.url, upstreamUrl, NO_JOBS)];
  const urls = gateways.map((g) => g.url);
  const { secret } = await writeAs(gateways[0]!.pool, 'bench', 'token.create', (client) => createApiToken(client, { name: 'bench', role: 'operator', expiresInMs: 3600_000 }));
  const headers = { authorization: `Bearer ${secret}`, 'content-type': 'application/json' };
  const results = { startApi: [] as number[], startInForce: [] as number[], endApi: [] as number[], endInForce: [] as number[] };
  try {
    for (let round = 0; round < ROUNDS; round += 1) {
      let t0 = performance.now();
      const started = await fetch(`${urls[0]}/admin/api/v1/windows/start`, { method: 'POST', headers, body: JSON.stringify({ duration: '10m' }) });
      if (started.status !== 201) throw new Error(`start answered ${started.status}: ${await started.text()}`);
      results.startApi.push(performance.now() - t0);
      results.startInForce.push(await untilAll(urls, 503, t0, GIVE_UP_MS));
      t0 = performance.now();
      const ended = await fetch(`${urls[0]}/admin/api/v1/maintenance/end`, { method: 'POST', headers, body: '{}' });
      if (ended.status !== 200) throw new Error(`end answered ${ended.status}: ${await ended.text()}`);
      results.endApi.push(performance.now() - t0);
      results.endInForce.push(await untilAll(urls, 200, t0, GIVE_UP_MS));
    }
  } finally {
    for (const gateway of gateways) await gateway.close();
    upstream.close();
    await database.close();
  }
  process.stdout.write(`Propagation over ${ROUNDS} rounds, 2 gateways, ${database.description}:\n`);
  process.stdout.write(`${summary('POST /windows/start answered', results.startApi)}\n`);
  process.stdout.write(`${summary('  customers held on both gateways', results.startInForce)}\n`);
  process.stdout.write(`${summary('POST /maintenance/end answered', results.endApi)}\n`);
  process.stdout.write(`${summary('  customers forwarded on both gateways', results.endInForce)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:propagation failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
