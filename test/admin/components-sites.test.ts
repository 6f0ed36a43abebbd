// Components and groups with two sites: each site lists, orders and names its own; another site's
// component or group is "not found" by id, cannot be a component's group, and may share a name.

import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { api } from '../helpers/admin.js';
import { API } from './fixtures.js';
import { B_MARK, B_SLUG, fingerprint, type TwoSites, useTwoSites } from './sites-fixtures.js';

const twoSites = useTwoSites();
let { db, gw, b, call, globalAdmin } = {} as TwoSites;
before(async () => ({ db, gw, b, call, globalAdmin } = await twoSites));

describe('components of another site', () => {
  it('lists only its own site’s components and groups', async () => {
    await call('POST', '/components', { name: 'Checkout' });
    const components = await call('GET', '/components');
    const groups = await call('GET', '/component-groups');
    assert.deepEqual(components.body.components.map((c: { name: string }) => c.name), ['Checkout']);
    assert.doesNotMatch(JSON.stringify(groups.body), new RegExp(B_MARK));
  });

  it('answers 404 for another site’s component and group by id, and changes nothing of them', async () => {
    const before = await fingerprint(db, b.siteId);
    const attempts: [string, string, unknown?][] = [
      ['GET', `/components/${b.component}`],
      ['PATCH', `/components/${b.component}`, { status: 'major_outage' }],
      ['DELETE', `/components/${b.component}`, {}],
      ['GET', `/component-groups/${b.group}`],
      ['PATCH', `/component-groups/${b.group}`, { name: 'taken over' }],
      ['DELETE', `/component-groups/${b.group}`, {}],
    ];
    for (const [method, path, body] of attempts) {
      const res = await call(method, path, body);
      assert.equal(res.status, 404, `${method} ${path}: ${JSON.stringify(res.body)}`);
    }
    assert.equal(await fingerprint(db, b.siteId), before);
  });

  it('refuses another site’s group for a component with a 400 naming it', async () => {
    const created = await call('POST', '/components', { name: 'Search', group_id: b.group });
    assert.equal(created.status, 400);
    assert.equal(created.body.error.field, 'group_id');
    assert.match(created.body.error.message, new RegExp(`#${b.group}\\b`));
    const own = await call('POST', '/components', { name: 'Search' });
    const moved = await call('PATCH', `/components/${own.body.id}`, { group_id: b.group });
    assert.equal(moved.status, 400);
    assert.equal((await call('GET', `/components/${own.body.id}`)).body.group_id, null);
  });

  it('takes a name another site uses, and counts positions within its own site', async () => {
    const group = await call('POST', '/component-groups', { name: `${B_MARK} group` });
    assert.equal(group.status, 201, JSON.stringify(group.body));
    assert.equal(group.body.position, 0, 'the first group of this site, whatever the other site has');
    const same = await call('POST', '/components', { name: `${B_MARK} API`, group_id: group.body.id });
    assert.equal(same.status, 201, JSON.stringify(same.body));
    assert.equal(same.body.position, 0);
    const taken = await call('POST', '/components', { name: `${B_MARK} API` });
    assert.equal(taken.status, 400, 'but not twice in one site');
    assert.equal(taken.body.error.field, 'name');
  });

  it('manages the other site’s components under /sites/blog', async () => {
    const res = await api(gw.url, globalAdmin, 'PATCH', `${API}/sites/${B_SLUG}/components/${b.component}`, { status: 'partial_outage' });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.status, 'partial_outage');
    const added = await api(gw.url, globalAdmin, 'POST', `${API}/sites/${B_SLUG}/components`, { name: 'Comments', group_id: b.group });
    assert.equal(added.status, 201, JSON.stringify(added.body));
    assert.equal(added.body.position, 1);
    const { rows } = await db.query<{ site_id: string }>('SELECT site_id::text FROM components WHERE id = $1', [added.body.id]);
    assert.equal(rows[0]!.site_id, b.siteId);
  });
});
