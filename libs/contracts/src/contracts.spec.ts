import {
  EndpointId,
  MessageId,
  decodeEvent,
  decodePosition,
  deliveryIdOf,
  encodeEvent,
  encodePosition,
  envelope,
  furthestPositions,
  idTimestamp,
  isId,
  newId,
  parseId,
  topicNames,
  topicSpecs,
  TenantId,
  EventDecodeError,
} from './index';

describe('ids', () => {
  it('are prefixed, unique, and sort by creation time', () => {
    const a = newId('message', 1_700_000_000_000);
    const b = newId('message', 1_700_000_000_001);
    expect(a).toMatch(/^msg_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(a < b).toBe(true);
    expect(idTimestamp(a)).toBe(1_700_000_000_000);
    const many = new Set(Array.from({ length: 10_000 }, () => newId('endpoint')));
    expect(many.size).toBe(10_000);
  });

  it('tell kinds apart', () => {
    const ep = newId('endpoint');
    expect(isId('endpoint', ep)).toBe(true);
    expect(isId('message', ep)).toBe(false);
    expect(parseId('tenant', 'tnt_not-a-ulid')).toBeNull();
    expect(parseId('tenant', 42)).toBeNull();
  });

  it('derive one delivery id per message and endpoint, so a replay never makes a second delivery', () => {
    const m = newId('message') as MessageId;
    const e = newId('endpoint') as EndpointId;
    expect(deliveryIdOf(m, e)).toBe(deliveryIdOf(m, e));
    expect(isId('delivery', deliveryIdOf(m, e))).toBe(true);
    expect(deliveryIdOf(m, e)).not.toBe(deliveryIdOf(m, newId('endpoint') as EndpointId));
  });
});

describe('position tokens', () => {
  it('round-trip and refuse tampering', () => {
    const token = encodePosition([{ topic: 'hookline.messages.v1', partition: 3, offset: '1234' }]);
    expect(decodePosition(token)).toEqual([{ topic: 'hookline.messages.v1', partition: 3, offset: '1234' }]);
    expect(decodePosition('not-a-token')).toBeNull();
    expect(decodePosition(Buffer.from('[["t", 1, "-5"]]').toString('base64url'))).toBeNull();
    expect(decodePosition(Buffer.from('[]').toString('base64url'))).toBeNull();
  });

  it('keep the furthest position of each partition, compared as 64-bit offsets', () => {
    const at = (partition: number, offset: string) => ({ topic: 'hookline.messages.v1', partition, offset });
    expect(furthestPositions([at(1, '9'), at(1, '10'), at(2, '3'), at(1, '9007199254740993'), at(2, '2')]))
      .toEqual([at(1, '9007199254740993'), at(2, '3')]);
  });
});

describe('topics', () => {
  it('are versioned names, prefixed per deployment', () => {
    expect(topicNames()).toEqual({
      config: 'hookline.config.v1',
      messages: 'hookline.messages.v1',
      deliveries: 'hookline.deliveries.v1',
      operational: 'hookline.operational.v1',
      deadLetters: 'hookline.dead-letters.v1',
    });
    expect(topicNames('test-').messages).toBe('test-hookline.messages.v1');
    const specs = topicSpecs({ partitions: 12 });
    expect(specs.find((s) => s.key === 'config')?.retentionMs).toBe(-1);
    expect(specs.find((s) => s.key === 'messages')?.partitions).toBe(12);
  });
});

describe('event codec', () => {
  it('round-trips the envelope', () => {
    const tenant = newId('tenant') as TenantId;
    const e = envelope({ type: 'tenant.created.v1', data: { tenant_id: tenant, name: 'A', retention_days: 30, metadata: {} } }, {
      tenantId: tenant,
      source: 'command-service',
      correlationId: 'c1',
      aggregateId: tenant,
      aggregateVersion: 1,
    });
    expect(isId('event', e.id)).toBe(true);
    expect(new Date(e.occurred_at).toISOString()).toBe(e.occurred_at);
    expect(decodeEvent(encodeEvent(e))).toEqual(e);
  });

  it('names what is wrong with a record that is not an event', () => {
    expect(() => decodeEvent(null)).toThrow(EventDecodeError);
    expect(() => decodeEvent('{oops')).toThrow(/not JSON/);
    expect(() => decodeEvent('{"id":"evt_x"}')).toThrow(/lacks envelope field "type"/);
  });
});
