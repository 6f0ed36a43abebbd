// The admin form's simple recurrence choices (every day, every week on some days, monthly on a
// day or the last day, each at a time) and the cron expression each one stands for, both ways, so
// the edit form shows what was chosen; and a recurrence in words. Pure.

import { ValidationError } from '../errors.js';
import { parseCron } from './recurrence.js';

export const REPEATS = ['daily', 'weekly', 'monthly', 'cron'] as const;
export type Repeat = (typeof REPEATS)[number];

export interface RecurrenceChoice {
  repeat: Repeat;
  /** HH:MM, for daily, weekly and monthly. */
  at: string;
  /** 0 (Sunday) to 6, for weekly. */
  weekdays: number[];
  /** 1-31 or L (the last day), for monthly. */
  monthDay: number | 'L';
  /** The expression itself, for cron (and what every choice stands for). */
  cron: string;
}

/** Week days as the form lists them, Monday first; values are cron's (0 is Sunday). */
export const WEEKDAYS = [
  { value: 1, name: 'Monday' },
  { value: 2, name: 'Tuesday' },
  { value: 3, name: 'Wednesday' },
  { value: 4, name: 'Thursday' },
  { value: 5, name: 'Friday' },
  { value: 6, name: 'Saturday' },
  { value: 0, name: 'Sunday' },
] as const;

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;
const DAILY = /^(\d{1,2}) (\d{1,2}) \* \* \*$/;
const WEEKLY = /^(\d{1,2}) (\d{1,2}) \* \* ([0-6](?:,[0-6])*)$/;
const MONTHLY = /^(\d{1,2}) (\d{1,2}) (\d{1,2}|L) \* \*$/;
// Days that not every month has: a series on one of them skips the months without it.
const SHORT_MONTH_DAY = 29;

function parseAt(raw: string, field: string): { hour: number; minute: number } {
  const match = TIME.exec(raw.trim());
  if (!match) throw new ValidationError(`${field} ${JSON.stringify(raw.slice(0, 20))} is not a time of day: use HH:MM, e.g. 02:30`, field);
  return { hour: Number(match[1]), minute: Number(match[2]) };
}

/** The cron expression of a choice; errors name the form's field (at, weekdays, month_day, cron). */
export function choiceToCron(choice: Omit<RecurrenceChoice, 'cron'> & { cron?: string }): string {
  if (choice.repeat === 'cron') return parseCron(choice.cron ?? '', 'cron');
  const { hour, minute } = parseAt(choice.at, 'at');
  if (choice.repeat === 'daily') return `${minute} ${hour} * * *`;
  if (choice.repeat === 'weekly') {
    const days = [...new Set(choice.weekdays)].sort((a, b) => a - b);
    if (days.length === 0) throw new ValidationError('weekdays: choose at least one day of the week', 'weekdays');
    if (days.some((day) => !Number.isInteger(day) || day < 0 || day > 6)) throw new ValidationError('weekdays: each day is 0 (Sunday) to 6 (Saturday)', 'weekdays');
    return `${minute} ${hour} * * ${days.join(',')}`;
  }
  const day = choice.monthDay;
  if (day !== 'L' && !(Number.isInteger(day) && day >= 1 && day <= 31)) {
    throw new ValidationError(`month_day ${JSON.stringify(String(day))} is not a day of the month: choose 1 to 31, or the last day`, 'month_day');
  }
  return `${minute} ${hour} ${day} * *`;
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

function timeOf(minute: string, hour: string): string | null {
  const [h, m] = [Number(hour), Number(minute)];
  return h <= 23 && m <= 59 ? `${pad(h)}:${pad(m)}` : null;
}

/**
 * The choice an expression was made from: one of the simple ones when the form would write it
 * exactly so, else the raw expression (cron).
 */
export function choiceOf(cron: string): RecurrenceChoice {
  const expression = cron.trim().replace(/\s+/g, ' ');
  const raw: RecurrenceChoice = { repeat: 'cron', at: '', weekdays: [], monthDay: 1, cron: expression };
  let choice: RecurrenceChoice | null = null;
  let match: RegExpExecArray | null;
  if ((match = DAILY.exec(expression))) {
    const at = timeOf(match[1]!, match[2]!);
    if (at) choice = { ...raw, repeat: 'daily', at };
  } else if ((match = WEEKLY.exec(expression))) {
    const at = timeOf(match[1]!, match[2]!);
    if (at) choice = { ...raw, repeat: 'weekly', at, weekdays: match[3]!.split(',').map(Number) };
  } else if ((match = MONTHLY.exec(expression))) {
    const at = timeOf(match[1]!, match[2]!);
    const day = match[3] === 'L' ? 'L' : Number(match[3]);
    if (at && (day === 'L' || (day >= 1 && day <= 31))) choice = { ...raw, repeat: 'monthly', at, monthDay: day };
  }
  // "05 2 * * *" or "30 2 * * 4,1" mean the same, but the form writes neither: keep them as typed.
  if (choice && choiceToCron(choice) === expression) return choice;
  return raw;
}

function listOf(names: string[]): string {
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** A recurrence in words: "Every Monday and Thursday at 22:00"; else "Cron: <expr>". */
export function describeRecurrence(cron: string): string {
  const choice = choiceOf(cron);
  switch (choice.repeat) {
    case 'daily':
      return `Every day at ${choice.at}`;
    case 'weekly': {
      if (choice.weekdays.length === 7) return `Every day at ${choice.at}`;
      const names = WEEKDAYS.filter((day) => choice.weekdays.includes(day.value)).map((day) => day.name);
      return `Every ${listOf(names)} at ${choice.at}`;
    }
    case 'monthly':
      if (choice.monthDay === 'L') return `Monthly on the last day at ${choice.at}`;
      return `Monthly on day ${choice.monthDay} at ${choice.at}${choice.monthDay >= SHORT_MONTH_DAY ? ' (skips shorter months)' : ''}`;
    case 'cron':
      return `Cron: ${choice.cron}`;
  }
}
