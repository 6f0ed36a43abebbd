// What a webhook receives, built without a database or a socket: the public JSON shape of each
// event, the Slack line, the signature and its check, the retry schedule, and the reminder e-mail.

import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { eventPayload, type EventRecord } from '../../src/notify/event-payload.js';
import { reminderEmail, leadText } from '../../src/notify/reminder-email.js';
import { deliveryOutcome, MAX_RETRY_DELAY_MS, retryDelayMs } from '../../src/notify/retry-policy.js';
import { generateSecret, signatureHeader, verifySignature } from '../../src/notify/signature.js';
import { siteLinks } from '../../src/notify/site-labels.js';
import { slackText } from '../../src/notify/slack-text.js';
import { webhookRequest } from '../../src/notify/webhook-delivery.js';

const links = { statusUrl: 'https://shop.example.com/status', adminUrl: 'https://shop.example.com/admin' };
const AT = Date.parse('2026-11-22T12:00:00.000Z');

// A windows row as to_jsonb writes it: timestamps with an offset and microseconds, ids as numbers.
const windowRow = {
  id: 7,
  title: 'Database <upgrade> & more',
  message: 'We are upgrading.',
  kind: 'maintenance',
  mode: 'block',
  response: 'render',
  starts_at: '2026-11-22T15:00:00.123456+01:00',
  ends_at: '2026-11-22T16:00:00+00:00',
  ended_at: null,
  planned_ends_at: '2026-11-22T16:00:00+00:00',
  lifecycle: 'scheduled',
  verify_upstream: false,
  series_id: null,
  reminded_at: null,
  created_by: 'user:alice@example.com',
  some_future_column: 'not for receivers',
};

function event(type: EventRecord['type'], data: Record<string, unknown>): EventRecord {
  return { id: '42', type, at: AT, data };
}

describe('event payloads', () => {
  it('gives a window event a stable, snake_case shape in UTC with links, and nothing else from the row', () => {
    const payload = eventPayload(event('window.scheduled', { window: windowRow }), links);
    assert.deepEqual(payload, {
      id: '42',
      type: 'window.scheduled',
      created_at: '2026-11-22T12:00:00.000Z',
      data: {
        window: {
          id: '7',
          title: 'Database <upgrade> & more',
          message: 'We are upgrading.',
          kind: 'maintenance',
          mode: 'block',
          starts_at: '2026-11-22T14:00:00.123Z',
          ends_at: '2026-11-22T16:00:00.000Z',
          ended_at: null,
          planned_ends_at: '2026-11-22T16:00:00.000Z',
          lifecycle: 'scheduled',
          verify_upstream: false,
          series_id: null,
          status_url: 'https://shop.example.com/status',
          admin_url: 'https://shop.example.com/admin/windows/7',
        },
      },
    });
  });

  it('adds the previous end to window.extended', () => {
    const payload = eventPayload(event('window.extended', { window: { ...windowRow, ends_at: '2026-11-22T17:00:00+00:00' }, previous_ends_at: '2026-11-22T16:00:00+00:00' }), links);
    assert.equal((payload.data.window as { ends_at: string }).ends_at, '2026-11-22T17:00:00.000Z');
    assert.equal(payload.data.previous_ends_at, '2026-11-22T16:00:00.000Z');
  });

  it('gives an incident update the incident and the update', () => {
    const payload = eventPayload(
      event('incident.updated', {
        incident: { id: 3, title: 'Slow checkout', status: 'identified', impact: 'major', created_at: '2026-11-22T11:00:00+00:00', resolved_at: null },
        update: { id: 9, body: 'Found it.', status: 'identified', incident_id: 3, window_id: null, created_at: '2026-11-22T11:30:00+00:00', created_by: 'x' },
      }),
      links,
    );
    assert.deepEqual(payload.data, {
      incident: { id: '3', title: 'Slow checkout', status: 'identified', impact: 'major', created_at: '2026-11-22T11:00:00.000Z', resolved_at: null, status_url: links.statusUrl, admin_url: `${links.adminUrl}/incidents/3` },
      update: { id: '9', body: 'Found it.', status: 'identified', created_at: '2026-11-22T11:30:00.000Z' },
    });
  });

  it('gives a component change the component and its previous status', () => {
    const payload = eventPayload(
      event('component.status_changed', { component: { id: 5, name: 'API', description: '', status: 'major_outage', position: 0, group_id: null }, previous_status: 'operational' }),
      links,
    );
    assert.deepEqual(payload.data, {
      component: { id: '5', name: 'API', description: '', status: 'major_outage', group_id: null, status_url: links.statusUrl },
      previous_status: 'operational',
    });
  });
});

