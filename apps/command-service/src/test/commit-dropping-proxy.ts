import net from 'node:net';

export interface CommitDroppingProxy {
  /** `postgres://…` URL of the proxy for a database URL of the server behind it. */
  urlFor(databaseUrl: string): string;
  /**
   * The next transaction whose statements contain `sqlFragment` commits on the server, and then its connection is cut
   * before the client reads the server's "COMMIT": the client sees a dropped connection, the server has committed.
   */
  armFor(sqlFragment: string): void;
  /** How many commits were cut so far. */
  readonly dropped: number;
  close(): Promise<void>;
}

/**
 * A TCP proxy in front of Postgres that loses a commit's answer, as a failover or a network fault at the wrong moment
 * does. Everything else passes through untouched. Server messages are read whole (type byte, then a length that
 * counts itself), so the cut falls exactly on the CommandComplete of the COMMIT.
 */
export async function startCommitDroppingProxy(server: { host: string; port: number }): Promise<CommitDroppingProxy> {
  let armed: string | null = null;
  let dropped = 0;
  const sockets = new Set<net.Socket>();

  const proxy = net.createServer((client) => {
    const upstream = net.connect(server.port, server.host);
    sockets.add(client).add(upstream);
    const forget = () => {
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', forget).on('error', () => upstream.destroy());
    upstream.on('close', () => client.destroy()).on('error', () => client.destroy());

    // This connection ran the armed statement in its current transaction: cut it at that transaction's COMMIT.
    let marked = false;
    let recentText = '';
    client.on('data', (chunk: Buffer) => {
      recentText = (recentText + chunk.toString('latin1')).slice(-4096);
      if (armed && recentText.includes(armed)) marked = true;
      upstream.write(chunk);
    });

    let pending = Buffer.alloc(0);
    upstream.on('data', (chunk: Buffer) => {
      if (!marked) {
        client.write(chunk);
        return;
      }
      pending = Buffer.concat([pending, chunk]);
      let at = 0;
      while (pending.length - at >= 5) {
        const length = pending.readInt32BE(at + 1);
        if (pending.length - at < 1 + length) break;
        const type = String.fromCharCode(pending[at]);
        if (type === 'C' && pending.toString('latin1', at + 5, at + 1 + length).startsWith('COMMIT')) {
          client.write(pending.subarray(0, at));
          armed = null;
          marked = false;
          dropped++;
          client.destroy();
          upstream.destroy();
          return;
        }
        at += 1 + length;
      }
      client.write(pending.subarray(0, at));
      pending = pending.subarray(at);
    });
  });

  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const port = (proxy.address() as net.AddressInfo).port;
  return {
    urlFor(databaseUrl) {
      const url = new URL(databaseUrl);
      url.hostname = '127.0.0.1';
      url.port = String(port);
      return url.toString();
    },
    armFor(sqlFragment) {
      armed = sqlFragment;
    },
    get dropped() {
      return dropped;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
    },
  };
}
