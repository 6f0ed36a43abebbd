// The incidents endpoints of the automation API, over real sockets and a real PostgreSQL: reporting,
// posting updates that move the status, editing with PATCH; roles, bad input and escaping.

import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { api, makeToken, type Browser } from '../helpers/admin.js';
import type { TestDatabase } from '../helpers/database.js';
import type { TestGateway } from '../helpers/gateway.js';
import { useGateway } from '../helpers/harness.js';
import { ADMIN, API, SCRIPT } from './fixtures.js';
import { findIncident, incidentWrites, reportIncident, setUpIncidents, type IncidentComponents } from './incidents-fixtures.js';

const harness = useGateway();
let db: TestDatabase;
let gw: TestGateway;
let operator: Browser;
let operatorToken: string;
let viewerToken: string;
let components: IncidentComponents;

before(async () => {
  ({ db, gw } = await harness);
  ({ components, operator, operatorToken } = await setUpIncidents(db, gw));
  viewerToken = await makeToken(gw.pool, 'viewer', 'reader');
});

const writes = () => incidentWrites(db);
const incidentRow = (id: string) => findIncident(db, id);
const report = (fields: Record<string, unknown> = {}) => reportIncident(gw, operatorToken, fields);

describe('incidents API', () => {
  it('reports an incident with defaults, reads it with its timeline, and lists open ones before resolved ones', async () => {
    const created = await api(gw.url, operatorToken, 'POST', `${API}/incidents`, { title: 'API outage', body: 'Investigating 500s.', component_ids: [Number(components.api)] });
    assert.equal(created.status, 201);
    const { incident, update } = created.body;
    assert.equal(incident.status, 'investigating');
    assert.equal(incident.impact, 'minor');
    assert.deepEqual(incident.component_ids, [components.api]);
    assert.equal(incident.created_by, 'token:deploy');
    assert.equal(incident.resolved_at, null);
    assert.deepEqual([update.incident_id, update.status, update.body], [incident.id, 'investigating', 'Investigating 500s.']);

    const resolvedEarlier = await report({ title: 'Resolved one', status: 'resolved' });
    const read = await api(gw.url, viewerToken, 'GET', `${API}/incidents/${incident.id}`);
    assert.equal(read.status, 200);
    assert.equal(read.body.title, 'API outage');
    assert.deepEqual(read.body.updates.map((u: { body: string }) => u.body), ['Investigating 500s.']);

    const list = (await api(gw.url, viewerToken, 'GET', `${API}/incidents`)).body.incidents as { id: string; resolved_at: string | null }[];
    const firstResolved = list.findIndex((i) => i.resolved_at !== null);
    assert.ok(firstResolved > 0 && list.slice(firstResolved).every((i) => i.resolved_at !== null), 'open first, then resolved');
    assert.equal(list[firstResolved]!.id, resolvedEarlier, 'the latest resolved first');
    const open = (await api(gw.url, viewerToken, 'GET', `${API}/incidents?state=open`)).body.incidents as { resolved_at: string | null }[];
    assert.ok(open.length > 0 && open.every((i) => i.resolved_at === null));
    const resolved = (await api(gw.url, viewerToken, 'GET', `${API}/incidents?state=resolved&limit=1`)).body.incidents;
    assert.equal(resolved.length, 1);
  });

  it('posts updates that move the status; issue_fixed resolves; no status keeps it; another status reopens', async () => {
    const id = await report({ title: 'Lifecycle by API' });
    const post = (body: Record<string, unknown>) => api(gw.url, operatorToken, 'POST', `${API}/incidents/${id}/updates`, body);
    assert.equal((await post({ body: 'cause found', status: 'identified' })).body.incident.status, 'identified');
    const kept = await post({ body: 'still on it' });
    assert.deepEqual([kept.status, kept.body.incident.status, kept.body.update.status], [201, 'identified', 'identified']);
    const fixed = await post({ body: 'fixed', issue_fixed: true });
    assert.equal(fixed.body.incident.status, 'resolved');
    assert.ok(Date.parse(fixed.body.incident.resolved_at) > 0);
    const reopened = await post({ body: 'back again', status: 'monitoring' });
    assert.deepEqual([reopened.body.incident.status, reopened.body.incident.resolved_at], ['monitoring', null]);
    const timeline = await api(gw.url, viewerToken, 'GET', `${API}/incidents/${id}/updates`);
    assert.deepEqual(timeline.body.updates.map((u: { status: string }) => u.status), ['investigating', 'identified', 'identified', 'resolved', 'monitoring']);
    assert.ok(timeline.body.updates.every((u: { created_by: string }) => u.created_by === 'token:deploy'));
  });

  it('applies updates posted at the same moment one after the other: the status is the last update\'s', async () => {
    const id = await report({ title: 'Busy incident' });
    const statuses = ['identified', 'monitoring', 'resolved', 'investigating', 'monitoring', 'resolved'];
    const results = await Promise.all(statuses.map((status, i) => api(gw.url, operatorToken, 'POST', `${API}/incidents/${id}/updates`, { body: `update ${i}`, status })));
    assert.ok(results.every((r) => r.status === 201));
    const last = (await db.query<{ status: string }>('SELECT status FROM updates WHERE incident_id = $1 ORDER BY id DESC LIMIT 1', [id])).rows[0]!;
    const row = await incidentRow(id);
    assert.equal(row.status, last.status);
    assert.equal(row.resolved_at !== null, row.status === 'resolved');
  });

  it('changes title, impact and components with PATCH, leaving the rest', async () => {
    const id = await report({ title: 'Patch me', impact: 'major', component_ids: [components.api] });
    const res = await api(gw.url, operatorToken, 'PATCH', `${API}/incidents/${id}`, { impact: 'none' });
    assert.equal(res.status, 200);
    assert.deepEqual([res.body.title, res.body.impact, res.body.component_ids], ['Patch me', 'none', [components.api]]);
    const cleared = await api(gw.url, operatorToken, 'PATCH', `${API}/incidents/${id}`, { component_ids: [] });
    assert.deepEqual(cleared.body.component_ids, []);
    assert.equal((await api(gw.url, operatorToken, 'PATCH', `${API}/incidents/${id}`, { status: 'resolved' })).status, 400, 'the status moves only through updates');
  });

  it('refuses bad input with a 400 that names the field, and writes nothing', async () => {
    const id = await report({ title: 'Target of bad input' });
    const cases: [string, string, unknown, string | undefined][] = [
      ['POST', '/incidents', { title: 42, body: 'x' }, 'title'],
      ['POST', '/incidents', { title: 'x' }, 'body'],
      ['POST', '/incidents', { title: 'x', body: 'x', impact: 'catastrophic' }, 'impact'],
      ['POST', '/incidents', { title: 'x', body: 'x', status: 'done' }, 'status'],
      ['POST', '/incidents', { title: 'x', body: 'x', component_ids: ['api'] }, 'component_ids'],
      ['POST', '/incidents', { title: 'x', body: 'x', component_ids: ['999999'] }, 'component_ids'],
      ['POST', '/incidents', { title: 'x'.repeat(201), body: 'x' }, 'title'],
      ['POST', '/incidents', { title: 'two\nlines', body: 'x' }, 'title'],
      ['POST', '/incidents', { title: 'x', body: 'y'.repeat(5001) }, 'body'],
      ['POST', '/incidents', { title: 'x', body: 'x', issue_fixed: true, status: 'identified' }, 'issue_fixed'],
      ['POST', '/incidents', { title: 'x', body: 'x', severity: 'high' }, 'severity'],
      ['POST', `/incidents/${id}/updates`, { body: '   ' }, 'body'],
      ['POST', `/incidents/${id}/updates`, { body: 'x', issue_fixed: 'yes please' }, 'issue_fixed'],
      ['POST', `/incidents/${id}/updates`, { body: ['x'] }, 'body'],
      ['PATCH', `/incidents/${id}`, {}, undefined],
      ['PATCH', `/incidents/${id}`, { title: '' }, 'title'],
      ['GET', '/incidents?state=closed', undefined, 'state'],
      ['GET', '/incidents?limit=1000', undefined, 'limit'],
    ];
    const before = await writes();
    for (const [method, path, body, field] of cases) {
      const res = await api(gw.url, operatorToken, method, `${API}${path}`, body);
      assert.equal(res.status, 400, `${method} ${path} ${JSON.stringify(body)?.slice(0, 80)}`);
      assert.equal(res.body.error.code, 'GW_ERR_VALIDATION');
      assert.equal(res.body.error.field, field, `${method} ${path}: ${res.body.error.message}`);
    }
    const malformed = await api(gw.url, operatorToken, 'POST', `${API}/incidents`, '{"title": "x", "body":');
    assert.equal(malformed.status, 400);
    const oversized = await api(gw.url, operatorToken, 'POST', `${API}/incidents`, { title: 'x', body: 'y'.repeat(70_000) });
    assert.equal(oversized.status, 413);
    assert.equal(oversized.body.error.code, 'GW_ERR_TOO_LARGE');
    assert.equal(await writes(), before);
  });

  it('answers 404 for unknown incidents, 403 to a viewer\'s writes, 401 without a token, writing nothing', async () => {
    const id = await report({ title: 'Guarded' });
    const before = await writes();
    for (const [method, path, body] of [
      ['GET', '/incidents/999999', undefined], ['GET', '/incidents/999999/updates', undefined], ['GET', '/incidents/x1', undefined],
      ['PATCH', '/incidents/999999', { title: 'x' }], ['POST', '/incidents/999999/updates', { body: 'x' }],
    ] as const) {
      const res = await api(gw.url, operatorToken, method, `${API}${path}`, body);
      assert.equal(res.status, 404, `${method} ${path}`);
      assert.equal(res.body.error.code, 'GW_ERR_NOT_FOUND');
    }
    for (const [method, path, body] of [
      ['POST', '/incidents', { title: 'x', body: 'x' }], ['PATCH', `/incidents/${id}`, { title: 'x' }], ['POST', `/incidents/${id}/updates`, { body: 'x', issue_fixed: true }],
    ] as const) {
      assert.equal((await api(gw.url, viewerToken, method, `${API}${path}`, body)).status, 403, `viewer ${method} ${path}`);
      assert.equal((await api(gw.url, undefined, method, `${API}${path}`, body)).status, 401, `anonymous ${method} ${path}`);
    }
    assert.equal(await writes(), before);
    assert.equal((await api(gw.url, viewerToken, 'GET', `${API}/incidents/${id}`)).status, 200);
  });

  it('returns scripts in text fields as data, and the pages show them escaped', async () => {
    const created = await api(gw.url, operatorToken, 'POST', `${API}/incidents`, { title: SCRIPT, body: SCRIPT });
    assert.equal(created.body.incident.title, SCRIPT);
    assert.equal(created.headers['content-type'], 'application/json; charset=utf-8');
    const page = await operator.get(`${ADMIN}/incidents/${created.body.incident.id}`);
    assert.doesNotMatch(page.body, /<script>alert/);
  });
});
