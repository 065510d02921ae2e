import type { SourceEntity } from '../database/read-model/entities';
import { iso } from './views';

/** Where providers POST a source's webhooks: the command service's public URL (COMMAND_PUBLIC_URL) + `/ingest/<id>`. */
export class IngestUrls {
  private readonly base: string;

  constructor(commandPublicUrl: string) {
    this.base = commandPublicUrl.replace(/\/+$/, '');
  }

  of(sourceId: string): string {
    return `${this.base}/ingest/${encodeURIComponent(sourceId)}`;
  }
}

/**
 * An HTTP source as the API shows it, from its row: how requests are verified as the row keeps it (the scheme and its
 * public fields; the row has no column for anything sealed), the rules, the handshake it answers (its kind: Meta's verify
 * token is sealed), its rate limit, and the URL its provider posts to.
 */
export function sourceView(row: SourceEntity, ingestUrl: string) {
  const optional = { header: row.verification_header, algorithm: row.verification_algorithm, encoding: row.verification_encoding,
    prefix: row.verification_prefix, username: row.verification_username, timestamp_header: row.verification_timestamp_header,
    tolerance_seconds: row.verification_tolerance_seconds };
  return {
    id: row.source_id, name: row.name, description: row.description, ingest_url: ingestUrl,
    verification: { type: row.verification_type, ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== null)) },
    event_type: row.event_type, idempotency: row.idempotency, payload_field: row.payload_field, channels: row.channels,
    enabled: row.enabled, handshake: row.handshake_type === null ? null : { type: row.handshake_type },
    rate_limit: row.rate_limit_per_second === null ? null : { per_second: row.rate_limit_per_second, burst: row.rate_limit_burst ?? row.rate_limit_per_second },
    version: row.version, created_at: iso(row.created_at)!, updated_at: iso(row.updated_at)!,
  };
}
export type SourceView = ReturnType<typeof sourceView>;
