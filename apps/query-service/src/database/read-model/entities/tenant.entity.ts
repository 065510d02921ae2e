import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'tenants' })
export class TenantEntity {
  @PrimaryColumn('text') tenant_id!: string;
  @Column('text') name!: string;
  /** Null: the deployment's RETENTION_DAYS applies. */
  @Column('int', { nullable: true }) retention_days!: number | null;
  @Column('jsonb') metadata!: Record<string, string>;
  @Column('text') status!: string;
  @Column('int') version!: number;
  @Column('timestamptz') created_at!: Date;
  @Column('timestamptz') updated_at!: Date;
}
