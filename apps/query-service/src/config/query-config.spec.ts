import { composeServiceEnv, describeKubernetesEnv } from '@hookline/testing';
import { QUERY_ENV, loadQueryConfig } from './query-config';

describe('docker-compose.yml for the query-service', () => {
  it('sets only variables the query-service reads (a typo there would be silently ignored)', () => {
    const unknown = composeServiceEnv('query-service').filter((name) => !(name in QUERY_ENV));
    expect(unknown).toEqual([]);
  });
});

describeKubernetesEnv('query-service', QUERY_ENV, loadQueryConfig);
