// The judgement of the upstream's health, without a database: thresholds on both sides, no
// flapping, passive reports that only ever judge it down, and the numbers derived from config.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkSchedule, judgeCheck, judgeRequestFailures, retryAfterWhileDown, type HealthCounters } from '../../src/health/judge.js';

const THRESHOLDS = { downAfter: 3, upAfter: 2 };
const UP: HealthCounters = { state: 'up', failures: 0, successes: 0 };

/** Runs results through judgeCheck from `start`; returns the flips seen and the last counters. */
function run(results: boolean[], start: HealthCounters = UP, thresholds = THRESHOLDS) {
  let counters = start;
  const flips: string[] = [];
  for (const passed of results) {
    const judgement = judgeCheck(counters, passed, thresholds);
    if (judgement.flip) flips.push(judgement.flip);
    counters = judgement.counters;
  }
  return { flips, counters };
}

describe('judging active checks', () => {
  it('judges the upstream down after downAfter failed checks in a row, not before', () => {
    assert.deepEqual(run([false, false]).flips, []);
    const { flips, counters } = run([false, false, false]);
    assert.deepEqual(flips, ['down']);
    assert.deepEqual(counters, { state: 'down', failures: 3, successes: 0 });
  });

  it('judges it back up after upAfter passed checks in a row, not before', () => {
    const down: HealthCounters = { state: 'down', failures: 5, successes: 0 };
    assert.deepEqual(run([true], down).flips, []);
    const { flips, counters } = run([true, true], down);
    assert.deepEqual(flips, ['up']);
    assert.deepEqual(counters, { state: 'up', failures: 0, successes: 2 });
  });

  it('never flips on results that alternate, however long they go on', () => {
    const alternating = Array.from({ length: 100 }, (_, i) => i % 2 === 0);
    assert.deepEqual(run(alternating).flips, []);
    assert.deepEqual(run(alternating, { state: 'down', failures: 3, successes: 0 }).flips, []);
    // Two failures, a pass, two failures...: still never three in a row.
    const almost = Array.from({ length: 99 }, (_, i) => i % 3 === 2);
    assert.deepEqual(run(almost).flips, []);
  });

  it('resets one run when the other kind of result comes', () => {
    assert.deepEqual(judgeCheck({ state: 'up', failures: 2, successes: 0 }, true, THRESHOLDS).counters, { state: 'up', failures: 0, successes: 1 });
    assert.deepEqual(judgeCheck({ state: 'up', failures: 0, successes: 7 }, false, THRESHOLDS).counters, { state: 'up', failures: 1, successes: 0 });
  });

  it('flips once per outage: more failures while down, or passes while up, change nothing', () => {
    const { flips } = run([false, false, false, false, false, true, true, true, true]);
    assert.deepEqual(flips, ['down', 'up']);
  });

  it('judges on the first failure when downAfter is 1', () => {
    assert.equal(judgeCheck(UP, false, { downAfter: 1, upAfter: 1 }).flip, 'down');
  });

  it('stops counting a run at a bound the integer columns hold', () => {
    const counters = run(Array(10).fill(true), { state: 'up', failures: 0, successes: 999_999 }).counters;
    assert.equal(counters.successes, 1_000_000);
  });
});

describe('judging reported request failures', () => {
  it('judges an upstream that is up down at once', () => {
    const judgement = judgeRequestFailures({ state: 'up', failures: 1, successes: 9 });
    assert.equal(judgement.flip, 'down');
    assert.equal(judgement.counters.state, 'down');
    assert.equal(judgement.counters.successes, 0, 'the checks must pass upAfter times anew');
  });

  it('changes nothing when it is down already: only active checks judge it back', () => {
    const down: HealthCounters = { state: 'down', failures: 3, successes: 1 };
    assert.deepEqual(judgeRequestFailures(down), { counters: down, flip: null });
  });
});

describe('what the thresholds give', () => {
  it('asks clients to retry when the checks could judge the upstream back, within 5 s to a minute', () => {
    assert.equal(retryAfterWhileDown({ intervalSeconds: 10, upAfter: 2 }), 20);
    assert.equal(retryAfterWhileDown({ intervalSeconds: 1, upAfter: 2 }), 5);
    assert.equal(retryAfterWhileDown({ intervalSeconds: 60, upAfter: 3 }), 60);
  });

  it('schedules a check every interval, on second marks', () => {
    assert.equal(checkSchedule(1), '* * * * * *');
    assert.equal(checkSchedule(10), '*/10 * * * * *');
    assert.equal(checkSchedule(60), '0 * * * * *');
    assert.throws(() => checkSchedule(7), /divides a minute/);
    assert.throws(() => checkSchedule(0), /divides a minute/);
  });
});
