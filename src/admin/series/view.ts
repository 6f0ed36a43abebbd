// How recurring series read on the admin pages: the recurrence in words, its zone, duration, end
// and next starts (in the series' own zone, where its times are set), and the values of its form.

import { formatDuration } from '../../maintenance/input.js';
import type { SeriesRecord } from '../../maintenance/series.js';
import { choiceOf, describeRecurrence } from '../../schedule/recurrence-choice.js';
import type { Component } from '../../snapshot/types.js';
import { fromNow } from '../../status/time-text.js';
import type { FormValues } from '../form.js';
import { formatTime } from '../time-zone.js';
import { KIND_LABELS, scopeText } from '../windows/view.js';
import { safeNextStarts } from './json.js';

export interface SeriesView {
  id: string;
  title: string;
  message: string;
  kindLabel: string;
  modeLabel: string;
  responseLabel: string;
  scope: string;
  componentNames: string[];
  verifyUpstream: boolean;
  cron: string;
  description: string;
  timeZone: string;
  durationText: string;
  endsOnText: string;
  nextStarts: { text: string; relative: string }[];
  createdBy: string;
}

export function seriesView(series: SeriesRecord, now: number, components: readonly Component[] = []): SeriesView {
  const names = new Map(components.map((c) => [c.id, c.name]));
  return {
    id: series.id,
    title: series.title,
    message: series.message,
    kindLabel: KIND_LABELS[series.kind],
    modeLabel: series.mode === 'read_only' ? 'Read-only' : 'Block',
    responseLabel: series.response === 'redirect' ? 'Redirect (307)' : 'Status page (503)',
    scope: scopeText(series),
    componentNames: series.componentIds.map((id) => names.get(id) ?? `#${id}`),
    verifyUpstream: series.verifyUpstream,
    cron: series.cron,
    description: describeRecurrence(series.cron),
    timeZone: series.timeZone,
    durationText: formatDuration(series.durationMs),
    endsOnText: series.endsOn === null ? 'no end' : `${series.endsOn}, the last day it starts`,
    nextStarts: safeNextStarts(series, now).map((ms) => ({ text: formatTime(ms, series.timeZone), relative: fromNow(ms, now) })),
    createdBy: series.createdBy,
  };
}

/** The form's values for a series: the simple choice it was made with, or its raw expression. */
export function seriesFormValues(series: SeriesRecord): FormValues {
  const choice = choiceOf(series.cron);
  return {
    title: series.title,
    message: series.message,
    kind: series.kind,
    mode: series.mode,
    response: series.response,
    paths: series.pathPrefixes.join('\n'),
    hosts: series.hosts.join('\n'),
    component_ids: series.componentIds,
    verify_upstream: series.verifyUpstream ? 'on' : undefined,
    repeat: choice.repeat,
    at: choice.at,
    weekdays: choice.weekdays.map(String),
    month_day: String(choice.monthDay),
    cron: series.cron,
    time_zone: series.timeZone,
    duration: formatDuration(series.durationMs),
    ends_on: series.endsOn ?? '',
  };
}

/** What a new series' form starts with. */
export const NEW_SERIES_VALUES: FormValues = {
  kind: 'maintenance',
  mode: 'block',
  response: 'render',
  repeat: 'daily',
  at: '02:00',
  weekdays: [],
  month_day: '1',
  duration: '1h',
};
