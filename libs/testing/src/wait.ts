/** Polls `probe` until it returns a truthy value (which is returned) or the timeout passes. */
export async function waitFor<T>(probe: () => T | Promise<T>, timeoutMs = 20_000, what = 'condition', intervalMs = 50): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value as NonNullable<T>;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** A topic prefix unique to this test run, so parallel runs never read each other's events. */
export function testTopicPrefix(label = 't'): string {
  return `test-${label}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}-`;
}

/** Brokers for integration tests. */
export function testBrokers(): string[] {
  return (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',').map((s) => s.trim()).filter(Boolean);
}
