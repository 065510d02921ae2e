import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { SourceEventTypeV1, SourceIdempotencyV1 } from '@hookline/contracts';

/** An HTTP source's settings as of its last config event; its verification as a summary, never a sealed secret. */
@Entity({ name: 'sources' })
export class SourceEntity {
  @PrimaryColumn('text') tenant_id!: string;
  @PrimaryColumn('text') source_id!: string;
  @Column('text') name!: string;
  @Column('text') description!: string;
  @Column('text') verification_type!: string;
  @Column('text', { nullable: true }) verification_header!: string | null;
  @Column('text', { nullable: true }) verification_algorithm!: string | null;
  @Column('text', { nullable: true }) verification_encoding!: string | null;
  @Column('text', { nullable: true }) verification_prefix!: string | null;
  @Column('text', { nullable: true }) verification_username!: string | null;
  @Column('int', { nullable: true }) verification_tolerance_seconds!: number | null;
  @Column('text', { nullable: true }) verification_timestamp_header!: string | null;
  @Column('jsonb') event_type!: SourceEventTypeV1;
  @Column('jsonb', { nullable: true }) idempotency!: SourceIdempotencyV1;
  @Column('text', { nullable: true }) payload_field!: string | null;
  @Column('text', { array: true, nullable: true }) channels!: string[] | null;
  @Column('boolean') enabled!: boolean;
  /** The handshake's kind (slack, zoom, meta, microsoft_graph); null: none. */
  @Column('text', { nullable: true }) handshake_type!: string | null;
  /** The rate limit's figures (requests a second, and at once); both null: no limit. */
  @Column('int', { nullable: true }) rate_limit_per_second!: number | null;
  @Column('int', { nullable: true }) rate_limit_burst!: number | null;
  @Column('int') version!: number;
  @Column('timestamptz') created_at!: Date;
  @Column('timestamptz') updated_at!: Date;
}
