import type { OpenAPIObject } from '@nestjs/swagger';
import { IDEMPOTENCY_KEY_SCHEMA } from '../infrastructure/idempotency/idempotency-key';

const WRITES = ['post', 'put', 'patch', 'delete'] as const;

/**
 * OpenAPI extension (`@ApiExtension(NOT_A_COMMAND, true)`) of a write-method operation that takes no Idempotency-Key:
 * one that changes nothing, such as a transformation preview (running it again is harmless and needs no first answer),
 * or a provider's webhook to an HTTP source, whose retries are told apart by the source's own idempotency setting.
 */
export const NOT_A_COMMAND = 'x-hookline-not-a-command';

/** Documents `Idempotency-Key` on every command of the API: httpContext reads it for all of them, so none is left out. */
export function documentIdempotencyKey(document: OpenAPIObject): OpenAPIObject {
  for (const path of Object.values(document.paths)) {
    for (const method of WRITES) {
      const operation = path[method];
      if (!operation || (NOT_A_COMMAND in operation && operation[NOT_A_COMMAND] === true)) continue;
      operation.parameters = [
        ...(operation.parameters ?? []),
        {
          name: 'Idempotency-Key',
          in: 'header',
          required: false,
          schema: { ...IDEMPOTENCY_KEY_SCHEMA },
          description:
            'Same key and same request within IDEMPOTENCY_TTL_HOURS (24 h) → the first answer again (Idempotent-Replayed: true), nothing carried out twice; same key with another request → 422.',
        },
      ];
    }
  }
  return document;
}
