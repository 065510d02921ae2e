import path from 'node:path';

/** deploy/local/kafka-sasl-broker.js (libs/testing/src → ../../..): plain CommonJS, run before anything is built. */
const SASL_BROKER_MODULE = path.resolve(__dirname, '..', '..', '..', 'deploy', 'local', 'kafka-sasl-broker.js');

/** A user the SASL test broker knows, with PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512 alike. */
export interface SaslTestUser {
  /** 1–64 of `[A-Za-z0-9_.-]`. */
  username: string;
  /** 1–64 of `[A-Za-z0-9_.-]`. */
  password: string;
}

/** A running SASL test broker (see startSaslKafkaBroker). */
export interface SaslKafkaBroker {
  /** Its PLAINTEXT listener, `127.0.0.1:<port>`: for a test's admin work (topics), no credentials needed. */
  brokers: string[];
  /** Its SASL_PLAINTEXT listener, `127.0.0.1:<port>`: what a Kafka destination with `kafka_sasl` auth connects to. */
  saslBrokers: string[];
  pid: number;
  /** Kills the broker and removes its data dir. */
  stop(): Promise<void>;
}

/**
 * Starts a throwaway single-node KRaft broker with a SASL_PLAINTEXT listener (PLAIN and SCRAM-SHA-256/512 for `users`)
 * on free ports, from the jars deploy/local caches, for one test file (the shared broker has no SASL listener). Takes
 * some seconds: start it once in `beforeAll`, and `stop()` it in `afterAll`. Needs Java 11+, as the local broker does.
 */
export async function startSaslKafkaBroker(options: { users: SaslTestUser[]; log?: (line: string) => void }): Promise<SaslKafkaBroker> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { startSaslKafkaBroker: start } = require(SASL_BROKER_MODULE) as { startSaslKafkaBroker: typeof startSaslKafkaBroker };
  return start(options);
}
