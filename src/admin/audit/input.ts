// The filters of the audit log, shared by the page (a GET form) and the API: who, which kind of
// object, which action, and the cursor of the previous page.

import { z } from 'zod';
import { blank, checkbox, id } from '../validation.js';

export const DEFAULT_PAGE_SIZE = 50;

export const auditQuery = z.strictObject({
  actor: blank(z.string().max(300).optional()),
  kind: blank(z.string().max(100).optional()),
  action: blank(z.string().max(100).optional()),
  before: blank(id.optional()),
  limit: blank(z.coerce.number().int().min(1).max(200).optional()),
  /** Global admins: every site's entries, and those of no one site (users, global tokens). */
  all_sites: checkbox,
});

export type AuditQuery = z.output<typeof auditQuery>;
