import { ConfigError, COMMON_ENV, loadConfig, port, secondsList } from './index';

describe('loadConfig', () => {
  it('applies defaults when variables are absent', () => {
    const cfg = loadConfig(COMMON_ENV, {});
    expect(cfg.KAFKA_BROKERS).toEqual(['127.0.0.1:9092']);
    expect(cfg.DATABASE_URL).toMatch(/^postgres:\/\//);
  });

  it('names the variable and what it expects when a value is malformed', () => {
    expect(() => loadConfig(COMMON_ENV, { DATABASE_URL: 'mysql://x' })).toThrow(
      new ConfigError('DATABASE_URL must be a postgres:// or postgresql:// URL (got "mysql://x")'),
    );
    expect(() => loadConfig(COMMON_ENV, { KAFKA_BROKERS: 'localhost' })).toThrow(/KAFKA_BROKERS must be a comma-separated list of host:port/);
  });

  it('refuses a missing required variable with its description', () => {
    expect(() => loadConfig({ PORT: port({ description: 'HTTP port' }) }, {})).toThrow('PORT is required: HTTP port (expected a port number 1-65535)');
  });

  it('never echoes the value of a secret-looking variable', () => {
    const spec = { SIGNING_KEY: port({ description: 'x', default: 1 }) };
    expect(() => loadConfig(spec, { SIGNING_KEY: 'hunter2' })).toThrow('SIGNING_KEY must be a port number 1-65535 (got <hidden>)');
  });

  it('never echoes the value of a variable marked sensitive (credentials in a URL), whatever its name', () => {
    const spec = { SOURCES: { ...port({ description: 'x', default: 1 }), sensitive: true } };
    expect(() => loadConfig(spec, { SOURCES: 'amqp://u:hunter2@h' })).toThrow('SOURCES must be a port number 1-65535 (got <hidden>)');
  });

  it('parses a seconds list', () => {
    expect(loadConfig({ R: secondsList({ description: 'r' }) }, { R: '0, 5,300' }).R).toEqual([0, 5, 300]);
    expect(() => loadConfig({ R: secondsList({ description: 'r' }) }, { R: '5,-1' })).toThrow(/R must be/);
  });
});
