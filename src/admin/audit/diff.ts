// What an audit entry changed, field by field, as text a person reads: only the fields whose
// value differs between the row before and after (for a creation, those it was given).

import { DateTime } from 'luxon';
import { formatTime } from '../time-zone.js';

export interface FieldChange {
  field: string;
  /** null: the field had no value (or the row did not exist). */
  before: string | null;
  after: string | null;
}

// to_jsonb writes timestamptz as 2026-11-22T14:00:00.123456+00:00.
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;
// A window's message can hold 5000 characters; the page shows the start, the API all of it.
const MAX_TEXT = 400;

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function isEmpty(value: unknown): boolean {
  return value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0);
}

/** A value as text: times in the reader's zone, lists comma-separated, nothing as null. */
export function valueText(value: unknown, zone: string): string | null {
  if (value === null || value === undefined) return null;
  let text: string;
  if (typeof value === 'string') {
    const time = TIMESTAMP.test(value) ? DateTime.fromISO(value) : undefined;
    text = time?.isValid ? formatTime(time.toMillis(), zone) : value;
  } else if (Array.isArray(value)) {
    text = value.length === 0 ? '(none)' : value.map((item) => (typeof item === 'string' ? item : JSON.stringify(item))).join(', ');
  } else if (typeof value === 'object') {
    text = JSON.stringify(value);
  } else {
    text = String(value);
  }
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text;
}

/** The names of the fields that differ; for a creation or deletion, those that hold a value. */
export function changedFieldNames(before: Record<string, unknown> | null, after: Record<string, unknown> | null): string[] {
  const names = [...new Set([...Object.keys(after ?? {}), ...Object.keys(before ?? {})])];
  if (!before || !after) {
    const row = before ?? after ?? {};
    return names.filter((name) => !isEmpty(row[name]));
  }
  return names.filter((name) => !same(before[name], after[name]));
}

export function changedFields(before: Record<string, unknown> | null, after: Record<string, unknown> | null, zone: string): FieldChange[] {
  // In a change (not a creation or deletion), a value set to nothing or from nothing says so.
  const side = (row: Record<string, unknown> | null, field: string) => (row ? (valueText(row[field], zone) ?? (before && after ? '(empty)' : null)) : null);
  return changedFieldNames(before, after).map((field) => ({ field, before: side(before, field), after: side(after, field) }));
}
