import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Keys as projected from the config topic; authentication looks them up by hash. */
@Entity({ name: 'api_keys' })
export class ApiKeyEntity {
  @PrimaryColumn('text') key_id!: string;
  @Column('text') scope!: 'admin' | 'tenant' | 'portal';
  @Column('text', { nullable: true }) tenant_id!: string | null;
  @Column('text') name!: string;
  @Column('text') key_hash!: string;
  @Column('text') key_prefix!: string;
  @Column('text', { array: true }) ip_allowlist!: string[];
  @Column('int', { nullable: true }) rate_limit_per_second!: number | null;
  @Column('text') status!: string;
  /** Portal sessions expire; other keys last until revoked (null). */
  @Column('timestamptz', { nullable: true }) expires_at!: Date | null;
  @Column('int') version!: number;
  @Column('timestamptz') created_at!: Date;
  @Column('timestamptz') updated_at!: Date;
}
