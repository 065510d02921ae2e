import { ConfigResourceTypes } from 'kafkajs';
import { topicSpecs } from '@hookline/contracts';
import { clusterReplicationFactor, deleteTopics, ensureTopics } from './topics-admin';
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

  it("replicates new topics as the cluster's default.replication.factor says unless told, and sets min.insync.replicas when asked", async () => {
    const admin = env.kafka.admin();
    await admin.connect();
    const extra = topicSpecs({ prefix: `${env.prefix}r-`, partitions: 1 }).slice(0, 2);
    try {
      const { resources } = await admin.describeConfigs({ includeSynonyms: false,
        resources: [{ type: ConfigResourceTypes.BROKER, name: String((await admin.describeCluster()).brokers[0].nodeId), configNames: ['default.replication.factor'] }] });
      const configured = Number(resources[0].configEntries[0].configValue);
      expect(await clusterReplicationFactor(admin)).toBe(configured);

      await ensureTopics(env.kafka, [extra[0]], { minInsyncReplicas: 1 });
      const { topics } = await admin.fetchTopicMetadata({ topics: [extra[0].name] });
      expect(new Set(topics[0].partitions.map((p) => p.replicas.length))).toEqual(new Set([configured]));
      const config = await admin.describeConfigs({ includeSynonyms: false,
        resources: [{ type: ConfigResourceTypes.TOPIC, name: extra[0].name, configNames: ['min.insync.replicas'] }] });
      expect(config.resources[0].configEntries[0]).toMatchObject({ configName: 'min.insync.replicas', configValue: '1', isDefault: false });

      // More copies than the cluster has brokers: refused with what was asked and what the cluster is, nothing created.
      const brokers = (await admin.describeCluster()).brokers.length;
      await expect(ensureTopics(env.kafka, [extra[1]], { replicationFactor: brokers + 1 }))
        .rejects.toThrow(new RegExp(`replication factor ${brokers + 1} .*cluster of ${brokers} broker`));
      expect(await admin.listTopics()).not.toContain(extra[1].name);
    } finally {
      await admin.disconnect();
      await deleteTopics(env.kafka, extra.map((t) => t.name));
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
