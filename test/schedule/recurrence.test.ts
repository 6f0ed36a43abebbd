// When a recurring series starts, with fixed clocks: daylight-saving gaps and repeated hours,
// month ends and leap days, end dates read in the series' zone, and cron errors that name the field.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError } from '../../src/errors.js';
import { nextOccurrences, occurrences, parseCron, type Recurrence } from '../../src/schedule/recurrence.js';

const HOUR = 3600_000;

function rule(cron: string, timeZone = 'UTC', endsOn: string | null = null): Recurrence {
  return { cron, timeZone, durationMs: 2 * HOUR, endsOn };
}

function starts(r: Recurrence, from: string, to: string): string[] {
  return occurrences(r, Date.parse(from), Date.parse(to)).map((ms) => new Date(ms).toISOString());
}

describe('daylight saving', () => {
  it('starts a 02:30 daily window at 03:30 CEST on the night Berlin skips 02:00-03:00, not never', () => {
    assert.deepEqual(starts(rule('30 2 * * *', 'Europe/Berlin'), '2027-03-27T00:00:00Z', '2027-03-30T00:00:00Z'), [
      '2027-03-27T01:30:00.000Z', // 02:30 CET
      '2027-03-28T01:30:00.000Z', // 03:30 CEST: the gap's length past 02:30
      '2027-03-29T00:30:00.000Z', // 02:30 CEST
    ]);
  });

  it('does the same in New York, which skips 02:00-03:00 on 2027-03-14', () => {
    assert.deepEqual(starts(rule('30 2 * * *', 'America/New_York'), '2027-03-13T00:00:00Z', '2027-03-16T00:00:00Z'), [
      '2027-03-13T07:30:00.000Z', // 02:30 EST
      '2027-03-14T07:30:00.000Z', // 03:30 EDT
      '2027-03-15T06:30:00.000Z', // 02:30 EDT
    ]);
  });

  it('starts once, at the first 02:30, on the night Berlin repeats 02:00-03:00', () => {
    assert.deepEqual(starts(rule('30 2 * * *', 'Europe/Berlin'), '2027-10-30T00:00:00Z', '2027-11-01T00:00:00Z'), [
      '2027-10-30T00:30:00.000Z', // 02:30 CEST
      '2027-10-31T00:30:00.000Z', // the first 02:30 (CEST); 01:30Z, the second, is not a start
    ]);
  });

  it('keeps every other time of the night of the repeated hour where it is', () => {
    assert.deepEqual(starts(rule('30 1,2,3 * * *', 'Europe/Berlin'), '2027-10-30T22:00:00Z', '2027-10-31T04:00:00Z'), [
      '2027-10-30T23:30:00.000Z', // 01:30 CEST
      '2027-10-31T00:30:00.000Z', // 02:30 CEST, once
      '2027-10-31T02:30:00.000Z', // 03:30 CET
    ]);
  });

  it('never starts twice at one instant when a time shifted past the gap meets one after it', () => {
    assert.deepEqual(starts(rule('0,30 2,3 * * *', 'Europe/Berlin'), '2027-03-28T00:00:00Z', '2027-03-28T12:00:00Z'), [
      '2027-03-28T01:00:00.000Z',
      '2027-03-28T01:30:00.000Z',
    ]);
  });

  it('lasts its duration in elapsed time: a start at the gap keeps its two hours', () => {
    const r = rule('30 2 * * *', 'Europe/Berlin');
    const [start] = occurrences(r, Date.parse('2027-03-28T00:00:00Z'), Date.parse('2027-03-29T00:00:00Z'));
    assert.equal(new Date(start! + r.durationMs).toISOString(), '2027-03-28T03:30:00.000Z');
  });
});

