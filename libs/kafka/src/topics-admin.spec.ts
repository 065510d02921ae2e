import { topicSpecs } from '@hookline/contracts';
import { topicConfigs } from './topics-admin';

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
});
