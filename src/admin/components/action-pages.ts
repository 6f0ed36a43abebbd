// What can be done to one component straight from the list: set its status, move it up or down,
// and delete it (after a server-rendered confirmation).

import type express from 'express';
import { componentUsage, getComponent } from '../../maintenance/components.js';
import type { AdminDeps } from '../deps.js';
import { redirectWith, type FlashMessage } from '../flash.js';
import { actorOf, confirmed, formFields } from '../form.js';
import { requireRole } from '../guards.js';
import { siteBase, siteOf } from '../site-scope.js';
import { parseInput } from '../validation.js';
import { moveSchema, statusSchema } from './input.js';
import { componentId } from './json.js';
import type { ComponentOperations } from './operations.js';
import { heldComponents, maintenanceHides, statusLabel } from './view.js';

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** Adds the routes to pages itself (not a nested router), so every route can be listed from it. */
export function addComponentActionPages(pages: express.Router, { pool, now }: AdminDeps, ops: ComponentOperations): void {

  pages.post('/components/:id/status', requireRole('operator'), async function setStatus(req, res) {
    const id = componentId(req.params.id);
    const { status } = parseInput(statusSchema, formFields(req));
    const component = await ops.setStatus(actorOf(res), siteOf(res).site.id, id, status);
    const messages: FlashMessage[] = [{ kind: 'notice', text: `“${component.name}” is now ${statusLabel(status).toLowerCase()}.` }];
    const heldBy = heldComponents(siteOf(res).windows, now()).get(id) ?? [];
    if (heldBy.length > 0 && maintenanceHides(status)) {
      messages.push({ kind: 'warning', text: `The status page shows it under maintenance until “${heldBy[0]}” ends; then it shows ${statusLabel(status).toLowerCase()}.` });
    }
    redirectWith(res, siteBase(res), `/components#component-${id}`, ...messages);
  });

  pages.post('/components/:id/move', requireRole('operator'), async function moveComponent(req, res) {
    const id = componentId(req.params.id);
    const direction = parseInput(moveSchema, formFields(req));
    const component = await ops.move(actorOf(res), siteOf(res).site.id, id, direction);
    redirectWith(res, siteBase(res), `/components#component-${id}`, { kind: 'notice', text: `Moved “${component.name}” ${direction}.` });
  });

  pages.post('/components/:id/delete', requireRole('operator'), async function deleteComponent(req, res) {
    const id = componentId(req.params.id);
    if (!confirmed(req)) {
      const [component, usage] = await Promise.all([getComponent(pool, siteOf(res).site.id, id), componentUsage(pool, siteOf(res).site.id, id)]);
      const named = [
        usage.windows > 0 ? plural(usage.windows, 'window in force or upcoming', 'windows in force or upcoming') : '',
        usage.openIncidents > 0 ? plural(usage.openIncidents, 'open incident', 'open incidents') : '',
      ].filter(Boolean);
      return res.render('admin/confirm', {
        title: `Delete “${component.name}”?`,
        nav: '/components',
        heading: `Delete “${component.name}”?`,
        lines: [
          'It disappears from the status page. This cannot be undone; the audit log keeps a record of it.',
          ...(named.length > 0 ? [`${named.join(' and ')} name it; they will no longer.`] : []),
        ],
        details: [['Status', statusLabel(component.status)], ['Description', component.description || '—']],
        action: `${siteBase(res)}/components/${id}/delete`,
        confirmLabel: 'Yes, delete it',
        hidden: [],
        danger: true,
        cancelHref: `${siteBase(res)}/components/${id}`,
      });
    }
    const component = await ops.remove(actorOf(res), siteOf(res).site.id, id);
    redirectWith(res, siteBase(res), '/components', { kind: 'notice', text: `Deleted “${component.name}”.` });
  });

}
