import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import { EVENT_SCHEMA_PATH, ASYNCAPI_PATH, EndpointId, MessageId, TenantId, envelope, newId, topicNames } from './index';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { render } = require('../scripts/generate-schemas.js') as { render(): Record<string, string> };

describe('published event schemas', () => {
  const schema = JSON.parse(readFileSync(EVENT_SCHEMA_PATH, 'utf8'));
  const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
  const tenant = newId('tenant') as TenantId;
  const meta = { tenantId: tenant, source: 'command-service' as const, correlationId: 'c' };

  it('are up to date with the TypeScript event types (regenerate with libs/contracts/scripts/generate-schemas.js)', () => {
    const fresh = render();
    expect(readFileSync(EVENT_SCHEMA_PATH, 'utf8')).toBe(fresh['hookline-events.v1.schema.json']);
    expect(readFileSync(ASYNCAPI_PATH, 'utf8')).toBe(fresh['asyncapi.json']);
  }, 60_000);

  it('accept well-formed events of several types', () => {
    const events = [
      envelope({ type: 'tenant.created.v1', data: { tenant_id: tenant, name: 'A', retention_days: 30, metadata: {} } }, { ...meta, aggregateId: tenant, aggregateVersion: 1 }),
      envelope(
        {
          type: 'message.published.v1',
          data: { message_id: newId('message') as MessageId, event_type: 'invoice.paid', event_type_version: 1, payload: { a: 1 }, channels: [], idempotency_key: null, ordering_key: null },
        },
        meta,
      ),
      envelope({ type: 'endpoint.auto_disabled.v1', data: { endpoint_id: newId('endpoint') as EndpointId, reason: 'gone', detail: '410' } }, { ...meta, source: 'dispatcher' }),
    ];
    for (const e of events) expect({ type: e.type, ok: validate(e), errors: validate.errors }).toEqual({ type: e.type, ok: true, errors: null });
  });

  it('refuse an event whose data does not match its type', () => {
    const bad = envelope({ type: 'tenant.created.v1', data: { tenant_id: tenant, name: 'A' } } as never, meta);
    expect(validate(bad)).toBe(false);
    const unknown = { ...bad, type: 'tenant.exploded.v1' };
    expect(validate(unknown)).toBe(false);
  });

  it('describe every topic in the AsyncAPI document', () => {
    const doc = JSON.parse(readFileSync(ASYNCAPI_PATH, 'utf8'));
    expect(Object.keys(doc.channels).sort()).toEqual(Object.values(topicNames()).sort());
    expect(doc.channels['hookline.messages.v1'].subscribe.message.oneOf.length).toBeGreaterThan(0);
  });
});
