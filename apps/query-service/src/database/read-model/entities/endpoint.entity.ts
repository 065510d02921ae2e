import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An endpoint's configuration as of its last config event (secrets are never projected). */
@Entity({ name: 'endpoints' })
export class EndpointEntity {
  @PrimaryColumn('text') endpoint_id!: string;
  @Column('text') tenant_id!: string;
  @Column('text') url!: string;
  @Column('text') description!: string;
  @Column('text', { array: true, nullable: true }) event_types!: string[] | null;
  @Column('text', { array: true, nullable: true }) channels!: string[] | null;
  @Column('text') status!: string;
  @Column('text', { nullable: true }) disabled_reason!: string | null;
  @Column('text', { nullable: true }) disabled_detail!: string | null;
  @Column('boolean') fifo!: boolean;
  @Column('jsonb') metadata!: Record<string, string>;
  @Column('int') version!: number;
  @Column('timestamptz') created_at!: Date;
  @Column('timestamptz') updated_at!: Date;
}
