/** A point in the log: where an append landed. */
export interface LogPosition {
  topic: string;
  partition: number;
  offset: string;
}

/**
 * Read-your-writes token: the command side returns it after Kafka acknowledged an append; the query side waits
 * until its projection has passed every position in it. Opaque to clients: base64url of compact JSON.
 */
export function encodePosition(positions: LogPosition[]): string {
  return Buffer.from(JSON.stringify(positions.map((p) => [p.topic, p.partition, p.offset]))).toString('base64url');
}

/**
 * One position per partition, the furthest: a token says how far to wait, so the earlier positions of a partition add
 * nothing (and a token holds at most 64).
 */
export function furthestPositions(positions: LogPosition[]): LogPosition[] {
  const furthest = new Map<string, LogPosition>();
  for (const p of positions) {
    const slot = `${p.topic}\u0000${p.partition}`;
    const seen = furthest.get(slot);
    if (!seen || BigInt(p.offset) > BigInt(seen.offset)) furthest.set(slot, p);
  }
  return [...furthest.values()];
}

/** Parses a position token; null when it is malformed. */
export function decodePosition(token: string): LogPosition[] | null {
  try {
    const raw = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown;
    if (!Array.isArray(raw) || raw.length === 0 || raw.length > 64) return null;
    const out: LogPosition[] = [];
    for (const item of raw) {
      if (!Array.isArray(item) || item.length !== 3) return null;
      const [topic, partition, offset] = item as [unknown, unknown, unknown];
      if (typeof topic !== 'string' || !Number.isInteger(partition) || typeof offset !== 'string' || !/^\d+$/.test(offset)) return null;
      out.push({ topic, partition: partition as number, offset });
    }
    return out;
  } catch {
    return null;
  }
}
