// Endpoint URLs are few and change rarely; the cap only stops a pathological churn of URLs from growing the cache.
const MAX_CACHED_URLS = 10_000;

/**
 * Each broker destination URL of one kind (Kafka, AMQP) parsed once: attempts ask for it on the hot path. `matches`
 * tells the kind's URLs from the others, which get undefined.
 */
export class ParsedUrls<T> {
  private readonly parsed = new Map<string, T>();

  constructor(
    private readonly matches: (url: string) => boolean,
    private readonly parse: (url: string) => T,
  ) {}

  of(url: string): T | undefined {
    if (!this.matches(url)) return undefined;
    let parsed = this.parsed.get(url);
    if (parsed === undefined) {
      if (this.parsed.size >= MAX_CACHED_URLS) this.parsed.clear();
      parsed = this.parse(url);
      this.parsed.set(url, parsed);
    }
    return parsed;
  }
}
