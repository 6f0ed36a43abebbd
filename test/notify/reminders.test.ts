// Reminders before a window starts: a window.reminder event and an e-mail, through a real SMTP
// server made by the test, to the operators and admins who asked on their account page; once, even
// when the job runs twice; never for windows scheduled at short notice; harmless without SMTP_URL.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createMailer } from '../../src/notify/email.js';
import { createReminderJob } from '../../src/notify/reminder-job.js';
import { createLogger } from '../../src/log.js';
import { api, makeToken, makeUser, signedIn, type Browser } from '../helpers/admin.js';
import type { TestDatabase } from '../helpers/database.js';
import { startGateway, waitFor, type TestGateway } from '../helpers/gateway.js';
import { useGateway } from '../helpers/harness.js';
import { ADMIN, API } from '../admin/fixtures.js';
import { startMailServer } from './mail-server.js';
import { json, startReceiver, type Receiver } from './receiver.js';

const smtp = await startMailServer();
let noMail: TestGateway | undefined;
// A second gateway on the same database must stop before the harness drops it: see useGateway.
after(async () => {
  await noMail?.close();
});
const harness = useGateway({ SMTP_URL: smtp.url, SMTP_FROM: 'Intermission <noreply@example.com>', PUBLIC_URL: 'https://shop.example.com' });
let db: TestDatabase;
let gw: TestGateway;
let operator: string;
let subscriber: Browser;
let receiver: Receiver;

before(async () => {
  ({ db, gw } = await harness);
  operator = await makeToken(gw.pool, 'operator');
  subscriber = await signedIn(gw.pool, gw.url, ADMIN, 'admin', 'on-call@example.com');
  receiver = await startReceiver();
  const hook = await api(gw.url, await makeToken(gw.pool, 'admin'), 'POST', `${API}/webhooks`, { url: receiver.url, events: ['window.reminder'] });
  assert.equal(hook.status, 201);
});

after(async () => {
  await receiver.close();
  await smtp.close();
});

/** Schedules a window through the API, starting in `inMinutes`, as if it had been made `madeAgoMinutes` ago. */
async function scheduleWindow(title: string, inMinutes: number, madeAgoMinutes = 24 * 60): Promise<string> {
  const res = await api(gw.url, operator, 'POST', `${API}/windows`, { title, starts_at: new Date(Date.now() + inMinutes * 60_000).toISOString(), duration: '1h' });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  await db.query("UPDATE windows SET created_at = now() - make_interval(mins => $2) WHERE id = $1", [res.body.window.id, madeAgoMinutes]);
  return res.body.window.id;
}

async function reminders(windowId: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM events WHERE type = 'window.reminder' AND (data -> 'window' ->> 'id') = $1", [windowId]);
  return rows[0]!.n;
}

