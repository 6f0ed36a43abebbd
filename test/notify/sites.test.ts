// Notifications with two sites: each site's webhooks hear that site's events only, and payloads and
// Slack lines name the site and link to its own pages; reminders go out by each site's own lead
// time, to the people who run maintenance in that site (and global admins), naming the site.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addSite } from '../../src/sites/sites.js';
import type { TestDatabase } from '../helpers/database.js';
import { waitFor, type TestGateway } from '../helpers/gateway.js';
import { useGateway } from '../helpers/harness.js';
import { startMailServer } from './mail-server.js';
import { startReceiver, type Receiver } from './receiver.js';

const smtp = await startMailServer();
const harness = useGateway({ SITE_NAME: 'Example Shop', SMTP_URL: smtp.url, SMTP_FROM: 'Intermission <noreply@example.com>', PUBLIC_URL: 'https://gw.example.com' });
let db: TestDatabase;
let gw: TestGateway;
let shopId: string;
let blogId: string;
const hooks: Record<'shop' | 'blog' | 'blogSlack', Receiver> = {} as never;

async function webhook(siteId: string, url: string, format = 'json'): Promise<void> {
  await db.query(
    "INSERT INTO webhooks (site_id, url, events, format, secret) VALUES ($1, $2, '{window.scheduled,window.reminder}', $3, 'whsec_sites-test-secret')",
    [siteId, url, format],
  );
}

/** A user who asked for reminder e-mails, with these roles by site id. */
async function subscriber(email: string, roles: Record<string, string>, globalAdmin = false): Promise<void> {
  const { rows } = await db.query<{ id: string }>(
    'INSERT INTO users (email, name, email_reminders, global_admin) VALUES ($1, $1, true, $2) RETURNING id::text',
    [email, globalAdmin],
  );
  for (const [siteId, role] of Object.entries(roles)) {
    await db.query('INSERT INTO site_members (site_id, user_id, role) VALUES ($1, $2, $3)', [siteId, rows[0]!.id, role]);
  }
}

/** A window of the site starting in `inMinutes`, made a day ago (so a reminder is due by the lead time). */
async function windowIn(siteId: string, title: string, inMinutes: number): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO windows (site_id, title, starts_at, ends_at, created_at)
     VALUES ($1, $2, now() + make_interval(mins => $3), now() + make_interval(mins => $3 + 60), now() - interval '1 day') RETURNING id::text`,
    [siteId, title, inMinutes],
  );
  return rows[0]!.id;
}

before(async () => {
  ({ db, gw } = await harness);
  shopId = (await db.query<{ id: string }>("SELECT id::text FROM sites WHERE slug = 'default'")).rows[0]!.id;
  blogId = (await addSite(gw.pool, { slug: 'blog', hosts: ['blog.example.com'], upstreamUrl: null })).id;
  await db.query("UPDATE settings SET site_name = 'The Shop', reminder_minutes = 60 WHERE site_id = $1", [shopId]);
  await db.query('UPDATE settings SET reminder_minutes = 180 WHERE site_id = $1', [blogId]);
  hooks.shop = await startReceiver();
  hooks.blog = await startReceiver();
  hooks.blogSlack = await startReceiver();
  await webhook(shopId, hooks.shop.url);
  await webhook(blogId, hooks.blog.url);
  await webhook(blogId, hooks.blogSlack.url, 'slack');
});

after(async () => {
  await Promise.all(Object.values(hooks).map((receiver) => receiver.close()));
  await smtp.close();
});

describe('webhooks with two sites', () => {
  it("delivers a site's event to that site's webhooks only, naming the site and linking to its pages", async () => {
    const id = await windowIn(blogId, 'Blog migration', 24 * 60);
    await waitFor(() => hooks.blog.received.length >= 1 && hooks.blogSlack.received.length >= 1, 5000, "the blog's webhooks hear it");
    await new Promise((resolve) => setTimeout(resolve, 1200));
    assert.equal(hooks.shop.received.length, 0, "the shop's webhook hears nothing of the blog");
    const payload = JSON.parse(hooks.blog.received[0]!.body);
    assert.equal(payload.type, 'window.scheduled');
    assert.deepEqual(payload.site, { slug: 'blog', name: 'blog' });
    assert.equal(payload.data.window.id, id);
    assert.equal(payload.data.window.status_url, 'https://gw.example.com/status/blog');
    assert.equal(payload.data.window.admin_url, `https://gw.example.com/admin/sites/blog/windows/${id}`);
    const slack = JSON.parse(hooks.blogSlack.received[0]!.body);
    assert.match(slack.text, /^\[blog\] Maintenance scheduled: “Blog migration”/);
  });

  it("names the primary site by its Settings' name", async () => {
    await windowIn(shopId, 'Shop upgrade', 24 * 60);
    await waitFor(() => hooks.shop.received.length >= 1, 5000, "the shop's webhook hears it");
    const payload = JSON.parse(hooks.shop.received[0]!.body);
    assert.deepEqual(payload.site, { slug: 'default', name: 'The Shop' });
    assert.equal(payload.data.window.status_url, 'https://gw.example.com/status/default');
  });
});

describe('reminders with two sites', () => {
  it("reminds by each site's lead time, by e-mail to that site's operators and admins and to global admins", async () => {
    await subscriber('shop-op@example.com', { [shopId]: 'operator' });
    await subscriber('blog-admin@example.com', { [blogId]: 'admin' });
    await subscriber('blog-viewer@example.com', { [blogId]: 'viewer' });
    await subscriber('boss@example.com', {}, true);
    // Two hours ahead: inside the blog's three hours, outside the shop's one.
    const blogWindow = await windowIn(blogId, 'Blog reindex', 120);
    const shopWindow = await windowIn(shopId, 'Shop reindex', 120);
    await gw.automation.runNow('reminders');

    const reminded = await db.query<{ id: string }>("SELECT (data -> 'window' ->> 'id') AS id FROM events WHERE type = 'window.reminder'");
    assert.deepEqual(reminded.rows.map((row) => row.id), [blogWindow], 'only the blog window is due');
    await waitFor(() => smtp.mails.length >= 2, 5000, 'two e-mails');
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.deepEqual(smtp.mails.flatMap((mail) => mail.to).sort(), ['blog-admin@example.com', 'boss@example.com']);
    for (const mail of smtp.mails) {
      assert.match(mail.text, /“Blog reindex” on blog starts in 3 h/);
      assert.match(mail.text, new RegExp(`https://gw\\.example\\.com/admin/sites/blog/windows/${blogWindow}`));
    }
    assert.equal((await db.query('SELECT 1 FROM windows WHERE id = $1 AND reminded_at IS NULL', [shopWindow])).rowCount, 1);
    await waitFor(() => hooks.blog.received.some((request) => JSON.parse(request.body).type === 'window.reminder'), 5000, "the blog's webhook hears the reminder");
    assert.ok(!hooks.shop.received.some((request) => JSON.parse(request.body).type === 'window.reminder'));
  });
});
