// What the components pages refuse, writing nothing: scripts in text fields are shown escaped, ids
// that do not exist answer 404, a viewer's posts and a missing or wrong CSRF token 403, a large form 413.

import assert from 'node:assert/strict';
import { before, beforeEach, describe, it } from 'node:test';
import { csrfOf, type Browser } from '../helpers/admin.js';
import type { TestDatabase } from '../helpers/database.js';
import type { TestGateway } from '../helpers/gateway.js';
import { useGateway } from '../helpers/harness.js';
import { clearComponents, componentPages, signInSres } from './components-fixtures.js';
import { ADMIN, SCRIPT } from './fixtures.js';

const harness = useGateway();
let db: TestDatabase;
let gw: TestGateway;
let operator: Browser;
let viewer: Browser;

before(async () => {
  ({ db, gw } = await harness);
  ({ operator, viewer } = await signInSres(gw));
});

beforeEach(async () => {
  await clearComponents(db);
});

const { add, addGroup, writes } = componentPages(() => ({ db, operator }));

describe('what the pages refuse', () => {
  it('escapes <script> in every text field on every page that shows it', async () => {
    const group = await addGroup(`G ${SCRIPT}`);
    const res = await operator.submit(`${ADMIN}/components`, { name: `N ${SCRIPT}`, description: `D ${SCRIPT}`, status: 'operational', group_id: group }, `${ADMIN}/components/new`);
    assert.equal(res.status, 200);
    const id = (await db.query<{ id: string }>('SELECT id::text FROM components')).rows[0]!.id;
    const pages = [
      res.body,
      (await operator.get(`${ADMIN}/components`)).body,
      (await viewer.get(`${ADMIN}/components`)).body,
      (await operator.get(`${ADMIN}/components/${id}`)).body,
      (await viewer.get(`${ADMIN}/components/${id}`)).body,
      (await operator.get(`${ADMIN}/components/groups/${group}`)).body,
      (await operator.post(`${ADMIN}/components/${id}/delete`, { _csrf: csrfOf(res.body) })).body,
      (await operator.post(`${ADMIN}/components/groups/${group}/delete`, { _csrf: csrfOf(res.body) })).body,
      (await operator.submit(`${ADMIN}/components`, { name: `N ${SCRIPT}`, status: 'operational' }, `${ADMIN}/components/new`)).body,
    ];
    for (const body of pages) {
      assert.ok(!body.includes(SCRIPT), 'no raw script');
      assert.ok(body.includes('&lt;script&gt;'), 'escaped');
    }
  });

  it('answers 404 for ids that do not exist or are not ids, on every page', async () => {
    const list = await operator.get(`${ADMIN}/components`);
    const csrf = csrfOf(list.body);
    for (const path of ['/components/999999', '/components/abc', '/components/groups/999999', '/components/groups/1x']) {
      assert.equal((await operator.get(`${ADMIN}${path}`)).status, 404, path);
    }
    const before = await writes();
    const posts: [string, Record<string, string>][] = [
      ['/components/999999/status', { status: 'operational' }],
      ['/components/999999/move', { direction: 'up' }],
      ['/components/999999/delete', { confirm: 'yes' }],
      ['/components/999999/delete', {}],
      ['/components/999999', { name: 'x' }],
      ['/components/groups/999999', { name: 'x' }],
      ['/components/groups/999999/move', { direction: 'up' }],
      ['/components/groups/999999/delete', { confirm: 'yes' }],
      ['/components/groups/999999/delete', {}],
    ];
    for (const [path, fields] of posts) {
      const res = await operator.post(`${ADMIN}${path}`, { _csrf: csrf, ...fields });
      assert.equal(res.status, 404, path);
    }
    assert.equal(await writes(), before);
  });

  it('refuses a viewer\'s form posts with 403, and posts with a missing or wrong CSRF token', async () => {
    const a = await add('A');
    const viewerCsrf = csrfOf((await viewer.get(`${ADMIN}/components`)).body);
    const before = await writes();
    const attempts: [string, Record<string, string>][] = [
      ['/components', { name: 'New', status: 'operational' }],
      [`/components/${a.id}/status`, { status: 'major_outage' }],
      [`/components/${a.id}/move`, { direction: 'down' }],
      [`/components/${a.id}/delete`, { confirm: 'yes' }],
      [`/components/${a.id}`, { name: 'Renamed' }],
      ['/components/groups', { name: 'G' }],
    ];
    for (const [path, fields] of attempts) {
      assert.equal((await viewer.raw('POST', `${ADMIN}${path}`, { _csrf: viewerCsrf, ...fields })).status, 403, `viewer ${path}`);
      assert.equal((await operator.raw('POST', `${ADMIN}${path}`, fields)).status, 403, `no CSRF ${path}`);
      assert.equal((await operator.raw('POST', `${ADMIN}${path}`, { _csrf: 'forged', ...fields })).status, 403, `wrong CSRF ${path}`);
    }
    assert.equal(await writes(), before);
  });

  it('refuses an oversized form with 413, writing nothing', async () => {
    const list = await operator.get(`${ADMIN}/components`);
    const before = await writes();
    const res = await operator.raw('POST', `${ADMIN}/components`, { _csrf: csrfOf(list.body), name: 'Big', description: 'x'.repeat(70_000) });
    assert.equal(res.status, 413);
    assert.equal(await writes(), before);
  });
});
