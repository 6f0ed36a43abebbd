// The status page's history as RSS 2.0 and Atom feeds, built with the `feed` package from the
// same shaped objects as the JSON: one entry per incident and per maintenance, newest first.

import ejs from 'ejs';
import { Feed, type Item } from 'feed';
import { INCIDENT_STATUS_LABELS } from '../maintenance/incident-status.js';
import type { Shaped } from './statuspage-shapes.js';

export type FeedFormat = 'rss' | 'atom';

// Enough to follow the story in a reader; the page has the rest.
const UPDATES_PER_ENTRY = 5;

const STATUS_LABELS: Record<string, string> = {
  ...INCIDENT_STATUS_LABELS,
  postmortem: 'Postmortem',
  scheduled: 'Scheduled',
  in_progress: 'In progress',
  verifying: 'Verifying',
  completed: 'Completed',
};

/** Text as HTML source: every feed field the library marks type="html" (or RSS reads as HTML) gets this. */
const escapeHtml = ejs.escapeXML;

/**
 * The library writes RSS titles as CDATA and splits only the first "]]>" in it: a second one would
 * end the CDATA and let the rest be read as markup. A zero-width space keeps the text as it reads.
 */
function cdataSafe(text: string): string {
  return text.replaceAll(']]>', ']]\u200b>');
}

interface Entry {
  anchor: string;
  title: string;
  published: Date;
  updated: Date;
  status: string;
  updates: Record<string, unknown>[];
}

function entries(shaped: Shaped): Entry[] {
  const incidents = shaped.incidents.map((json) => ({ json, anchor: `incident-${json.id as string}`, status: json.status as string }));
  const maintenances = shaped.maintenances.map((m) => ({
    json: m.json,
    anchor: `maintenance-${(m.json.id as string).replace(/^m/, '')}`,
    status: m.status,
  }));
  return [...incidents, ...maintenances]
    .map(({ json, anchor, status }) => ({
      anchor,
      title: json.name as string,
      published: new Date(json.created_at as string),
      updated: new Date(json.updated_at as string),
      status,
      updates: json.incident_updates as Record<string, unknown>[],
    }))
    .sort((a, b) => b.updated.getTime() - a.updated.getTime() || a.anchor.localeCompare(b.anchor));
}

/** The latest updates as HTML, each body escaped, its line breaks kept. */
function contentHtml(entry: Entry): string {
  const parts = [`<p><strong>Status: ${escapeHtml(STATUS_LABELS[entry.status] ?? entry.status)}</strong></p>`];
  for (const update of entry.updates.slice(0, UPDATES_PER_ENTRY)) {
    const label = STATUS_LABELS[update.status as string] ?? String(update.status);
    const body = escapeHtml(update.body as string).replace(/\r?\n/g, '<br>');
    parts.push(`<p><small>${escapeHtml(label)} · ${escapeHtml(new Date(update.created_at as string).toUTCString())}</small><br>${body}</p>`);
  }
  return parts.join('\n');
}

export function buildFeed(format: FeedFormat, shaped: Shaped): string {
  const pageUrl = shaped.page.url as string;
  const name = shaped.page.name as string;
  const list = entries(shaped);
  const feed = new Feed({
    id: `${pageUrl}/history`,
    title: `${name} status history`,
    description: `Incidents and maintenance on ${name}, newest first.`,
    link: pageUrl,
    language: 'en',
    updated: new Date(shaped.page.updated_at as string),
    generator: 'Intermission',
    feedLinks: { rss: `${pageUrl}/history.rss`, atom: `${pageUrl}/history.atom` },
  });
  for (const entry of list) {
    const link = `${pageUrl}/history#${entry.anchor}`;
    const item: Item = {
      id: link,
      link,
      // Atom marks titles type="html", so there the title is HTML source; RSS readers take it as text.
      title: format === 'atom' ? escapeHtml(entry.title) : cdataSafe(entry.title),
      date: entry.updated,
      published: entry.published,
      description: escapeHtml((entry.updates[0]?.body as string | undefined) ?? STATUS_LABELS[entry.status] ?? entry.status),
      content: contentHtml(entry),
    };
    feed.addItem(item);
  }
  return format === 'atom' ? feed.atom1() : feed.rss2();
}
