// The zod schema of a new bypass link, shared by the form and the API (snake_case fields): what it
// is for, how long it works (1h by default, at most 30d), and the paths it opens (none: all).

import { z } from 'zod';
import { ValidationError } from '../../errors.js';
import { MAX_BYPASS_LINK_MS, MAX_NOTE_LENGTH, parseDuration, parsePathList } from '../../maintenance/input.js';
import type { NewBypassLink } from '../../maintenance/bypass-links.js';
import { blank, checked, list } from '../validation.js';

export const DEFAULT_DURATION = '1h';
/** How long "let me through" lasts: a working day, so it does not outlive the task. */
export const SELF_BYPASS_MS = 8 * 3600_000;
/** Offered on the form; any duration up to 30d is accepted. */
export const SUGGESTED_DURATIONS = ['1h', '4h', '1d', '7d', '30d'];

const CONTROL = /[\u0000-\u001f\u007f]/;

function parseNote(raw: string, field: string): string {
  const note = raw.trim();
  if (CONTROL.test(note)) throw new ValidationError(`${field} must be one line of text`, field);
  if ([...note].length > MAX_NOTE_LENGTH) throw new ValidationError(`${field} is ${[...note].length} characters long: at most ${MAX_NOTE_LENGTH}`, field);
  return note;
}

export const createLinkSchema = z
  .strictObject({
    note: blank(z.string().max(MAX_NOTE_LENGTH * 4).transform(checked(parseNote, 'note')).optional()),
    duration: blank(z.string().max(40).transform(checked((raw: string, field: string) => parseDuration(raw, field, MAX_BYPASS_LINK_MS), 'duration')).optional()),
    // One per line in the form, comma-separated or an array in JSON; empty: every path.
    paths: list.transform((joined, ctx) => (joined.trim() === '' ? [] : checked(parsePathList, 'paths')(joined, ctx))),
  })
  .transform(
    (input): Required<NewBypassLink> => ({
      note: input.note ?? '',
      durationMs: input.duration ?? parseDuration(DEFAULT_DURATION, 'duration'),
      pathPrefixes: input.paths,
    }),
  );
