// How components read on the admin pages: statuses in words with a badge, grouped as the status
// page lists them, and which window in force shows a component as under maintenance right now.

import type { ComponentGroupRecord } from '../../maintenance/component-groups.js';
import type { ComponentRecord } from '../../maintenance/components.js';
import { COMPONENT_STATUSES, isInForce, type ComponentStatus, type MaintenanceWindow } from '../../snapshot/types.js';
import { COMPONENT_LABELS, worst } from '../../status/component-status.js';

const BADGES: Record<ComponentStatus, string> = {
  operational: 'badge--ok',
  degraded_performance: 'badge--warn',
  partial_outage: 'badge--hold',
  major_outage: 'badge--outage',
  under_maintenance: 'badge--info',
};

/** The five statuses, best first, for pickers. */
export const STATUS_OPTIONS = COMPONENT_STATUSES.map((value) => ({ value, label: COMPONENT_LABELS[value] }));

export function statusLabel(status: ComponentStatus): string {
  return COMPONENT_LABELS[status];
}

export interface ComponentView {
  id: string;
  name: string;
  description: string;
  status: ComponentStatus;
  statusLabel: string;
  badge: string;
  groupId: string | null;
  /** Titles of the windows in force that name it. */
  heldBy: string[];
  /** How those windows change what the status page shows for it; null when they do not. */
  maintenanceNote: string | null;
  first: boolean;
  last: boolean;
}

export interface Section {
  /** null: the components in no group. */
  group: ComponentGroupRecord | null;
  components: ComponentView[];
  first: boolean;
  last: boolean;
}

/** Window titles by the components they hold, for windows in force at now. */
export function heldComponents(windows: readonly MaintenanceWindow[], now: number): Map<string, string[]> {
  const held = new Map<string, string[]>();
  for (const window of windows) {
    if (!isInForce(window, now)) continue;
    for (const id of window.componentIds) held.set(id, [...(held.get(id) ?? []), window.title]);
  }
  return held;
}

/** Whether a window in force shows this status as under maintenance: the status page's rule, where worse outranks maintenance. */
export function maintenanceHides(status: ComponentStatus): boolean {
  return status !== 'under_maintenance' && worst(status, 'under_maintenance') === 'under_maintenance';
}

function maintenanceNote(status: ComponentStatus, heldBy: string[]): string | null {
  if (heldBy.length === 0 || status === 'under_maintenance') return null;
  const windows = `“${heldBy.join('”, “')}”`;
  return maintenanceHides(status)
    ? `Shown under maintenance while ${windows} ${heldBy.length === 1 ? 'is' : 'are'} in force`
    : `${windows} ${heldBy.length === 1 ? 'is' : 'are'} in force, but this status is worse, so the status page shows it`;
}

export function componentView(component: ComponentRecord, held: Map<string, string[]>, index = 0, count = 1): ComponentView {
  return {
    id: component.id,
    name: component.name,
    description: component.description,
    status: component.status,
    statusLabel: COMPONENT_LABELS[component.status],
    badge: BADGES[component.status],
    groupId: component.groupId,
    heldBy: held.get(component.id) ?? [],
    maintenanceNote: maintenanceNote(component.status, held.get(component.id) ?? []),
    first: index === 0,
    last: index === count - 1,
  };
}

/** The components in no group first, then each group in order, as the status page lists them. */
export function sections(components: readonly ComponentRecord[], groups: readonly ComponentGroupRecord[], held: Map<string, string[]>): Section[] {
  const of = (groupId: string | null) => {
    const members = components.filter((c) => c.groupId === groupId);
    return members.map((c, index) => componentView(c, held, index, members.length));
  };
  return [
    { group: null, components: of(null), first: true, last: true },
    ...groups.map((group, index) => ({ group, components: of(group.id), first: index === 0, last: index === groups.length - 1 })),
  ];
}
