import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'attempts' })
export class AttemptEntity {
  @PrimaryColumn('text') attempt_id!: string;
  @Column('text') tenant_id!: string;
  @Column('text') delivery_id!: string;
  @Column('text') message_id!: string;
  @Column('text') endpoint_id!: string;
  @Column('text') event_type!: string;
  @Column('int') attempt!: number;
  @Column('text') trigger!: string;
  @Column('text') url!: string;
  /** As the dispatcher sent them, signatures and secret custom headers already masked. */
  @Column('jsonb') request_headers!: Record<string, string>;
  /** The body sent, only when the endpoint's transformation made it (first 4 KB). */
  @Column('text', { nullable: true }) request_body!: string | null;
  @Column('boolean') request_body_truncated!: boolean;
  /** Where a Kafka destination's cluster wrote the record, only for an attempt it acknowledged (no HTTP response then). */
  @Column('jsonb', { nullable: true }) kafka_record!: { topic: string; partition: number; offset: string } | null;
  /** Where an AMQP destination's broker took the message, only for an attempt it confirmed (no HTTP response then). */
  @Column('jsonb', { nullable: true }) amqp_publish!: { exchange: string; routing_key: string } | null;
  @Column('int', { nullable: true }) response_status!: number | null;
  @Column('jsonb', { nullable: true }) response_headers!: Record<string, string> | null;
  @Column('text', { nullable: true }) response_body!: string | null;
  @Column('boolean') response_body_truncated!: boolean;
  @Column('int') latency_ms!: number;
  @Column('text', { nullable: true }) error_class!: string | null;
  @Column('text', { nullable: true }) error_message!: string | null;
  @Column('boolean') succeeded!: boolean;
  @Column('text') status!: string;
  @Column('timestamptz', { nullable: true }) next_attempt_at!: Date | null;
  @Column('text', { nullable: true }) trace_id!: string | null;
  @Column('timestamptz') started_at!: Date;
  @Column('timestamptz') created_at!: Date;
}
