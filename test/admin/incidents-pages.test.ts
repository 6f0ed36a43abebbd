// The incident pages, over real sockets and a real PostgreSQL: reporting one with its first update,
// moving it through its lifecycle (the "issue fixed" switch resolves, a later update reopens),
// editing it; times in the SRE's zone, roles, CSRF, bad input, escaping and audit entries.

import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { formatTime } from '../../src/admin/time-zone.js';
import { csrfOf, signedIn, type Browser } from '../helpers/admin.js';
import type { TestDatabase } from '../helpers/database.js';
import type { TestGateway } from '../helpers/gateway.js';
import { useGateway } from '../helpers/harness.js';
import { ADMIN, auditRows, SCRIPT } from './fixtures.js';
import { findIncident, incidentWrites, reportIncident, setUpIncidents, type IncidentComponents } from './incidents-fixtures.js';

const harness = useGateway();
let db: TestDatabase;
let gw: TestGateway;
let operator: Browser;
let viewer: Browser;
let operatorToken: string;
let components: IncidentComponents;

before(async () => {
  ({ db, gw } = await harness);
  ({ components, operator, operatorToken } = await setUpIncidents(db, gw));
  viewer = await signedIn(gw.pool, gw.url, ADMIN, 'viewer', 'view@example.com');
});

const writes = () => incidentWrites(db);
const incidentRow = (id: string) => findIncident(db, id);
const report = (fields: Record<string, unknown> = {}) => reportIncident(gw, operatorToken, fields);

function idFromUrl(url: string): string {
  return /\/incidents\/(\d+)/.exec(url)![1]!;
}

