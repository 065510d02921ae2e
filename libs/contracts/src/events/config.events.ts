import { ApiKeyId, EndpointId, SecretId, TenantId } from '../ids';
import { SourceEvent } from './source.events';

/** Retention and other per-tenant settings. */
export interface TenantCreatedV1 {
  type: 'tenant.created.v1';
  data: { tenant_id: TenantId; name: string; retention_days: number; metadata: Record<string, string> };
}
export interface TenantUpdatedV1 {
  type: 'tenant.updated.v1';
  data: { tenant_id: TenantId; name?: string; retention_days?: number; metadata?: Record<string, string> };
}
export interface TenantDeletedV1 {
  type: 'tenant.deleted.v1';
  data: { tenant_id: TenantId };
}

/** `portal`: a portal session, bound to one tenant, for its endpoints only, until `expires_at`. */
export type ApiKeyScope = 'admin' | 'tenant' | 'portal';
export interface ApiKeyCreatedV1 {
  type: 'api_key.created.v1';
  data: {
    key_id: ApiKeyId;
    scope: ApiKeyScope;
    /** Null for admin keys. */
    tenant_id: TenantId | null;
    name: string;
    /** SHA-256 (hex) of the secret; the secret itself is only ever shown once, in the create response. */
    key_hash: string;
    /** The first characters of the secret, to recognise a key in a list. */
    key_prefix: string;
    ip_allowlist: string[];
    rate_limit_per_second: number | null;
    /** When the key stops working (ISO 8601): set on portal sessions. Absent in events written before it existed. */
    expires_at?: string | null;
    /** Added in 2026-12 within v1: true on a portal session that may only look, never change anything; absent otherwise. */
    read_only?: boolean;
  };
}
export interface ApiKeyRevokedV1 {
  type: 'api_key.revoked.v1';
  data: { key_id: ApiKeyId };
}

export interface EventTypeCreatedV1 {
  type: 'event_type.created.v1';
  data: {
    name: string;
    description: string;
    /** JSON Schema (draft 2020-12 or 07) of version 1, or null for unvalidated payloads. */
    schema: Record<string, unknown> | null;
    requires_approval: boolean;
  };
}
export interface EventTypeUpdatedV1 {
  type: 'event_type.updated.v1';
  data: { name: string; description?: string; requires_approval?: boolean };
}
export interface EventTypeSchemaPublishedV1 {
  type: 'event_type.schema_published.v1';
  data: {
    name: string;
    version: number;
    schema: Record<string, unknown>;
    /** Set when a backward-incompatible schema was published with `force`; lists what broke. */
    breaking_changes: string[];
  };
}
export interface EventTypeDeprecatedV1 {
  type: 'event_type.deprecated.v1';
  data: { name: string; sunset_at: string | null };
}
export interface EventTypeDeletedV1 {
  type: 'event_type.deleted.v1';
  data: { name: string };
}

/** A signing secret as it travels on the log: sealed (AES-256-GCM) so the topic never carries usable secrets. */
export interface SealedSecretV1 {
  secret_id: SecretId;
  kind: 'hmac' | 'ed25519';
  /** `enc:v1:…` sealed `whsec_…` or `whsk_…` secret. */
  sealed: string;
  /** The `whpk_…` public key of an ed25519 secret, for receivers. */
  public_key: string | null;
  created_at: string;
  /** Set when the secret was rotated out: it keeps signing until then. */
  expires_at: string | null;
}

export type EndpointStatus = 'enabled' | 'disabled' | 'pending_approval';
export type DisabledReason = 'manual' | 'gone' | 'failing' | 'rejected';

/** A JSON payload filter in the Outpost/Mongo style: `{ "data.amount": { "$gt": 100 } }`. */
export type PayloadFilter = Record<string, unknown>;

/**
 * How the dispatcher authenticates to an endpoint beyond the signature: an OAuth 2.0 access token from the
 * client-credentials grant (RFC 6749 §4.4), sent as `Authorization: Bearer …` with every attempt.
 */
