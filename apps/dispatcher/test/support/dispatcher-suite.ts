import type { TestReceiver } from '@hookline/testing';
import { DispatcherHarness } from './dispatcher-harness';

/**
 * One dispatcher for a describe block: its harness is set up (topics, database, the dispatcher started with `env`)
 * before the block's tests and torn down after them, together with every receiver the tests put in `receivers`.
 */
export function dispatcherSuite(name: string, env: Record<string, string> = {}): { h: DispatcherHarness; receivers: TestReceiver[] } {
  const h = new DispatcherHarness(name);
  const receivers: TestReceiver[] = [];
  beforeAll(async () => {
    await h.setUp();
    await h.startDispatcher(env);
  });
  afterAll(async () => {
    await h.tearDown();
    await Promise.all(receivers.map((r) => r.close()));
  });
  return { h, receivers };
}
