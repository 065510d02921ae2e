import { composeServiceEnv } from '@hookline/testing';
import { COMMAND_ENV } from './config';

describe('docker-compose.yml for the command-service', () => {
  it('sets only variables the command-service reads (a typo there would be silently ignored)', () => {
    const unknown = composeServiceEnv('command-service').filter((name) => !(name in COMMAND_ENV));
    expect(unknown).toEqual([]);
  });
});
