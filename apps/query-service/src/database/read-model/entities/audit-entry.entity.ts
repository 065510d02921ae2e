import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One config change: who, what, when, and the aggregate's state before and after (secrets stripped). */
@Entity({ name: 'audit_log' })
export class AuditEntryEntity {
  @PrimaryColumn('text') event_id!: string;
  @Column('text') tenant_id!: string;
  @Column('text') type!: string;
  @Column('text') aggregate_kind!: string;
  @Column('text') aggregate_id!: string;
  @Column('int', { nullable: true }) aggregate_version!: number | null;
  @Column('text', { nullable: true }) actor_kind!: string | null;
  @Column('text', { nullable: true }) actor_id!: string | null;
  @Column('text') source!: string;
  @Column('text') correlation_id!: string;
  @Column('jsonb', { nullable: true }) before!: unknown;
  @Column('jsonb', { nullable: true }) after!: unknown;
  @Column('timestamptz') created_at!: Date;
}
