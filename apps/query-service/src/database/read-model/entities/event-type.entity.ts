import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'event_types' })
export class EventTypeEntity {
  @PrimaryColumn('text') tenant_id!: string;
  @PrimaryColumn('text') name!: string;
  @Column('text') description!: string;
  @Column('boolean') requires_approval!: boolean;
  @Column('text') status!: string;
  @Column('boolean') deprecated!: boolean;
  @Column('timestamptz', { nullable: true }) sunset_at!: Date | null;
  @Column('int', { nullable: true }) current_version!: number | null;
  @Column('int') version!: number;
  @Column('timestamptz') created_at!: Date;
  @Column('timestamptz') updated_at!: Date;
}

@Entity({ name: 'event_type_schemas' })
export class EventTypeSchemaEntity {
  @PrimaryColumn('text') tenant_id!: string;
  @PrimaryColumn('text') name!: string;
  @PrimaryColumn('int') version!: number;
  @Column('jsonb') schema!: Record<string, unknown>;
  @Column('text', { array: true }) breaking_changes!: string[];
  @Column('timestamptz') published_at!: Date;
}
