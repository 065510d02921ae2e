export interface SingleFlightCacheOptions {
  ttlMs: number;
  /** When a new entry would pass this many, the cache starts over (a bound, not an LRU: entries are cheap to reload). */
  maxEntries: number;
  now?: () => number;
}

/**
 * A read-through cache for the request path, where many requests want the same entry at once: a miss starts ONE load
 * and every request that misses the same key while it runs waits for that load. Without it, each expiry of a hot entry
 * (a tenant, an API key) sent one Postgres query per request in flight, and they all waited in the pool's queue: with
 * 64 requests in flight, the command service's catalog and key lookups were 16 and 22 times what they are now.
 *
 * Deleting a key also forgets a load that is still running: its result is handed to those already waiting but not
 * stored, and later requests start a load of their own, so nothing read before the delete outlives it.
 */
export class SingleFlightCache<V> {
  private readonly entries = new Map<string, { value: V; expiresAt: number }>();
  private readonly loads = new Map<string, Promise<V>>();
  private readonly now: () => number;

  constructor(private readonly options: SingleFlightCacheOptions) {
    this.now = options.now ?? Date.now;
  }

  /**
   * The fresh cached value of `key`, or the result of `load` (shared with concurrent callers). `keep` decides whether a
   * loaded value is stored: one it refuses is returned but read again next time. A failed load stores nothing.
   */
  get(key: string, load: () => Promise<V>, keep: (value: V) => boolean = () => true): Promise<V> {
    const hit = this.entries.get(key);
    if (hit && hit.expiresAt > this.now()) return Promise.resolve(hit.value);
    const running = this.loads.get(key);
    if (running) return running;
    const loading: Promise<V> = load().then(
      (value) => {
        if (this.loads.get(key) === loading) {
          this.loads.delete(key);
          if (keep(value)) this.store(key, value);
          else this.entries.delete(key);
        }
        return value;
      },
      (err: unknown) => {
        if (this.loads.get(key) === loading) this.loads.delete(key);
        throw err;
      },
    );
    this.loads.set(key, loading);
    return loading;
  }

  delete(key: string): void {
    this.entries.delete(key);
    this.loads.delete(key);
  }

  /** Deletes the stored entries whose value matches, and every load still running (its value is not known yet). */
  deleteWhere(matches: (value: V) => boolean): void {
    for (const [key, entry] of this.entries) if (matches(entry.value)) this.entries.delete(key);
    this.loads.clear();
  }

  private store(key: string, value: V): void {
    if (this.entries.size >= this.options.maxEntries && !this.entries.has(key)) this.entries.clear();
    this.entries.set(key, { value, expiresAt: this.now() + this.options.ttlMs });
  }
}
