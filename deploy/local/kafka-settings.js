// Pure part of local Kafka provisioning: where things live, which ports, what server.properties says, which topics.
// No I/O here, so kafka-settings.spec.ts can pin every rule without a broker.
'use strict';

const path = require('node:path');
const crypto = require('node:crypto');
const { SetupError } = require('./setup-error');

/** Kafka release the cached jars belong to; must match kafka.version in deploy/local/kafka/pom.xml. */
const KAFKA_VERSION = '3.9.1';

const REPO_ROOT = path.resolve(__dirname, '..', '..');


function parsePort(value, name) {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new SetupError(`${name} must be a TCP port (1-65535), got "${value}"`);
  }
  return port;
}

function parseBrokerList(value) {
  const brokers = value
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  if (brokers.length === 0) throw new SetupError('KAFKA_BROKERS is set but empty: give host:port[,host:port…] or unset it');
  for (const broker of brokers) {
    if (!/^[^\s:]+:\d+$/.test(broker)) {
      throw new SetupError(`KAFKA_BROKERS entry "${broker}" is not host:port`);
    }
  }
  return brokers;
}

/**
 * Everything ensureKafka needs to know, from the environment and explicit overrides (tests pass ports and a temp dir).
 * `externalBrokers` is set when KAFKA_BROKERS names a cluster we must use instead of starting one.
 */
function resolveLocalKafka(env = process.env, overrides = {}) {
  const externalBrokers = env.KAFKA_BROKERS ? parseBrokerList(env.KAFKA_BROKERS) : null;
  const port = overrides.port ?? parsePort(env.KAFKA_LOCAL_PORT ?? '9092', 'KAFKA_LOCAL_PORT');
  // The controller listener sits next to the client one unless told otherwise, so two local brokers never collide.
  const controllerPort =
    overrides.controllerPort ??
    parsePort(env.KAFKA_LOCAL_CONTROLLER_PORT ?? String(port + 1), 'KAFKA_LOCAL_CONTROLLER_PORT');
  if (controllerPort === port) throw new SetupError(`Kafka controller port must differ from the client port ${port}`);

  const cacheDir = path.resolve(overrides.cacheDir ?? env.HOOKLINE_CACHE_DIR ?? path.join(REPO_ROOT, '.cache'));
  const kafkaHome = path.join(cacheDir, `kafka-${KAFKA_VERSION}`);
  const dataDir = path.resolve(overrides.dataDir ?? path.join(cacheDir, 'kafka-data', String(port)));

  return {
    externalBrokers,
    host: '127.0.0.1',
    port,
    controllerPort,
    localBrokers: [`127.0.0.1:${port}`],
    cacheDir,
    libsDir: path.join(kafkaHome, 'libs'),
    dataDir,
    logDir: path.join(dataDir, 'log'),
    pidFile: path.join(dataDir, 'kafka.pid'),
    propertiesFile: path.join(dataDir, 'server.properties'),
    brokerLog: path.join(dataDir, 'broker.log'),
    stdoutLog: path.join(dataDir, 'stdout.log'),
    heap: env.KAFKA_LOCAL_HEAP ?? '768m',
  };
}

/** Options of topicSpecs() from libs/contracts, as the environment asks for them. */
function topicOptionsFromEnv(env = process.env) {
  const options = { prefix: env.KAFKA_TOPIC_PREFIX ?? '' };
  if (env.KAFKA_PARTITIONS !== undefined && env.KAFKA_PARTITIONS !== '') {
    const partitions = Number(env.KAFKA_PARTITIONS);
    if (!Number.isInteger(partitions) || partitions < 1) {
      throw new SetupError(`KAFKA_PARTITIONS must be a positive integer, got "${env.KAFKA_PARTITIONS}"`);
    }
    options.partitions = partitions;
  }
  return options;
}

/**
 * server.properties for a single-node KRaft broker that is its own controller. Replication factors are 1 because
 * there is one node; the initial rebalance delay is 0 so consumer groups in tests join in milliseconds, not 3 s.
 * Topics are never auto-created: a typo in a topic name must fail loudly, not create an empty topic.
 * `extraProperties` (none for the local broker) are added, or replace the line of the same key: a test's throwaway
 * broker with another listener (see kafka-sasl-broker.js).
 */
function renderServerProperties({ host = '127.0.0.1', port, controllerPort, logDir, extraProperties = {} }) {
  const lines = {
    'process.roles': 'broker,controller',
    'node.id': '1',
    'controller.quorum.voters': `1@${host}:${controllerPort}`,
    listeners: `PLAINTEXT://${host}:${port},CONTROLLER://${host}:${controllerPort}`,
    'advertised.listeners': `PLAINTEXT://${host}:${port}`,
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'log.dirs': logDir,
    'num.partitions': '1',
    'offsets.topic.replication.factor': '1',
    'offsets.topic.num.partitions': '10',
    'transaction.state.log.replication.factor': '1',
    'transaction.state.log.min.isr': '1',
    'group.initial.rebalance.delay.ms': '0',
    'auto.create.topics.enable': 'false',
    'delete.topic.enable': 'true',
    ...extraProperties,
  };
  const body = Object.entries(lines)
    .map(([key, value]) => `${key}=${escapePropertyValue(value)}`)
    .join('\n');
  return `# Written by deploy/local/kafka.js; rewritten on every start.\n${body}\n`;
}

// Java .properties treats backslash as an escape; a Windows-style path would otherwise lose its separators.
function escapePropertyValue(value) {
  return value.replace(/\\/g, '\\\\');
}

/** kafkajs createTopics entries for Hookline's topic specs; retention -1 means "keep forever" to Kafka too. */
function topicCreateRequests(specs) {
  return specs.map((spec) => ({
    topic: spec.name,
    numPartitions: spec.partitions,
    replicationFactor: 1,
    configEntries: [{ name: 'retention.ms', value: String(spec.retentionMs) }],
  }));
}

/**
 * A KRaft cluster id: 16 random bytes, URL-safe base64 without padding (what `kafka-storage random-uuid` prints).
 * Generated here to save a JVM start; ids starting with '-' are avoided because the CLI would read them as flags.
 */
function newClusterId(random = crypto.randomBytes) {
  for (;;) {
    const bytes = random(16);
    if (bytes.every((b) => b === 0)) continue;
    const id = Buffer.from(bytes).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

/** The JVM command line of the broker (argv without the `java` itself). */
function brokerJavaArgs({ libsDir, propertiesFile, dataDir, heap }) {
  return [
    `-Xmx${heap}`,
    '-Xss1m',
    '-XX:+UseG1GC',
    '-Djava.awt.headless=true',
    `-Dkafka.logs.dir=${dataDir}`,
    `-Dlog4j.configuration=file:${path.join(__dirname, 'kafka', 'log4j.properties')}`,
    '-cp',
    `${libsDir}${path.sep}*`,
    'kafka.Kafka',
    propertiesFile,
  ];
}

module.exports = {
  KAFKA_VERSION,
  REPO_ROOT,
  resolveLocalKafka,
  topicOptionsFromEnv,
  renderServerProperties,
  topicCreateRequests,
  newClusterId,
  brokerJavaArgs,
};
