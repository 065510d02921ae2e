import { Controller, DynamicModule, Get, Header, Inject, Module, Res } from '@nestjs/common';
import type { Response } from 'express';

/** A readiness check: resolves when the dependency answers, rejects with a reason otherwise. */
export interface ReadinessCheck {
  name: string;
  check(): Promise<void>;
}

export interface HealthOptions {
  checks: ReadinessCheck[];
  /** Renders Prometheus text for `/metrics`. */
  metrics?: () => Promise<{ contentType: string; body: string }>;
}

const HEALTH_OPTIONS = Symbol('HEALTH_OPTIONS');
const CHECK_TIMEOUT_MS = 2000;

async function runCheck(c: ReadinessCheck): Promise<{ name: string; ok: boolean; error?: string }> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      c.check(),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS))),
    ]);
    return { name: c.name, ok: true };
  } catch (err) {
    return { name: c.name, ok: false, error: (err as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

@Controller()
class HealthController {
  constructor(@Inject(HEALTH_OPTIONS) private readonly options: HealthOptions) {}

  /** Alive: the process answers. Orchestrators restart it when this fails. */
  @Get('healthz')
  @Header('cache-control', 'no-store')
  healthz() {
    return { status: 'ok' };
  }

  /** Ready: Kafka, Postgres and whatever else the service needs answer. Load balancers route on this. */
  @Get('readyz')
  @Header('cache-control', 'no-store')
  async readyz(@Res() res: Response) {
    const results = await Promise.all(this.options.checks.map(runCheck));
    const ready = results.every((r) => r.ok);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not_ready', checks: results });
  }

  @Get('metrics')
  async metrics(@Res() res: Response) {
    if (!this.options.metrics) return res.status(404).end();
    const { contentType, body } = await this.options.metrics();
    res.setHeader('content-type', contentType);
    res.send(body);
  }
}

/** `/healthz`, `/readyz` and `/metrics` for a service. */
@Module({})
export class HealthModule {
  static forRoot(options: HealthOptions): DynamicModule {
    return { module: HealthModule, controllers: [HealthController], providers: [{ provide: HEALTH_OPTIONS, useValue: options }] };
  }
}
