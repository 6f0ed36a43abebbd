// Which months a page of the history shows, its Newer and Older links, and `?before=` refused
// with a message that says what is wrong; all for a fixed now.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { historyPage, monthKey, monthLabel, monthOf, parseBefore } from '../../src/history/months.js';

const NOW = Date.UTC(2026, 10, 22, 14, 5); // 22 Nov 2026

describe('history months', () => {
  it('shows this month and the two before it on the first page, with no Newer link', () => {
    const page = historyPage(null, NOW);
    assert.deepEqual(page.months.map(monthKey), ['2026-11', '2026-10', '2026-09']);
    assert.deepEqual(page.months.map(monthLabel), ['November 2026', 'October 2026', 'September 2026']);
    assert.equal(page.from, Date.UTC(2026, 8, 1));
    assert.equal(page.to, Date.UTC(2026, 11, 1));
    assert.equal(page.newerBefore, null);
    assert.equal(page.olderBefore, '2026-09');
  });

  it('pages back across a new year, and links Newer to the first page when that is where it lands', () => {
    const second = historyPage(parseOk('2026-09'), NOW);
    assert.deepEqual(second.months.map(monthKey), ['2026-08', '2026-07', '2026-06']);
    assert.equal(second.newerBefore, '', 'the newer page is the first page, without a parameter');
    const older = historyPage(parseOk('2026-02'), NOW);
    assert.deepEqual(older.months.map(monthKey), ['2026-01', '2025-12', '2025-11']);
    assert.equal(older.newerBefore, '2026-05');
    assert.equal(older.olderBefore, '2025-11');
  });

  it('treats before=next month as the first page', () => {
    assert.deepEqual(historyPage(parseOk('2026-12'), NOW).months.map(monthKey), ['2026-11', '2026-10', '2026-09']);
    assert.equal(monthOf(Date.UTC(2026, 0, 1) - 1), 2025 * 12 + 11, 'the last millisecond of 2025 is December');
  });

  it('refuses a before that is not one month written as YYYY-MM, saying why', () => {
    const refused = (value: unknown) => {
      const parsed = parseBefore(value, NOW);
      assert.equal(parsed.ok, false, `${String(value)} is refused`);
      return (parsed as { message: string }).message;
    };
    assert.match(refused('soon'), /YYYY-MM, like 2026-03; "soon" is not/);
    assert.match(refused('2026-13'), /from 01 to 12/);
    assert.match(refused('2026-00'), /from 01 to 12/);
    assert.match(refused('1999-12'), /2000 or later/);
    assert.match(refused('2027-01'), /cannot be later than 2026-12/);
    assert.match(refused(['2026-01', '2026-02']), /only once/);
    assert.match(refused('x'.repeat(500)), /x{20}…"/, 'a long value is cut short in the message');
  });
});

function parseOk(value: string): number {
  const parsed = parseBefore(value, NOW);
  assert.ok(parsed.ok && parsed.before !== null, value);
  return parsed.before;
}
