// The five component statuses in words, in severity, and in order from best to worst.

import type { ComponentStatus } from '../snapshot/types.js';

/** The Statuspage indicator vocabulary, used as the styling key. */
export type Severity = 'none' | 'minor' | 'major' | 'critical' | 'maintenance';

export const COMPONENT_LABELS: Record<ComponentStatus, string> = {
  operational: 'Operational',
  degraded_performance: 'Degraded performance',
  partial_outage: 'Partial outage',
  major_outage: 'Major outage',
  under_maintenance: 'Under maintenance',
};

export const COMPONENT_SEVERITY: Record<ComponentStatus, Severity> = {
  operational: 'none',
  degraded_performance: 'minor',
  partial_outage: 'major',
  major_outage: 'critical',
  under_maintenance: 'maintenance',
};

// Worst last. An outage outranks maintenance: a reader should hear about a real failure
// even while planned work is going on.
export const RANK: ComponentStatus[] = ['operational', 'under_maintenance', 'degraded_performance', 'partial_outage', 'major_outage'];

export function worst(a: ComponentStatus, b: ComponentStatus): ComponentStatus {
  return RANK.indexOf(a) >= RANK.indexOf(b) ? a : b;
}
