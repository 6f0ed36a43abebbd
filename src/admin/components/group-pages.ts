// The component group pages under /components/groups: add a group, a group's page (rename it,
// see its components), move it up or down, and delete it after a confirmation.

import type express from 'express';
import { getGroup, type ComponentGroupRecord } from '../../maintenance/component-groups.js';
import { listComponents } from '../../maintenance/components.js';
import type { AdminDeps } from '../deps.js';
import { redirectWith } from '../flash.js';
import { actorOf, confirmed, formError, formFields, formLocals, isFormError, type FormValues } from '../form.js';
import { requireRole } from '../guards.js';
import { siteBase, siteOf } from '../site-scope.js';
import { parseInput } from '../validation.js';
import { createGroupSchema, moveSchema, updateGroupSchema } from './input.js';
import { groupId } from './json.js';
import type { ComponentOperations } from './operations.js';
import { componentView, heldComponents } from './view.js';

type FormProblem = { message: string; field?: string };

/** Adds the routes to pages itself (not a nested router), so every route can be listed from it. */
export function addGroupPages(pages: express.Router, { pool, now }: AdminDeps, ops: ComponentOperations): void {

  function renderNew(res: express.Response, status: number, values: FormValues, error?: FormProblem): void {
    res.status(status).render('admin/components/group-new', { title: 'Add a group', nav: '/components', ...formLocals(values, error) });
  }

  async function renderGroup(res: express.Response, status: number, group: ComponentGroupRecord, values: FormValues, error?: FormProblem): Promise<void> {
    const held = heldComponents(siteOf(res).windows, now());
    const members = (await listComponents(pool, siteOf(res).site.id)).filter((c) => c.groupId === group.id);
    res.status(status).render('admin/components/group', {
      title: group.name,
      nav: '/components',
      group,
      components: members.map((c) => componentView(c, held)),
      ...formLocals(values, error),
    });
  }

  pages.get('/components/groups', requireRole('viewer'), function groupList(_req, res) {
    res.redirect(303, `${siteBase(res)}/components#groups`);
  });

  pages.get('/components/groups/new', requireRole('viewer'), function newGroup(_req, res) {
    renderNew(res, 200, {});
  });

  pages.post('/components/groups', requireRole('operator'), async function createGroup(req, res, next) {
    const values = formFields(req);
    try {
      const group = await ops.createGroup(actorOf(res), siteOf(res).site.id, parseInput(createGroupSchema, values));
      redirectWith(res, siteBase(res), `/components#group-${group.id}`, { kind: 'notice', text: `Added the group “${group.name}”: add components to it from their pages.` });
    } catch (err) {
      if (!isFormError(err)) return next(err);
      renderNew(res, err.status, values, formError(err));
    }
  });

  pages.get('/components/groups/:id', requireRole('viewer'), async function groupPage(req, res) {
    const group = await getGroup(pool, siteOf(res).site.id, groupId(req.params.id));
    await renderGroup(res, 200, group, { name: group.name });
  });

  pages.post('/components/groups/:id', requireRole('operator'), async function renameGroup(req, res, next) {
    const id = groupId(req.params.id);
    const group = await getGroup(pool, siteOf(res).site.id, id);
    const values = formFields(req);
    try {
      const saved = await ops.updateGroup(actorOf(res), siteOf(res).site.id, id, parseInput(updateGroupSchema, values));
      redirectWith(res, siteBase(res), `/components#group-${id}`, { kind: 'notice', text: `Saved the group “${saved.name}”.` });
    } catch (err) {
      if (!isFormError(err)) return next(err);
      await renderGroup(res, err.status, group, values, formError(err));
    }
  });

  pages.post('/components/groups/:id/move', requireRole('operator'), async function moveGroup(req, res) {
    const id = groupId(req.params.id);
    const direction = parseInput(moveSchema, formFields(req));
    const group = await ops.moveGroup(actorOf(res), siteOf(res).site.id, id, direction);
    redirectWith(res, siteBase(res), `/components#group-${id}`, { kind: 'notice', text: `Moved the group “${group.name}” ${direction}.` });
  });

  pages.post('/components/groups/:id/delete', requireRole('operator'), async function deleteGroup(req, res) {
    const id = groupId(req.params.id);
    if (!confirmed(req)) {
      const group = await getGroup(pool, siteOf(res).site.id, id);
      const count = group.componentIds.length;
      return res.render('admin/confirm', {
        title: `Delete the group “${group.name}”?`,
        nav: '/components',
        heading: `Delete the group “${group.name}”?`,
        lines: [
          count === 0
            ? 'It has no components. Its heading disappears from the status page.'
            : `Its ${count === 1 ? 'component stays' : `${count} components stay`} on the status page, outside any group. Only the heading goes.`,
        ],
        action: `${siteBase(res)}/components/groups/${id}/delete`,
        confirmLabel: 'Yes, delete the group',
        hidden: [],
        danger: true,
        cancelHref: `${siteBase(res)}/components/groups/${id}`,
      });
    }
    const group = await ops.removeGroup(actorOf(res), siteOf(res).site.id, id);
    redirectWith(res, siteBase(res), '/components', { kind: 'notice', text: `Deleted the group “${group.name}”.` });
  });

}
