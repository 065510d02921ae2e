import net from 'node:net';
import tls from 'node:tls';

/** Every outgoing connection attempt made while the guard is installed, by the host the socket was asked to dial. */
export interface LoopbackGuard {
  attempts: string[];
  restore(): void;
}

/**
 * Records every `net.connect` / `tls.connect` (what undici's connector calls) and stops any attempt at an address
 * other than 127.0.0.1 from leaving the machine: it is redirected to `deadPort` on 127.0.0.1 and fails with
 * ECONNREFUSED. So a test can both assert where a connection WOULD have gone and never touch another address.
 */
export function installLoopbackGuard(deadPort: number): LoopbackGuard {
  const attempts: string[] = [];
  const keepLocal = <T extends { host?: string; port?: number }>(options: T): T => {
    attempts.push(options.host ?? '(none)');
    return options.host === '127.0.0.1' ? options : { ...options, host: '127.0.0.1', port: deadPort };
  };

  const realNetConnect = net.connect;
  const realTlsConnect = tls.connect;
  const dialNet = (options: net.TcpNetConnectOpts): net.Socket => realNetConnect(keepLocal(options));
  const netSpy = jest.spyOn(net, 'connect').mockImplementation(dialNet as typeof net.connect);
  const tlsSpy = jest
    .spyOn(tls, 'connect')
    .mockImplementation(((options: tls.ConnectionOptions) => realTlsConnect(keepLocal(options))) as typeof tls.connect);

  return {
    attempts,
    restore: () => {
      netSpy.mockRestore();
      tlsSpy.mockRestore();
    },
  };
}
