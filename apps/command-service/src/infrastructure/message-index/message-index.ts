import { DataSource } from 'typeorm';

export interface IndexedMessage {
  message_id: string;
  event_type: string;
  event_type_version: number | null;
  payload: unknown;
  channels: string[];
  published_at: string;
}

/** The messages the command service has seen on the log, kept for resend (tenant-scoped reads only). */
export class MessageIndex {
  constructor(private readonly ds: DataSource) {}

  async find(tenantId: string, messageId: string): Promise<IndexedMessage | null> {
    const rows: Array<IndexedMessage & { published_at: Date }> = await this.ds.query(
      `SELECT message_id, event_type, event_type_version, payload, channels, published_at FROM messages WHERE tenant_id = $1 AND message_id = $2`,
      [tenantId, messageId],
    );
    const row = rows[0];
    return row ? { ...row, published_at: new Date(row.published_at).toISOString() } : null;
  }

  /** Drops messages older than the retention: resend is for recent messages, the log keeps the rest. */
  async purgeOlderThan(days: number): Promise<void> {
    await this.ds.query(`DELETE FROM messages WHERE published_at < now() - make_interval(days => $1)`, [days]);
  }
}