describe('incident pages', () => {
  it('reports an incident with its first update through the form, in one audited transaction', async () => {
    const res = await operator.submit(`${ADMIN}/incidents`, {
      title: 'Payments failing', impact: 'major', component_ids: ['', components.checkout], status: 'investigating', body: 'Card payments fail for some customers.',
    }, `${ADMIN}/incidents/new`);
    assert.equal(res.status, 200);
    assert.match(res.url, /^\/admin\/incidents\/\d+$/);
    assert.match(res.body, /Reported “Payments failing”/);
    assert.match(res.body, /Investigating/);
    assert.match(res.body, /Checkout/);
    const id = idFromUrl(res.url);
    const row = await incidentRow(id);
    assert.deepEqual([row.status, row.impact, row.resolved_at, row.created_by], ['investigating', 'major', null, 'user:oper@example.com']);
    const updates = await db.query('SELECT body, status, created_by FROM updates WHERE incident_id = $1', [id]);
    assert.deepEqual(updates.rows, [{ body: 'Card payments fail for some customers.', status: 'investigating', created_by: 'user:oper@example.com' }]);
    const audit = (await auditRows(db, 'incident.create')).filter((r) => r.object_id === id);
    assert.deepEqual(audit.map((r) => r.kind).sort(), ['incident_components', 'incidents', 'updates']);
    assert.ok(audit.every((r) => r.actor === 'user:oper@example.com'));
  });

  it('moves an incident through its lifecycle, and the timeline reads oldest first with status, time and author', async () => {
    const created = await operator.submit(`${ADMIN}/incidents`, { title: 'Login errors', impact: 'minor', status: 'investigating', body: 'first: looking' }, `${ADMIN}/incidents/new`);
    const id = idFromUrl(created.url);
    const page = `${ADMIN}/incidents/${id}`;
    let res = await operator.submit(`${page}/updates`, { body: 'second: cause found', status: 'identified' }, page);
    assert.match(res.body, /is now identified/);
    res = await operator.submit(`${page}/updates`, { body: 'third: fix deployed', status: 'monitoring' }, page);
    res = await operator.submit(`${page}/updates`, { body: 'fourth: still watching', status: '' }, page);
    assert.match(res.body, /Update posted to “Login errors”/);
    assert.equal((await incidentRow(id)).status, 'monitoring', 'no status chosen keeps the status');
    res = await operator.submit(`${page}/updates`, { body: 'fifth: all good', status: 'resolved' }, page);
    assert.match(res.body, /is resolved/);
    const order = ['first', 'second', 'third', 'fourth', 'fifth'].map((word) => res.body.indexOf(`${word}:`));
    assert.ok(order.every((at, i) => at > 0 && (i === 0 || at > order[i - 1]!)), `oldest first: ${order}`);
    const timeline = res.body.slice(res.body.indexOf('id="timeline"'));
    assert.deepEqual([...timeline.matchAll(/<span class="badge [^"]*">([A-Za-z]+)<\/span>/g)].map((m) => m[1]), ['Investigating', 'Identified', 'Monitoring', 'Monitoring', 'Resolved']);
    assert.match(timeline, /user:oper@example\.com/);
    assert.ok((await incidentRow(id)).resolved_at instanceof Date);
    const statusAudit = (await db.query<{ action: string }>("SELECT action FROM audit_log WHERE kind = 'incidents' AND object_id = $1 ORDER BY id", [id])).rows.map((r) => r.action);
    assert.deepEqual(statusAudit, ['incident.create', 'incident.status', 'incident.status', 'incident.resolve']);
    assert.equal((await auditRows(db, 'update.post')).filter((r) => r.after?.incident_id === Number(id)).length, 4);
    const list = await operator.get(`${ADMIN}/incidents`);
    const resolvedSection = list.body.slice(list.body.indexOf('id="resolved"'));
    assert.match(resolvedSection, /Login errors/);
  });

  it('resolves with the "issue fixed" switch, and reopens with a later update, clearing resolved_at', async () => {
    const id = await report({ title: 'Search down', status: 'identified' });
    const page = `${ADMIN}/incidents/${id}`;
    let res = await operator.submit(`${page}/updates`, { body: 'Fixed it.', status: '', issue_fixed: 'on' }, page);
    assert.match(res.body, /“Search down” is resolved/);
    let row = await incidentRow(id);
    assert.equal(row.status, 'resolved');
    const resolvedAt = row.resolved_at!.getTime();
    await operator.submit(`${page}/updates`, { body: 'Post-mortem linked.', status: 'resolved' }, page);
    assert.equal((await incidentRow(id)).resolved_at!.getTime(), resolvedAt, 'staying resolved keeps the first resolution time');
    res = await operator.submit(`${page}/updates`, { body: 'It is back.', status: 'investigating' }, page);
    assert.match(res.body, /open again: investigating/);
    row = await incidentRow(id);
    assert.deepEqual([row.status, row.resolved_at], ['investigating', null]);
    assert.equal((await db.query("SELECT 1 FROM audit_log WHERE action = 'incident.reopen' AND object_id = $1", [id])).rowCount, 1);
  });

  it('refuses "issue fixed" with another status, naming the field, keeping what was typed, writing nothing', async () => {
    const id = await report({ title: 'Mixed signals' });
    const page = `${ADMIN}/incidents/${id}`;
    const before = await writes();
    const res = await operator.submit(`${page}/updates`, { body: 'typed text stays', status: 'monitoring', issue_fixed: 'on' }, page);
    assert.equal(res.status, 400);
    assert.match(res.body, /issue_fixed resolves the incident, but status says monitoring/);
    assert.match(res.body, /name="issue_fixed" checked aria-invalid="true"/);
    assert.match(res.body, />typed text stays<\/textarea>/);
    assert.equal(await writes(), before);
  });

  it('refuses a report without a title or first update on the form, and writes nothing', async () => {
    const before = await writes();
    const noTitle = await operator.submit(`${ADMIN}/incidents`, { title: '  ', impact: 'minor', status: 'investigating', body: 'x' }, `${ADMIN}/incidents/new`);
    assert.equal(noTitle.status, 400);
    assert.match(noTitle.body, /title is empty/);
    const noBody = await operator.submit(`${ADMIN}/incidents`, { title: 'Kept title', impact: 'minor', status: 'investigating', body: '' }, `${ADMIN}/incidents/new`);
    assert.equal(noBody.status, 400);
    assert.match(noBody.body, /body is empty/);
    assert.match(noBody.body, /value="Kept title"/);
    assert.equal(await writes(), before);
  });

  it('edits the title, impact and components, audited as incident.update', async () => {
    const id = await report({ title: 'Old title', component_ids: [components.api] });
    const edit = `${ADMIN}/incidents/${id}/edit`;
    const form = await operator.get(edit);
    assert.match(form.body, /value="Old title"/);
    assert.match(form.body, new RegExp(`value="${components.api}" checked`));
    const res = await operator.submit(edit, { title: 'New title', impact: 'critical', component_ids: ['', components.checkout] });
    assert.equal(res.url, `${ADMIN}/incidents/${id}`);
    assert.match(res.body, /Saved “New title”/);
    assert.deepEqual([(await incidentRow(id)).title, (await incidentRow(id)).impact], ['New title', 'critical']);
    const linked = await db.query<{ component_id: string }>('SELECT component_id::text FROM incident_components WHERE incident_id = $1', [id]);
    assert.deepEqual(linked.rows.map((r) => r.component_id), [components.checkout]);
    const audit = (await auditRows(db, 'incident.update')).filter((r) => r.object_id === id);
    assert.deepEqual(audit.map((r) => r.kind).sort(), ['incident_components', 'incident_components', 'incidents']);
    assert.equal(audit.find((r) => r.kind === 'incidents')!.before!.title, 'Old title');
    const cleared = await operator.submit(edit, { title: 'New title', impact: 'critical', component_ids: '' });
    assert.match(cleared.body, /none named/);
  });

  it('shows times in the SRE\'s own zone', async () => {
    const id = await report({ title: 'Zoned' });
    await db.query("UPDATE users SET time_zone = 'Asia/Tokyo' WHERE email = 'oper@example.com'");
    const res = await operator.get(`${ADMIN}/incidents/${id}`);
    await db.query("UPDATE users SET time_zone = NULL WHERE email = 'oper@example.com'");
    const created = (await db.query<{ created_at: Date }>('SELECT created_at FROM updates WHERE incident_id = $1', [id])).rows[0]!.created_at;
    assert.ok(res.body.includes(formatTime(created.getTime(), 'Asia/Tokyo')), 'the update time in Asia/Tokyo');
    assert.match(res.body, /Times in Asia\/Tokyo/);
  });

  it('links incident updates on the dashboard to their incident', async () => {
    const id = await report({ title: 'Dashboard link', status: 'identified', body: 'on the dashboard' });
    const res = await operator.get(ADMIN);
    assert.match(res.body, new RegExp(`<a href="/admin/incidents/${id}">Dashboard link</a> \\(Identified\\)`));
  });

  it('lets a viewer read incidents but offers no forms, and refuses a viewer\'s posts, writing nothing', async () => {
    const id = await report({ title: 'Viewer sees this' });
    const list = await viewer.get(`${ADMIN}/incidents`);
    assert.equal(list.status, 200);
    assert.match(list.body, /Viewer sees this/);
    assert.doesNotMatch(list.body, /Report an incident<\/a>/);
    const page = await viewer.get(`${ADMIN}/incidents/${id}`);
    assert.equal(page.status, 200);
    assert.doesNotMatch(page.body, /Post update/);
    const csrf = csrfOf(page.body);
    const before = await writes();
    for (const [path, fields] of [
      [`/incidents/${id}/updates`, { body: 'nope', issue_fixed: 'on' }],
      [`/incidents/${id}/edit`, { title: 'nope' }],
      ['/incidents', { title: 'nope', body: 'nope' }],
    ] as const) {
      const res = await viewer.raw('POST', `${ADMIN}${path}`, { _csrf: csrf, ...fields });
      assert.equal(res.status, 403, path);
    }
    assert.equal(await writes(), before);
  });

  it('refuses posts with a missing or wrong CSRF token, writing nothing', async () => {
    const id = await report({ title: 'CSRF target' });
    const before = await writes();
    const missing = await operator.raw('POST', `${ADMIN}/incidents/${id}/updates`, { body: 'x', status: 'resolved' });
    const wrong = await operator.raw('POST', `${ADMIN}/incidents`, { _csrf: 'not-the-token', title: 'x', body: 'x' });
    assert.deepEqual([missing.status, wrong.status], [403, 403]);
    assert.equal(await writes(), before);
  });

  it('answers 404 for incidents that do not exist, or ids that are not ids', async () => {
    for (const path of ['/incidents/999999', '/incidents/999999/edit', '/incidents/abc', '/incidents/1e3/edit']) {
      assert.equal((await operator.raw('GET', `${ADMIN}${path}`)).status, 404, path);
    }
    const csrf = csrfOf((await operator.get(`${ADMIN}/incidents`)).body);
    const before = await writes();
    const post = await operator.raw('POST', `${ADMIN}/incidents/999999/updates`, { _csrf: csrf, body: 'x' });
    const badBody = await operator.raw('POST', `${ADMIN}/incidents/999999/updates`, { _csrf: csrf, body: '' });
    const edit = await operator.raw('POST', `${ADMIN}/incidents/999999/edit`, { _csrf: csrf, title: 'x' });
    assert.deepEqual([post.status, badBody.status, edit.status], [404, 404, 404]);
    assert.equal(await writes(), before);
  });

  it('renders a script in every text field as text, on every page that shows it', async () => {
    const res = await operator.submit(`${ADMIN}/incidents`, { title: SCRIPT, impact: 'minor', status: 'investigating', body: SCRIPT }, `${ADMIN}/incidents/new`);
    const id = idFromUrl(res.url);
    await operator.submit(`${ADMIN}/incidents/${id}/updates`, { body: `${SCRIPT} again` }, `${ADMIN}/incidents/${id}`);
    const refused = await operator.submit(`${ADMIN}/incidents/${id}/updates`, { body: SCRIPT, status: 'identified', issue_fixed: 'on' }, `${ADMIN}/incidents/${id}`);
    for (const page of [res, refused, await operator.get(`${ADMIN}/incidents`), await operator.get(`${ADMIN}/incidents/${id}/edit`), await operator.get(ADMIN)]) {
      assert.doesNotMatch(page.body, /<script>alert/, page.url);
      assert.match(page.body, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/, page.url);
    }
  });
});
