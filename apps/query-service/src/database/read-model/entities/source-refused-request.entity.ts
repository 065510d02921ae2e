import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A request an HTTP source refused, as source.request_refused.v1 recorded it (credentials already redacted). */
@Entity({ name: 'source_refused_requests' })
export class SourceRefusedRequestEntity {
  @PrimaryColumn('text') tenant_id!: string;
  /** The event's id: the refusal's id in the API. */
  @PrimaryColumn('text') event_id!: string;
  @Column('text') source_id!: string;
  /** When the request arrived. */
  @Column('timestamptz') created_at!: Date;
  @Column('text') method!: string;
  @Column('int') status!: number;
  @Column('text') outcome!: string;
  @Column('text') reason!: string;
  @Column('text') detail!: string;
  @Column('jsonb') headers!: Record<string, string>;
  @Column('jsonb') query!: Record<string, string>;
  @Column('text', { nullable: true }) content_type!: string | null;
  @Column('int') body_bytes!: number;
  @Column('text') body_excerpt!: string;
  @Column('boolean') body_truncated!: boolean;
  @Column('int') not_recorded!: number;
}
