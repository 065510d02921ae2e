import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { TransformationRunner } from '@hookline/transform';
import { COMMAND_CONFIG } from '../../shared/tokens';

export interface PreviewRunnerConfig {
  TRANSFORMATION_TIMEOUT_MS: number;
  TRANSFORMATION_MAX_MEMORY_MB: number;
  TRANSFORMATION_MAX_BODY_BYTES: number;
}

/**
 * The worker process that runs transformation previews, with the dispatcher's deadline, heap and body limits, so an
 * expression that loops or hoards memory here fails its own preview and never the command service.
 * One worker: previews are a developer's trial runs, not traffic; its worker starts with the first preview.
 */
@Injectable()
export class PreviewTransformationRunner extends TransformationRunner implements OnApplicationShutdown {
  constructor(@Inject(COMMAND_CONFIG) config: PreviewRunnerConfig) {
    super({
      threads: 1,
      timeoutMs: config.TRANSFORMATION_TIMEOUT_MS,
      maxMemoryMb: config.TRANSFORMATION_MAX_MEMORY_MB,
      maxResultBytes: config.TRANSFORMATION_MAX_BODY_BYTES,
    });
  }

  // On shutdown rather than on module destroy: Nest closes the servers in between, so previews in flight finish first.
  onApplicationShutdown(): Promise<void> {
    return this.close();
  }
}
