import { HEADER } from '@hookline/contracts';
import type { OutgoingEvent } from '@hookline/kafka';
import type { Metrics } from '@hookline/observability';
import { boundedLabel } from '../../observability/bounded-label';

const MESSAGE_PUBLISHED = 'message.published.v1';

/**
 * Counts what the command service appended to Kafka once Kafka acknowledged it: every event by topic and event type (a
 * closed set of contract types), and published messages per tenant, which the "tenant went quiet" alert needs. Tenants
 * are configuration, but an installation may hold many: the first `tenantSeriesLimit` seen get their own series, the
 * rest share `tenant="other"`, so the series count stays bounded.
 */
export function appendMetrics(metrics: Metrics, tenantSeriesLimit: number): (events: readonly OutgoingEvent[]) => void {
  const appended = metrics.counter('command_events_appended_total', 'Events appended to Kafka (acknowledged), by topic and event type', [
    'topic',
    'event_type',
  ]);
  const published = metrics.counter('command_messages_published_total', 'Messages published (acknowledged by Kafka), by tenant', ['tenant']);
  const tenantLabel = boundedLabel(tenantSeriesLimit);

  return (events) => {
    for (const event of events) {
      const type = event.headers?.[HEADER.eventType] ?? 'unknown';
      appended.inc({ topic: event.topic, event_type: type });
      const tenant = event.headers?.[HEADER.tenantId];
      if (type === MESSAGE_PUBLISHED && tenant) published.inc({ tenant: tenantLabel(tenant) });
    }
  };
}
