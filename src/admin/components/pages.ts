// The components pages: the list (grouped, in the status page's order, with a quick status
// control), the form to add one, and one component's page where it is edited.

import express from 'express';
import { listGroups } from '../../maintenance/component-groups.js';
import { getComponent, listComponents, type ComponentRecord } from '../../maintenance/components.js';
import type { AdminDeps } from '../deps.js';
import { redirectWith } from '../flash.js';
import { actorOf, formError, formFields, formLocals, isFormError, type FormValues } from '../form.js';
import { requireRole } from '../guards.js';
import { siteBase, siteOf } from '../site-scope.js';
import { parseInput } from '../validation.js';
import { addComponentActionPages } from './action-pages.js';
import { addGroupPages } from './group-pages.js';
import { createSchema, updateSchema } from './input.js';
import { componentId } from './json.js';
import type { ComponentOperations } from './operations.js';
import { componentView, heldComponents, sections, STATUS_OPTIONS } from './view.js';

export function createComponentPages(deps: AdminDeps, ops: ComponentOperations): express.Router {
  const { pool, now } = deps;
  const pages = express.Router();
  const held = (res: express.Response) => heldComponents(siteOf(res).windows, now());

  async function renderNew(res: express.Response, status: number, values: FormValues, error?: { message: string; field?: string }): Promise<void> {
    res.status(status).render('admin/components/new', {
      title: 'Add a component',
      nav: '/components',
      groups: await listGroups(pool, siteOf(res).site.id),
      statuses: STATUS_OPTIONS,
      ...formLocals(values, error),
    });
  }

  async function renderEdit(res: express.Response, status: number, component: ComponentRecord, values: FormValues, error?: { message: string; field?: string }): Promise<void> {
    res.status(status).render('admin/components/edit', {
      title: component.name,
      nav: '/components',
      component: componentView(component, held(res)),
      groups: await listGroups(pool, siteOf(res).site.id),
      statuses: STATUS_OPTIONS,
      ...formLocals(values, error),
    });
  }

  function editValues(component: ComponentRecord): FormValues {
    return { name: component.name, description: component.description, status: component.status, group_id: component.groupId ?? '' };
  }

  pages.get('/components', requireRole('viewer'), async function componentList(_req, res) {
    const [components, groups] = await Promise.all([listComponents(pool, siteOf(res).site.id), listGroups(pool, siteOf(res).site.id)]);
    res.render('admin/components/list', {
      title: 'Components',
      nav: '/components',
      sections: sections(components, groups, held(res)),
      count: components.length,
      statuses: STATUS_OPTIONS,
    });
  });

  pages.get('/components/new', requireRole('viewer'), async function newComponent(req, res) {
    const group = typeof req.query.group === 'string' ? req.query.group : '';
    await renderNew(res, 200, { status: 'operational', group_id: group });
  });

  pages.post('/components', requireRole('operator'), async function createComponent(req, res, next) {
    const values = formFields(req);
    try {
      const component = await ops.create(actorOf(res), siteOf(res).site.id, parseInput(createSchema, values));
      redirectWith(res, siteBase(res), `/components#component-${component.id}`, { kind: 'notice', text: `Added “${component.name}”: it shows on the status page.` });
    } catch (err) {
      if (!isFormError(err)) return next(err);
      await renderNew(res, err.status, values, formError(err));
    }
  });

  // The group pages go before /components/:id, which would otherwise take "groups" for an id.
  addGroupPages(pages, deps, ops);

  pages.get('/components/:id', requireRole('viewer'), async function componentPage(req, res) {
    const component = await getComponent(pool, siteOf(res).site.id, componentId(req.params.id));
    await renderEdit(res, 200, component, editValues(component));
  });

  pages.post('/components/:id', requireRole('operator'), async function saveComponent(req, res, next) {
    const id = componentId(req.params.id);
    const component = await getComponent(pool, siteOf(res).site.id, id);
    const values = formFields(req);
    try {
      const saved = await ops.update(actorOf(res), siteOf(res).site.id, id, parseInput(updateSchema, values));
      redirectWith(res, siteBase(res), `/components#component-${id}`, { kind: 'notice', text: `Saved “${saved.name}”.` });
    } catch (err) {
      if (!isFormError(err)) return next(err);
      await renderEdit(res, err.status, component, values, formError(err));
    }
  });

  addComponentActionPages(pages, deps, ops);
  return pages;
}
