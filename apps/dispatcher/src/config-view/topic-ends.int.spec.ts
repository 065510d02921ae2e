import { ensureTopics, deleteTopics } from '@hookline/kafka';
import { testBrokers, testTopicPrefix } from '@hookline/testing';
import { Kafka, logLevel } from 'kafkajs';
import { TopicEnds } from './topic-ends';

/** Counts the requests a kafkajs client sends, by API name, from its debug log ("Request Metadata(key: 3, …)"). */
function countingKafka(): { kafka: Kafka; requests: Map<string, number> } {
  const requests = new Map<string, number>();
  const kafka = new Kafka({
    clientId: 'topic-ends-test',
    brokers: testBrokers(),
    logLevel: logLevel.DEBUG,
    logCreator: () => ({ log }) => {
      const name = /^Request (\w+)\(/.exec(log.message)?.[1];
      if (name) requests.set(name, (requests.get(name) ?? 0) + 1);
    },
  });
  return { kafka, requests };
}

// The dispatcher reads the config topic's ends before fanning out every consumed batch: under load that is hundreds of
// times a second, so each read must be ONE ListOffsets and not a Metadata request as well.
describe('TopicEnds (real Kafka)', () => {
  const topic = `${testTopicPrefix('topicends')}config`;
  const { kafka, requests } = countingKafka();
  let ends: TopicEnds;

  beforeAll(async () => {
    await ensureTopics(kafka, [{ key: 'config', name: topic, partitions: 3, keyedBy: 'tenant id', retentionMs: 3_600_000, description: 'test' }]);
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: [{ key: 'a', value: '1', partition: 1 }, { key: 'b', value: '2', partition: 1 }, { key: 'c', value: '3', partition: 2 }] });
    await producer.disconnect();
    ends = TopicEnds.create(kafka, topic)!;
  });
  afterAll(async () => {
    await ends?.disconnect();
    await deleteTopics(kafka, [topic]);
  });

  it('reads every partition\'s high watermark, and repeated reads cost one ListOffsets each and no Metadata', async () => {
    expect(ends).not.toBeNull();
    expect(await ends.highs()).toEqual(expect.arrayContaining([
      { partition: 0, high: 0n }, { partition: 1, high: 2n }, { partition: 2, high: 1n },
    ]));
    const metadataBefore = requests.get('Metadata') ?? 0;
    const listOffsetsBefore = requests.get('ListOffsets') ?? 0;
    for (let i = 0; i < 20; i++) await ends.highs();
    expect((requests.get('ListOffsets') ?? 0) - listOffsetsBefore).toBe(20);
    expect((requests.get('Metadata') ?? 0) - metadataBefore).toBe(0);
  });
});
