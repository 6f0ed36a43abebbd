// The status badge (STATUS_PATH/badge.svg): its query options, its colours and its SVG, all pure.
// badge-maker draws it, so it looks like every other shields.io badge next to it in a README.

import { makeBadge } from 'badge-maker';
import { ValidationError } from '../errors.js';
import type { Severity } from '../status/component-status.js';

export const BADGE_STYLES = ['flat', 'flat-square', 'plastic', 'for-the-badge'] as const;
export type BadgeStyle = (typeof BADGE_STYLES)[number];

export const MAX_LABEL_LENGTH = 40;

/**
 * The status page's own hues, dark enough for badge-maker's white text to pass WCAG AA (4.5:1);
 * yellow is light, so badge-maker picks its dark text for it instead (about 7:1).
 */
export const BADGE_COLORS: Record<Severity, string> = {
  none: '#1a7f37',
  minor: '#e3b341',
  major: '#bc4c00',
  critical: '#c11b28',
  maintenance: '#0a5fc2',
};

export interface BadgeOptions {
  /** null: the site name. An empty string draws the message alone. */
  label: string | null;
  style: BadgeStyle;
}

const CONTROL = /[\u0000-\u001f\u007f]/;

/** A query parameter given at most once, as text. */
export function single(query: Record<string, unknown>, name: string): string | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new ValidationError(`${name}: give it once, as plain text`, name);
  return value;
}

/** Other parameters are ignored: READMEs add cache-busters such as ?v=2 to badge URLs. */
export function badgeOptions(query: Record<string, unknown>): BadgeOptions {
  const style = single(query, 'style') ?? 'flat';
  if (!(BADGE_STYLES as readonly string[]).includes(style)) {
    throw new ValidationError(`style ${JSON.stringify(style.slice(0, 20))} is not a badge style: use one of ${BADGE_STYLES.join(', ')}`, 'style');
  }
  const label = single(query, 'label') ?? null;
  if (label !== null) {
    if ([...label].length > MAX_LABEL_LENGTH) throw new ValidationError(`label is too long: at most ${MAX_LABEL_LENGTH} characters`, 'label');
    // XML 1.0 has no way to carry most control characters at all.
    if (CONTROL.test(label)) throw new ValidationError('label must be one line of text, without control characters', 'label');
  }
  return { label, style: style as BadgeStyle };
}

/** The SVG; badge-maker escapes the text and gives it a <title> and an aria-label. */
export function renderBadge(label: string, message: string, severity: Severity, style: BadgeStyle): string {
  return makeBadge({ label, message, color: BADGE_COLORS[severity], style });
}
