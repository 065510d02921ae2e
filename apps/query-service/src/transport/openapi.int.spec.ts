import { RequestMethod, Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { MetadataScanner, ModulesContainer } from '@nestjs/core';
import type { OpenAPIObject, OperationObject, ParameterObject, ResponseObject, SchemaObject } from '@nestjs/swagger';
import { ATTEMPT_ERROR_CLASSES, ATTEMPT_TRIGGERS } from '@hookline/contracts';
import { DELIVERY_STATUSES } from '../list-messages/list-messages.request.dto';
import { RunningQueryService } from '../query-service';
import { ATTEMPT_OUTCOMES, STATUS_CODE_CLASSES } from '../shared/attempt-list-request.dto';
import { ADMIN_KEY, TestStack, getJson } from '../testing/harness';

/** `get /v1/tenants/{tenant_id}/messages`: a route as OpenAPI writes it. */
type Route = string;

/** Every REST route the running service mounts, read from its controllers' metadata as Nest's router reads it. */
function mountedRoutes(service: RunningQueryService): Route[] {
  const scanner = new MetadataScanner();
  const routes: Route[] = [];
  for (const module of service.app.get(ModulesContainer).values()) {
    for (const { metatype } of module.controllers.values()) {
      const controller = metatype as Type | null;
      if (!controller) continue;
      const prefixes: string[] = [Reflect.getMetadata(PATH_METADATA, controller) ?? ''].flat();
      for (const name of scanner.getAllMethodNames(controller.prototype)) {
        const handler = controller.prototype[name];
        const paths: string | string[] | undefined = Reflect.getMetadata(PATH_METADATA, handler);
        if (paths === undefined) continue; // a gRPC method
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod].toLowerCase();
        for (const prefix of prefixes) for (const path of [paths].flat()) routes.push(`${method} ${openApiPath(prefix, path)}`);
      }
    }
  }
  return routes.sort();
}

const openApiPath = (...parts: string[]) =>
  `/${parts.map((p) => p.replace(/^\/+|\/+$/g, '')).filter(Boolean).join('/')}`.replace(/:(\w+)/g, '{$1}');

const LIST = /\/(messages|attempts|endpoints|dead-letters|event-types|audit-log|sources)$/;

