import { ServiceDefinition, startService } from './services';

// A stand-in for a service: startService runs it exactly as it runs the three services.
const fixture = { name: 'dispatcher', entry: 'deploy/local/support/young-generation.fixture.js', portVar: 'PORT', port: 0 } as ServiceDefinition;

async function youngGenerationMiB(env: Record<string, string>): Promise<number> {
  const handle = startService(fixture, env, { quiet: true });
  let out = '';
  handle.child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  const code = await handle.exited;
  expect(code).toBe(0);
  return (JSON.parse(out.trim()) as { youngGenerationMiB: number }).youngGenerationMiB;
}

describe('services started by npm start, the end-to-end tests and the benchmark', () => {
  it('start with their young generation fixed at 64 MiB, not left for V8 to grow from 1 MiB', async () => {
    expect(await youngGenerationMiB({ NODE_OPTIONS: '' })).toBe(64);
  });

  it("a smaller --max-semi-space-size of the caller's own NODE_OPTIONS still wins", async () => {
    expect(await youngGenerationMiB({ NODE_OPTIONS: '--max-semi-space-size=16' })).toBe(16);
  });
});