describe('Slack text', () => {
  it('says what happened in one line, escapes Slack markup and links the status page', () => {
    const text = slackText(eventPayload(event('window.scheduled', { window: windowRow }), links));
    assert.equal(
      text,
      'Maintenance scheduled: “Database &lt;upgrade&gt; &amp; more”, from 14:00 UTC, 22 Nov 2026 until 16:00 UTC, 22 Nov 2026. <https://shop.example.com/status|Status page>',
    );
    assert.doesNotMatch(text, /\n/);
  });

  it('words every event type', () => {
    const lines = {
      'window.reminder': /^Maintenance starts soon: /,
      'window.started': /^Maintenance started: .*until 16:00 UTC/,
      'window.ended': /^Maintenance ended: /,
      'window.cancelled': /^Maintenance cancelled: .*was to start at 14:00 UTC/,
    } as const;
    for (const [type, pattern] of Object.entries(lines)) {
      assert.match(slackText(eventPayload(event(type as EventRecord['type'], { window: windowRow }), links)), pattern, type);
    }
    assert.match(
      slackText(eventPayload(event('window.extended', { window: { ...windowRow, ends_at: '2026-11-22T17:00:00Z' }, previous_ends_at: '2026-11-22T16:00:00Z' }), links)),
      /^Maintenance extended: .* now runs until 17:00 UTC, 22 Nov 2026 \(was 16:00 UTC, 22 Nov 2026\)/,
    );
    assert.match(
      slackText(eventPayload(event('incident.updated', { incident: { id: 1, title: 'Slow', status: 'monitoring' }, update: { body: '\nFix deployed.\nMore detail' } }), links)),
      /^Incident “Slow” – Monitoring: Fix deployed\. <https/,
    );
    assert.match(
      slackText(eventPayload(event('component.status_changed', { component: { id: 1, name: 'API', status: 'partial_outage' }, previous_status: 'operational' }), links)),
      /^Component “API”: Operational → Partial outage\./,
    );
  });
});

describe('signatures', () => {
  const secret = generateSecret();
  const body = '{"id":"1","type":"webhook.test"}';

  it('makes secrets that look like secrets and never repeat', () => {
    assert.match(secret, /^whsec_[A-Za-z0-9_-]{43}$/);
    assert.notEqual(generateSecret(), secret);
  });

  it('signs "<t>.<body>" with HMAC-SHA256, as a receiver can recompute', () => {
    const t = Math.floor(AT / 1000);
    const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
    assert.equal(signatureHeader(secret, body, t), `t=${t},v1=${expected}`);
  });

  it('accepts a fresh signature of the exact body, as text or bytes', () => {
    const header = signatureHeader(secret, body, Math.floor(AT / 1000));
    assert.equal(verifySignature(secret, header, body, { now: AT + 1000 }), true);
    assert.equal(verifySignature(secret, header, Buffer.from(body), { now: AT }), true);
  });

  it('refuses another secret, a changed body, a replay outside the tolerance, and junk', () => {
    const t = Math.floor(AT / 1000);
    const header = signatureHeader(secret, body, t);
    assert.equal(verifySignature(generateSecret(), header, body, { now: AT }), false);
    assert.equal(verifySignature(secret, header, `${body} `, { now: AT }), false);
    assert.equal(verifySignature(secret, header, body, { now: AT + 301_000 }), false);
    assert.equal(verifySignature(secret, header, body, { now: AT + 3_600_000, toleranceS: 7200 }), true);
    for (const junk of [undefined, '', 't=abc,v1=00', `v1=${'0'.repeat(64)}`, `t=${t}`, `t=${t},v1=zz`]) {
      assert.equal(verifySignature(secret, junk, body, { now: AT }), false, String(junk));
    }
  });
});

describe('retries', () => {
  const options = { maxAttempts: 4, retryBaseMs: 1000 };

  it('doubles the wait after each failure, with at most 10% jitter, up to an hour', () => {
    assert.deepEqual([1, 2, 3, 4].map((n) => retryDelayMs(n, 1000, () => 0)), [1000, 2000, 4000, 8000]);
    assert.equal(retryDelayMs(1, 1000, () => 0.999), 1100);
    assert.equal(retryDelayMs(30, 1000, () => 0.5), MAX_RETRY_DELAY_MS);
  });

  it('delivers on any 2xx, retries anything else, and gives up after the last attempt', () => {
    assert.deepEqual(deliveryOutcome({ status: 204, error: null }, 1, options), { state: 'delivered', responseStatus: 204 });
    assert.deepEqual(deliveryOutcome({ status: 500, error: 'HTTP 500: boom' }, 2, options, () => 0), { state: 'pending', responseStatus: 500, lastError: 'HTTP 500: boom', retryInMs: 2000 });
    assert.deepEqual(deliveryOutcome({ status: 301, error: null }, 1, options, () => 0), { state: 'pending', responseStatus: 301, lastError: 'HTTP 301', retryInMs: 1000 });
    assert.deepEqual(deliveryOutcome({ status: null, error: 'ECONNREFUSED' }, 4, options), { state: 'failed', responseStatus: null, lastError: 'ECONNREFUSED' });
  });
});

