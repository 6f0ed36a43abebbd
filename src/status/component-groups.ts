// Components as the status page lists them: ungrouped ones first, then each group under its
// heading, all in position order, each group showing the worst status among its components.

import type { Component, ComponentGroup, ComponentStatus, MaintenanceWindow } from '../snapshot/types.js';
import { COMPONENT_LABELS, COMPONENT_SEVERITY, worst, type Severity } from './component-status.js';

export interface ComponentView {
  id: string;
  name: string;
  description: string;
  status: ComponentStatus;
  statusLabel: string;
  severity: Severity;
}

export interface ComponentGroupView {
  /** null for the components that belong to no group; they are listed first, without a heading. */
  id: string | null;
  name: string | null;
  status: ComponentStatus;
  statusLabel: string;
  severity: Severity;
  components: ComponentView[];
}

function byPosition(a: { position: number; name: string }, b: { position: number; name: string }): number {
  return a.position - b.position || a.name.localeCompare(b.name);
}

function componentView(component: Component, underMaintenance: ReadonlySet<string>): ComponentView {
  const status = underMaintenance.has(component.id) ? worst(component.status, 'under_maintenance') : component.status;
  return {
    id: component.id,
    name: component.name,
    description: component.description,
    status,
    statusLabel: COMPONENT_LABELS[status],
    severity: COMPONENT_SEVERITY[status],
  };
}

function groupView(id: string | null, name: string | null, components: ComponentView[]): ComponentGroupView {
  const status = components.reduce<ComponentStatus>((acc, c) => worst(acc, c.status), 'operational');
  return { id, name, status, statusLabel: COMPONENT_LABELS[status], severity: COMPONENT_SEVERITY[status], components };
}

/**
 * Groups in display order; a group with no components is left out (a heading over nothing says
 * nothing), and a component whose group is unknown is listed with the ungrouped ones.
 */
export function componentGroupViews(
  components: readonly Component[],
  groups: readonly ComponentGroup[],
  inForce: readonly MaintenanceWindow[],
): ComponentGroupView[] {
  // A window in force marks its components under maintenance, unless they are doing worse.
  const underMaintenance = new Set(inForce.flatMap((w) => w.componentIds));
  const known = new Set(groups.map((g) => g.id));
  const members = new Map<string | null, ComponentView[]>();
  for (const component of [...components].sort(byPosition)) {
    const key = component.groupId !== null && known.has(component.groupId) ? component.groupId : null;
    const list = members.get(key) ?? [];
    list.push(componentView(component, underMaintenance));
    members.set(key, list);
  }
  const views: ComponentGroupView[] = [];
  const ungrouped = members.get(null);
  if (ungrouped) views.push(groupView(null, null, ungrouped));
  for (const group of [...groups].sort(byPosition)) {
    const list = members.get(group.id);
    if (list) views.push(groupView(group.id, group.name, list));
  }
  return views;
}
