import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The last offset applied per partition, written in the same transaction as the read-model changes it caused. */
@Entity({ name: 'projection_offsets' })
export class ProjectionOffsetEntity {
  @PrimaryColumn('text') consumer!: string;
  @PrimaryColumn('text') topic!: string;
  @PrimaryColumn('int') partition!: number;
  @Column('bigint') offset!: string;
}

/** Aggregate state (from the domain's evolve functions) the audit log's before/after are computed from. */
@Entity({ name: 'config_states' })
export class ConfigStateEntity {
  @PrimaryColumn('text') aggregate_key!: string;
  @Column('jsonb') state!: unknown;
  @Column('int') version!: number;
}
