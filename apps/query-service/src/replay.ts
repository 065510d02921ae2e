import { COMMON_ENV, int, loadConfig, str } from '@hookline/config';
import { topicNames } from '@hookline/contracts';
import { createKafka } from '@hookline/kafka';
import { createLogger } from '@hookline/observability';
import { failStartup } from '@hookline/service-kit';
import { ReadModels } from './database/read-models';
import { DEFAULT_REPLAY_CONSUMERS, rebuildReadModels } from './replay/replay-runner';
import { PROJECTOR_NAME } from './projection/projector-name';

/**
 * `node -r @swc-node/register apps/query-service/src/replay.ts` — rebuilds every read model from offset 0 into a new
 * generation and switches to it atomically; running query services keep answering throughout (see replay-runner.ts).
 */
async function main(): Promise<void> {
  const config = loadConfig({
    ...COMMON_ENV,
    PROJECTOR_GROUP_ID: str({ default: 'hookline-query-projector', description: 'Consumer group of the live projector (prefix of the replay group)' }),
    REPLAY_CONSUMERS: int({ default: DEFAULT_REPLAY_CONSUMERS, min: 1, max: 16, description: 'Projector consumers of the rebuild, sharing the partitions: while Postgres runs one\'s transaction, the next is built' }),
  });
  const log = createLogger({ service: 'query-replay', level: config.LOG_LEVEL });
  const models = await ReadModels.open({ url: config.DATABASE_URL, poolSize: 8, applicationName: 'query-replay' });
  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'query-replay', topicPrefix: config.KAFKA_TOPIC_PREFIX }, log);
  try {
    const result = await rebuildReadModels({ kafka, models, topics: Object.values(topicNames(config.KAFKA_TOPIC_PREFIX)),
      consumerName: PROJECTOR_NAME, groupIdPrefix: config.PROJECTOR_GROUP_ID, consumers: config.REPLAY_CONSUMERS, log });
    process.stdout.write(`read models rebuilt: generation ${result.previous} → ${result.generation} in ${result.durationMs} ms\n`);
  } finally {
    await models.close();
  }
}

main().then(() => process.exit(0), (err) => failStartup('query-replay', err));
