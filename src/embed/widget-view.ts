// What the embeddable widget (STATUS_PATH/widget) shows: the overall status in a line, the site's
// name, and how the page keeps itself current. A pure function of the snapshot, the time and the query.

import { ValidationError } from '../errors.js';
import type { Snapshot } from '../snapshot/types.js';
import { siteView, type SiteDefaults } from '../status/site.js';
import { pageStatus, type Severity } from '../status/view-model.js';
import { single } from './badge.js';

export const WIDGET_THEMES = ['light', 'dark'] as const;
export type WidgetTheme = (typeof WIDGET_THEMES)[number];

/** Bounds of refresh_ms: a test or a busy dashboard may poll faster than the 60 s default, not a flood. */
export const MIN_REFRESH_MS = 1000;
export const MAX_REFRESH_MS = 3_600_000;

export interface WidgetOptions {
  theme: WidgetTheme;
  /** How often the page polls status.json when the event stream fails; null: the script's default. */
  refreshMs: number | null;
}

export interface WidgetView {
  title: string;
  siteName: string;
  /** STATUS_PATH: where the shared assets are. */
  statusPath: string;
  /** The widget's base (STATUS_PATH or STATUS_PATH/<slug>): the page it links to, its JSON and events. */
  basePath: string;
  indicator: Severity;
  description: string;
  theme: WidgetTheme;
  refreshMs: number | null;
}

export function widgetOptions(query: Record<string, unknown>): WidgetOptions {
  const theme = single(query, 'theme') ?? 'light';
  if (!(WIDGET_THEMES as readonly string[]).includes(theme)) {
    throw new ValidationError(`theme ${JSON.stringify(theme.slice(0, 20))} is not a widget theme: use ${WIDGET_THEMES.join(' or ')}`, 'theme');
  }
  const refresh = single(query, 'refresh_ms');
  let refreshMs: number | null = null;
  if (refresh !== undefined) {
    refreshMs = /^\d{1,7}$/.test(refresh) ? Number(refresh) : NaN;
    if (!(refreshMs >= MIN_REFRESH_MS && refreshMs <= MAX_REFRESH_MS)) {
      throw new ValidationError(`refresh_ms must be a whole number of milliseconds from ${MIN_REFRESH_MS} to ${MAX_REFRESH_MS}`, 'refresh_ms');
    }
  }
  return { theme: theme as WidgetTheme, refreshMs };
}

export function widgetView(snapshot: Snapshot, now: number, options: WidgetOptions, defaults: SiteDefaults, basePath = defaults.statusPath): WidgetView {
  const { siteName } = siteView(snapshot.settings, defaults);
  const { indicator, description } = pageStatus(snapshot, now);
  return {
    title: `${siteName} status: ${description}`,
    siteName,
    statusPath: defaults.statusPath,
    basePath,
    indicator,
    description,
    theme: options.theme,
    refreshMs: options.refreshMs,
  };
}
