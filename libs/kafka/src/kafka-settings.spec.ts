import { kafkaSettingsFromEnv } from './kafka-settings';

describe('kafkaSettingsFromEnv', () => {
  it('defaults to the local broker and no topic prefix', () => {
    expect(kafkaSettingsFromEnv({}, 'svc')).toEqual({ brokers: ['127.0.0.1:9092'], clientId: 'svc', topicPrefix: '' });
  });

  it('reads a comma-separated broker list, ignoring blanks and spaces', () => {
    const settings = kafkaSettingsFromEnv({ KAFKA_BROKERS: ' a:9092, b:9093 ,', KAFKA_TOPIC_PREFIX: 'ci-' }, 'svc');
    expect(settings.brokers).toEqual(['a:9092', 'b:9093']);
    expect(settings.topicPrefix).toBe('ci-');
  });

  it('treats an empty KAFKA_BROKERS as unset', () => {
    expect(kafkaSettingsFromEnv({ KAFKA_BROKERS: '' }, 'svc').brokers).toEqual(['127.0.0.1:9092']);
  });

  it('refuses an entry that is not host:port, naming it', () => {
    expect(() => kafkaSettingsFromEnv({ KAFKA_BROKERS: 'a:9092,localhost' }, 'svc')).toThrow('"localhost"');
  });

  it('needs a client id', () => {
    expect(() => kafkaSettingsFromEnv({}, '')).toThrow('clientId');
  });
});
