import { HEADER } from '@hookline/contracts';
import { createMetrics } from '@hookline/observability';
import { appendMetrics } from './append-metrics';

const event = (type: string, tenant: string) => ({ topic: 'hookline.messages.v1', key: tenant, value: '{}', headers: { [HEADER.eventType]: type, [HEADER.tenantId]: tenant } });

describe('appendMetrics', () => {
  it('counts events by topic and type, and published messages per tenant up to the limit, the rest as "other"', async () => {
    const metrics = createMetrics({ service: 'command-service', defaultMetrics: false });
    const observe = appendMetrics(metrics, 2);
    observe([event('message.published.v1', 'tnt_a'), event('message.published.v1', 'tnt_b'), event('message.published.v1', 'tnt_c')]);
    observe([event('message.published.v1', 'tnt_a'), event('endpoint.created.v1', 'tnt_d')]);

    const body = (await metrics.render()).body;
    expect(body).toContain('hookline_command_events_appended_total{topic="hookline.messages.v1",event_type="message.published.v1",service="command-service"} 4');
    expect(body).toContain('hookline_command_events_appended_total{topic="hookline.messages.v1",event_type="endpoint.created.v1",service="command-service"} 1');
    expect(body).toContain('hookline_command_messages_published_total{tenant="tnt_a",service="command-service"} 2');
    expect(body).toContain('hookline_command_messages_published_total{tenant="tnt_b",service="command-service"} 1');
    expect(body).toContain('hookline_command_messages_published_total{tenant="other",service="command-service"} 1');
    expect(body).not.toContain('tnt_c');
    expect(body).not.toContain('tnt_d');
  });
});
