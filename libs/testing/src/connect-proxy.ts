import net from 'node:net';

/** An HTTP CONNECT proxy on 127.0.0.1 for tests, recording every tunnel it was asked for. */
export interface ConnectProxy {
  url: string;
  /** Every CONNECT request: its target and Proxy-Authorization header (empty when none). */
  tunnels: Array<{ target: string; authorization: string }>;
  close(): Promise<void>;
}

/**
 * Starts a CONNECT proxy. With `basicAuth` ("user:password") a tunnel without those credentials gets 407. It only ever
 * opens tunnels to 127.0.0.1 (anything else gets 502), so a test can never reach another address through it.
 */
export async function startConnectProxy(options: { basicAuth?: string } = {}): Promise<ConnectProxy> {
  const tunnels: ConnectProxy['tunnels'] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      client.off('data', onData);
      const lines = head.subarray(0, end).toString('latin1').split('\r\n');
      const target = /^CONNECT (\S+) HTTP\/1\.1$/.exec(lines[0])?.[1] ?? '';
      const authorization = lines.find((l) => /^proxy-authorization:/i.test(l))?.replace(/^[^:]+:\s*/, '') ?? '';
      tunnels.push({ target, authorization });
      if (options.basicAuth && authorization !== `Basic ${Buffer.from(options.basicAuth).toString('base64')}`) {
        client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\n\r\n');
        return;
      }
      const match = /^127\.0\.0\.1:(\d+)$/.exec(target);
      if (!match) {
        client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
        return;
      }
      const upstream = net.connect({ host: '127.0.0.1', port: Number(match[1]) });
      sockets.add(upstream);
      upstream.on('close', () => sockets.delete(upstream));
      upstream.on('error', () => client.destroy());
      upstream.once('connect', () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        if (head.length > end + 4) upstream.write(head.subarray(end + 4));
        client.pipe(upstream).pipe(client);
      });
    };
    client.on('data', onData);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    tunnels,
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}
