// The uptime bar's pure part: each day's worst state in a colour key and in words, Statuspage's
// weighting of outages, time under maintenance not counted, and days before a component existed.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dayText, spanDates, uptimeBar, uptimeRatio, uptimeText, type UptimeDay } from '../../src/history/uptime-days.js';

const NOW = Date.UTC(2026, 10, 22, 12, 0); // noon, 22 Nov 2026
const DAY_S = 86_400;

function day(date: string, fields: Partial<UptimeDay> = {}): UptimeDay {
  return { day: date, observed: DAY_S, major: 0, partial: 0, degraded: 0, maintenance: 0, ...fields };
}

describe('uptime days', () => {
  it('colours a day by its worst state and says every state in words', () => {
    assert.deepEqual(dayText('2026-11-20', day('2026-11-20')), { state: 'none', text: '20 Nov 2026: no downtime' });
    assert.deepEqual(dayText('2026-11-20', day('2026-11-20', { major: 1800, degraded: 300 })), {
      state: 'critical',
      text: '20 Nov 2026: major outage for 30 min, degraded performance for 5 min',
    });
    assert.equal(dayText('2026-11-20', day('2026-11-20', { partial: 3900 })).text, '20 Nov 2026: partial outage for 1 h 5 min');
    assert.equal(dayText('2026-11-20', day('2026-11-20', { degraded: 60 })).state, 'minor');
    assert.deepEqual(dayText('2026-11-20', day('2026-11-20', { maintenance: 7200 })), {
      state: 'maintenance',
      text: '20 Nov 2026: maintenance for 2 h (maintenance is not counted as downtime)',
    });
    assert.deepEqual(dayText('2026-11-20', undefined), { state: 'nodata', text: '20 Nov 2026: no data' });
  });

  it('weighs a partial outage at 30% and counts neither maintenance nor degraded performance', () => {
    const days = [day('2026-11-20', { major: 864 }), day('2026-11-21', { partial: 2880, maintenance: 20_000, degraded: 5000 })];
    // (864 + 0.3 × 2880) / 172800 = 1728 / 172800 = 1 %
    assert.equal(uptimeRatio(days), 0.99);
    assert.equal(uptimeText(uptimeRatio(days)), '99.00 % uptime');
    assert.equal(uptimeRatio([day('2026-11-21', { maintenance: DAY_S })]), 1);
    assert.equal(uptimeRatio([]), null);
    assert.equal(uptimeText(null), 'No uptime recorded yet');
  });

  it('rounds the percentage down, so any outage keeps it under 100.00 %', () => {
    assert.equal(uptimeText(0.99999), '99.99 % uptime');
    assert.equal(uptimeText(0.9995), '99.95 % uptime');
    assert.equal(uptimeText(1), '100.00 % uptime');
  });

  it('always shows 90 days ending today, days before the component existed as no data', () => {
    const dates = spanDates(NOW);
    assert.equal(dates.length, 90);
    assert.equal(dates[89], '2026-11-22');
    assert.equal(dates[0], '2026-08-25');
    const recent = dates.slice(80).map((date) => day(date, date === '2026-11-22' ? { observed: 12 * 3600 } : {}));
    const bar = uptimeBar('API', recent, NOW);
    assert.equal(bar.label, 'API uptime, last 90 days');
    assert.equal(bar.days.length, 90);
    assert.equal(bar.days.filter((d) => d.state === 'nodata').length, 80);
    assert.equal(bar.days.filter((d) => d.state === 'none').length, 10);
    assert.equal(bar.uptimeText, '100.00 % uptime');
    assert.equal(bar.days[0]!.text, '25 Aug 2026: no data');
  });

  it('leaves out days older than the span when computing the percentage', () => {
    const bar = uptimeBar('API', [day('2026-08-01', { major: DAY_S }), day('2026-11-22', { observed: 3600 })], NOW);
    assert.equal(bar.uptime, 1);
  });
});
