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
