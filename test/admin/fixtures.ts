// What the admin area's tests share: its paths, a script to prove that output is escaped, the audit
// rows an action wrote, and the fields of a confirmation page's form.

import type { TestDatabase } from '../helpers/database.js';

export const ADMIN = '/admin';
export const API = '/admin/api/v1';

/**
 * Audit rows written by people and tokens, for "nothing was written" checks: the jobs' own rows
 * (actor system: windows moving through their lifecycle, series expanding) come on their own clock.
 */
export const AUDIT_BY_PEOPLE = "(SELECT count(*) FROM audit_log WHERE actor <> 'system')";
export const SCRIPT = '<script>alert(1)</script>';
/** SCRIPT as a page must show it. */
export const ESCAPED = '&lt;script&gt;alert(1)&lt;/script&gt;';

export interface AuditRow {
  actor: string;
  action: string;
  kind: string;
  object_id: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

export async function auditRows(db: TestDatabase, action: string): Promise<AuditRow[]> {
  const { rows } = await db.query<AuditRow>('SELECT actor, action, kind, object_id, before, after FROM audit_log WHERE action = $1 ORDER BY id', [action]);
  return rows;
}

/** The values of the hidden inputs of the last form on a page (a confirmation's), as fields to post. */
export function hiddenFields(html: string): Record<string, string | string[]> {
  const form = html.slice(html.lastIndexOf('<form'));
  const fields: Record<string, string | string[]> = {};
  for (const match of form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    const [, name, raw] = match;
    const value = raw!.replace(/&#34;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
    const existing = fields[name!];
    fields[name!] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
  }
  return fields;
}