export interface OAuth2ClientCredentialsV1 {
  type: 'oauth2_client_credentials';
  /** Where tokens come from; checked against the same address policy as endpoint URLs. */
  token_url: string;
  client_id: string;
  /** `enc:v1:…` sealed client secret: the topic never carries it in the clear. */
  client_secret_sealed: string;
  /** Space-separated scopes to ask for; null asks for the token endpoint's default. */
  scope: string | null;
  /** The `audience` form parameter some providers (Auth0, Okta) require; null leaves it out. */
  audience: string | null;
  /** How the client authenticates to the token endpoint: HTTP Basic (RFC 6749 §2.3.1) or client_id/client_secret in the form. */
  client_auth: 'basic' | 'body';
}

/** The values of KafkaSaslMechanism, for checks that need them at run time. */
export const KAFKA_SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;
/** SASL mechanisms a Kafka destination's brokers may ask for: PLAIN (RFC 4616) or SCRAM (RFC 5802/7677). */
export type KafkaSaslMechanism = (typeof KAFKA_SASL_MECHANISMS)[number];

/**
 * Added in 2026-12 within v1: how the dispatcher authenticates to a Kafka destination's brokers with SASL (Confluent
 * Cloud, Redpanda Cloud, Aiven, self-managed clusters), on every connection of its producer. Only on an endpoint whose
 * URL is a Kafka topic.
 */
export interface KafkaSaslV1 {
  type: 'kafka_sasl';
  mechanism: KafkaSaslMechanism;
  username: string;
  /** `enc:v1:…` sealed password: the topic never carries it in the clear. */
  password_sealed: string;
}

/**
 * Added in 2026-12 within v1: the user name and password the dispatcher logs in with (SASL PLAIN, as RabbitMQ's own
 * clients do) to an AMQP destination's broker. Only on an endpoint whose URL is `amqps://` or `amqp://`: the URL never
 * carries them.
 */
export interface AmqpPlainV1 {
  type: 'amqp_plain';
  username: string;
  /** `enc:v1:…` sealed password: the topic never carries it in the clear. */
  password_sealed: string;
}

/**
 * OAuth 2.0 client credentials for an https endpoint, or (added in 2026-12 within v1) SASL for a Kafka destination or
 * a PLAIN login for an AMQP destination.
 */
export type EndpointAuthV1 = OAuth2ClientCredentialsV1 | KafkaSaslV1 | AmqpPlainV1;

/** A client certificate the dispatcher presents in the TLS handshake with an https endpoint (mutual TLS). */
export interface EndpointClientCertificateV1 {
  /** PEM: the client certificate first, then any intermediates the endpoint needs to build the chain. */
  cert_pem: string;
  /** `enc:v1:…` sealed PEM private key of the certificate. */
  key_sealed: string;
  /** SHA-256 fingerprint of the client certificate (colon-separated hex), to tell certificates apart in audits. */
  fingerprint_sha256: string;
  /** When the client certificate expires (ISO 8601). */
  not_after: string;
}

/**
 * An endpoint's own circuit-breaker thresholds. Each field left out is the deployment's (the dispatcher's BREAKER_*
 * settings), so an endpoint can, say, open sooner without restating the rest.
 */
export interface EndpointCircuitBreakerV1 {
  /** Share of failed attempts in the window (0.01–1) that opens the breaker. */
  failure_ratio?: number;
  /** Attempts within the window before the share is trusted (1–100000). */
  minimum_attempts?: number;
  /** The sliding window over which the share is measured, in seconds (0.1–86400). */
  window_seconds?: number;
  /** How long an open breaker turns attempts away before one probe goes, in seconds (0.1–86400). */
  open_seconds?: number;
}

