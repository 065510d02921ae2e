import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One message × one endpoint; `seq_*` order the events that changed it (see deliveries.writer.ts). */
@Entity({ name: 'deliveries' })
export class DeliveryEntity {
  @PrimaryColumn('text') delivery_id!: string;
  @Column('text') tenant_id!: string;
  @Column('text') message_id!: string;
  @Column('text') endpoint_id!: string;
  @Column('text') event_type!: string;
  @Column('text') status!: string;
  @Column('int') attempt_count!: number;
  @Column('timestamptz', { nullable: true }) next_attempt_at!: Date | null;
  @Column('int', { nullable: true }) last_status_code!: number | null;
  @Column('text', { nullable: true }) last_error!: string | null;
  /** The attempt `last_status_code` and `last_error` describe (0: none yet). */
  @Column('int') last_attempt_no!: number;
  @Column('timestamptz') message_published_at!: Date;
  @Column('timestamptz') created_at!: Date;
  @Column('timestamptz') updated_at!: Date;
  @Column('int') seq_attempt!: number;
  @Column('smallint') seq_rank!: number;
}
