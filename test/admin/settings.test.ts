// Settings through the page (admins only) and the API: what is saved, what an empty field means,
// what is refused (naming the field, writing nothing), and that every save is audited.

import { primarySite } from '../../src/sites/site-routes.js';
import assert from 'node:assert/strict';
import { before, beforeEach, describe, it } from 'node:test';
import { api, csrfOf, makeToken, signedIn, type Browser } from '../helpers/admin.js';
import type { TestDatabase } from '../helpers/database.js';
import { waitFor, type TestGateway } from '../helpers/gateway.js';
import { useGateway } from '../helpers/harness.js';
import { request } from '../helpers/http.js';
import { ADMIN, API, AUDIT_BY_PEOPLE, auditRows, ESCAPED, hiddenFields, SCRIPT } from './fixtures.js';

const harness = useGateway({ SITE_NAME: 'Env Shop', SUPPORT_EMAIL: 'env@example.com' });
let db: TestDatabase;
let gw: TestGateway;
let admin: Browser;
let adminToken: string;

const FIELDS = { site_name: 'Example Shop', support_email: 'help@shop.example', logo_url: 'https://cdn.example.com/logo.svg', brand_color: '#0A7F5A', footer_text: '© Example Ltd' };

interface SettingsRow {
  site_name: string | null;
  support_email: string | null;
  logo_url: string | null;
  brand_color: string | null;
  footer_text: string | null;
}

async function saved(): Promise<SettingsRow> {
  return (await db.query<SettingsRow>('SELECT site_name, support_email, logo_url, brand_color, footer_text FROM settings')).rows[0]!;
}

/** The settings row and the audit log: unchanged means nothing was written. */
async function writes(): Promise<string> {
  const { rows } = await db.query<{ n: string }>(`SELECT concat_ws(',', ${AUDIT_BY_PEOPLE}, (SELECT updated_at::text FROM settings)) AS n`);
  return rows[0]!.n;
}

before(async () => {
  ({ db, gw } = await harness);
  admin = await signedIn(gw.pool, gw.url, ADMIN, 'admin', 'admin@example.com');
  adminToken = await makeToken(gw.pool, 'admin', 'settings-bot');
});

beforeEach(async () => {
  await db.query('UPDATE settings SET site_name = NULL, support_email = NULL, logo_url = NULL, brand_color = NULL, footer_text = NULL');
});

