// A site's event stream (STATUS_PATH/events on its hosts, STATUS_PATH/<slug>/events anywhere) tells
// of that site's changes only, within a second; and a page's live id is its own site's.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { waitFor, type TestGateway } from '../helpers/gateway.js';
import { useGateway } from '../helpers/harness.js';
import { request } from '../helpers/http.js';
import { openSse, type SseStream } from '../helpers/sse.js';

describe("each site's event stream", () => {
  const harness = useGateway();
  let db: Awaited<typeof harness>['db'];
  let gw: TestGateway;
  const ids: Record<string, string> = {};
  const open: SseStream[] = [];

  before(async () => {
    ({ db, gw } = await harness);
    for (const slug of ['alpha', 'beta']) {
      const { rows } = await db.query<{ id: string }>('INSERT INTO sites (slug) VALUES ($1) RETURNING id::text', [slug]);
      ids[slug] = rows[0]!.id;
      await db.query('INSERT INTO site_hosts (host, site_id) VALUES ($1, $2)', [`${slug}.test`, rows[0]!.id]);
      await db.query("INSERT INTO components (name, site_id) VALUES ('API', $1)", [rows[0]!.id]);
    }
    await waitFor(() => gw.store.current().bySlug.get('beta')?.components.length === 1, 2000, 'the gateway has both sites');
  });
  after(() => {
    for (const stream of open) stream.close();
  });

  async function connect(host: string, path = '/status/events'): Promise<SseStream> {
    const stream = await openSse(`${gw.url}${path}`, { host });
    open.push(stream);
    assert.equal(stream.status, 200);
    // Every stream starts with its site's current status.
    await stream.next(0, 1000);
    return stream;
  }

  const setStatus = (slug: string, status: string) => db.query('UPDATE components SET status = $1 WHERE site_id = $2', [status, ids[slug]]);

  it("tells a site's stream of its change within a second, and no other site's stream", async () => {
    const alpha = await connect('alpha.test');
    const alphaBySlug = await connect('elsewhere.test', '/status/alpha/events');
    const beta = await connect('beta.test');
    const [fromAlpha, fromSlug, fromBeta] = [alpha.events.length, alphaBySlug.events.length, beta.events.length];

    const changed = Date.now();
    await setStatus('alpha', 'major_outage');
    const heard = await alpha.next(fromAlpha, 1000);
    assert.ok(Date.now() - changed < 1000, `heard after ${Date.now() - changed} ms`);
    assert.equal(JSON.parse(heard.data).indicator, 'critical');
    assert.equal(JSON.parse((await alphaBySlug.next(fromSlug, 1000)).data).indicator, 'critical');

    // Time enough for a stray event to arrive before looking.
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(beta.events.length, fromBeta, 'beta heard nothing of alpha');

    await setStatus('beta', 'degraded_performance');
    assert.equal(JSON.parse((await beta.next(fromBeta, 1000)).data).indicator, 'minor');
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(alpha.events.length, fromAlpha + 1, 'alpha heard nothing of beta');
  });

  it("gives each site's page the live id of its own stream, so it hears only what is newer", async () => {
    const page = await request(`${gw.url}/status/beta`);
    const liveId = /data-live-id="([^"]+)"/.exec(page.body)![1]!;
    const caughtUp = await openSse(`${gw.url}/status/beta/events`, { 'last-event-id': liveId });
    open.push(caughtUp);
    const other = await openSse(`${gw.url}/status/events`, { host: 'alpha.test', 'last-event-id': liveId });
    open.push(other);
    await other.next(0, 1000);
    assert.equal(caughtUp.events.length, 0, 'nothing to catch up on');
  });

  it('counts the streams of every site together, and frees them when they close', async () => {
    const metrics = async () => (await request(`${gw.url}/_gateway/metrics`)).body;
    assert.match(await metrics(), new RegExp(`intermission_event_streams ${open.length}\\b`));
    for (const stream of open.splice(0)) stream.close();
    await waitFor(async () => /intermission_event_streams 0\b/.test(await metrics()), 2000, 'the streams are counted as closed');
  });
});
