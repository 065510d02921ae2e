import { ConfigError, bool, brokers, int, list, oneOf, str, url } from './env-spec';

/** Variables every Hookline service reads. */
export const COMMON_ENV = {
  DATABASE_URL: url({
    protocols: ['postgres', 'postgresql'],
    default: 'postgres://postgres@127.0.0.1:5432/hookline',
    description: 'Postgres connection URL; each service keeps its tables in its own schema',
  }),
  KAFKA_BROKERS: brokers({ default: ['127.0.0.1:9092'], description: 'Kafka bootstrap brokers' }),
  KAFKA_TOPIC_PREFIX: str({
    default: '',
    pattern: /^[A-Za-z0-9._-]*$/,
    expected: 'letters, digits, dots, dashes or underscores',
    description: 'Prefix of every topic name (tests use a per-run prefix)',
  }),
  // A production cluster replicates (3 copies, 2 in sync before an acks=all write is acknowledged, is the usual choice);
  // the topics a service creates at its first start follow the cluster's own defaults unless these say otherwise.
  KAFKA_REPLICATION_FACTOR: int({
    default: 0, min: 0, max: 32,
    description: 'Copies of each partition of the topics a service creates (existing topics are left as they are); 0: the cluster\'s default.replication.factor',
  }),
  KAFKA_MIN_INSYNC_REPLICAS: int({
    default: 0, min: 0, max: 32,
    description: 'min.insync.replicas of the topics a service creates: copies that must have a record before it is acknowledged; 0: the cluster\'s default',
  }),
  LOG_LEVEL: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, {
    default: 'info',
    description: 'pino log level',
  }),
  LOG_REDACT_FIELDS: list({ default: [], description: 'Extra payload field names masked in logs' }),
  OTEL_EXPORTER_OTLP_ENDPOINT: str({ default: '', description: 'OTLP/HTTP collector URL; empty = spans not exported' }),
  SHUTDOWN_TIMEOUT_MS: int({ default: 15000, min: 1000, description: 'How long in-flight work may take to finish on SIGTERM' }),
  SECRETS_ENCRYPTION_KEY: str({
    default: '',
    description: '32-byte key (base64 or hex) that seals endpoint signing secrets in events; required outside development',
  }),
  SECRETS_ENCRYPTION_PREVIOUS_KEYS: list({
    default: [],
    description: 'Keys SECRETS_ENCRYPTION_KEY replaced (comma-separated): they no longer seal, but still open what they sealed, so the key can be rotated',
  }),
  HOOKLINE_DEV: bool({ default: false, description: 'Development mode: a fixed development sealing key is used when none is set' }),
} as const;

/** Variables of the services with a REST API that browser pages call (the consumer portal, dashboards). */
export const BROWSER_API_ENV = {
  CORS_ORIGINS: list({
    default: ['*'],
    item: /^(\*|https?:\/\/[A-Za-z0-9.\-[\]:]+)$/,
    expected: '"*" or a comma-separated list of origins (https://portal.example.com)',
    description: 'Origins whose pages may call the REST API from a browser ("*": any; calls still need an API key, and no cookie is ever read)',
  }),
} as const;

/**
 * Development-only sealing key for endpoint secrets, used when HOOKLINE_DEV=true and SECRETS_ENCRYPTION_KEY is
 * empty, so `npm start` works on a fresh clone. It is public: never use it with real endpoints.
 */
export const DEV_SECRETS_ENCRYPTION_KEY = '6465762d6f6e6c792d686f6f6b6c696e652d7365616c696e672d6b65792d3031';

/** The sealing key text a service must use, or a one-line configuration error. */
export function sealingKeyText(config: { SECRETS_ENCRYPTION_KEY: string; HOOKLINE_DEV: boolean }): string {
  if (config.SECRETS_ENCRYPTION_KEY) return config.SECRETS_ENCRYPTION_KEY;
  if (config.HOOKLINE_DEV) return DEV_SECRETS_ENCRYPTION_KEY;
  throw new ConfigError('SECRETS_ENCRYPTION_KEY is required: 32 bytes as hex or base64 (e.g. `openssl rand -hex 32`), or set HOOKLINE_DEV=true for local development');
}
