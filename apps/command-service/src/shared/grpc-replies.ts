/** gRPC replies carry the position token in a message so it can grow fields later. */
export function encodePositionReply(token: string | null): { token: string } | null {
  return token ? { token } : null;
}
