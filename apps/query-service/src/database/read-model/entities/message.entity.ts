import { Column, Entity, PrimaryColumn } from 'typeorm';

// Property names are the column names (snake_case): the public API speaks snake_case, like the events.
@Entity({ name: 'messages' })
export class MessageEntity {
  @PrimaryColumn('text') message_id!: string;
  @Column('text') tenant_id!: string;
  @Column('text') event_type!: string;
  @Column('int', { nullable: true }) event_type_version!: number | null;
  @Column('jsonb', { nullable: true }) payload!: unknown;
  @Column('timestamptz', { nullable: true }) payload_purged_at!: Date | null;
  /** Set when the content was expunged (payload_purged_at then too); a purge by retention leaves it null. */
  @Column('timestamptz', { nullable: true }) payload_expunged_at!: Date | null;
  @Column('text', { array: true }) channels!: string[];
  /** The endpoints the message was aimed at; null: every subscribed endpoint. */
  @Column('text', { array: true, nullable: true }) endpoint_ids!: string[] | null;
  /** The publisher's labels (empty: none). */
  @Column('text', { array: true }) tags!: string[];
  @Column('text', { nullable: true }) idempotency_key!: string | null;
  @Column('text', { nullable: true }) ordering_key!: string | null;
  @Column('timestamptz') created_at!: Date;
  @Column('text', { nullable: true }) trace_id!: string | null;
  @Column('text') kafka_topic!: string;
  @Column('int') kafka_partition!: number;
  @Column('bigint') kafka_offset!: string;
}
