// The webhooks area, through the pages and the API: admins create (the secret shown once), edit,
// turn off and on, rotate, test and delete webhooks; every role sees them and their deliveries;
// no secret ever reaches a list, the API or the audit log; bad input is refused by field, unwritten.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SUBSCRIBABLE_EVENTS } from '../../src/notify/event-payload.js';
import { api, makeToken, signedIn, type Browser, type PageResponse } from '../helpers/admin.js';
import type { TestDatabase } from '../helpers/database.js';
import { waitFor, type TestGateway } from '../helpers/gateway.js';
import { useGateway } from '../helpers/harness.js';
import { startReceiver, type Receiver } from '../notify/receiver.js';
import { ADMIN, API, AUDIT_BY_PEOPLE, auditRows, ESCAPED, hiddenFields, SCRIPT } from './fixtures.js';

const harness = useGateway({ WEBHOOK_RETRY_BASE_MS: '200' });
let db: TestDatabase;
let gw: TestGateway;
let admin: Browser;
let viewer: Browser;
let adminToken: string;
let receiver: Receiver;

before(async () => {
  ({ db, gw } = await harness);
  admin = await signedIn(gw.pool, gw.url, ADMIN, 'admin', 'hooks@example.com');
  viewer = await signedIn(gw.pool, gw.url, ADMIN, 'viewer');
  adminToken = await makeToken(gw.pool, 'admin', 'hooks-admin');
  receiver = await startReceiver((n) => (n === 1 ? 500 : 200));
});

after(async () => {
  await receiver.close();
});

function secretOf(page: PageResponse): string {
  const match = /id="secret"[^>]*>(whsec_[\w-]+)</.exec(page.body);
  assert.ok(match, 'the page shows the secret');
  return match[1]!;
}

async function storedSecret(id: string): Promise<string> {
  return (await db.query<{ secret: string }>('SELECT secret FROM webhooks WHERE id = $1', [id])).rows[0]!.secret;
}

/** Webhooks and audit rows: unchanged means nothing was written. */
async function writes(): Promise<string> {
  const { rows } = await db.query<{ n: string }>(`SELECT concat_ws(',', (SELECT count(*) FROM webhooks), ${AUDIT_BY_PEOPLE}, (SELECT reminder_minutes FROM settings)) AS n`);
  return rows[0]!.n;
}

let hookId: string;
let firstSecret: string;

