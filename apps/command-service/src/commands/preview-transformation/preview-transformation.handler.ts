import { Inject, Injectable } from '@nestjs/common';
import { MessageId, newId } from '@hookline/contracts';
import { ProblemError } from '@hookline/service-kit';
import { TransformationError, transformationInput } from '@hookline/transform';
import { requireTenant } from '../../auth/auth-context';
import { ConfigCatalog } from '../../infrastructure/aggregates/config-catalog';
import { PreviewTransformationRunner } from '../../infrastructure/transformations/preview-transformation-runner';
import { transformationProblems } from '../../shared/endpoint-checks';
import { requirePayloadWithinLimit } from '../../shared/field-checks';
import { RequestContext } from '../../shared/request-context';
import { requireActiveTenant } from '../../shared/tenant-checks';
import { COMMAND_CONFIG } from '../../shared/tokens';
import { PreviewTransformationRequest } from './preview-transformation.request.dto';

export interface TransformationPreview {
  /** What the endpoint would get, as JSON text exactly as it would be signed and sent. */
  bodyJson: string;
  bodyBytes: number;
  /** The sample message id the expression saw as `$message_id`. */
  messageId: MessageId;
}

export interface PreviewConfig {
  MAX_PAYLOAD_BYTES: number;
}

/**
 * Runs a transformation on a sample message, as the dispatcher would for a delivery (same input, same bindings, same
 * limits), so an expression can be developed without failed deliveries. Not a command: nothing is appended, nothing
 * is stored, and a retry simply runs it again (with another sample message id).
 */
@Injectable()
export class PreviewTransformationHandler {
  constructor(
    @Inject(ConfigCatalog) private readonly catalog: ConfigCatalog,
    @Inject(PreviewTransformationRunner) private readonly runner: PreviewTransformationRunner,
    @Inject(COMMAND_CONFIG) private readonly config: PreviewConfig,
  ) {}

  async execute(ctx: RequestContext, tenantParam: string, input: PreviewTransformationRequest): Promise<TransformationPreview> {
    const tenantId = requireTenant(ctx.auth, tenantParam);
    await requireActiveTenant(this.catalog, tenantId);
    const syntax = transformationProblems(input.transformation);
    if (syntax.length) throw new ProblemError('validation', 'the transformation is not a JSONata expression', syntax);
    requirePayloadWithinLimit(input.payload, this.config.MAX_PAYLOAD_BYTES);

    const messageId = newId('message');
    const { input: standardBody, bindings } = transformationInput({
      message_id: messageId,
      event_type: input.event_type,
      published_at: new Date().toISOString(),
      payload: input.payload,
      channels: input.channels ?? [],
      endpoint_id: input.endpoint_id ?? null,
      attempt: 1,
    });
    let body: Buffer;
    try {
      body = await this.runner.run(input.transformation, standardBody, bindings);
    } catch (err) {
      if (!(err instanceof TransformationError)) throw err;
      // What would fail a delivery attempt (error class transformation): the expression is well-formed, so not a 400.
      throw new ProblemError('transformation_failed', `the transformation gives no body for this message: ${err.message}`, [{ pointer: '/transformation', detail: err.message }]);
    }
    return { bodyJson: body.toString('utf8'), bodyBytes: body.length, messageId };
  }
}
