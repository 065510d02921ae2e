import { ConfigResourceTypes } from 'kafkajs';
import { topicSpecs } from '@hookline/contracts';
import { deleteTopics, ensureTopics } from './topics-admin';
import { intTestKafka } from './int-test-kafka';

describe('ensureTopics / deleteTopics (real Kafka)', () => {
  const env = intTestKafka('topics');
  const specs = topicSpecs({ prefix: env.prefix, partitions: 2 });
  const names = specs.map((s) => s.name);

  afterAll(() => deleteTopics(env.kafka, names), 60_000);

  it('creates the contract topics with their partitions and retention, and running it twice changes nothing', async () => {
    await ensureTopics(env.kafka, specs);
    await ensureTopics(env.kafka, specs);

    const admin = env.kafka.admin();
    await admin.connect();
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: names });
      const partitions = Object.fromEntries(topics.map((t) => [t.name, t.partitions.length]));
      expect(partitions).toEqual(Object.fromEntries(specs.map((s) => [s.name, s.partitions])));

      const configs = await admin.describeConfigs({
        includeSynonyms: false,
        resources: specs.map((s) => ({ type: ConfigResourceTypes.TOPIC, name: s.name, configNames: ['retention.ms'] })),
      });
      const retention = Object.fromEntries(
        configs.resources.map((r) => [r.resourceName, r.configEntries.find((c) => c.configName === 'retention.ms')?.configValue]),
      );
      expect(retention).toEqual(Object.fromEntries(specs.map((s) => [s.name, String(s.retentionMs)])));
    } finally {
      await admin.disconnect();
    }
  }, 60_000);

  it('deletes only topics that exist, ignoring unknown names', async () => {
    const [config] = names;
    await deleteTopics(env.kafka, [config, `${env.prefix}never-created`]);

    const admin = env.kafka.admin();
    await admin.connect();
    try {
      expect(await admin.listTopics()).not.toContain(config);
    } finally {
      await admin.disconnect();
    }
  }, 60_000);
});
