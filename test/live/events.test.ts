// Live updates at STATUS_PATH/events: what an open status page hears, when, and what it is spared.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startGateway, waitFor, type TestGateway } from '../helpers/gateway.js';
import { useGateway, type Harness } from '../helpers/harness.js';
import { request } from '../helpers/http.js';
import { openSse, type SseStream } from '../helpers/sse.js';

const harness = useGateway({ EVENTS_HEARTBEAT_S: '1' });
let h: Harness;
const open: SseStream[] = [];

before(async () => {
  h = await harness;
  await h.db.query("INSERT INTO components (name) VALUES ('API'), ('Website')");
  await h.gw.store.reload();
});

after(() => {
  for (const stream of open) stream.close();
});

async function connect(gw: TestGateway = h.gw, headers: Record<string, string> = {}): Promise<SseStream> {
  const stream = await openSse(`${gw.url}/status/events`, headers);
  open.push(stream);
  return stream;
}

function data(event: { data: string }): { indicator: string; description: string; maintenance: boolean; ends_at: string | null } {
  return JSON.parse(event.data);
}

async function liveIdOfPage(): Promise<string> {
  const page = await request(`${h.gw.url}/status`);
  return /data-live-id="([^"]+)"/.exec(page.body)![1]!;
}

describe('status events', () => {
  it('sends the current status to a page that connects, as an event stream no proxy buffers', async () => {
    const stream = await connect();
    assert.equal(stream.status, 200);
    assert.match(String(stream.headers['content-type']), /^text\/event-stream/);
    assert.match(String(stream.headers['cache-control']), /no-store/);
    assert.equal(stream.headers['x-accel-buffering'], 'no');
    const first = await stream.next(0, 1000);
    assert.equal(first.event, 'status');
    assert.deepEqual(data(first), { indicator: 'none', description: 'All Systems Operational', maintenance: false, ends_at: null });
    assert.ok(stream.retry! >= 1000 && stream.retry! <= 5000, `retry hint ${stream.retry}`);
    // The page subscribes from the id of what it shows, so the two must agree.
    assert.equal(first.id, await liveIdOfPage());
  });

  it('tells an open page within a second when a change is committed with plain SQL', async () => {
    const stream = await connect();
    await stream.next(0, 1000);
    const committed = Date.now();
    await h.db.query("UPDATE components SET status = 'major_outage' WHERE name = 'API'");
    const event = await stream.next(1, 1000);
    assert.deepEqual(data(event), { indicator: 'critical', description: 'Major Service Outage', maintenance: false, ends_at: null });
    assert.ok(event.at - committed < 1000, `arrived after ${event.at - committed} ms`);
    await h.db.query("UPDATE components SET status = 'operational'");
    await stream.next(2, 1000, (e) => data(e).indicator === 'none');
  });

  it('resumes from Last-Event-ID: nothing to repeat when the page is current, the news at once when it is not', async () => {
    const current = (await (await connect()).next(0, 1000)).id!;
    const upToDate = await connect(h.gw, { 'last-event-id': current });
    const behind = await connect(h.gw, { 'last-event-id': 'an-id-from-before' });
    const caughtUp = await behind.next(0, 1000);
    assert.equal(caughtUp.id, current);

    await h.db.query("UPDATE components SET status = 'degraded_performance' WHERE name = 'Website'");
    const news = await upToDate.next(0, 1000);
    assert.notEqual(news.id, current, 'the first event is the change, not a repeat of what the page had');
    assert.equal(data(news).indicator, 'minor');
    // A browser cannot set headers on its first connection; the page passes its id in the URL instead.
    const fromUrl = await connect(h.gw);
    const viaQuery = await openSse(`${h.gw.url}/status/events?lastEventId=${encodeURIComponent(news.id!)}`);
    open.push(viaQuery);
    await fromUrl.next(0, 1000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(viaQuery.events.length, 0, 'nothing repeated to a page that is current');
    await h.db.query("UPDATE components SET status = 'operational'");
    await viaQuery.next(0, 1000, (e) => data(e).indicator === 'none');
  });

  it('sends heartbeats so proxies keep an idle stream open', async () => {
    const stream = await connect();
    await waitFor(() => stream.comments.length >= 1, 2500, 'a heartbeat comment');
  });

  it('stays quiet when a change does not alter what the page shows', async () => {
    const stream = await connect();
    await stream.next(0, 1000);
    const version = h.gw.store.current().version;
    await h.db.query("INSERT INTO bypass_links (expires_at) VALUES (now() + interval '10 minutes')");
    await waitFor(() => h.gw.store.current().version > version, 1000, 'the snapshot reloaded');
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(stream.events.length, 1, 'no event for a bypass link');
  });

  it('tells a page when maintenance starts, with its end, and again when it ends on time with no change in the database', async () => {
    const stream = await connect();
    await stream.next(0, 1000);
    const { rows } = await h.db.query<{ ends_at: Date }>("INSERT INTO windows (title, ends_at) VALUES ('Upgrade', now() + interval '1500 milliseconds') RETURNING ends_at");
    const started = await stream.next(1, 1000);
    assert.deepEqual(data(started), { indicator: 'maintenance', description: 'Service Under Maintenance', maintenance: true, ends_at: rows[0]!.ends_at.toISOString() });
    const ended = await stream.next(2, 2500, (e) => !data(e).maintenance);
    assert.ok(ended.at - rows[0]!.ends_at.getTime() < 1000, `heard ${ended.at - rows[0]!.ends_at.getTime()} ms after the end`);
  });

  it('counts open streams in the metrics', async () => {
    const metrics = await request(`${h.gw.url}/_gateway/metrics`);
    const count = Number(/^intermission_event_streams (\d+)$/m.exec(metrics.body)?.[1]);
    assert.ok(count >= 1, `intermission_event_streams ${count}`);
  });
});

describe('status events at the edges', () => {
  it('refuses streams beyond EVENTS_MAX_STREAMS with 503, so the page falls back to polling', async () => {
    const gw = await startGateway(h.db.url, h.upstream.url, { EVENTS_MAX_STREAMS: '1', JOBS: 'false' });
    try {
      const first = await connect(gw);
      assert.equal(first.status, 200);
      const second = await connect(gw);
      assert.equal(second.status, 503);
      assert.equal(second.headers['retry-after'], '30');
      first.close();
      await waitFor(async () => (await connect(gw)).status === 200, 1000, 'a slot free again once a page leaves');
    } finally {
      await gw.close();
    }
  });

  it('ends open streams at shutdown, so a rolling restart does not wait for them', async () => {
    const gw = await startGateway(h.db.url, h.upstream.url, { JOBS: 'false' });
    const stream = await connect(gw);
    await stream.next(0, 1000);
    const started = Date.now();
    await gw.close();
    await stream.ended;
    assert.ok(Date.now() - started < 2000, `shutdown took ${Date.now() - started} ms`);
  });
});
