// The reminder e-mail for one window and one person: subject, plain text and a simple HTML part,
// times in UTC and in the person's zone when they chose one, and a link to the window. Pure.

import ejs from 'ejs';
import { formatTime } from '../admin/time-zone.js';
import type { ReminderRecipient } from './reminder-recipients.js';
import type { RemindedWindow } from './reminders.js';

export interface ReminderLinks {
  /** ADMIN_PATH, with PUBLIC_URL in front when it is set. */
  adminUrl: string;
  siteName: string;
}

export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

// A subject line has little room; the body says the rest.
const MAX_SUBJECT_TITLE = 120;

/** "60 min", "3 h", "2 d": the lead time as the subject says it. */
export function leadText(minutes: number): string {
  if (minutes < 120 || minutes % 60 !== 0) return `${minutes} min`;
  if (minutes % 1440 === 0) return `${minutes / 1440} d`;
  return `${minutes / 60} h`;
}

// The escaping the EJS views use, for the e-mail's HTML part.
const escapeHtml = ejs.escapeXML;

/** "Sun 22 Nov 2026, 14:00 UTC (15:00 CET on Sun 22 Nov 2026)" when the person has a zone of their own. */
function timeText(ms: number, zone: string | null): string {
  const utc = formatTime(ms, 'UTC');
  return zone && zone !== 'UTC' ? `${utc} (${formatTime(ms, zone)})` : utc;
}

export function reminderEmail(window: RemindedWindow, recipient: ReminderRecipient, links: ReminderLinks): EmailMessage {
  const kind = window.kind === 'downtime' ? 'Downtime' : 'Maintenance';
  const title = window.title.length > MAX_SUBJECT_TITLE ? `${window.title.slice(0, MAX_SUBJECT_TITLE - 1)}…` : window.title;
  const windowUrl = `${links.adminUrl}/windows/${window.id}`;
  const accountUrl = `${links.adminUrl}/account`;
  const starts = timeText(window.startsAt, recipient.timeZone);
  const ends = window.endsAt === null ? 'no end set: it lasts until someone ends it' : timeText(window.endsAt, recipient.timeZone);
  const greeting = `Hello ${recipient.name || recipient.email},`;
  const intro = `${kind} “${window.title}” on ${links.siteName} starts in ${leadText(window.minutes)}.`;
  const why = 'You get this because you ticked “E-mail me before maintenance starts” on your account page';

  const text = [
    greeting,
    '',
    intro,
    '',
    `Starts: ${starts}`,
    `Ends:   ${ends}`,
    ...(window.message ? ['', window.message] : []),
    '',
    `The window in the admin area: ${windowUrl}`,
    '',
    `${why}: ${accountUrl}`,
    '',
  ].join('\n');

  const html = [
    '<!doctype html><html><body style="font-family: sans-serif; line-height: 1.5">',
    `<p>${escapeHtml(greeting)}</p>`,
    `<p><strong>${escapeHtml(intro)}</strong></p>`,
    '<table role="presentation" style="border-collapse: collapse">',
    `<tr><th scope="row" style="text-align: left; padding-right: 1em">Starts</th><td>${escapeHtml(starts)}</td></tr>`,
    `<tr><th scope="row" style="text-align: left; padding-right: 1em">Ends</th><td>${escapeHtml(ends)}</td></tr>`,
    '</table>',
    ...(window.message ? [`<p style="white-space: pre-line">${escapeHtml(window.message)}</p>`] : []),
    `<p><a href="${escapeHtml(windowUrl)}">See the window in the admin area</a></p>`,
    `<p style="color: #666; font-size: smaller">${escapeHtml(why)}: <a href="${escapeHtml(accountUrl)}">your account</a>.</p>`,
    '</body></html>',
  ].join('\n');

  return { to: recipient.email, subject: `${kind} starts in ${leadText(window.minutes)}: ${title}`, text, html };
}
