import type { OpenAPIObject, ParameterObject, ReferenceObject } from '@nestjs/swagger';
import { ID_PATTERNS, TENANT_ID_DESCRIPTION } from '../shared/list-request.dto';

/** What each path parameter of the REST routes names. */
export const PATH_PARAMETERS: Record<string, { description: string; pattern: RegExp }> = {
  tenant_id: { description: TENANT_ID_DESCRIPTION, pattern: ID_PATTERNS.tenant },
  message_id: { description: 'The message (msg_…).', pattern: ID_PATTERNS.message },
  endpoint_id: { description: 'The endpoint (ep_…).', pattern: ID_PATTERNS.endpoint },
  source_id: { description: 'The HTTP source (src_…).', pattern: ID_PATTERNS.source },
};

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

const isParameter = (p: ParameterObject | ReferenceObject): p is ParameterObject => 'in' in p;

/**
 * Documents each operation's path parameters from its path template. A controller serves one handler under two paths
 * (`v1/messages` and `v1/tenants/:tenant_id/messages`), and @ApiParam would put `{tenant_id}` on both; the template
 * knows which path has which. A query parameter of the same name is dropped there: the path's value wins
 * (`{ ...query, ...path }` in the controllers).
 */
export function documentPathParameters(document: OpenAPIObject): OpenAPIObject {
  for (const [path, item] of Object.entries(document.paths)) {
    const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const others = (operation.parameters ?? []).filter((p) => !isParameter(p) || !names.includes(p.name));
      operation.parameters = [...names.map(pathParameter), ...others];
    }
  }
  return document;
}

function pathParameter(name: string): ParameterObject {
  const known = PATH_PARAMETERS[name];
  // Left undescribed rather than failing start-up; openapi.int.spec.ts fails on it.
  if (!known) return { name, in: 'path', required: true, schema: { type: 'string' } };
  return { name, in: 'path', required: true, description: known.description, schema: { type: 'string', pattern: known.pattern.source } };
}
