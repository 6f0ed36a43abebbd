// Webhooks with two sites: an admin of one site lists and manages that site's receivers only;
// another site's webhook is "not found" by id (its deliveries, its test, its secret too); the
// reminder lead time is each site's own.

import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { api } from '../helpers/admin.js';
import { API } from './fixtures.js';
import { B_MARK, B_SLUG, fingerprint, type TwoSites, useTwoSites } from './sites-fixtures.js';

const twoSites = useTwoSites({ role: 'admin' });
let { db, gw, b, call, globalAdmin } = {} as TwoSites;
before(async () => ({ db, gw, b, call, globalAdmin } = await twoSites));

describe('webhooks of another site', () => {
  it('lists only its own site’s webhooks', async () => {
    await call('POST', '/webhooks', { url: 'https://hooks.example.com/shop', events: ['window.scheduled'] });
    const list = await call('GET', '/webhooks');
    assert.deepEqual(list.body.webhooks.map((w: { url: string }) => w.url), ['https://hooks.example.com/shop']);
    assert.doesNotMatch(JSON.stringify(list.body), new RegExp(B_MARK));
  });

  it('answers 404 for another site’s webhook by id, to reads and changes, and leaves it and its secret alone', async () => {
    const before = await fingerprint(db, b.siteId);
    const events = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM events')).rows[0]!.n;
    const attempts: [string, string, unknown?][] = [
      ['GET', `/webhooks/${b.webhook}`],
      ['GET', `/webhooks/${b.webhook}/deliveries`],
      ['PATCH', `/webhooks/${b.webhook}`, { enabled: false }],
      ['POST', `/webhooks/${b.webhook}/rotate-secret`, {}],
      ['POST', `/webhooks/${b.webhook}/test`, {}],
      ['DELETE', `/webhooks/${b.webhook}`, {}],
    ];
    for (const [method, path, body] of attempts) {
      const res = await call(method, path, body);
      assert.equal(res.status, 404, `${method} ${path}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.error.message, `there is no webhook #${b.webhook}`);
    }
    assert.equal(await fingerprint(db, b.siteId), before);
    assert.equal((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM events')).rows[0]!.n, events, 'no test event was sent');
  });

  it('keeps the reminder lead time per site', async () => {
    const changed = await call('PATCH', '/reminders', { reminder_minutes: 30 });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    assert.equal((await call('GET', '/reminders')).body.reminder_minutes, 30);
    assert.equal((await api(gw.url, globalAdmin, 'GET', `${API}/sites/${B_SLUG}/reminders`)).body.reminder_minutes, 180);
  });

  it('sends a test event of another site’s webhook under /sites/blog, as an event of that site', async () => {
    const res = await api(gw.url, globalAdmin, 'POST', `${API}/sites/${B_SLUG}/webhooks/${b.webhook}/test`, {});
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const { rows } = await db.query<{ site_id: string }>('SELECT site_id::text FROM events WHERE id = $1', [res.body.event_id]);
    assert.equal(rows[0]!.site_id, b.siteId);
  });
});
