import { GateInput, checkIntegrity, deliveryKey } from './integrity-gate';

function given(overrides: Partial<GateInput> = {}): GateInput {
  return {
    published: [
      { messageId: 'msg_1', endpointIds: ['ep_a', 'ep_b'], partition: 0, offset: 10n },
      { messageId: 'msg_2', endpointIds: ['ep_a', 'ep_b'], partition: 1, offset: 20n },
    ],
    unacknowledged: 0,
    requests: [],
    deadLettered: [],
    parked: [],
    committedOffsets: new Map([[0, 11n], [1, 21n]]),
    ...overrides,
  };
}

const ok = (endpointId: string, webhookId: string) => ({ endpointId, webhookId, status: 200 });

describe('checkIntegrity', () => {
  it('passes when every expected delivery arrived once', () => {
    const r = checkIntegrity(given({ requests: [ok('ep_a', 'msg_1'), ok('ep_b', 'msg_1'), ok('ep_a', 'msg_2'), ok('ep_b', 'msg_2')] }));
    expect(r).toMatchObject({ passed: true, publishedMessages: 2, expectedDeliveries: 4, delivered: 4, lost: 0, duplicates: 0, inFlight: 0 });
    expect(r.failures).toEqual([]);
  });

  it('fails and names the delivery when a committed message never arrived anywhere', () => {
    const r = checkIntegrity(given({ requests: [ok('ep_a', 'msg_1'), ok('ep_b', 'msg_1'), ok('ep_a', 'msg_2')] }));
    expect(r.passed).toBe(false);
    expect(r.lost).toBe(1);
    expect(r.lostSample).toEqual([deliveryKey('ep_b', 'msg_2')]);
    expect(r.failures[0]).toMatch(/1 deliveries lost/);
  });

  it('counts a delivery whose offset is not committed yet as in flight, not lost', () => {
    const r = checkIntegrity(given({ requests: [ok('ep_a', 'msg_1'), ok('ep_b', 'msg_1')], committedOffsets: new Map([[0, 11n], [1, 20n]]) }));
    expect(r).toMatchObject({ passed: true, delivered: 2, inFlight: 2, inFlightUncommitted: 2, lost: 0 });
  });

  it('counts a partition with no committed offset at all as in flight', () => {
    const r = checkIntegrity(given({ committedOffsets: new Map() }));
    expect(r).toMatchObject({ passed: true, inFlightUncommitted: 4 });
  });

  it('counts parked deliveries as in flight and dead letters as accounted for', () => {
    const r = checkIntegrity(given({
      requests: [ok('ep_a', 'msg_1'), ok('ep_a', 'msg_2')],
      parked: [deliveryKey('ep_b', 'msg_1')],
      deadLettered: [deliveryKey('ep_b', 'msg_2')],
    }));
    expect(r).toMatchObject({ passed: true, delivered: 2, inFlightParked: 1, deadLettered: 1, lost: 0 });
    expect(r.delivered + r.deadLettered + r.inFlight + r.lost).toBe(r.expectedDeliveries);
  });

  it('does not count failed attempts (non-2xx) as deliveries', () => {
    const r = checkIntegrity(given({
      requests: [{ endpointId: 'ep_a', webhookId: 'msg_1', status: 500 }, ok('ep_b', 'msg_1'), ok('ep_a', 'msg_2'), ok('ep_b', 'msg_2')],
    }));
    expect(r).toMatchObject({ passed: false, delivered: 3, lost: 1 });
  });

  it('counts duplicates without failing the run (at-least-once delivery)', () => {
    const r = checkIntegrity(given({
      requests: [ok('ep_a', 'msg_1'), ok('ep_a', 'msg_1'), ok('ep_a', 'msg_1'), ok('ep_b', 'msg_1'), ok('ep_a', 'msg_2'), ok('ep_b', 'msg_2')],
    }));
    expect(r).toMatchObject({ passed: true, delivered: 4, duplicates: 2 });
  });

  it('fails on deliveries of messages nobody published', () => {
    const all = [ok('ep_a', 'msg_1'), ok('ep_b', 'msg_1'), ok('ep_a', 'msg_2'), ok('ep_b', 'msg_2')];
    const r = checkIntegrity(given({ requests: [...all, ok('ep_a', 'msg_ghost')] }));
    expect(r).toMatchObject({ passed: false, unexpected: 1 });
    expect(r.failures.join()).toMatch(/unknown messages/);
  });

  it('fails on a delivery to an endpoint the message does not fan out to', () => {
    const all = [ok('ep_a', 'msg_1'), ok('ep_b', 'msg_1'), ok('ep_a', 'msg_2'), ok('ep_b', 'msg_2')];
    expect(checkIntegrity(given({ requests: [...all, ok('ep_c', 'msg_1')] })).passed).toBe(false);
  });

  it('tolerates unknown deliveries explained by publishes whose answer was lost', () => {
    const all = [ok('ep_a', 'msg_1'), ok('ep_b', 'msg_1'), ok('ep_a', 'msg_2'), ok('ep_b', 'msg_2')];
    const r = checkIntegrity(given({ unacknowledged: 1, requests: [...all, ok('ep_a', 'msg_3'), ok('ep_b', 'msg_3')] }));
    expect(r).toMatchObject({ passed: true, unexpected: 2 });
  });

  it('classifies a delivery that succeeded and was dead-lettered as delivered, and reports it', () => {
    const r = checkIntegrity(given({
      requests: [ok('ep_a', 'msg_1'), ok('ep_b', 'msg_1'), ok('ep_a', 'msg_2'), ok('ep_b', 'msg_2')],
      deadLettered: [deliveryKey('ep_b', 'msg_2')],
    }));
    expect(r).toMatchObject({ passed: true, delivered: 4, deadLettered: 0, deliveredAndDeadLettered: 1 });
  });

  it('passes trivially on an empty run', () => {
    expect(checkIntegrity(given({ published: [] }))).toMatchObject({ passed: true, expectedDeliveries: 0 });
  });
});
