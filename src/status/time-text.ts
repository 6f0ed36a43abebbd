// How times are worded for people: in UTC for the status page without JavaScript (its script
// rewrites them in the reader's zone), and relative to now, for the status page and admin pages.

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "14:30 UTC, 22 Nov 2026": readable without JavaScript; the script rewrites it in local time. */
export function utcText(ms: number): string {
  const d = new Date(ms);
  const hh = String(d.getUTCHours()).padStart(2, '0');
  const mm = String(d.getUTCMinutes()).padStart(2, '0');
  return `${hh}:${mm} UTC, ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

function plural(count: number, unit: string): string {
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
}

/** "in about 25 minutes" or "about 3 hours ago": for the status page and the admin pages alike. */
export function fromNow(ms: number, now: number): string {
  const minutes = Math.round(Math.abs(ms - now) / 60_000);
  const span =
    minutes < 1 ? 'less than a minute'
    : minutes < 60 ? `about ${plural(minutes, 'minute')}`
    : minutes < 36 * 60 ? `about ${plural(Math.round(minutes / 60), 'hour')}`
    : `about ${plural(Math.round(minutes / 1440), 'day')}`;
  return ms >= now ? `in ${span}` : `${span} ago`;
}

/** For an expected end: "in about 25 minutes", and once it is due, "any moment now", never "ago". */
export function relativeText(ms: number, now: number): string {
  return ms <= now ? 'any moment now' : fromNow(ms, now);
}

/** A measured length of time for people: "45 s", "4 min 12 s", "1 h 5 min", "2 days 3 h". */
export function durationText(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return seconds % 60 === 0 ? `${minutes} min` : `${minutes} min ${seconds % 60} s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
  const days = Math.floor(hours / 24);
  return hours % 24 === 0 ? plural(days, 'day') : `${plural(days, 'day')} ${hours % 24} h`;
}
