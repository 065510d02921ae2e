import { compact } from './transport';
import { encodePositionReply } from './grpc-replies';
import type { SourceAnswer } from './source-commands';

/** A nested gRPC message of a source request as REST has it (unset fields dropped); unset = undefined. */
export function sourceObjectFromGrpc(message: unknown): Record<string, unknown> | undefined {
  return message && typeof message === 'object' ? compact(message as Record<string, unknown>) : undefined;
}

/** The SourceReply of an answer. */
export function sourceReply(r: SourceAnswer) {
  return {
    id: r.id, version: r.version, ingest_url: r.ingest_url, enabled: r.enabled, verification_type: String(r.verification.type ?? ''),
    position: encodePositionReply(r.position), handshake_type: String(r.handshake?.type ?? ''), rate_limit: r.rate_limit ?? undefined,
  };
}
