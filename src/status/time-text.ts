// How the status page words times when JavaScript is off: in UTC and relative to now.
// The page's script rewrites them in the reader's own timezone.

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "14:30 UTC, 22 Nov 2026": readable without JavaScript; the script rewrites it in local time. */
export function utcText(ms: number): string {
  const d = new Date(ms);
  const hh = String(d.getUTCHours()).padStart(2, '0');
  const mm = String(d.getUTCMinutes()).padStart(2, '0');
  return `${hh}:${mm} UTC, ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

/** "in about 25 minutes", from now to a later moment. */
export function relativeText(ms: number, now: number): string {
  const minutes = Math.round((ms - now) / 60_000);
  if (ms <= now) return 'any moment now';
  if (minutes < 1) return 'in less than a minute';
  if (minutes < 60) return `in about ${minutes} minute${minutes === 1 ? '' : 's'}`;
  const hours = Math.round(minutes / 60);
  if (hours < 36) return `in about ${hours} hour${hours === 1 ? '' : 's'}`;
  return `in about ${Math.round(hours / 24)} days`;
}
