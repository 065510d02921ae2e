import net from 'node:net';
import tls from 'node:tls';
import type { buildConnector } from 'undici';

/** Options for {@link createProxyTunnelConnector}. */
export interface ProxyTunnelOptions {
  /** `http://[user:password@]host:port` of an HTTP proxy that supports CONNECT (Squid, Envoy, tinyproxy, …). */
  proxyUrl: string;
  /** Budget for reaching the proxy and its answer to CONNECT; the TLS handshake with the receiver gets it again. */
  connectTimeoutMs: number;
  /** TLS options for the receiver behind the tunnel: trust anchors and a client certificate. */
  tls?: Pick<tls.ConnectionOptions, 'ca' | 'cert' | 'key'>;
}

/** The proxy refused or failed the tunnel: nothing reached the receiver. Classified as a `connect` failure. */
export class ProxyTunnelError extends Error {
  readonly code = 'HOOKLINE_PROXY_TUNNEL';

  constructor(message: string) {
    super(message);
    this.name = 'ProxyTunnelError';
  }
}

const MAX_ANSWER_BYTES = 16 * 1024;

/**
 * An undici connector that reaches every receiver through an HTTP proxy's CONNECT tunnel, so all webhooks leave
 * from the proxy's (static) addresses. Meant to sit INSIDE the guarded connector: the receiver's name has already been
 * resolved and vetted here, and the tunnel is asked for that IP literal, never the name, so the proxy cannot resolve
 * it to somewhere else (DNS rebinding) and the address policy still decides where webhooks go. TLS to the receiver runs
 * inside the tunnel with the original host name for SNI and certificate checks.
 */
export function createProxyTunnelConnector(options: ProxyTunnelOptions): buildConnector.connector {
  const proxy = new URL(options.proxyUrl);
  if (proxy.protocol !== 'http:') throw new TypeError(`proxy URL must be http://host:port, got ${proxy.protocol}`);
  const proxyPort = Number(proxy.port || 80);
  const authorization = proxy.username
    ? `Proxy-Authorization: Basic ${Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString('base64')}\r\n`
    : '';

  return (connectOptions, callback) => {
    const { hostname, port, protocol, servername } = connectOptions;
    const target = `${net.isIPv6(hostname) ? `[${hostname}]` : hostname}:${port || (protocol === 'https:' ? 443 : 80)}`;
    let settled = false;
    const fail = (error: Error, socket?: net.Socket) => {
      if (settled) return;
      settled = true;
      socket?.destroy();
      callback(error, null);
    };
    const succeed = (ready: net.Socket) => {
      settled = true;
      socket.off('error', onError);
      ready.setTimeout(0);
      callback(null, ready);
    };
    const socket = net.connect({ host: proxy.hostname.replace(/^\[|\]$/g, ''), port: proxyPort, noDelay: true, keepAlive: true });
    const onError = (error: Error) => fail(error, socket);
    socket.setTimeout(options.connectTimeoutMs, () => {
      const error = Object.assign(new Error(`proxy ${proxy.host} did not open a tunnel to ${target} within ${options.connectTimeoutMs} ms`), { code: 'UND_ERR_CONNECT_TIMEOUT' });
      fail(error, socket);
    });
    socket.on('error', onError);
    socket.once('connect', () => socket.write(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n${authorization}\r\n`));

    let answer = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      answer = Buffer.concat([answer, chunk]);
      const end = answer.indexOf('\r\n\r\n');
      if (end < 0) {
        if (answer.length > MAX_ANSWER_BYTES) fail(new ProxyTunnelError(`proxy ${proxy.host} sent an oversized answer to CONNECT`), socket);
        return;
      }
      socket.off('data', onData);
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(answer.subarray(0, end).toString('latin1'));
      if (!status || status[1][0] !== '2') {
        fail(new ProxyTunnelError(`proxy ${proxy.host} refused the tunnel to ${target}: ${status ? `HTTP ${status[1]}` : 'not an HTTP answer'}`), socket);
        return;
      }
      // Bytes after the answer belong to the receiver (none is expected before we speak, but keep them if sent).
      if (answer.length > end + 4) socket.unshift(answer.subarray(end + 4));
      if (protocol !== 'https:') {
        succeed(socket);
        return;
      }
      socket.setTimeout(0); // the handshake has its own timer
      const secure = tls.connect({ socket, servername, ALPNProtocols: ['http/1.1'], ...options.tls });
      const onTlsError = (error: Error) => fail(error, secure);
      secure.setTimeout(options.connectTimeoutMs, () => fail(Object.assign(new Error(`TLS handshake with ${servername ?? target} through the proxy timed out`), { code: 'UND_ERR_CONNECT_TIMEOUT' }), secure));
      secure.on('error', onTlsError);
      secure.once('secureConnect', () => {
        secure.off('error', onTlsError);
        succeed(secure);
        // The tunnel's own socket now only carries TLS records: its errors end the TLS socket, which undici watches.
        socket.on('error', (error) => secure.destroy(error));
      });
    };
    socket.on('data', onData);
  };
}
