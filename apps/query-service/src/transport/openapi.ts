import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { documentPathParameters } from './openapi-path-parameters';

const DESCRIPTION = [
  'Read side of Hookline: messages, delivery attempts, endpoints and their health, dead letters, event types, HTTP sources,',
  'the audit log and projection lag. Every read is tenant-scoped: a tenant key reads its own tenant, the admin key names one',
  '(`tenant_id` in the path or query). Lists are newest first and cursor-paginated (`limit`, `cursor` → `next_cursor`).',
  'Errors are RFC 9457 `application/problem+json`. Read-your-writes: pass the `position` a command API answer carried',
  'as `?position=`, and the read waits until the read models have applied it.',
].join(' ');

/**
 * Client generators name methods after operationIds: `listMessages`, and `listMessagesOfTenant` for the
 * `/v1/tenants/{tenant_id}/…` path each controller lists second (Nest's default would be `ListMessagesHttpController_list[1]`).
 */
function operationId(controllerKey: string, methodKey: string): string {
  const alias = /\[(\d+)\]$/.exec(methodKey);
  const method = alias ? methodKey.slice(0, alias.index) : methodKey;
  const controller = /^(.+)HttpController$/.exec(controllerKey);
  const base = controller ? controller[1][0].toLowerCase() + controller[1].slice(1) : method;
  return alias && alias[1] !== '0' ? `${base}OfTenant` : base;
}

/** The query service's OpenAPI document, built from its controllers and request DTOs. */
export function openApiDocument(app: INestApplication, version: string): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Hookline query API')
    .setDescription(DESCRIPTION)
    .setVersion(version)
    // An opaque API key, not the JWT addBearerAuth() assumes by default.
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'API key', description: 'A tenant key, or the admin key (which names the tenant).' })
    .build();
  return documentPathParameters(SwaggerModule.createDocument(app, config, { operationIdFactory: operationId }));
}

/**
 * Serves the document at `/openapi.json` and Swagger UI at `/docs`. Both are public, as the command service's are:
 * the query service authenticates in each query (QueryRuntime.scope), not in a guard or middleware these routes pass.
 */
export function serveOpenApi(app: INestApplication, version: string): void {
  SwaggerModule.setup('docs', app, openApiDocument(app, version), { jsonDocumentUrl: 'openapi.json' });
}