export interface EndpointSettingsV1 {
  /**
   * Where deliveries go: an https URL (http only in development) each webhook is POSTed to, or, since 2026-12, a Kafka
   * topic each webhook is produced to as a record, `kafka+tls://host:port[,host:port…]/topic` (`kafka://`, plaintext,
   * only in development), or, also since 2026-12, a RabbitMQ (AMQP 0-9-1) exchange each webhook is published to as a
   * message, `amqps://host[:port][/vhost]?exchange=<name>[&routing_key=<key>]` (`amqp://`, plaintext, only in development).
   */
  url: string;
  description: string;
  /** Null subscribes to every event type. */
  event_types: string[] | null;
  /** Null accepts every channel; otherwise a message must carry at least one of these. */
  channels: string[] | null;
  filter: PayloadFilter | null;
  headers: Record<string, string>;
  rate_limit_per_second: number | null;
  max_in_flight: number | null;
  /** Seconds between attempts after the first; null uses the deployment default. */
  retry_schedule_seconds: number[] | null;
  fifo: boolean;
  metadata: Record<string, string>;
  /**
   * Added in 2026-11 within v1: absent on endpoints created before and on endpoints without it, so their events still
   * match older copies of this schema; null in endpoint.updated.v1 removes it. OAuth 2.0 on an https endpoint; since
   * 2026-12, SASL (`kafka_sasl`) on a Kafka destination and a PLAIN login (`amqp_plain`) on an AMQP destination.
   */
  auth?: EndpointAuthV1 | null;
  /** Added like `auth`: absent unless set; null in endpoint.updated.v1 removes it. */
  client_certificate?: EndpointClientCertificateV1 | null;
  /**
   * Added in 2026-12 within v1, absent unless set: hours of continuous failure after which the dispatcher disables the
   * endpoint, instead of the deployment's AUTO_DISABLE_AFTER_HOURS; 0 never disables it for failing (a 410 Gone still
   * does). Null in endpoint.updated.v1 goes back to the deployment's.
   */
  auto_disable_after_hours?: number | null;
  /**
   * Added in 2026-12 within v1, absent unless set: the endpoint's own circuit-breaker thresholds (replaced whole by
   * endpoint.updated.v1). Null in endpoint.updated.v1 goes back to the deployment's.
   */
  circuit_breaker?: EndpointCircuitBreakerV1 | null;
  /**
   * Added in 2026-12 within v1, absent unless set: a JSONata expression (https://jsonata.org) that turns the webhook
   * body this endpoint would get, `{ type, timestamp, data }`, into the body it gets instead (say, a chat service's
   * message format). The dispatcher signs what it sends. Null in endpoint.updated.v1 removes it.
   */
  transformation?: string | null;
}

/**
 * Added in 2026-12 within v1, on endpoints of every event type (`event_types` null) only: the tenant's event types that
 * need approval which this endpoint was approved for. It receives any other type needing approval (one created, or
 * made to need approval, after it was approved) only once approved again. Absent on endpoints created before, which
 * keep receiving every type.
 */
export interface ApprovedEventTypesV1 {
  approved_event_types?: string[];
  /**
   * Added in 2026-12 within v1, absent until a type was declined: the types needing approval an admin declined for
   * this endpoint (every one, not those of this event only). It does not receive them and no longer awaits approval
   * for them; an approval naming one approves it and takes it off this list.
   */
  declined_event_types?: string[];
}

export interface EndpointCreatedV1 {
  type: 'endpoint.created.v1';
  data: EndpointSettingsV1 & ApprovedEventTypesV1 & { endpoint_id: EndpointId; status: EndpointStatus; secrets: SealedSecretV1[] };
}
export interface EndpointUpdatedV1 {
  type: 'endpoint.updated.v1';
  /** `approved_event_types` is set when the endpoint comes to receive every event type. */
  data: Partial<EndpointSettingsV1> & ApprovedEventTypesV1 & { endpoint_id: EndpointId; status?: EndpointStatus };
}
export interface EndpointDeletedV1 {
  type: 'endpoint.deleted.v1';
  data: { endpoint_id: EndpointId };
}
export interface EndpointEnabledV1 {
  type: 'endpoint.enabled.v1';
  data: { endpoint_id: EndpointId };
}
export interface EndpointDisabledV1 {
  type: 'endpoint.disabled.v1';
  data: { endpoint_id: EndpointId; reason: DisabledReason; detail: string };
}
export interface EndpointSecretRotatedV1 {
  type: 'endpoint.secret_rotated.v1';
  data: { endpoint_id: EndpointId; secret: SealedSecretV1; previous_secrets_expire_at: string };
}
/**
 * The endpoint's sealed values sealed again under the current SECRETS_ENCRYPTION_KEY, after the key was rotated: the
 * same secrets and credentials (receivers see no change), so the key that sealed them before can be retired.
 * Added in 2026-11 within v1.
 */
