import { topicSpecs } from '@hookline/contracts';
import { KafkaJSAggregateError, KafkaJSNonRetriableError, KafkaJSProtocolError } from 'kafkajs';
import { isMetadataLag, topicConfigs, topicReplication } from './topics-admin';

describe('topicConfigs', () => {
  it('creates every contract topic with its partitions and retention, config kept forever', () => {
    const configs = topicConfigs(topicSpecs({ prefix: 'p-', partitions: 12 }));
    const byName = Object.fromEntries(configs.map((c) => [c.topic, c]));

    expect(byName['p-hookline.config.v1'].configEntries).toEqual([{ name: 'retention.ms', value: '-1' }]);
    expect(byName['p-hookline.messages.v1'].numPartitions).toBe(12);
    expect(configs.every((c) => c.replicationFactor === 1)).toBe(true);
  });

  it('takes the replication factor of a real cluster', () => {
    expect(topicConfigs(topicSpecs(), 3).every((c) => c.replicationFactor === 3)).toBe(true);
  });

  it('sets min.insync.replicas only when asked to', () => {
    const [config] = topicConfigs(topicSpecs(), 3, 2);
    expect(config.configEntries).toEqual([{ name: 'retention.ms', value: '-1' }, { name: 'min.insync.replicas', value: '2' }]);
  });
});

describe('topicReplication', () => {
  it('asks for what is set, and leaves the rest to the cluster (0)', () => {
    expect(topicReplication({ KAFKA_REPLICATION_FACTOR: 0, KAFKA_MIN_INSYNC_REPLICAS: 0 })).toEqual({});
    expect(topicReplication({ KAFKA_REPLICATION_FACTOR: 3, KAFKA_MIN_INSYNC_REPLICAS: 2 })).toEqual({ replicationFactor: 3, minInsyncReplicas: 2 });
    expect(topicReplication({ KAFKA_REPLICATION_FACTOR: 0, KAFKA_MIN_INSYNC_REPLICAS: 2 })).toEqual({ minInsyncReplicas: 2 });
  });

  it('refuses more copies in sync than there are copies: no acks=all write could ever be acknowledged', () => {
    expect(() => topicReplication({ KAFKA_REPLICATION_FACTOR: 2, KAFKA_MIN_INSYNC_REPLICAS: 3 })).toThrow(/KAFKA_MIN_INSYNC_REPLICAS \(3\) is more than KAFKA_REPLICATION_FACTOR \(2\)/);
  });
});

describe('isMetadataLag (a topic just created, not yet in the broker\'s metadata: wait for it instead of failing the start)', () => {
  const protocolError = (type: string) => new KafkaJSProtocolError({ message: type, type, code: 0, retriable: true } as never);

  it('is the lag when the broker does not know the topic yet or has no leader for it, however kafkajs wraps it', () => {
    expect(isMetadataLag(protocolError('UNKNOWN_TOPIC_OR_PARTITION'))).toBe(true);
    expect(isMetadataLag(Object.assign(new KafkaJSNonRetriableError('gave up'), { cause: protocolError('LEADER_NOT_AVAILABLE') }))).toBe(true);
    expect(isMetadataLag(new KafkaJSAggregateError('some failed', [protocolError('UNKNOWN_TOPIC_OR_PARTITION')] as never))).toBe(true);
  });

  it('is not when the cluster refused the topics (too many replicas, a bad config): the start fails at once', () => {
    expect(isMetadataLag(new KafkaJSAggregateError('refused', [protocolError('INVALID_REPLICATION_FACTOR')] as never))).toBe(false);
    expect(isMetadataLag(protocolError('POLICY_VIOLATION'))).toBe(false);
    expect(isMetadataLag(new Error('connection refused'))).toBe(false);
  });
});
