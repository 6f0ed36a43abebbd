// Which months a page of the history shows: a few calendar months (UTC) per page, newest first,
// chosen by `?before=YYYY-MM`, with the links to the newer and older pages. Pure, for a fixed now.

/** Months on one page of the history. */
export const MONTHS_PER_PAGE = 3;

/** A month as a count of months since year 0: January 2026 is 2026 * 12 + 0. Easy to step. */
export type MonthIndex = number;

export interface HistoryPage {
  /** Newest first. */
  months: MonthIndex[];
  /** The first moment of the oldest month shown, and of the month after the newest one (epoch ms). */
  from: number;
  to: number;
  /** `before` for the newer page; '' for the first page (no parameter); null when this is the first page. */
  newerBefore: string | null;
  /** `before` for the older page (whether there is anything older is for the database to say). */
  olderBefore: string;
}

export type BeforeParse = { ok: true; before: MonthIndex | null } | { ok: false; message: string };

const MONTH_PATTERN = /^(\d{4})-(\d{2})$/;
// Nothing in an Intermission database predates it; a year before this is a typo.
const FIRST_YEAR = 2000;
const MONTH_NAMES = new Intl.DateTimeFormat('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' });

export function monthOf(ms: number): MonthIndex {
  const d = new Date(ms);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
}

export function monthStart(month: MonthIndex): number {
  return Date.UTC(Math.floor(month / 12), month % 12, 1);
}

/** "2026-03": the form `before` takes, and the month's anchor on the page. */
export function monthKey(month: MonthIndex): string {
  return `${Math.floor(month / 12)}-${String((month % 12) + 1).padStart(2, '0')}`;
}

/** "March 2026". */
export function monthLabel(month: MonthIndex): string {
  return MONTH_NAMES.format(monthStart(month));
}

/** Reads `?before=`: absent, or one month as YYYY-MM that is not after next month. */
export function parseBefore(value: unknown, now: number): BeforeParse {
  if (value === undefined) return { ok: true, before: null };
  if (typeof value !== 'string') return { ok: false, message: 'Give "before" only once, as a month like 2026-03.' };
  const shown = value.length > 20 ? `${value.slice(0, 20)}…` : value;
  const match = MONTH_PATTERN.exec(value);
  if (!match) return { ok: false, message: `"before" must be a month written as YYYY-MM, like 2026-03; "${shown}" is not.` };
  const year = Number(match[1]);
  const month = Number(match[2]);
  if (month < 1 || month > 12) return { ok: false, message: `"before" must name a month from 01 to 12; "${shown}" does not.` };
  if (year < FIRST_YEAR) return { ok: false, message: `"before" must be a month in ${FIRST_YEAR} or later; "${shown}" is too early.` };
  const before = year * 12 + month - 1;
  // before=<next month> is the first page; anything later would only show months still to come.
  const latest = monthOf(now) + 1;
  if (before > latest) return { ok: false, message: `"before" cannot be later than ${monthKey(latest)}; ${shown} has not happened yet.` };
  return { ok: true, before };
}

export function historyPage(before: MonthIndex | null, now: number, perPage = MONTHS_PER_PAGE): HistoryPage {
  const current = monthOf(now);
  const newest = before === null ? current : Math.min(before - 1, current);
  const months = Array.from({ length: perPage }, (_, i) => newest - i);
  const oldest = months[months.length - 1]!;
  const newerNewest = newest + perPage;
  return {
    months,
    from: monthStart(oldest),
    to: monthStart(newest + 1),
    newerBefore: newest >= current ? null : newerNewest >= current ? '' : monthKey(newerNewest + 1),
    olderBefore: monthKey(oldest),
  };
}
