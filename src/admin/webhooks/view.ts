// How webhooks and deliveries read on the admin pages: states in words with their badges, times
// in the reader's zone. Plain data for the templates, which only print (escaped).

import type { DeliveryRecord } from '../../notify/deliveries.js';
import { EVENT_LABELS, SUBSCRIBABLE_EVENTS, type EventType } from '../../notify/event-payload.js';
import type { DeliveryState, WebhookFormat, WebhookRecord } from '../../notify/webhooks.js';
import { fromNow } from '../../status/time-text.js';
import { formatTime } from '../time-zone.js';

export const FORMAT_CHOICES: { value: WebhookFormat; label: string; hint: string }[] = [
  { value: 'json', label: 'JSON', hint: 'the event as JSON, for your own receiver' },
  { value: 'slack', label: 'Slack', hint: 'a one-line {"text": …} message, for a Slack (or compatible) incoming webhook' },
];

export const EVENT_CHOICES = SUBSCRIBABLE_EVENTS.map((value) => ({ value, label: EVENT_LABELS[value] }));

export const DELIVERY_STATE_LABELS: Record<DeliveryState, { label: string; badge: string }> = {
  pending: { label: 'Pending', badge: 'badge--warn' },
  delivered: { label: 'Delivered', badge: 'badge--ok' },
  failed: { label: 'Failed', badge: 'badge--hold' },
};

/** "HTTP 200", "HTTP 500", or "no answer". */
function responseText(status: number | null): string {
  return status === null ? 'no answer' : `HTTP ${status}`;
}

export interface WebhookView {
  id: string;
  url: string;
  description: string;
  events: string[];
  allEvents: boolean;
  formatLabel: string;
  enabled: boolean;
  lastDelivery: { label: string; badge: string; responseText: string; attempts: number; error: string | null; atText: string; atRelative: string } | null;
  createdText: string;
  createdBy: string;
  secretText: string;
}

export function webhookView(webhook: WebhookRecord, zone: string, now: number): WebhookView {
  const last = webhook.lastDelivery;
  return {
    id: webhook.id,
    url: webhook.url,
    description: webhook.description,
    events: webhook.events,
    allEvents: webhook.events.length === SUBSCRIBABLE_EVENTS.length,
    formatLabel: FORMAT_CHOICES.find((choice) => choice.value === webhook.format)!.label,
    enabled: webhook.enabled,
    lastDelivery: last && {
      ...DELIVERY_STATE_LABELS[last.state],
      responseText: responseText(last.responseStatus),
      attempts: last.attempts,
      error: last.lastError,
      atText: formatTime(last.at, zone),
      atRelative: fromNow(last.at, now),
    },
    createdText: formatTime(webhook.createdAt, zone),
    createdBy: webhook.createdBy,
    secretText: webhook.secretRotatedAt === null ? `made ${formatTime(webhook.createdAt, zone)}` : `rotated ${formatTime(webhook.secretRotatedAt, zone)}`,
  };
}

export interface DeliveryView {
  id: string;
  eventId: string;
  eventType: EventType;
  eventLabel: string;
  eventText: string;
  label: string;
  badge: string;
  attempts: number;
  responseText: string;
  error: string | null;
  /** While pending: when the next attempt is due; else when it finished. */
  whenText: string;
}

export function deliveryView(delivery: DeliveryRecord, zone: string, now: number): DeliveryView {
  const state = DELIVERY_STATE_LABELS[delivery.state];
  const attempted = delivery.attempts > 0;
  return {
    id: delivery.id,
    eventId: delivery.eventId,
    eventType: delivery.eventType,
    eventLabel: EVENT_LABELS[delivery.eventType],
    eventText: formatTime(delivery.eventAt, zone),
    label: state.label,
    badge: state.badge,
    attempts: delivery.attempts,
    responseText: attempted ? responseText(delivery.responseStatus) : '—',
    error: delivery.lastError,
    whenText:
      delivery.state === 'pending'
        ? `next attempt ${fromNow(delivery.nextAttemptAt, now)}`
        : `${delivery.state} ${formatTime(delivery.finishedAt, zone)}`,
  };
}
