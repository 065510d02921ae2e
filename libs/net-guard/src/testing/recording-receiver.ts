import http, { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';

/** A request as the receiver saw it. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** TLS SNI the client presented, if any. */
  servername?: string;
}

/** A local HTTP(S) receiver on 127.0.0.1 that records requests and counts TCP connections. */
export interface Receiver {
  port: number;
  /** e.g. http://127.0.0.1:41234 */
  origin: string;
  requests: RecordedRequest[];
  /** TCP connections accepted (keep-alive reuse keeps this at 1). */
  connections(): number;
  /** TCP connections that have closed. */
  closedConnections(): number;
  close(): Promise<void>;
}

type Respond = (request: IncomingMessage, response: ServerResponse, body: string) => void;

const answerOk: Respond = (_request, response) => response.end('ok');

/**
 * Starts a receiver on 127.0.0.1 (only: tests never listen or connect elsewhere). `respond` runs after the request
 * body has been read; it may also never answer. Pass `tls` to serve https (with `requestCert`, `rejectUnauthorized`
 * and `ca` to demand a client certificate).
 */
export async function startReceiver(
  respond: Respond = answerOk,
  tls?: Pick<https.ServerOptions, 'ca' | 'requestCert' | 'rejectUnauthorized'> & { key: string; cert: string },
): Promise<Receiver> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  let accepted = 0;
  let closed = 0;

  const onRequest = (request: IncomingMessage, response: ServerResponse): void => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const servername = (request.socket as Socket & { servername?: string }).servername;
      requests.push({ method: request.method ?? '', path: request.url ?? '', headers: request.headers, body, servername });
      respond(request, response, body);
    });
  };
  const server = tls ? https.createServer(tls, onRequest) : http.createServer(onRequest);
  server.on('connection', (socket: Socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.on('close', () => {
      closed += 1;
      sockets.delete(socket);
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    origin: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    requests,
    connections: () => accepted,
    closedConnections: () => closed,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A port on 127.0.0.1 that nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
