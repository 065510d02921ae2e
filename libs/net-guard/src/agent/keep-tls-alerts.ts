import type { Socket } from 'node:net';

/**
 * Makes a TLS alert the error a request fails with. A server that refuses the client after the handshake (under TLS
 * 1.3 a missing or unacceptable client certificate is refused that way: alert 116, certificate_required) makes the
 * socket emit the alert as an error and then end; undici's end handler replaces the alert with "other side closed",
 * so the attempt read as a network failure with no reason. Destroying the socket with the alert as it arrives leaves
 * undici nothing to replace it with.
 */
export function keepTlsAlerts(socket: Socket): void {
  socket.prependListener('error', (err: NodeJS.ErrnoException) => {
    if (err.code?.startsWith('ERR_SSL_') && !socket.destroyed) socket.destroy(err);
  });
}
