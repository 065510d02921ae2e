import { loadConfig, sealingKeyText } from '@hookline/config';
import { composeServiceEnv, describeKubernetesEnv } from '@hookline/testing';
import { COMMAND_ENV } from './config';

describe('docker-compose.yml for the command-service', () => {
  it('sets only variables the command-service reads (a typo there would be silently ignored)', () => {
    const unknown = composeServiceEnv('command-service').filter((name) => !(name in COMMAND_ENV));
    expect(unknown).toEqual([]);
  });
});

// Start-up also reads the sealing key, which the config loader leaves to it.
describeKubernetesEnv('command-service', COMMAND_ENV, (env) => {
  const config = loadConfig(COMMAND_ENV, env);
  sealingKeyText(config);
  return config;
});

describe('KAFKA_SOURCES', () => {
  const env = { ADMIN_API_KEY: 'a'.repeat(24), DATABASE_URL: 'postgres://x/y', KAFKA_BROKERS: '127.0.0.1:9092' };

  it('is off unless set, and reads the sources when set', () => {
    expect(loadConfig(COMMAND_ENV, env).KAFKA_SOURCES).toEqual([]);
    const sources = [{ name: 'billing', topic: 'billing.events', tenant_id: 'tnt_01JABCDEFGHJKMNPQRSTVWXYZ0', event_type_field: 'type' }];
    expect(loadConfig(COMMAND_ENV, { ...env, KAFKA_SOURCES: JSON.stringify(sources) }).KAFKA_SOURCES).toMatchObject([{ name: 'billing', event_type: { field: 'type' } }]);
  });

  it('stops the start with the variable, and the source and setting that are wrong', () => {
    const sources = [{ name: 'billing', topic: 'billing.events', tenant_id: 'tnt_01JABCDEFGHJKMNPQRSTVWXYZ0' }];
    expect(() => loadConfig(COMMAND_ENV, { ...env, KAFKA_SOURCES: JSON.stringify(sources) }))
      .toThrow(/^KAFKA_SOURCES must be a JSON array of sources .*: source 0: set exactly one of event_type_header, event_type_field, event_type$/);
  });
});

describe('AMQP_SOURCES', () => {
  const env = { ADMIN_API_KEY: 'a'.repeat(24), DATABASE_URL: 'postgres://x/y', KAFKA_BROKERS: '127.0.0.1:9092' };
  const source = { name: 'billing', url: 'amqp://user:s3cret@rabbit:5672/billing', queue: 'billing.events', tenant_id: 'tnt_01JABCDEFGHJKMNPQRSTVWXYZ0' };

  it('is off unless set, and reads the sources when set', () => {
    expect(loadConfig(COMMAND_ENV, env).AMQP_SOURCES).toEqual([]);
    expect(loadConfig(COMMAND_ENV, { ...env, AMQP_SOURCES: JSON.stringify([{ ...source, event_type_from: 'routing_key' }]) }).AMQP_SOURCES)
      .toMatchObject([{ name: 'billing', event_type: { property: 'routing_key' }, prefetch: 64 }]);
  });

  it('stops the start with the source and setting that are wrong, never showing the value (its URLs hold passwords)', () => {
    const refusal = () => loadConfig(COMMAND_ENV, { ...env, AMQP_SOURCES: JSON.stringify([source]) });
    expect(refusal).toThrow(/^AMQP_SOURCES must be a JSON array of sources .*\(got <hidden>\): source 0: set exactly one of event_type_header, event_type_field, event_type, event_type_from$/);
    expect(refusal).toThrow(expect.objectContaining({ message: expect.not.stringContaining('s3cret') }));
  });
});