describe('payloads with several sites', () => {
  const site = { id: '2', slug: 'eu-store', name: 'EU <Store>', named: true };

  it('names the site and links to its own status page and admin area', () => {
    const { body } = webhookRequest(
      { id: '9', attempts: 1, webhookId: '3', url: 'https://hooks.example.com/x', secret: 'whsec_test', format: 'json', event: event('window.scheduled', { window: windowRow }), siteId: '2' },
      links,
      AT,
      site,
    );
    const payload = JSON.parse(body);
    assert.deepEqual(payload.site, { slug: 'eu-store', name: 'EU <Store>' });
    assert.equal(payload.data.window.status_url, 'https://shop.example.com/status/eu-store');
    assert.equal(payload.data.window.admin_url, 'https://shop.example.com/admin/sites/eu-store/windows/7');
  });

  it('puts the site name, escaped, before the Slack line', () => {
    const text = slackText(eventPayload(event('window.ended', { window: windowRow }), siteLinks(links, site), site));
    assert.match(text, /^\[EU &lt;Store&gt;\] Maintenance ended: “Database &lt;upgrade&gt; &amp; more”\./);
    assert.match(text, /<https:\/\/shop\.example\.com\/status\/eu-store\|Status page>$/);
  });

  it('says nothing of sites while there is only one', () => {
    const only = { ...site, named: false };
    const { body } = webhookRequest(
      { id: '9', attempts: 1, webhookId: '3', url: 'https://hooks.example.com/x', secret: 'whsec_test', format: 'slack', event: event('window.ended', { window: windowRow }), siteId: '2' },
      links,
      AT,
      only,
    );
    assert.doesNotMatch(body, /eu-store|EU/);
    assert.match(JSON.parse(body).text, /^Maintenance ended/);
  });
});

describe('reminder e-mails', () => {
  const window = { id: '7', siteId: '1', title: 'Database upgrade', message: 'Expect a short outage.', kind: 'maintenance' as const, startsAt: Date.parse('2026-11-22T14:00:00Z'), endsAt: Date.parse('2026-11-22T16:00:00Z'), minutes: 60 };

  it('names the lead time and the title in the subject, and the times in UTC and the reader\'s zone', () => {
    const mail = reminderEmail(window, { email: 'ops@example.com', name: 'Alice', timeZone: 'Europe/Paris' }, { adminUrl: 'https://shop.example.com/admin', siteName: 'Shop' });
    assert.equal(mail.to, 'ops@example.com');
    assert.equal(mail.subject, 'Maintenance starts in 60 min: Database upgrade');
    assert.match(mail.text, /^Hello Alice,/);
    assert.match(mail.text, /Starts: Sun 22 Nov 2026, 14:00 UTC \(Sun 22 Nov 2026, 15:00 GMT\+1\)/);
    assert.match(mail.text, /https:\/\/shop\.example\.com\/admin\/windows\/7/);
    assert.match(mail.html, /<a href="https:\/\/shop\.example\.com\/admin\/windows\/7">/);
  });

  it('escapes the HTML part and says when a window has no end', () => {
    const mail = reminderEmail({ ...window, title: '<b>x</b>', endsAt: null }, { email: 'a@example.com', name: '', timeZone: null }, { adminUrl: '/admin', siteName: 'Shop' });
    assert.match(mail.html, /&lt;b&gt;x&lt;\/b&gt;/);
    assert.doesNotMatch(mail.html, /<b>x/);
    assert.match(mail.text, /Ends: {3}no end set/);
    assert.doesNotMatch(mail.text, /UTC \(/, 'no zone of their own: UTC only');
  });

  it('words the lead time', () => {
    assert.deepEqual([1, 60, 90, 120, 180, 1440, 2880, 10080].map(leadText), ['1 min', '60 min', '90 min', '2 h', '3 h', '1 d', '2 d', '7 d']);
  });
});