export interface EndpointResealedV1 {
  type: 'endpoint.resealed.v1';
  data: {
    endpoint_id: EndpointId;
    /** Signing secrets sealed again, by id; the endpoint's other secrets keep their sealed value. */
    secrets: Array<{ secret_id: SecretId; sealed: string }>;
    /** The OAuth 2.0 client secret (`auth.client_secret_sealed`) sealed again; absent when unchanged. */
    auth_client_secret_sealed?: string;
    /**
     * Added in 2026-12 within v1: the Kafka SASL or AMQP password (`auth.password_sealed`) sealed again; absent when
     * unchanged.
     */
    auth_password_sealed?: string;
    /** The client certificate's key (`client_certificate.key_sealed`) sealed again; absent when unchanged. */
    client_certificate_key_sealed?: string;
  };
}
/**
 * An endpoint waiting for approval was approved, and receives from now on; or an endpoint of every event type was
 * approved for the types needing approval it did not receive yet (it keeps its status: a disabled one stays disabled).
 */
export interface EndpointApprovedV1 {
  type: 'endpoint.approved.v1';
  /** `approved_event_types`: on endpoints of every event type, every type needing approval this approval covers. */
  data: ApprovedEventTypesV1 & { endpoint_id: EndpointId };
}
export interface EndpointRejectedV1 {
  type: 'endpoint.rejected.v1';
  data: { endpoint_id: EndpointId; reason: string };
}
/**
 * Added in 2026-12 within v1: an admin declined some types an endpoint of every event type awaited approval for
 * (`event_types`, why in `reason`). It goes on receiving every other type, and keeps its status.
 */
export interface EndpointEventTypesDeclinedV1 {
  type: 'endpoint.event_types_declined.v1';
  data: {
    endpoint_id: EndpointId;
    event_types: string[];
    reason: string;
    /** Every type now declined for the endpoint (ApprovedEventTypesV1): these and any declined before. */
    declined_event_types: string[];
  };
}

export type TenantEvent = TenantCreatedV1 | TenantUpdatedV1 | TenantDeletedV1;
export type ApiKeyEvent = ApiKeyCreatedV1 | ApiKeyRevokedV1;
export type EventTypeEvent =
  | EventTypeCreatedV1
  | EventTypeUpdatedV1
  | EventTypeSchemaPublishedV1
  | EventTypeDeprecatedV1
  | EventTypeDeletedV1;
export type EndpointEvent =
  | EndpointCreatedV1
  | EndpointUpdatedV1
  | EndpointDeletedV1
  | EndpointEnabledV1
  | EndpointDisabledV1
  | EndpointSecretRotatedV1
  | EndpointResealedV1
  | EndpointApprovedV1
  | EndpointRejectedV1
  | EndpointEventTypesDeclinedV1;

// A record, so the compiler fails here when an endpoint event is added and not listed.
const endpointEventTypes: Record<EndpointEvent['type'], true> = {
  'endpoint.created.v1': true, 'endpoint.updated.v1': true, 'endpoint.deleted.v1': true, 'endpoint.enabled.v1': true,
  'endpoint.disabled.v1': true, 'endpoint.secret_rotated.v1': true, 'endpoint.resealed.v1': true,
  'endpoint.approved.v1': true, 'endpoint.rejected.v1': true, 'endpoint.event_types_declined.v1': true,
};
/** The type of every endpoint event, for consumers that fold endpoints from the config topic. */
export const ENDPOINT_EVENT_TYPES: ReadonlySet<string> = new Set(Object.keys(endpointEventTypes));

/** Every event on the config topic. */
export type ConfigEvent = TenantEvent | ApiKeyEvent | EventTypeEvent | EndpointEvent | SourceEvent;
