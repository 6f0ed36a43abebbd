// The status page's "Updates" timeline: window updates, incident updates and general notices
// together, newest first, each naming what it is about.

import { INCIDENT_STATUS_LABELS } from '../maintenance/incident-status.js';
import type { Update } from '../snapshot/types.js';
import { utcText } from './time-text.js';

export interface UpdateView {
  id: string;
  body: string;
  /** What the update is about: its window, its incident, or neither (a general notice). */
  subjectKind: 'window' | 'incident' | null;
  /** "Maintenance" or "Incident", said before the subject; null for a general notice. */
  subjectKindLabel: string | null;
  /** The window's or incident's title, when it is known. */
  subject: string | null;
  /** The incident status an incident update announced ("Identified"); null otherwise. */
  statusLabel: string | null;
  createdAt: string;
  createdAtText: string;
}

const MAX_UPDATES = 10;

const SUBJECT_KIND_LABELS = { window: 'Maintenance', incident: 'Incident' } as const;

function updateView(update: Update): UpdateView {
  const subjectKind = update.windowId !== null ? 'window' : update.incidentId !== null ? 'incident' : null;
  return {
    id: update.id,
    body: update.body,
    subjectKind,
    subjectKindLabel: subjectKind === null ? null : SUBJECT_KIND_LABELS[subjectKind],
    subject: subjectKind === null ? null : update.subjectTitle,
    statusLabel: update.status === null ? null : INCIDENT_STATUS_LABELS[update.status],
    createdAt: new Date(update.createdAt).toISOString(),
    createdAtText: utcText(update.createdAt),
  };
}

/** The latest few, newest first, whatever order the snapshot gave them in. */
export function timelineViews(updates: readonly Update[]): UpdateView[] {
  return [...updates]
    .sort((a, b) => b.createdAt - a.createdAt)
    .slice(0, MAX_UPDATES)
    .map(updateView);
}
