import type { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import { AuthContext } from './auth-context';
import { Authenticator } from './authenticator';
import { checkPortalGrpc } from './portal-access';

/**
 * The client address of a gRPC call. grpc-js reports "127.0.0.1:5555" / "[::1]:5555"; the C core's "ipv4:" and "ipv6:"
 * prefixes are accepted too. (Matching only the prefixed form made every key with an IP allowlist unusable over gRPC.)
 */
export function grpcPeerIp(call: ServerUnaryCall<unknown, unknown> | undefined): string | undefined {
  const peer = call?.getPeer?.() ?? '';
  const m = /^(?:ipv4:)?(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(peer) ?? /^(?:ipv6:)?\[([^\]]+)\]:\d+$/.exec(peer);
  return m ? m[1] : undefined;
}

/** Authenticates a gRPC call from its `authorization` metadata, exactly as REST does from its header. */
export async function authenticateGrpc(
  authenticator: Authenticator,
  metadata: Metadata,
  call: ServerUnaryCall<unknown, unknown> | undefined,
): Promise<AuthContext> {
  const value = metadata.get('authorization')[0];
  const auth = await authenticator.authenticate(typeof value === 'string' ? value : value?.toString('utf8'), grpcPeerIp(call));
  checkPortalGrpc(auth, call?.getPath?.());
  return auth;
}
