import path from 'node:path';
import {
  KAFKA_VERSION,
  REPO_ROOT,
  brokerJavaArgs,
  newClusterId,
  renderServerProperties,
  resolveLocalKafka,
  topicCreateRequests,
  topicOptionsFromEnv,
} from './kafka-settings';
import { SetupError } from './setup-error';

function properties(text: string): Record<string, string> {
  return Object.fromEntries(
    text
      .split('\n')
      .filter((line) => line && !line.startsWith('#'))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

describe('resolveLocalKafka', () => {
  it('defaults to 127.0.0.1:9092 with the controller next to it, jars and data under <repo>/.cache', () => {
    const s = resolveLocalKafka({});
    expect(s.externalBrokers).toBeNull();
    expect(s.localBrokers).toEqual(['127.0.0.1:9092']);
    expect(s.controllerPort).toBe(9093);
    expect(s.libsDir).toBe(path.join(REPO_ROOT, '.cache', `kafka-${KAFKA_VERSION}`, 'libs'));
    expect(s.dataDir).toBe(path.join(REPO_ROOT, '.cache', 'kafka-data', '9092'));
    expect(s.pidFile).toBe(path.join(s.dataDir, 'kafka.pid'));
  });

  it('uses the cluster named by KAFKA_BROKERS instead of a local one', () => {
    expect(resolveLocalKafka({ KAFKA_BROKERS: 'k1:9092, k2:9092' }).externalBrokers).toEqual(['k1:9092', 'k2:9092']);
  });

  it('treats an empty KAFKA_BROKERS as unset', () => {
    expect(resolveLocalKafka({ KAFKA_BROKERS: '' }).externalBrokers).toBeNull();
  });

  it('follows KAFKA_LOCAL_PORT and HOOKLINE_CACHE_DIR', () => {
    const s = resolveLocalKafka({ KAFKA_LOCAL_PORT: '19092', HOOKLINE_CACHE_DIR: '/var/cache/hl' });
    expect(s.localBrokers).toEqual(['127.0.0.1:19092']);
    expect(s.controllerPort).toBe(19093);
    expect(s.libsDir).toBe(`/var/cache/hl/kafka-${KAFKA_VERSION}/libs`);
    expect(s.dataDir).toBe('/var/cache/hl/kafka-data/19092');
  });

  it('lets a caller (a test) choose ports and the data dir', () => {
    const s = resolveLocalKafka({}, { port: 20000, controllerPort: 20005, dataDir: '/tmp/k' });
    expect(s).toMatchObject({ port: 20000, controllerPort: 20005, dataDir: '/tmp/k', logDir: '/tmp/k/log' });
  });

  it.each([
    [{ KAFKA_LOCAL_PORT: 'abc' }, 'KAFKA_LOCAL_PORT must be a TCP port'],
    [{ KAFKA_LOCAL_PORT: '70000' }, 'KAFKA_LOCAL_PORT must be a TCP port'],
    [{ KAFKA_LOCAL_PORT: '9092', KAFKA_LOCAL_CONTROLLER_PORT: '9092' }, 'must differ'],
    [{ KAFKA_BROKERS: 'localhost' }, '"localhost" is not host:port'],
    [{ KAFKA_BROKERS: ' , ' }, 'KAFKA_BROKERS is set but empty'],
  ])('refuses %j with a message saying what is wrong', (env, message) => {
    expect(() => resolveLocalKafka(env)).toThrow(SetupError);
    expect(() => resolveLocalKafka(env)).toThrow(message);
  });
});

describe('topicOptionsFromEnv', () => {
  it('passes KAFKA_TOPIC_PREFIX and KAFKA_PARTITIONS on to topicSpecs', () => {
    expect(topicOptionsFromEnv({})).toEqual({ prefix: '' });
    expect(topicOptionsFromEnv({ KAFKA_TOPIC_PREFIX: 'ci-', KAFKA_PARTITIONS: '12' })).toEqual({ prefix: 'ci-', partitions: 12 });
  });

  it('refuses a partition count that is not a positive integer', () => {
    expect(() => topicOptionsFromEnv({ KAFKA_PARTITIONS: '0' })).toThrow('KAFKA_PARTITIONS must be a positive integer');
    expect(() => topicOptionsFromEnv({ KAFKA_PARTITIONS: '2.5' })).toThrow(SetupError);
  });
});

describe('renderServerProperties', () => {
  const props = properties(renderServerProperties({ port: 19092, controllerPort: 19093, logDir: '/tmp/k/log' }));

  it('describes a single KRaft node that is broker and controller', () => {
    expect(props).toMatchObject({
      'process.roles': 'broker,controller',
      'node.id': '1',
      'controller.quorum.voters': '1@127.0.0.1:19093',
      listeners: 'PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093',
      'advertised.listeners': 'PLAINTEXT://127.0.0.1:19092',
      'controller.listener.names': 'CONTROLLER',
      'log.dirs': '/tmp/k/log',
    });
  });

  it('fits one node: replication factor 1, no rebalance delay, no auto-created topics', () => {
    expect(props).toMatchObject({
      'offsets.topic.replication.factor': '1',
      'transaction.state.log.replication.factor': '1',
      'transaction.state.log.min.isr': '1',
      'group.initial.rebalance.delay.ms': '0',
      'auto.create.topics.enable': 'false',
    });
  });

  it('adds extra properties, or replaces the line of their key, and the local broker has none', () => {
    expect(renderServerProperties({ port: 19092, controllerPort: 19093, logDir: '/tmp/k/log', extraProperties: {} }))
      .toBe(renderServerProperties({ port: 19092, controllerPort: 19093, logDir: '/tmp/k/log' }));
    const extra = properties(renderServerProperties({
      port: 19092, controllerPort: 19093, logDir: '/tmp/k/log',
      extraProperties: { listeners: 'PLAINTEXT://127.0.0.1:19092,SASL_PLAINTEXT://127.0.0.1:19094,CONTROLLER://127.0.0.1:19093', 'sasl.enabled.mechanisms': 'PLAIN' },
    }));
    expect(extra).toEqual({
      ...props, listeners: 'PLAINTEXT://127.0.0.1:19092,SASL_PLAINTEXT://127.0.0.1:19094,CONTROLLER://127.0.0.1:19093', 'sasl.enabled.mechanisms': 'PLAIN',
    });
  });

  it('escapes backslashes, which Java properties would otherwise swallow', () => {
    const text = renderServerProperties({ port: 1, controllerPort: 2, logDir: 'C:\\kafka\\log' });
    expect(text).toContain('log.dirs=C:\\\\kafka\\\\log');
  });
});

describe('topicCreateRequests', () => {
  it('maps partitions and retention (-1 = forever) to kafkajs createTopics entries', () => {
    const requests = topicCreateRequests([
      { key: 'config', name: 'hookline.config.v1', partitions: 3, keyedBy: 'tenant id', retentionMs: -1, description: '' },
    ]);
    expect(requests).toEqual([
      {
        topic: 'hookline.config.v1',
        numPartitions: 3,
        replicationFactor: 1,
        configEntries: [{ name: 'retention.ms', value: '-1' }],
      },
    ]);
  });
});

describe('newClusterId', () => {
  it('is 22 characters of URL-safe base64, as kafka-storage random-uuid prints', () => {
    expect(newClusterId()).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('never starts with "-" (the storage tool would read it as an option) and is never all zeros', () => {
    const draws = [Buffer.alloc(16, 0), Buffer.alloc(16, 0xfb), Buffer.from('00112233445566778899aabbccddeeff', 'hex')];
    const id = newClusterId(() => draws.shift()!);
    expect(id).toBe(Buffer.from('00112233445566778899aabbccddeeff', 'hex').toString('base64url'));
  });
});

describe('brokerJavaArgs', () => {
  it('runs kafka.Kafka with the cached jars, the shipped log4j config and logs in the data dir', () => {
    const args = brokerJavaArgs({ libsDir: '/c/libs', propertiesFile: '/d/server.properties', dataDir: '/d', heap: '768m' });
    expect(args).toEqual(expect.arrayContaining(['-Xmx768m', '-Dkafka.logs.dir=/d', '-cp', '/c/libs/*']));
    expect(args).toContain(`-Dlog4j.configuration=file:${path.join(__dirname, 'kafka', 'log4j.properties')}`);
    expect(args.slice(-2)).toEqual(['kafka.Kafka', '/d/server.properties']);
  });
});
