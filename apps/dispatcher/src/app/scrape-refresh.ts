export interface ScrapeRefreshOptions {
  /** Scrapes closer together than this reuse the last refresh (several Prometheus servers, a curl loop). */
  minIntervalMs: number;
  /** A scrape waits at most this long; a refresh still running then finishes in the background. */
  timeoutMs: number;
  onError: (err: unknown) => void;
}

/**
 * Wraps the refresh of gauges that cost a query (retry store counts, Kafka consumer lag) for a `/metrics` scrape: run at
 * scrape time, so the values are current and nothing polls between scrapes, but never more often than `minIntervalMs`, and a
 * slow Postgres or Kafka never stalls the scrape past `timeoutMs` (the gauges then keep their last values).
 */
export function scrapeRefresh(refresh: () => Promise<void>, options: ScrapeRefreshOptions): () => Promise<void> {
  let running: Promise<void> | null = null;
  let startedAt = -Infinity;
  return async () => {
    if (running === null && Date.now() - startedAt >= options.minIntervalMs) {
      startedAt = Date.now();
      running = refresh()
        .catch(options.onError)
        .finally(() => {
          running = null;
        });
    }
    if (running === null) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, options.timeoutMs)));
    await Promise.race([running, timeout]);
    clearTimeout(timer);
  };
}
