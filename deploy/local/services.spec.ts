import { ServiceDefinition, startService } from './services';

// A stand-in for a service: startService runs it exactly as it runs the three services.
const fixture = { name: 'dispatcher', entry: 'deploy/local/support/heap-settings.fixture.js', portVar: 'PORT', port: 0 } as ServiceDefinition;
const chatty = { name: 'dispatcher', entry: 'deploy/local/support/chatty.fixture.js', portVar: 'PORT', port: 0 } as ServiceDefinition;

interface HeapSettings {
  youngGenerationMiB: number;
  execArgv: string[];
}

async function heapSettings(env: Record<string, string>): Promise<HeapSettings> {
  const handle = startService(fixture, env, { quiet: true });
  let out = '';
  handle.child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  const code = await handle.exited;
  expect(code).toBe(0);
  return JSON.parse(out.trim()) as HeapSettings;
}

describe('services started by npm start, the end-to-end tests and the benchmark', () => {
  it('start with their young generation fixed at 64 MiB, not left for V8 to grow from 1 MiB', async () => {
    expect((await heapSettings({ NODE_OPTIONS: '' })).youngGenerationMiB).toBe(64);
  });

  it("a smaller --max-semi-space-size of the caller's own NODE_OPTIONS still wins", async () => {
    expect((await heapSettings({ NODE_OPTIONS: '--max-semi-space-size=16' })).youngGenerationMiB).toBe(16);
  });

  it("run without V8's memory reducer and start marking as the old generation fills, which NODE_OPTIONS could not set", async () => {
    const { execArgv } = await heapSettings({ NODE_OPTIONS: '' });
    expect(execArgv).toContain('--no-memory-reducer');
    expect(execArgv).toContain('--incremental-marking-soft-trigger=80');
  });

  it('never block on output nobody prints: a quiet service that logs a megabyte still runs to its end, and its last words are kept', async () => {
    const handle = startService(chatty, {}, { quiet: true });
    // 'close', not 'exit': by then everything it wrote has been read from its pipes.
    const closed = new Promise((resolve) => handle.child.once('close', (code) => resolve(code)));
    const outcome = await Promise.race([closed, new Promise((resolve) => setTimeout(() => resolve('still blocked after 20 s'), 20_000))]);
    if (outcome !== 0) handle.child.kill('SIGKILL');
    expect(outcome).toBe(0);
    expect(handle.outputTail()).toMatch(/the last line\n$/);
  }, 30_000);
});
