/**
 * Runs `stop` once on SIGTERM/SIGINT and exits 0 when it finishes, or 1 when it takes longer than `timeoutMs`
 * (in-flight work that can't finish in time is left to be redelivered: offsets were not committed past it).
 */
export function onShutdownSignal(stop: (signal: string) => Promise<void>, timeoutMs: number, log: (msg: string) => void = () => undefined): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log(`${signal} received, shutting down`);
    const timer = setTimeout(() => {
      log(`shutdown took longer than ${timeoutMs} ms, exiting`);
      process.exit(1);
    }, timeoutMs);
    timer.unref();
    stop(signal)
      .then(() => process.exit(0))
      .catch((err) => {
        log(`shutdown failed: ${(err as Error).message}`);
        process.exit(1);
      });
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
}

/**
 * Start-up failures (bad config, unreachable Kafka or Postgres) end the process with one readable line rather
 * than a stack trace or a retry loop.
 */
export function failStartup(service: string, err: unknown): never {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`${service}: cannot start: ${message.split('\n')[0]}\n`);
  process.exit(1);
}

/** Resolves when `probe` succeeds, retrying until `timeoutMs`; rejects with the probe's last error. */
export async function waitUntil(probe: () => Promise<unknown>, timeoutMs: number, what: string, intervalMs = 500): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      await probe();
      return;
    } catch (err) {
      last = err;
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  }
  throw new Error(`${what} unreachable after ${Math.round(timeoutMs / 1000)} s: ${(last as Error)?.message ?? 'no answer'}`);
}