describe('the settings page', () => {
  it('shows empty fields with the defaults from the environment as hints', async () => {
    const page = await admin.get(`${ADMIN}/settings`);
    assert.equal(page.status, 200);
    assert.match(page.body, /Default: Env Shop \(SITE_NAME\)/);
    assert.match(page.body, /Default: env@example.com \(SUPPORT_EMAIL\)/);
    assert.match(page.body, /id="site_name" name="site_name" maxlength="100" value=""/);
  });

  it('saves every field, audits it as settings.update, and the gateway shows the new name within a second', async () => {
    const res = await admin.submit(`${ADMIN}/settings`, FIELDS);
    assert.equal(res.url, `${ADMIN}/settings`);
    assert.match(res.body, /Settings saved/);
    assert.deepEqual(await saved(), { ...FIELDS, brand_color: '#0a7f5a' });
    const [entry] = (await auditRows(db, 'settings.update')).slice(-1);
    assert.equal(entry!.actor, 'user:admin@example.com');
    assert.equal(entry!.kind, 'settings');
    assert.equal(entry!.before!.site_name, null);
    assert.equal(entry!.after!.site_name, 'Example Shop');
    assert.equal(entry!.after!.brand_color, '#0a7f5a');
    await waitFor(() => primarySite(gw.store.current())!.settings.siteName === 'Example Shop', 1000, 'the snapshot has the new name');
    assert.match(res.body, /Example Shop <span class="brand__tag">admin<\/span>/, 'the page after saving already shows it');
    assert.match(res.body, /value="#0a7f5a"/);
  });

  it('clears a field left empty, so the default applies again', async () => {
    await admin.submit(`${ADMIN}/settings`, FIELDS);
    const res = await admin.submit(`${ADMIN}/settings`, { ...FIELDS, site_name: '  ', support_email: '' });
    assert.equal(res.status, 200);
    const row = await saved();
    assert.equal(row.site_name, null);
    assert.equal(row.support_email, null);
    assert.equal(row.footer_text, '© Example Ltd');
    await waitFor(() => primarySite(gw.store.current())!.settings.siteName === null, 1000, 'the snapshot falls back');
    assert.match((await admin.get(`${ADMIN}/settings`)).body, /Env Shop <span class="brand__tag">/);
  });

  it('says nothing changed, and audits nothing, when the values are already saved', async () => {
    await admin.submit(`${ADMIN}/settings`, FIELDS);
    const before = (await auditRows(db, 'settings.update')).length;
    const res = await admin.submit(`${ADMIN}/settings`, FIELDS);
    assert.match(res.body, /Nothing changed/);
    assert.equal((await auditRows(db, 'settings.update')).length, before);
  });

  it('refuses each bad value with a 400 that names the field, keeps what was typed, and writes nothing', async () => {
    const cases: [Record<string, string>, string, RegExp][] = [
      [{ brand_color: 'red' }, 'brand_color', /brand_color &#34;red&#34; is not a colour/],
      [{ brand_color: '#12345' }, 'brand_color', /brand_color/],
      [{ logo_url: 'javascript:alert(1)' }, 'logo_url', /logo_url .* is not a logo address/],
      [{ logo_url: '//evil.example/logo.png' }, 'logo_url', /logo_url/],
      [{ logo_url: 'ftp://example.com/logo.png' }, 'logo_url', /logo_url/],
      [{ logo_url: '/logo .png' }, 'logo_url', /logo_url/],
      [{ support_email: 'not an email' }, 'support_email', /support_email .* is not an email address/],
      [{ site_name: 'x'.repeat(101) }, 'site_name', /site_name is 101 characters long: at most 100/],
      [{ site_name: 'two\nlines' }, 'site_name', /site_name must be one line/],
      [{ footer_text: 'y'.repeat(1001) }, 'footer_text', /footer_text is 1001 characters long: at most 1000/],
    ];
    const before = await writes();
    for (const [fields, field, message] of cases) {
      const res = await admin.submit(`${ADMIN}/settings`, { ...FIELDS, ...fields });
      assert.equal(res.status, 400, JSON.stringify(fields));
      assert.match(res.body, message);
      assert.match(res.body, new RegExp(`id="${field}"[^>]*aria-invalid="true"`), `${field} is marked invalid`);
    }
    assert.equal(await writes(), before, 'nothing written');
    const typed = await admin.submit(`${ADMIN}/settings`, { ...FIELDS, brand_color: `"><b>${SCRIPT}` });
    assert.ok(!typed.body.includes(SCRIPT), 'what was typed comes back escaped');
    assert.match(typed.body, /value="&#34;&gt;&lt;b&gt;&lt;script&gt;/);
  });

  it('accepts a logo path on this site and an http URL', async () => {
    await admin.submit(`${ADMIN}/settings`, { ...FIELDS, logo_url: '/assets/logo.svg' });
    assert.equal((await saved()).logo_url, '/assets/logo.svg');
    await admin.submit(`${ADMIN}/settings`, { ...FIELDS, logo_url: 'http://intranet.example/logo.png' });
    assert.equal((await saved()).logo_url, 'http://intranet.example/logo.png');
  });

  it('renders scripts saved in any text field escaped, on the settings page and in the header', async () => {
    await admin.submit(`${ADMIN}/settings`, { site_name: SCRIPT, footer_text: SCRIPT, support_email: '', logo_url: '', brand_color: '' });
    assert.equal((await saved()).site_name, SCRIPT);
    await waitFor(() => primarySite(gw.store.current())!.settings.siteName === SCRIPT, 1000, 'snapshot');
    const page = await admin.get(`${ADMIN}/settings`);
    assert.ok(!page.body.includes(SCRIPT));
    assert.ok(page.body.split(ESCAPED).length >= 4, 'title, brand, input and textarea all escaped');
  });

  it('is for admins only: viewers and operators get 403 on reading and saving, and nothing is written', async () => {
    const browsers = { viewer: await signedIn(gw.pool, gw.url, ADMIN, 'viewer'), operator: await signedIn(gw.pool, gw.url, ADMIN, 'operator') };
    const before = await writes();
    for (const [role, browser] of Object.entries(browsers)) {
      assert.equal((await browser.get(`${ADMIN}/settings`)).status, 403, `${role} GET`);
      const csrf = csrfOf((await browser.get(ADMIN)).body);
      const res = await browser.post(`${ADMIN}/settings`, { _csrf: csrf, ...FIELDS });
      assert.equal(res.status, 403, `${role} POST`);
      assert.doesNotMatch((await browser.get(ADMIN)).body, /href="\/admin\/settings"/, `${role} has no Settings link`);
    }
    assert.equal(await writes(), before);
  });

  it('refuses a save without the CSRF token or with a wrong one', async () => {
    const before = await writes();
    assert.equal((await admin.post(`${ADMIN}/settings`, FIELDS)).status, 403);
    assert.equal((await admin.post(`${ADMIN}/settings`, { ...FIELDS, _csrf: 'wrong' })).status, 403);
    const fields = hiddenFields((await admin.get(`${ADMIN}/settings`)).body);
    assert.ok(typeof fields._csrf === 'string' && fields._csrf.length > 10, 'the form carries a token');
    assert.equal(await writes(), before);
  });

  it('refuses an oversized form with 413 and writes nothing', async () => {
    const before = await writes();
    const cookie = [...admin.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const csrf = csrfOf((await admin.get(`${ADMIN}/settings`)).body);
    const body = new URLSearchParams({ _csrf: csrf, footer_text: 'z'.repeat(70_000) }).toString();
    const res = await request(`${gw.url}${ADMIN}/settings`, { method: 'POST', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body });
    assert.equal(res.status, 413);
    assert.equal(await writes(), before);
  });
});

describe('the settings API', () => {
  it('reads the settings and the defaults with any role', async () => {
    const viewer = await makeToken(gw.pool, 'viewer', 'settings-reader');
    const res = await api(gw.url, viewer, 'GET', `${API}/settings`);
    assert.equal(res.status, 200);
    assert.equal(res.body.site_name, null);
    assert.deepEqual(res.body.defaults, { site_name: 'Env Shop', support_email: 'env@example.com' });
  });

  it('changes only the fields given, clears those sent as null, and audits the token as the actor', async () => {
    await api(gw.url, adminToken, 'PATCH', `${API}/settings`, { site_name: 'API Shop', footer_text: 'Footer' });
    const res = await api(gw.url, adminToken, 'PATCH', `${API}/settings`, { footer_text: null, brand_color: '#ABCDEF' });
    assert.equal(res.status, 200);
    assert.equal(res.body.changed, true);
    assert.equal(res.body.site_name, 'API Shop');
    assert.equal(res.body.footer_text, null);
    assert.equal(res.body.brand_color, '#abcdef');
    assert.deepEqual(await saved(), { site_name: 'API Shop', support_email: null, logo_url: null, brand_color: '#abcdef', footer_text: null });
    const [entry] = (await auditRows(db, 'settings.update')).slice(-1);
    assert.equal(entry!.actor, 'token:settings-bot');
    assert.equal(entry!.before!.footer_text, 'Footer');
    assert.equal(entry!.after!.footer_text, null);
  });

  it('refuses bad input with 400 naming the field, and writes nothing', async () => {
    const before = await writes();
    const cases: [unknown, string | undefined][] = [
      [{}, undefined],
      [{ site_name: 42 }, 'site_name'],
      [{ brand_color: ['#000000'] }, 'brand_color'],
      [{ logo_url: 'data:image/png;base64,AAAA' }, 'logo_url'],
      [{ support_email: 'a@b' }, 'support_email'],
      [{ theme: 'dark' }, undefined],
    ];
    for (const [body, field] of cases) {
      const res = await api(gw.url, adminToken, 'PATCH', `${API}/settings`, body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.body.error.code, 'GW_ERR_VALIDATION');
      if (field) assert.equal(res.body.error.field, field, JSON.stringify(body));
    }
    const malformed = await api(gw.url, adminToken, 'PATCH', `${API}/settings`, '{"site_name": ');
    assert.equal(malformed.status, 400);
    const oversized = await api(gw.url, adminToken, 'PATCH', `${API}/settings`, { footer_text: 'x'.repeat(70_000) });
    assert.equal(oversized.status, 413);
    assert.equal(await writes(), before);
  });

  it('lets only admins change the settings', async () => {
    const tokens = { viewer: await makeToken(gw.pool, 'viewer', 'viewer-settings'), operator: await makeToken(gw.pool, 'operator', 'operator-settings') };
    const before = await writes();
    for (const [role, token] of Object.entries(tokens)) {
      const res = await api(gw.url, token, 'PATCH', `${API}/settings`, { site_name: 'Nope' });
      assert.equal(res.status, 403, role);
      assert.equal(res.body.error.code, 'GW_ERR_FORBIDDEN');
    }
    assert.equal((await api(gw.url, undefined, 'PATCH', `${API}/settings`, { site_name: 'Nope' })).status, 401);
    assert.equal(await writes(), before);
  });
});
