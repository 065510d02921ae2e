import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Delivery health of an endpoint, from attempts and operational events. Kept apart from `endpoints` because those
 * events arrive on other topics than the endpoint's config and may be projected before it exists.
 */
@Entity({ name: 'endpoint_health' })
export class EndpointHealthEntity {
  @PrimaryColumn('text') endpoint_id!: string;
  @Column('text') tenant_id!: string;
  @Column('bigint') attempts!: string;
  @Column('bigint') successes!: string;
  /** Counts per latency bucket (bounds in latency-histogram.ts): mergeable, bounded, good enough for p50/p95. */
  @Column('bigint', { array: true }) latency_buckets!: string[];
  /** HTTP status (or error class) → count. */
  @Column('jsonb') status_codes!: Record<string, number>;
  @Column('timestamptz', { nullable: true }) last_attempt_at!: Date | null;
  @Column('timestamptz', { nullable: true }) last_success_at!: Date | null;
  @Column('timestamptz', { nullable: true }) last_failure_at!: Date | null;
  @Column('text', { nullable: true }) last_error!: string | null;
  @Column('text') breaker_state!: string;
  @Column('double precision', { nullable: true }) breaker_failure_ratio!: number | null;
  @Column('timestamptz', { nullable: true }) breaker_changed_at!: Date | null;
  @Column('text', { nullable: true }) auto_disabled_reason!: string | null;
  @Column('text', { nullable: true }) auto_disabled_detail!: string | null;
  @Column('timestamptz', { nullable: true }) auto_disabled_at!: Date | null;
  /** The latest client-certificate warning: for which certificate, which stage (expiring, expired), raised when. */
  @Column('text', { nullable: true }) certificate_fingerprint!: string | null;
  @Column('text', { nullable: true }) certificate_warning!: string | null;
  @Column('timestamptz', { nullable: true }) certificate_warned_at!: Date | null;
}
