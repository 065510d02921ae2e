import type { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import type { Request } from 'express';
import { CallerInfo } from '../auth/authenticator';

/** The caller of a REST request: its Authorization header and the client address (for IP allowlists). */
export function httpCaller(req: Request): CallerInfo {
  return { authorization: req.headers.authorization, ip: req.ip ?? req.socket.remoteAddress };
}

/** The caller of a gRPC call: `authorization` metadata and the peer address (`ipv4:1.2.3.4:567`, `ipv6:[::1]:567`). */
export function grpcCaller(metadata: Metadata, call?: ServerUnaryCall<unknown, unknown>): CallerInfo {
  const value = metadata.get('authorization')[0];
  const peer = call?.getPeer() ?? '';
  const m = /^ipv4:([^:]+):\d+$/.exec(peer) ?? /^ipv6:\[([^\]]+)\]:\d+$/.exec(peer);
  return { authorization: value === undefined ? undefined : String(value), ip: m ? m[1] : undefined };
}
