/**
 * Topic names are a public contract: downstream services subscribe to them directly. A breaking change to a
 * topic's events means a new topic version (…v2), never an edit of v1.
 */
export const TOPIC_KEYS = ['config', 'messages', 'deliveries', 'operational', 'deadLetters'] as const;
export type TopicKey = (typeof TOPIC_KEYS)[number];

export interface TopicSpec {
  key: TopicKey;
  name: string;
  partitions: number;
  /** What the partition key is, for readers of the contract. */
  keyedBy: string;
  /** -1 keeps events forever (config is the write model's source of truth). */
  retentionMs: number;
  description: string;
}

const DAY = 24 * 60 * 60 * 1000;

/** How long the messages topic keeps its records as created (resend, recover and replay reach no further back). */
export const DEFAULT_MESSAGE_RETENTION_DAYS = 14;

/**
 * The partition key of a record of the messages topic: the message's tenant, or tenant and ordering key when it has
 * one (so FIFO endpoints get a key's messages in order). Everything about one message goes under its key.
 */
export function messageKey(tenantId: string, orderingKey: string | null | undefined): string {
  return orderingKey ? `${tenantId}:${orderingKey}` : tenantId;
}

const BASE_NAMES: Record<TopicKey, string> = {
  config: 'hookline.config.v1',
  messages: 'hookline.messages.v1',
  deliveries: 'hookline.deliveries.v1',
  operational: 'hookline.operational.v1',
  deadLetters: 'hookline.dead-letters.v1',
};

export interface TopicOptions {
  /** Prepended to every name; tests use a per-run prefix so runs never see each other's events. */
  prefix?: string;
  /** Partitions of the high-volume topics (messages, deliveries). */
  partitions?: number;
  /** Retention of the messages topic, in milliseconds. */
  messageRetentionMs?: number;
}

/** The topic names for a deployment (optionally prefixed). */
export function topicNames(prefix = ''): Record<TopicKey, string> {
  const names = {} as Record<TopicKey, string>;
  for (const key of TOPIC_KEYS) names[key] = `${prefix}${BASE_NAMES[key]}`;
  return names;
}

/** Every topic with its partitions and retention, as the provisioning scripts create them. */
export function topicSpecs(options: TopicOptions = {}): TopicSpec[] {
  const names = topicNames(options.prefix ?? '');
  const partitions = options.partitions ?? 6;
  return [
    { key: 'config', name: names.config, partitions: 3, keyedBy: 'tenant id', retentionMs: -1,
      description: 'Tenants, API keys, event types and endpoints: every change to configuration, kept forever.' },
    { key: 'messages', name: names.messages, partitions, keyedBy: 'tenant id (or the message ordering key)',
      retentionMs: options.messageRetentionMs ?? DEFAULT_MESSAGE_RETENTION_DAYS * DAY,
      description: 'Published messages, the resend/recover requests about them, and content expunges.' },
    { key: 'deliveries', name: names.deliveries, partitions, keyedBy: 'endpoint id', retentionMs: 30 * DAY,
      description: 'Every delivery attempt and its outcome (succeeded, retry scheduled, dead-lettered).' },
    { key: 'operational', name: names.operational, partitions: 3, keyedBy: 'tenant id', retentionMs: 30 * DAY,
      description: 'Operational events: endpoint disabled, attempts exhausted, circuit breaker state changes, requests HTTP sources refused.' },
    { key: 'deadLetters', name: names.deadLetters, partitions: 3, keyedBy: 'endpoint id', retentionMs: 30 * DAY,
      description: 'Deliveries that exhausted their retries, with the full message so they can be redriven.' },
  ];
}
