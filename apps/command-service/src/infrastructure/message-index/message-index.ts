import { DataSource } from 'typeorm';
import { DEFAULT_MESSAGE_RETENTION_DAYS, idTimestamp } from '@hookline/contracts';

/**
 * How long after its id was minted a message may still be missing from the index: the log follower fetches in batches
 * (up to 250 ms apart when traffic is light) and then writes them.
 */
export const INDEX_CATCH_UP_MS = 2000;
const CATCH_UP_FIRST_POLL_MS = 25;
/** How long the index keeps a message: as long as the messages topic keeps it as created. */
export const MESSAGE_INDEX_DAYS = DEFAULT_MESSAGE_RETENTION_DAYS;
const CATCH_UP_MAX_POLL_MS = 400;

export interface IndexedMessage {
  message_id: string;
  event_type: string;
  event_type_version: number | null;
  payload: unknown;
  channels: string[];
  published_at: string;
  /** The endpoints the message was aimed at; null: every subscribed endpoint. */
  endpoint_ids: string[] | null;
  /** Its ordering key (null: none, or indexed before the index kept it). */
  ordering_key: string | null;
  /** When its content was expunged (the payload is then null); null: never. */
  content_expunged_at: string | null;
}

const COLUMNS = 'message_id, event_type, event_type_version, payload, channels, published_at, endpoint_ids, ordering_key, content_expunged_at';
type Row = Omit<IndexedMessage, 'published_at' | 'content_expunged_at'> & { published_at: Date; content_expunged_at: Date | null };
const indexed = (row: Row): IndexedMessage => ({
  ...row, published_at: new Date(row.published_at).toISOString(), content_expunged_at: row.content_expunged_at && new Date(row.content_expunged_at).toISOString(),
});

/** The messages the command service has seen on the log, kept for resend (tenant-scoped reads only). */
export class MessageIndex {
  constructor(private readonly ds: DataSource) {}

  async find(tenantId: string, messageId: string): Promise<IndexedMessage | null> {
    const rows: Row[] = await this.ds.query(`SELECT ${COLUMNS} FROM messages WHERE tenant_id = $1 AND message_id = $2`, [tenantId, messageId]);
    return rows[0] ? indexed(rows[0]) : null;
  }

  /**
   * find(), except that a message whose id was minted less than INDEX_CATCH_UP_MS ago and is not indexed yet is looked
   * up again until it is, or that time has passed: a resend right after the publish must not get a 404 only because
   * the follower has not written that batch yet. An id claiming a later time waits no longer than that either.
   */
  async findRecent(tenantId: string, messageId: string): Promise<IndexedMessage | null> {
    const deadline = Math.min(idTimestamp(messageId), Date.now()) + INDEX_CATCH_UP_MS;
    // Backing off (25 ms doubling to 400 ms): a made-up fresh id costs about ten lookups, not eighty.
    for (let pause = CATCH_UP_FIRST_POLL_MS; ; pause = Math.min(pause * 2, CATCH_UP_MAX_POLL_MS)) {
      const found = await this.find(tenantId, messageId);
      if (found || Date.now() >= deadline) return found;
      await new Promise((resolve) => setTimeout(resolve, Math.min(pause, Math.max(0, deadline - Date.now()))));
    }
  }

  /**
   * The tenant's messages published in [since, until) in publish order, starting at `since`, at most `limit`; for
   * replay, which pages through a window by moving `since` on (and skips the expunged ones it gets).
   */
  async window(tenantId: string, since: Date, until: Date, limit: number): Promise<IndexedMessage[]> {
    const rows: Row[] = await this.ds.query(
      `SELECT ${COLUMNS} FROM messages
       WHERE tenant_id = $1 AND published_at >= $2 AND published_at < $3 ORDER BY published_at, message_id LIMIT $4`,
      [tenantId, since.toISOString(), until.toISOString(), limit],
    );
    return rows.map(indexed);
  }

  /** Drops messages older than the retention: resend is for recent messages, the log keeps the rest. */
  async purgeOlderThan(days: number): Promise<void> {
    await this.ds.query(`DELETE FROM messages WHERE published_at < now() - make_interval(days => $1)`, [days]);
  }
}