describe('OpenAPI document of the query API (real Kafka + Postgres)', () => {
  let stack: TestStack;
  let service: RunningQueryService;
  let baseUrl: string;
  let doc: OpenAPIObject;

  beforeAll(async () => {
    stack = await TestStack.create('openapi');
    ({ service, baseUrl } = await stack.startService());
    doc = (await getJson(baseUrl, '/openapi.json')).body;
  });
  afterAll(async () => {
    await service?.stop();
    await stack?.close();
  });

  const documentedRoutes = (): Route[] =>
    Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item).map((method) => `${method} ${path}`)).sort();
  const operations = (): Array<[string, OperationObject]> =>
    Object.entries(doc.paths).flatMap(([path, item]) => (item.get ? [[path, item.get] as [string, OperationObject]] : []));
  const parameters = (op: OperationObject, place: 'path' | 'query') =>
    (op.parameters as ParameterObject[]).filter((p) => p.in === place);
  const queryParameter = (path: string, name: string) => {
    const found = parameters(doc.paths[path].get!, 'query').find((p) => p.name === name);
    if (!found) throw new Error(`${path} does not document the query parameter ${name}`);
    return found;
  };
  /** A parameter's enum values, inline or behind its named schema (`allOf: [{ $ref }]`). */
  const enumOf = (param: ParameterObject): unknown[] | undefined => {
    const schema = param.schema as SchemaObject;
    const ref = (schema.allOf?.[0] as { $ref?: string } | undefined)?.$ref;
    return ref ? (doc.components!.schemas![ref.split('/').pop()!] as SchemaObject).enum : schema.enum;
  };

  it('serves the document at /openapi.json and Swagger UI at /docs without an API key', async () => {
    const json = await getJson(baseUrl, '/openapi.json');
    expect(json.status).toBe(200);
    expect(json.body.info).toMatchObject({ title: 'Hookline query API', version: expect.any(String) });
    expect(json.body.info.description).toMatch(/problem\+json/);
    expect(json.body.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    const ui = await fetch(`${baseUrl}/docs`);
    expect(ui.status).toBe(200);
    expect(ui.headers.get('content-type')).toMatch(/text\/html/);
  });

  it('still refuses a data route without an API key', async () => {
    for (const path of ['/v1/messages', '/v1/endpoints', '/v1/projection/lag']) {
      const res = await getJson(baseUrl, path);
      expect({ path, status: res.status, type: res.headers.get('content-type') })
        .toEqual({ path, status: 401, type: expect.stringMatching(/^application\/problem\+json/) });
    }
  });

  it('still validates the query with the request DTO, untransformed by Swagger', async () => {
    const res = await getJson(baseUrl, '/v1/messages?limit=0', ADMIN_KEY);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ pointer: '/limit' })]);
  });

  it('documents every REST route the service mounts, under each of its paths', () => {
    const mounted = mountedRoutes(service);
    expect(mounted).toEqual(expect.arrayContaining(['get /v1/messages', 'get /v1/tenants/{tenant_id}/messages', 'get /v1/projection/lag']));
    expect(documentedRoutes()).toEqual(mounted);
  });

  it('documents each path parameter of each path, and only those', () => {
    for (const [path, op] of operations()) {
      const inTemplate = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      expect({ path, params: parameters(op, 'path').map((p) => p.name) }).toEqual({ path, params: inTemplate });
      for (const p of parameters(op, 'path')) {
        expect({ path, name: p.name, required: p.required, described: Boolean(p.description), pattern: (p.schema as SchemaObject).pattern })
          .toEqual({ path, name: p.name, required: true, described: true, pattern: expect.any(String) });
      }
      // On /v1/tenants/{tenant_id}/… the path names the tenant; ?tenant_id= is for the other form.
      const tenantInQuery = parameters(op, 'query').some((p) => p.name === 'tenant_id');
      if (path.startsWith('/v1/')) expect({ path, tenantInQuery }).toEqual({ path, tenantInQuery: !inTemplate.includes('tenant_id') && path !== '/v1/projection/lag' });
    }
  });

  it('documents paging, the time range and read-your-writes on every list', () => {
    const lists = Object.keys(doc.paths).filter((path) => LIST.test(path));
    expect(lists).toHaveLength(16);
    for (const path of lists) {
      for (const name of ['limit', 'cursor', 'since', 'until', 'position']) expect(queryParameter(path, name).required).toBe(false);
      expect(queryParameter(path, 'limit').schema).toMatchObject({ type: 'integer', minimum: 1, maximum: 250 });
      expect(queryParameter(path, 'since').schema).toMatchObject({ type: 'string', format: 'date-time' });
      expect(queryParameter(path, 'until').schema).toMatchObject({ type: 'string', format: 'date-time' });
      expect(doc.paths[path].get!.responses['200']).toMatchObject({
        content: { 'application/json': { schema: { required: ['data', 'next_cursor'] } } },
      });
    }
  });

  it('documents the attempt filters with their values on both attempt lists', () => {
    const attemptLists = Object.keys(doc.paths).filter((path) => path.endsWith('/attempts'));
    expect(attemptLists).toHaveLength(4);
    for (const path of attemptLists) {
      expect(enumOf(queryParameter(path, 'outcome'))).toEqual([...ATTEMPT_OUTCOMES]);
      expect(enumOf(queryParameter(path, 'status_code_class'))).toEqual([...STATUS_CODE_CLASSES]);
      expect(enumOf(queryParameter(path, 'error_class'))).toEqual([...ATTEMPT_ERROR_CLASSES]);
      expect(enumOf(queryParameter(path, 'trigger'))).toEqual([...ATTEMPT_TRIGGERS]);
      expect(queryParameter(path, 'event_type').schema).toMatchObject({ type: 'string' });
    }
  });

  it('documents the delivery statuses the message list filters on', () => {
    for (const path of ['/v1/messages', '/v1/tenants/{tenant_id}/messages']) {
      expect(enumOf(queryParameter(path, 'status'))).toEqual([...DELIVERY_STATUSES]);
    }
  });

  it('documents a summary, a 200 and the problem+json errors of every /v1 route, and one operationId per route', () => {
    for (const [path, op] of operations().filter(([p]) => p.startsWith('/v1/'))) {
      // A route added without its decorators shows up here: no summary, an empty 200, no bearer auth.
      expect({ path, summary: Boolean(op.summary), ok: Boolean((op.responses['200'] as ResponseObject | undefined)?.description) }).toEqual({ path, summary: true, ok: true });
      expect(op.security).toEqual([{ bearer: [] }]);
      for (const status of ['401', '403', '429', '503']) {
        expect({ path, status, response: op.responses[status] }).toMatchObject({
          path, status, response: { content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } },
        });
      }
    }
    const ids = operations().map(([path, op]) => [path, op.operationId!] as const);
    expect(new Set(ids.map(([, id]) => id)).size).toBe(ids.length);
    // Client generators name methods after these: the /v1/tenants/{tenant_id}/… form of a route is its …OfTenant.
    for (const [path, id] of ids) expect({ path, ofTenant: id.endsWith('OfTenant') }).toEqual({ path, ofTenant: path.startsWith('/v1/tenants/{tenant_id}/') });
  });
});
