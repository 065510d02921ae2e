import { composeServiceEnv } from '@hookline/testing';
import { DISPATCHER_ENV } from './config';

describe('docker-compose.yml for the dispatcher', () => {
  it('sets only variables the dispatcher reads (a typo there would be silently ignored)', () => {
    const unknown = composeServiceEnv('dispatcher').filter((name) => !(name in DISPATCHER_ENV));
    expect(unknown).toEqual([]);
  });
});
