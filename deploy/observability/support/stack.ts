import { createServer } from 'node:net';
// The launcher `npm start` uses (a plain Node script; its types are in services.d.ts beside it).
import { SERVICES, ServiceDefinition, ServiceHandle, startService, waitReady } from '../../local/services';

/** One service of a started stack, with everything it wrote to stdout and stderr. */
export interface StackService {
  name: ServiceDefinition['name'];
  port: number;
  handle: ServiceHandle;
  /** stdout and stderr, as written (pino writes one JSON object per line). */
  output(): string;
}

export interface Stack {
  services: Record<ServiceDefinition['name'], StackService>;
  /** Stops every service (SIGTERM, then SIGKILL after `graceMs`); safe to call twice. */
  stop(graceMs?: number): Promise<void>;
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Starts the three services as separate processes through deploy/local/services.js, each on its own free ports, with
 * `env` over the current environment, and waits until every one answers /readyz. Their output is kept, not printed;
 * set HOOKLINE_E2E_OUTPUT=1 to see it too. A service that fails to start fails the call with the end of its output.
 */
export async function startStack(env: Record<string, string>): Promise<Stack> {
  const services = {} as Stack['services'];
  const started: StackService[] = [];
  for (const definition of SERVICES) {
    const port = await freePort();
    const ports: Record<string, string> = { PORT: String(port) };
    if (definition.grpcPort !== undefined) ports['GRPC_PORT'] = String(await freePort());
    const handle = startService(definition, { ...env, ...ports }, { quiet: true });
    const chunks: string[] = [];
    const keep = (chunk: Buffer) => {
      chunks.push(chunk.toString('utf8'));
      if (process.env['HOOKLINE_E2E_OUTPUT']) process.stdout.write(`[${definition.name}] ${chunk.toString('utf8')}`);
    };
    handle.child.stdout?.on('data', keep);
    handle.child.stderr?.on('data', keep);
    const service: StackService = { name: definition.name, port, handle, output: () => chunks.join('') };
    services[definition.name] = service;
    started.push(service);
  }
  const stop = async (graceMs = 10_000) => {
    await Promise.all(started.map((s) => s.handle.stop(graceMs)));
  };
  try {
    await Promise.all(
      started.map((s) =>
        waitReady(s.handle, s.port, 90_000).catch((err: Error) => {
          throw new Error(`${err.message}\n--- last output of ${s.name} ---\n${s.output().split('\n').slice(-30).join('\n')}`);
        }),
      ),
    );
  } catch (err) {
    await stop(2000);
    throw err;
  }
  return { services, stop };
}