describe('month ends and leap days', () => {
  it('starts monthly on day 31 only in the months that have one', () => {
    const months = starts(rule('0 3 31 * *'), '2027-01-01T00:00:00Z', '2028-01-01T00:00:00Z').map((iso) => iso.slice(0, 10));
    assert.deepEqual(months, ['2027-01-31', '2027-03-31', '2027-05-31', '2027-07-31', '2027-08-31', '2027-10-31', '2027-12-31']);
  });

  it('starts on the last day of each month: February 28 in 2027, February 29 in 2028', () => {
    assert.deepEqual(starts(rule('0 1 L * *'), '2027-02-01T00:00:00Z', '2027-03-01T00:00:00Z'), ['2027-02-28T01:00:00.000Z']);
    assert.deepEqual(starts(rule('0 1 L * *'), '2028-02-01T00:00:00Z', '2028-03-01T00:00:00Z'), ['2028-02-29T01:00:00.000Z']);
    assert.deepEqual(starts(rule('0 1 L * *'), '2027-04-01T00:00:00Z', '2027-05-01T00:00:00Z'), ['2027-04-30T01:00:00.000Z']);
  });

  it('starts on February 29 only in leap years', () => {
    const r = rule('0 0 29 2 *');
    assert.deepEqual(starts(r, '2027-01-01T00:00:00Z', '2033-01-01T00:00:00Z'), ['2028-02-29T00:00:00.000Z', '2032-02-29T00:00:00.000Z']);
    assert.deepEqual(nextOccurrences(r, Date.parse('2028-03-01T00:00:00Z'), 1).map((ms) => new Date(ms).toISOString()), ['2032-02-29T00:00:00.000Z']);
  });

  it('reads the last day of the month in the series\' zone, not in UTC', () => {
    // 01:00 on March 31 in Tokyo is still March 30 in UTC.
    assert.deepEqual(starts(rule('0 1 L * *', 'Asia/Tokyo'), '2027-03-01T00:00:00Z', '2027-04-01T00:00:00Z'), ['2027-03-30T16:00:00.000Z']);
  });
});

describe('days, ends and bounds', () => {
  it('starts weekly on the chosen days only', () => {
    // 2027-03-01 is a Monday.
    assert.deepEqual(starts(rule('0 22 * * 1,4'), '2027-03-01T00:00:00Z', '2027-03-15T00:00:00Z'), [
      '2027-03-01T22:00:00.000Z',
      '2027-03-04T22:00:00.000Z',
      '2027-03-08T22:00:00.000Z',
      '2027-03-11T22:00:00.000Z',
    ]);
  });

  it('follows node-cron\'s own day rules, such as the last Friday of the month', () => {
    assert.deepEqual(starts(rule('0 9 * * 5L'), '2027-01-01T00:00:00Z', '2027-04-01T00:00:00Z').map((iso) => iso.slice(0, 10)), ['2027-01-29', '2027-02-26', '2027-03-26']);
  });

  it('starts on the end date, inclusive, as read in the series\' zone', () => {
    // 08:00 in Tokyo is 23:00 UTC the day before: the end date is Tokyo's.
    assert.deepEqual(starts(rule('0 8 * * *', 'Asia/Tokyo', '2027-06-10'), '2027-06-08T00:00:00Z', '2027-06-20T00:00:00Z'), [
      '2027-06-08T23:00:00.000Z', // June 9 in Tokyo
      '2027-06-09T23:00:00.000Z', // June 10 in Tokyo: the last day
    ]);
  });

  it('counts a start at the horizon\'s beginning and not one at its end', () => {
    assert.deepEqual(starts(rule('0 2 * * *'), '2027-05-01T02:00:00Z', '2027-05-03T02:00:00Z'), ['2027-05-01T02:00:00.000Z', '2027-05-02T02:00:00.000Z']);
    assert.deepEqual(starts(rule('0 2 * * *'), '2027-05-01T02:00:00Z', '2027-05-01T02:00:00Z'), []);
  });

  it('takes seconds when the expression has six fields', () => {
    assert.deepEqual(starts(rule('15 30 2 * * *'), '2027-05-01T00:00:00Z', '2027-05-02T00:00:00Z'), ['2027-05-01T02:30:15.000Z']);
  });
});

describe('checking an expression', () => {
  function refusal(raw: string): ValidationError {
    try {
      parseCron(raw);
    } catch (err) {
      assert.ok(err instanceof ValidationError);
      return err;
    }
    assert.fail(`${raw} was accepted`);
  }

  it('names the cron field and the value that is out of range', () => {
    const err = refusal('61 2 * * *');
    assert.equal(err.field, 'cron');
    assert.match(err.message, /minute "61" is out of range \(0-59\)/);
  });

  it('names every bad field at once', () => {
    const err = refusal('5 25 32 13 8');
    assert.match(err.message, /hour "25" is out of range/);
    assert.match(err.message, /day of month "32" is out of range/);
    assert.match(err.message, /month "13" is out of range/);
    assert.match(err.message, /week day "8" is out of range/);
  });

  it('says what is wrong with a word where a number belongs, a day that never comes, or a wrong count of fields', () => {
    assert.match(refusal('x 2 * * *').message, /minute "x" is not valid/);
    assert.match(refusal('0 0 30 2 *').message, /day of month "30" never happens in month "2"/);
    assert.match(refusal('* * *').message, /has 3 fields: give 5/);
    assert.match(refusal('').message, /cron is empty/);
    assert.match(refusal('@daily').message, /nickname/);
  });

  it('refuses a series that would start more often than every 15 minutes', () => {
    assert.match(refusal('* * * * *').message, /starts 1440 times a day/);
    assert.equal(parseCron(' */15   * * * * '), '*/15 * * * *');
  });
});
