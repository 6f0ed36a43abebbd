// The admin form's simple recurrence choices and their cron expressions, both ways, and a
// recurrence in words.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError } from '../../src/errors.js';
import { choiceOf, choiceToCron, describeRecurrence, type RecurrenceChoice } from '../../src/schedule/recurrence-choice.js';

const base: RecurrenceChoice = { repeat: 'daily', at: '02:30', weekdays: [], monthDay: 1, cron: '' };

describe('choices and expressions', () => {
  it('writes each simple choice as an expression and reads it back as the same choice', () => {
    const choices: RecurrenceChoice[] = [
      { ...base, repeat: 'daily', at: '02:30' },
      { ...base, repeat: 'weekly', at: '22:00', weekdays: [1, 4] },
      { ...base, repeat: 'monthly', at: '03:00', monthDay: 31 },
      { ...base, repeat: 'monthly', at: '01:00', monthDay: 'L' },
    ];
    const expected = ['30 2 * * *', '0 22 * * 1,4', '0 3 31 * *', '0 1 L * *'];
    choices.forEach((choice, i) => {
      const cron = choiceToCron(choice);
      assert.equal(cron, expected[i]);
      assert.deepEqual(choiceOf(cron), { ...choice, cron });
    });
  });

  it('reads any other expression back as the raw expression, as typed', () => {
    for (const cron of ['*/15 1-3 * * *', '05 2 * * *', '0 22 * * 4,1', '0 9 * * 5L', '0 30 2 * * *']) {
      assert.deepEqual(choiceOf(cron), { ...base, repeat: 'cron', at: '', cron });
      assert.equal(choiceToCron({ ...base, repeat: 'cron', cron }), cron);
    }
  });

  it('names the form field a choice is missing', () => {
    const refused = (choice: Partial<RecurrenceChoice>) => {
      try {
        choiceToCron({ ...base, ...choice });
      } catch (err) {
        assert.ok(err instanceof ValidationError);
        return err.field;
      }
      return 'accepted';
    };
    assert.equal(refused({ at: '25:00' }), 'at');
    assert.equal(refused({ repeat: 'weekly', weekdays: [] }), 'weekdays');
    assert.equal(refused({ repeat: 'monthly', monthDay: 32 }), 'month_day');
    assert.equal(refused({ repeat: 'cron', cron: '61 * * * *' }), 'cron');
  });
});

describe('a recurrence in words', () => {
  it('says the common cases plainly', () => {
    assert.equal(describeRecurrence('30 2 * * *'), 'Every day at 02:30');
    assert.equal(describeRecurrence('0 22 * * 1,4'), 'Every Monday and Thursday at 22:00');
    assert.equal(describeRecurrence('0 6 * * 0,3,6'), 'Every Wednesday, Saturday and Sunday at 06:00');
    assert.equal(describeRecurrence('0 1 L * *'), 'Monthly on the last day at 01:00');
    assert.equal(describeRecurrence('0 3 31 * *'), 'Monthly on day 31 at 03:00 (skips shorter months)');
    assert.equal(describeRecurrence('0 3 15 * *'), 'Monthly on day 15 at 03:00');
  });

  it('shows any other expression as it is', () => {
    assert.equal(describeRecurrence('*/15 1-3 * * *'), 'Cron: */15 1-3 * * *');
  });
});
