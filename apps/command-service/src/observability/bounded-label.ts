/**
 * A label value for things an installation may hold many of (tenants, HTTP sources): the first `limit` values seen get
 * their own series, the rest share `other`, so the series count on /metrics stays bounded.
 */
export function boundedLabel(limit: number): (value: string) => string {
  const withSeries = new Set<string>();
  return (value) => {
    if (withSeries.has(value)) return value;
    if (withSeries.size >= limit) return 'other';
    withSeries.add(value);
    return value;
  };
}
