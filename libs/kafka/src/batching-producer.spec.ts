import { Message, PartitionMetadata } from 'kafkajs';
import { recordingPartitioner } from './batching-producer';

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
