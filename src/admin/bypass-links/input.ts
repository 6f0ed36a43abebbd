// The zod schema of a new bypass link, shared by the form and the API (snake_case fields): what it
// is for, how long it works (1h by default, at most 30d), and the paths it opens (none: all).

import { z } from 'zod';
import { MAX_BYPASS_LINK_MS, MAX_NOTE_LENGTH, parseDuration, parseLine, parsePathList } from '../../maintenance/input.js';
import type { NewBypassLink } from '../../maintenance/bypass-links.js';
import { blank, checked, list } from '../validation.js';

export const DEFAULT_DURATION = '1h';
/** How long "let me through" lasts: a working day, so it does not outlive the task. */
export const SELF_BYPASS_MS = 8 * 3600_000;
/** Offered on the form; any duration up to 30d is accepted. */
export const SUGGESTED_DURATIONS = ['1h', '4h', '1d', '7d', '30d'];


function parseNote(raw: string, field: string): string {
  return parseLine(raw, field, MAX_NOTE_LENGTH);
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