describe('webhooks pages', () => {
  it('offers every event, all ticked, and JSON by default', async () => {
    const page = await admin.get(`${ADMIN}/webhooks/new`);
    assert.equal(page.status, 200);
    for (const type of SUBSCRIBABLE_EVENTS) assert.match(page.body, new RegExp(`name="events" value="${type.replace('.', '\\.')}" checked`));
    assert.match(page.body, /name="format" value="json" checked/);
  });

  it('creates a webhook and shows its secret once, and never again', async () => {
    const created = await admin.submit(`${ADMIN}/webhooks`, { url: receiver.url, description: `ops ${SCRIPT}`, events: ['', 'window.started', 'window.ended'], format: 'json' }, `${ADMIN}/webhooks/new`);
    assert.equal(created.status, 201);
    firstSecret = secretOf(created);
    hookId = /Webhook #(\d+) created/.exec(created.body)![1]!;
    assert.equal(await storedSecret(hookId), firstSecret);

    const list = await admin.get(`${ADMIN}/webhooks`);
    assert.match(list.body, new RegExp(receiver.url.replace(/[/.:]/g, '\\$&')));
    assert.match(list.body, /window\.started, window\.ended/);
    assert.ok(list.body.includes(`ops ${ESCAPED}`), 'the description is escaped');
    for (const page of [list, await admin.get(`${ADMIN}/webhooks/${hookId}/edit`), await admin.get(`${ADMIN}/webhooks/${hookId}/deliveries`), await viewer.get(`${ADMIN}/webhooks`)]) {
      assert.ok(!page.body.includes(firstSecret), 'no page shows the secret again');
    }
    const [row] = await auditRows(db, 'webhook.create');
    assert.equal(row!.actor, 'user:hooks@example.com');
    assert.equal(row!.after!.url, receiver.url);
    assert.ok(!JSON.stringify(row).includes(firstSecret) && !('secret' in row!.after!), 'the audit log leaves the secret out');
  });

  it('refuses a URL that is not http(s) and a webhook with no event, by field, writing nothing', async () => {
    const before = await writes();
    const badUrl = await admin.submit(`${ADMIN}/webhooks`, { url: 'ftp://files.example.com/x', events: ['', 'window.started'], format: 'json' }, `${ADMIN}/webhooks/new`);
    assert.equal(badUrl.status, 400);
    assert.match(badUrl.body, /url &#34;ftp:\/\/files\.example\.com\/x&#34; is not an http:\/\/ or https:\/\/ URL/);
    assert.match(badUrl.body, /id="url"[^>]*aria-invalid="true"/);
    const noEvents = await admin.submit(`${ADMIN}/webhooks`, { url: receiver.url, events: [''], format: 'json' }, `${ADMIN}/webhooks/new`);
    assert.equal(noEvents.status, 400);
    assert.match(noEvents.body, /events is empty: choose at least one event/);
    assert.equal(await writes(), before);
  });

  it('lets viewers see webhooks and deliveries, without the buttons, and refuses their posts', async () => {
    const list = await viewer.get(`${ADMIN}/webhooks`);
    assert.equal(list.status, 200);
    assert.doesNotMatch(list.body, /Rotate secret|Send a test event|New webhook|name="reminder_minutes"/);
    assert.match(list.body, /Reminders go out <strong>60 minutes<\/strong>/);
    assert.equal((await viewer.get(`${ADMIN}/webhooks/${hookId}/deliveries`)).status, 200);
    const refused = await viewer.submit(`${ADMIN}/webhooks/${hookId}/disable`, {}, `${ADMIN}/webhooks`);
    assert.equal(refused.status, 403);
  });

  it('sends a test event and shows each delivery with its state, attempts and response', async () => {
    const sent = await admin.submit(`${ADMIN}/webhooks/${hookId}/test`, {}, `${ADMIN}/webhooks`);
    assert.equal(sent.url, `${ADMIN}/webhooks/${hookId}/deliveries`);
    assert.match(sent.body, /Test event sent/);
    assert.match(sent.body, /webhook\.test/);
    await waitFor(async () => (await db.query("SELECT 1 FROM webhook_deliveries WHERE webhook_id = $1 AND state = 'delivered'", [hookId])).rowCount === 1, 5000, 'delivered at the second attempt');
    const page = await viewer.get(`${ADMIN}/webhooks/${hookId}/deliveries`);
    const row = page.body.slice(page.body.indexOf('<tr data-delivery'));
    assert.match(row, /Delivered/);
    assert.match(row, /<td>2<\/td>/, 'two attempts');
    assert.match(row, /HTTP 200/);
    const list = await admin.get(`${ADMIN}/webhooks`);
    assert.match(list.body, /Delivered<\/span> HTTP 200, 2 attempts/);
  });

  it('edits a webhook, and turns it off and on', async () => {
    const saved = await admin.submit(`${ADMIN}/webhooks/${hookId}/edit`, { url: receiver.url, description: 'chat', events: ['', 'incident.updated'], format: 'slack' });
    assert.match(saved.body, /Saved webhook #/);
    const { rows } = await db.query('SELECT description, events, format, enabled FROM webhooks WHERE id = $1', [hookId]);
    assert.deepEqual(rows[0], { description: 'chat', events: ['incident.updated'], format: 'slack', enabled: true });
    const off = await admin.submit(`${ADMIN}/webhooks/${hookId}/disable`, {}, `${ADMIN}/webhooks`);
    assert.match(off.body, /is off/);
    assert.equal((await auditRows(db, 'webhook.disable')).length, 1);
    assert.match((await admin.get(`${ADMIN}/webhooks`)).body, /Turn on/);
    await admin.submit(`${ADMIN}/webhooks/${hookId}/enable`, {}, `${ADMIN}/webhooks`);
    assert.equal((await db.query('SELECT enabled FROM webhooks WHERE id = $1', [hookId])).rows[0]!.enabled, true);
  });

  it('rotates the secret after a confirmation, shows the new one once, and audits it without it', async () => {
    const confirm = await admin.submit(`${ADMIN}/webhooks/${hookId}/rotate-secret`, {}, `${ADMIN}/webhooks`);
    assert.match(confirm.body, /Rotate the secret of webhook/);
    assert.equal(await storedSecret(hookId), firstSecret, 'nothing changes before the confirmation');
    const rotated = await admin.post(`${ADMIN}/webhooks/${hookId}/rotate-secret`, hiddenFields(confirm.body));
    const secret = secretOf(rotated);
    assert.notEqual(secret, firstSecret);
    assert.equal(await storedSecret(hookId), secret);
    const [row] = await auditRows(db, 'webhook.rotate_secret');
    assert.ok(row, 'the rotation is in the audit log');
    assert.ok(row!.after!.secret_rotated_at);
    assert.ok(!JSON.stringify(row).includes(secret) && !JSON.stringify(row).includes(firstSecret));
  });

  it('deletes a webhook after a confirmation, with its deliveries', async () => {
    const confirm = await admin.submit(`${ADMIN}/webhooks/${hookId}/delete`, {}, `${ADMIN}/webhooks`);
    assert.match(confirm.body, /Delete webhook #/);
    const deleted = await admin.post(`${ADMIN}/webhooks/${hookId}/delete`, hiddenFields(confirm.body));
    assert.match(deleted.body, /Deleted webhook #/);
    assert.equal((await db.query('SELECT 1 FROM webhooks WHERE id = $1', [hookId])).rowCount, 0);
    assert.equal((await db.query('SELECT 1 FROM webhook_deliveries WHERE webhook_id = $1', [hookId])).rowCount, 0);
  });

  it('saves when reminders go out, and refuses a lead time out of range', async () => {
    const before = await writes();
    const refused = await admin.submit(`${ADMIN}/webhooks/reminders`, { reminder_minutes: '0' }, `${ADMIN}/webhooks`);
    assert.equal(refused.status, 400);
    assert.match(refused.body, /reminder_minutes &#34;0&#34; is not a whole number of minutes from 1 to 10080/);
    assert.equal(await writes(), before);
    const saved = await admin.submit(`${ADMIN}/webhooks/reminders`, { reminder_minutes: '45' }, `${ADMIN}/webhooks`);
    assert.match(saved.body, /Reminders now go out 45 minutes before/);
    assert.equal((await auditRows(db, 'settings.reminders')).length, 1);
  });
});

describe('webhooks API', () => {
  it('creates with every event by default and the secret in that answer only', async () => {
    const created = await api(gw.url, adminToken, 'POST', `${API}/webhooks`, { url: 'https://hooks.example.com/a' });
    assert.equal(created.status, 201);
    assert.match(created.body.secret, /^whsec_/);
    assert.deepEqual(created.body.webhook.events, SUBSCRIBABLE_EVENTS);
    assert.equal(created.body.webhook.format, 'json');
    assert.equal(created.body.webhook.last_delivery, null);
    const { id } = created.body.webhook;
    for (const path of [`/webhooks`, `/webhooks/${id}`, `/webhooks/${id}/deliveries`]) {
      const res = await api(gw.url, adminToken, 'GET', `${API}${path}`);
      assert.equal(res.status, 200, path);
      assert.ok(!JSON.stringify(res.body).includes(created.body.secret), `${path} never shows the secret`);
      assert.ok(!JSON.stringify(res.body).includes('"secret"'), `${path} has no secret field`);
    }
    const rotated = await api(gw.url, adminToken, 'POST', `${API}/webhooks/${id}/rotate-secret`, {});
    assert.equal(rotated.status, 200);
    assert.notEqual(rotated.body.secret, created.body.secret);
    assert.ok(rotated.body.webhook.secret_rotated_at);
    const audit = await db.query<{ text: string }>("SELECT concat(before::text, after::text) AS text FROM audit_log WHERE kind = 'webhooks'");
    for (const row of audit.rows) assert.ok(!row.text.includes(created.body.secret) && !row.text.includes(rotated.body.secret));
  });

  it('names the field of bad input, and writes nothing', async () => {
    const before = await writes();
    const cases: [unknown, string, RegExp][] = [
      [{ url: 'javascript:alert(1)' }, 'url', /not an http:\/\/ or https:\/\/ URL/],
      [{ url: 'https://x.example.com', events: ['window.started', 'window.exploded'] }, 'events', /"window\.exploded": each must be one of/],
      [{ url: 'https://x.example.com', events: [] }, 'events', /choose at least one event/],
      [{ url: 'https://x.example.com', format: 'xml' }, 'format', /must be json/],
      [{ url: 'https://x.example.com', secret: 'mine' }, 'secret', /secret is not a field here/],
      [{}, 'url', /url: is missing/],
    ];
    for (const [body, field, message] of cases) {
      const res = await api(gw.url, adminToken, 'POST', `${API}/webhooks`, body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.body.error.field, field, JSON.stringify(res.body));
      assert.match(res.body.error.message, message);
    }
    const patch = await api(gw.url, adminToken, 'PATCH', `${API}/webhooks/1`, {});
    assert.equal(patch.status, 400);
    assert.match(patch.body.error.message, /nothing to change/);
    const minutes = await api(gw.url, adminToken, 'PATCH', `${API}/reminders`, { reminder_minutes: 10081 });
    assert.equal(minutes.status, 400);
    assert.equal(minutes.body.error.field, 'reminder_minutes');
    assert.equal(await writes(), before);
  });

  it('lets an operator read webhooks and deliveries but change nothing', async () => {
    const token = await makeToken(gw.pool, 'operator', 'hooks-operator');
    assert.equal((await api(gw.url, token, 'GET', `${API}/webhooks`)).status, 200);
    assert.equal((await api(gw.url, token, 'GET', `${API}/reminders`)).body.reminder_minutes, 45);
    assert.equal((await api(gw.url, token, 'POST', `${API}/webhooks`, { url: 'https://x.example.com' })).status, 403);
    assert.equal((await api(gw.url, token, 'PATCH', `${API}/reminders`, { reminder_minutes: 5 })).status, 403);
  });

  it('changes the reminder setting', async () => {
    const res = await api(gw.url, adminToken, 'PATCH', `${API}/reminders`, { reminder_minutes: 90 });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { reminder_minutes: 90, email_enabled: false, changed: true });
    const again = await api(gw.url, adminToken, 'PATCH', `${API}/reminders`, { reminder_minutes: 90 });
    assert.equal(again.body.changed, false);
  });
});
