import { sealingKeyText } from '@hookline/config';
import { composeServiceEnv, describeKubernetesEnv } from '@hookline/testing';
import { DISPATCHER_ENV, loadDispatcherConfig } from './config';

describe('docker-compose.yml for the dispatcher', () => {
  it('sets only variables the dispatcher reads (a typo there would be silently ignored)', () => {
    const unknown = composeServiceEnv('dispatcher').filter((name) => !(name in DISPATCHER_ENV));
    expect(unknown).toEqual([]);
  });
});

// Start-up also reads the sealing key, which the config loader leaves to it.
describeKubernetesEnv('dispatcher', DISPATCHER_ENV, (env) => {
  const config = loadDispatcherConfig(env);
  sealingKeyText(config);
  return config;
});

describe('DELIVERY_PROXY_URL', () => {
  const base = { HOOKLINE_DEV: 'true' };
  it('is off unless set, and takes an http:// proxy with credentials', () => {
    expect(loadDispatcherConfig(base).DELIVERY_PROXY_URL).toBe('');
    expect(loadDispatcherConfig({ ...base, DELIVERY_PROXY_URL: 'http://egress:pw@10.0.0.5:3128' }).DELIVERY_PROXY_URL).toBe('http://egress:pw@10.0.0.5:3128');
  });

  it('refuses what the dispatcher cannot tunnel through, naming the variable', () => {
    expect(() => loadDispatcherConfig({ ...base, DELIVERY_PROXY_URL: 'socks5://10.0.0.5:1080' })).toThrow(/DELIVERY_PROXY_URL/);
    expect(() => loadDispatcherConfig({ ...base, DELIVERY_PROXY_URL: 'proxy:3128' })).toThrow(/DELIVERY_PROXY_URL/);
  });
});

describe('RETRY_SCHEDULE_SECONDS', () => {
  const base = { HOOKLINE_DEV: 'true' };
  it('takes the first attempt (0: at once) and the wait after each failed one', () => {
    expect(loadDispatcherConfig(base).RETRY_SCHEDULE_SECONDS).toEqual([0, 5, 300, 1800, 7200, 18000, 36000, 36000]);
    expect(loadDispatcherConfig({ ...base, RETRY_SCHEDULE_SECONDS: '0,0.5,2' }).RETRY_SCHEDULE_SECONDS).toEqual([0, 0.5, 2]);
  });

  it('refuses a delayed first attempt, which the dispatcher would not honour, naming the variable', () => {
    expect(() => loadDispatcherConfig({ ...base, RETRY_SCHEDULE_SECONDS: '10,60,300' })).toThrow(/RETRY_SCHEDULE_SECONDS must be .*whose first is 0.*got "10,60,300"/);
  });
});