describe('reminders', () => {
  it('lets operators and admins ask for reminder e-mails on their account page', async () => {
    const page = await subscriber.get(`${ADMIN}/account`);
    assert.match(page.body, /E-mail me before maintenance starts/);
    assert.doesNotMatch(page.body, /name="email_reminders"[^>]* checked/);
    const saved = await subscriber.submit(`${ADMIN}/account/email-reminders`, { email_reminders: 'on' }, `${ADMIN}/account`);
    assert.equal(saved.status, 200);
    assert.match(saved.body, /You will get an e-mail before maintenance starts/);
    assert.match(saved.body, /name="email_reminders" checked/);
    const { rows } = await db.query<{ email_reminders: boolean }>("SELECT email_reminders FROM users WHERE email = 'on-call@example.com'");
    assert.equal(rows[0]!.email_reminders, true);
    const audit = await db.query("SELECT 1 FROM audit_log WHERE action = 'user.email_reminders' AND actor = 'user:on-call@example.com'");
    assert.equal(audit.rowCount, 1);
  });

  it('keeps viewers to a note, and refuses to turn reminders on for them', async () => {
    const viewer = await signedIn(gw.pool, gw.url, ADMIN, 'viewer', 'watcher@example.com');
    const page = await viewer.get(`${ADMIN}/account`);
    assert.match(page.body, /Reminder e-mails go to operators and admins/);
    assert.doesNotMatch(page.body, /name="email_reminders"/);
    const refused = await viewer.submit(`${ADMIN}/account/email-reminders`, { email_reminders: 'on' }, `${ADMIN}/account`);
    assert.equal(refused.status, 409);
    assert.match(refused.body, /go to operators and admins/);
    const { rows } = await db.query<{ email_reminders: boolean }>("SELECT email_reminders FROM users WHERE email = 'watcher@example.com'");
    assert.equal(rows[0]!.email_reminders, false);
  });

  it('reminds once before a window starts, by webhook and by e-mail to those who asked, even when the job runs twice', async () => {
    await makeUser(gw.pool, 'quiet@example.com', 'operator');
    await makeUser(gw.pool, 'gone@example.com', 'admin');
    await makeUser(gw.pool, 'looker@example.com', 'viewer');
    // Asked, but disabled since, or a viewer (set behind the page's back): neither gets mail.
    await db.query("UPDATE users SET email_reminders = true, disabled_at = CASE WHEN email = 'gone@example.com' THEN now() END WHERE email IN ('gone@example.com', 'looker@example.com')");
    await db.query("UPDATE users SET time_zone = 'Europe/Paris' WHERE email = 'on-call@example.com'");

    const due = await scheduleWindow('Database upgrade', 30);
    const shortNotice = await scheduleWindow('Hotfix', 30, 0);
    const farOff = await scheduleWindow('Next week', 7 * 24 * 60);
    const cancelled = await scheduleWindow('Called off', 20);
    assert.equal((await api(gw.url, operator, 'DELETE', `${API}/windows/${cancelled}`)).status, 200);

    await Promise.all([gw.automation.runNow('reminders'), gw.automation.runNow('reminders')]);
    await gw.automation.runNow('reminders');

    assert.equal(await reminders(due), 1, 'one reminder event');
    for (const id of [shortNotice, farOff, cancelled]) assert.equal(await reminders(id), 0, `no reminder for window ${id}`);
    await waitFor(() => smtp.mails.length >= 1, 5000, 'the e-mail arrives');
    await waitFor(() => receiver.received.length >= 1, 5000, 'the webhook gets the reminder');
    await new Promise((resolve) => setTimeout(resolve, 500));

    assert.equal(smtp.mails.length, 1, `one e-mail: ${smtp.mails.map((m) => m.to.join()).join('; ')}`);
    const [mail] = smtp.mails;
    assert.deepEqual(mail!.to, ['on-call@example.com']);
    assert.equal(mail!.from, 'noreply@example.com');
    assert.equal(mail!.subject, 'Maintenance starts in 60 min: Database upgrade');
    assert.match(mail!.text, /Starts: .* UTC \(.*GMT\+1|Starts: .* UTC \(.*CET/);
    assert.match(mail!.text, new RegExp(`https://shop\\.example\\.com/admin/windows/${due}`));

    assert.equal(receiver.received.length, 1);
    const body = json(receiver.received[0]!);
    assert.equal(body.type, 'window.reminder');
    assert.equal(body.data.window.id, due);
    assert.equal(body.data.window.admin_url, `https://shop.example.com/admin/windows/${due}`);
  });

  it('sets when reminders go out on the webhooks page', async () => {
    const admin = await signedIn(gw.pool, gw.url, ADMIN, 'admin');
    const page = await admin.get(`${ADMIN}/webhooks`);
    assert.match(page.body, /name="reminder_minutes"[^>]* value="60"/);
    const saved = await admin.submit(`${ADMIN}/webhooks/reminders`, { reminder_minutes: '180' }, `${ADMIN}/webhooks`);
    assert.match(saved.body, /Reminders now go out 180 minutes before a window starts/);
    const inTwoHours = await scheduleWindow('Later today', 120);
    await gw.automation.runNow('reminders');
    assert.equal(await reminders(inTwoHours), 1, 'a window within the new lead time is reminded of');
    await waitFor(() => smtp.mails.some((m) => m.subject === 'Maintenance starts in 3 h: Later today'), 5000, 'the e-mail names the new lead time');
  });

  it('still reminds by webhook without SMTP_URL, sends no mail and throws nothing', async () => {
    const before = smtp.mails.length;
    const log = createLogger('silent');
    const mailer = createMailer({ config: { smtpUrl: undefined, smtpFrom: 'x@example.com' }, log });
    assert.equal(mailer.enabled, false);
    assert.equal(await mailer.send({ to: 'a@example.com', subject: 's', text: 't', html: 'h' }), false);
    const job = createReminderJob({ config: gw.config, pool: gw.pool, mailer, log });
    const id = await scheduleWindow('Without mail', 30);
    await job.run(new Date());
    assert.equal(await reminders(id), 1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(smtp.mails.length, before);

    noMail = await startGateway(db.url, gw.config.upstreamUrl!.href, { JOBS: 'false' });
    const page = await (await signedIn(noMail.pool, noMail.url, ADMIN, 'operator')).get(`${ADMIN}/account`);
    assert.match(page.body, /name="email_reminders" disabled/);
    assert.match(page.body, /E-mail is off on this gateway: SMTP_URL is not set/);
  });
});
