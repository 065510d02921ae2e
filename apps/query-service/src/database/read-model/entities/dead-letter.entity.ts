import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'dead_letters' })
export class DeadLetterEntity {
  @PrimaryColumn('text') delivery_id!: string;
  @Column('text') tenant_id!: string;
  @Column('text') message_id!: string;
  @Column('text') endpoint_id!: string;
  @Column('text') event_type!: string;
  @Column('int') attempts!: number;
  @Column('text') last_error!: string;
  @Column('jsonb', { nullable: true }) payload!: unknown;
  @Column('text', { array: true }) channels!: string[];
  @Column('timestamptz') message_published_at!: Date;
  @Column('timestamptz') created_at!: Date;
  /** Null for dead letters from before the dispatcher said why. */
  @Column('text', { nullable: true }) cause!: string | null;
}
