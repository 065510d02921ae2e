import { ICustomPartitioner, Kafka, KafkaJSNonRetriableError, KafkaJSProtocolError, Message, PartitionMetadata } from 'kafkajs';
import { BatchingProducer, lostProducerState, recordingPartitioner } from './batching-producer';

function partitions(n: number): PartitionMetadata[] {
  return Array.from({ length: n }, (_, partitionId) => ({
    partitionId,
    leader: 1,
    partitionErrorCode: 0,
    replicas: [1],
    isr: [1],
    offlineReplicas: [],
  }));
}

describe('the partitioner of BatchingProducer', () => {
  // Computed with the Java client itself (kafka-clients 3.9.1: Utils.toPositive(Utils.murmur2(key)) % n), so a
  // Java or Kafka Streams consumer that partitions by the same key lands on the same partition as our producer.
  it.each([
    ['tnt_01JD2X8Q3ZK4', 1, 1],
    ['ep_01JD2X8Q3ZK4', 3, 0],
    ['hello', 3, 0],
    ['k', 2, 2],
    ['tenant-42', 2, 2],
  ])('maps key %s like the Java client (6 partitions → %i, 3 → %i)', (key, of6, of3) => {
    const partition = recordingPartitioner(new WeakMap())();
    expect(partition({ topic: 't', partitionMetadata: partitions(6), message: { key, value: 'v' } })).toBe(of6);
    expect(partition({ topic: 't', partitionMetadata: partitions(3), message: { key, value: 'v' } })).toBe(of3);
  });

  it('remembers the partition chosen for each message object, for the offsets of the produce response', () => {
    const assigned = new WeakMap<Message, number>();
    const partition = recordingPartitioner(assigned)();
    const a: Message = { key: 'hello', value: '1' };
    const b: Message = { key: 'k', value: '2' };

    partition({ topic: 't', partitionMetadata: partitions(6), message: a });
    partition({ topic: 't', partitionMetadata: partitions(6), message: b });

    expect(assigned.get(a)).toBe(3);
    expect(assigned.get(b)).toBe(2);
  });
});

describe('BatchingProducer when the broker lost its idempotence state', () => {
  /** A Kafka whose producers are recorded; each answers sendBatch with what `answer` says for it. */
  function fakeKafka(answer: (producerIndex: number) => Error | null) {
    const producers: Array<{ connects: number; disconnects: number; sends: number }> = [];
    const kafka = {
      producer: (config: { createPartitioner: ICustomPartitioner }) => {
        const index = producers.length;
        const seen = { connects: 0, disconnects: 0, sends: 0 };
        producers.push(seen);
        const partition = config.createPartitioner();
        return {
          connect: async () => { seen.connects += 1; },
          disconnect: async () => { seen.disconnects += 1; },
          sendBatch: async ({ topicMessages }: { topicMessages: Array<{ topic: string; messages: Message[] }> }) => {
            seen.sends += 1;
            const failure = answer(index);
            if (failure) throw failure;
            return topicMessages.map(({ topic, messages }) => {
              for (const message of messages) partition({ topic, partitionMetadata: partitions(1), message });
              return { topicName: topic, partition: 0, errorCode: 0, baseOffset: '0' };
            });
          },
        };
      },
    };
    return { kafka: kafka as unknown as Kafka, producers };
  }
  const outOfOrder = () => new KafkaJSProtocolError({ message: 'The broker received an out of order sequence number', type: 'OUT_OF_ORDER_SEQUENCE_NUMBER', code: 45, retriable: false } as never);

  it('fails the append that met it, then sends under a new producer (id) instead of failing every append after it', async () => {
    const { kafka, producers } = fakeKafka((index) => (index === 0 ? outOfOrder() : null));
    const producer = new BatchingProducer(kafka, { lingerMs: 0 });
    await producer.connect();

    await expect(producer.append({ topic: 't', key: 'k', value: 'a' })).rejects.toThrow(/out of order sequence number/);
    expect(producers[0].disconnects).toBe(1);

    await expect(producer.append({ topic: 't', key: 'k', value: 'b' })).resolves.toEqual({ topic: 't', partition: 0, offset: '0' });
    expect(producers).toHaveLength(2);
    expect(producers[1]).toEqual({ connects: 1, disconnects: 0, sends: 1 });
    await producer.disconnect();
    expect(producers[1].disconnects).toBe(1);
  });

  it('keeps its producer for other failures (a broker away for a while): kafkajs reconnects it', async () => {
    let failures = 1;
    const { kafka, producers } = fakeKafka(() => (failures-- > 0 ? new KafkaJSProtocolError({ message: 'Request timed out', type: 'REQUEST_TIMED_OUT', code: 7, retriable: true } as never) : null));
    const producer = new BatchingProducer(kafka, { lingerMs: 0 });
    await producer.connect();

    await expect(producer.append({ topic: 't', key: 'k', value: 'a' })).rejects.toThrow(/timed out/);
    await expect(producer.append({ topic: 't', key: 'k', value: 'b' })).resolves.toMatchObject({ offset: '0' });
    expect(producers).toHaveLength(1);
    expect(producers[0]).toMatchObject({ connects: 1, disconnects: 0, sends: 2 });
  });

  it('knows the lost state however kafkajs wrapped the answer', () => {
    expect(lostProducerState(outOfOrder())).toBe(true);
    expect(lostProducerState(Object.assign(new KafkaJSNonRetriableError('gave up'), { cause: outOfOrder() }))).toBe(true);
    expect(lostProducerState(new Error('out of order sequence number'))).toBe(false);
  });
});
