// status.json's indicator and description follow the components and the windows as the status page
// does, and a scheduled window turns in progress at its start with nothing written to the database.

import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { makeToken } from '../helpers/admin.js';
import type { TestGateway } from '../helpers/gateway.js';
import { useGateway } from '../helpers/harness.js';
import { admin, fromNow, waitForDocument } from './fixtures.js';

const harness = useGateway();
let gw: TestGateway;
let token: string;
let component: string;

before(async () => {
  ({ gw } = await harness);
  token = await makeToken(gw.pool, 'operator', 'status');
  component = (await admin(gw, token, 'POST', '/components', { name: 'Website' })).id;
});

interface StatusDoc {
  status: { indicator: string; description: string };
}

function statusBecomes(indicator: string, description: string): Promise<StatusDoc> {
  return waitForDocument<StatusDoc>(gw, 'status.json', (json) => json.status.indicator === indicator, `indicator ${indicator}`).then((json) => {
    assert.deepEqual(json.status, { indicator, description });
    return json;
  });
}

describe('status.json', () => {
  it('follows the worst component status: none, minor, major, critical', async () => {
    await statusBecomes('none', 'All Systems Operational');
    const steps: [string, string, string][] = [
      ['degraded_performance', 'minor', 'Minor Service Outage'],
      ['partial_outage', 'major', 'Partial System Outage'],
      ['major_outage', 'critical', 'Major Service Outage'],
      ['operational', 'none', 'All Systems Operational'],
    ];
    for (const [status, indicator, description] of steps) {
      await admin(gw, token, 'PATCH', `/components/${component}`, { status });
      await statusBecomes(indicator, description);
    }
  });

  it('says maintenance while a window is in force, and operational again once it is ended', async () => {
    const { window } = await admin(gw, token, 'POST', '/windows/start', { title: 'Upgrade', duration: '30m', component_ids: [component] });
    await statusBecomes('maintenance', 'Service Under Maintenance');
    await admin(gw, token, 'POST', `/windows/${window.id}/end`, {});
    await statusBecomes('none', 'All Systems Operational');
  });

  it('turns a scheduled window in progress at its start, by the clock, with nothing written', async () => {
    const { window } = await admin(gw, token, 'POST', '/windows', { title: 'On the dot', starts_at: fromNow(1500), duration: '10m' });
    const id = `m${window.id}`;
    type List = { scheduled_maintenances: { id: string; status: string }[] };
    const upcoming = await waitForDocument<List>(gw, 'scheduled-maintenances/upcoming.json', (json) => json.scheduled_maintenances.some((m) => m.id === id), 'listed as upcoming');
    assert.equal(upcoming.scheduled_maintenances.find((m) => m.id === id)!.status, 'scheduled');
    await gw.automation.stop(); // the lifecycle job would write in_progress; the API must not wait for it
    const active = await waitForDocument<List>(gw, 'scheduled-maintenances/active.json', (json) => json.scheduled_maintenances.some((m) => m.id === id), 'active after its start');
    assert.equal(active.scheduled_maintenances.find((m) => m.id === id)!.status, 'in_progress');
    await statusBecomes('maintenance', 'Service Under Maintenance');
  });
});
