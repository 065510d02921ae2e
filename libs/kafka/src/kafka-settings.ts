/** Where the cluster is and how this process names itself and its topics. */
export interface KafkaSettings {
  brokers: string[];
  clientId: string;
  /** Prepended to every topic name; tests use a per-run prefix so runs never see each other's events. */
  topicPrefix: string;
}

const DEFAULT_BROKERS = '127.0.0.1:9092';

export function kafkaSettingsFromEnv(env: NodeJS.ProcessEnv = process.env, clientId: string): KafkaSettings {
  const raw = env.KAFKA_BROKERS?.trim() || DEFAULT_BROKERS;
  const brokers = raw
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  for (const broker of brokers) {
    if (!/^[^\s:]+:\d+$/.test(broker)) {
      throw new Error(`KAFKA_BROKERS entry "${broker}" is not host:port (expected e.g. 127.0.0.1:9092,10.0.0.2:9092)`);
    }
  }
  if (!clientId) throw new Error('kafkaSettingsFromEnv needs a clientId (the service name shows up in broker logs and quotas)');
  return { brokers, clientId, topicPrefix: env.KAFKA_TOPIC_PREFIX ?? '' };
}
