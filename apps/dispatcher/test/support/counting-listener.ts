import { createServer } from 'node:net';

/** A TCP listener on 127.0.0.1 that drops every connection at once, counting them. */
export interface CountingListener {
  port: number;
  /** Connections accepted so far. */
  connections(): number;
  close(): Promise<void>;
}

/** Stands in for a broker a test must see never connected to (an address the policy refuses). */
export async function startCountingListener(): Promise<CountingListener> {
  let connections = 0;
  const server = createServer((socket) => {
    connections += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    connections: () => connections,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
