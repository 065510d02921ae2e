import { FieldProblem } from '@hookline/service-kit';
import { isJsonMediaType } from '../../shared/json-content-type.middleware';
import { RefProblem, dereference, inlineRefs, isObject, joinPointer } from './openapi-refs';
import { OpenApiVersion, payloadSchemaOf, toJsonSchema } from './openapi-schema';

/** One webhook of an OpenAPI document, as the event type it becomes, with where each part came from. */
export interface WebhookEntry {
  /** The webhook's key (`invoice.paid`), as Svix names imported event types. */
  name: string;
  /** The operation's summary, else its description; empty when it has neither. */
  description: string;
  /** The payload's JSON Schema, or null when the webhook describes no JSON body (payloads are then not validated). */
  schema: unknown;
  pointers: { name: string; description: string; schema: string };
}

export interface WebhookLimits {
  /** Most webhooks one document may hold. */
  maxWebhooks: number;
  /** Largest schema, as JSON, once its `$ref`s are inlined (as large as one sent to POST /event-types may be). */
  maxSchemaBytes: number;
}

export interface WebhookScan {
  entries: WebhookEntry[];
  problems: FieldProblem[];
}

/**
 * A problem found in the event type a webhook becomes (`/schema/properties/x`, `/name`, as POST /event-types would name
 * it) moved to where that part of the webhook is in the document.
 */
export function pointedAt(problem: FieldProblem, entry: WebhookEntry): FieldProblem {
  const m = /^\/(schema|name|description)(\/.*)?$/.exec(problem.pointer);
  if (!m) return { pointer: entry.pointers.name, detail: problem.detail };
  return { pointer: `${entry.pointers[m[1] as keyof WebhookEntry['pointers']]}${m[2] ?? ''}`, detail: problem.detail };
}

/**
 * The webhooks of an OpenAPI 3.1 (`webhooks`) or 3.0 (`x-webhooks`) document: each entry's `post` operation becomes an
 * event type. Callbacks are not read: they are named by the API operation that registers them, not by event. Every
 * problem is collected (each with its JSON pointer under `base`), so one answer lists all that is wrong.
 */
export function webhooksOf(spec: unknown, limits: WebhookLimits, base = '/spec'): WebhookScan {
  const version = versionOf(spec);
  if (!isObject(spec) || version === null) {
    return fail(joinPointer(base, 'openapi'), 'must be an OpenAPI 3.0 or 3.1 document ("openapi": "3.1.0"); Swagger 2.0 has no webhooks');
  }
  const key = version === '3.0' ? 'x-webhooks' : 'webhooks';
  const listPointer = joinPointer(base, key);
  const webhooks = spec[key];
  if (!isObject(webhooks) || Object.keys(webhooks).length === 0) {
    return fail(listPointer, `the document has no webhooks: OpenAPI ${version} lists them under "${key}" (callbacks are not imported)`);
  }
  const names = Object.keys(webhooks);
  if (names.length > limits.maxWebhooks) return fail(listPointer, `${names.length} webhooks; at most ${limits.maxWebhooks} are imported at once`);
  const scan: WebhookScan = { entries: [], problems: [] };
  for (const name of names) {
    try {
      scan.entries.push(entryOf(spec, version, name, webhooks[name], joinPointer(listPointer, name), limits));
    } catch (err) {
      if (!(err instanceof WebhookProblem)) throw err;
      scan.problems.push({ pointer: err.pointer, detail: err.message });
    }
  }
  return scan;
}

class WebhookProblem extends Error {
  constructor(
    readonly pointer: string,
    detail: string,
  ) {
    super(detail);
  }
}

const fail = (pointer: string, detail: string): WebhookScan => ({ entries: [], problems: [{ pointer, detail }] });

function versionOf(spec: unknown): OpenApiVersion | null {
  const declared = isObject(spec) ? spec.openapi : undefined;
  if (typeof declared !== 'string') return null;
  if (/^3\.0\.\d+$/.test(declared)) return '3.0';
  // 3.2 keeps 3.1's webhooks and schema dialect.
  return /^3\.[12]\.\d+$/.test(declared) ? '3.1' : null;
}

/** Follows a `$ref` to an OpenAPI object, naming the webhook when it can't. */
function resolved(spec: unknown, value: unknown, pointer: string): unknown {
  try {
    return dereference(spec, value);
  } catch (err) {
    if (err instanceof RefProblem) throw new WebhookProblem(pointer, err.message);
    throw err;
  }
}

function entryOf(spec: Record<string, unknown>, version: OpenApiVersion, name: string, item: unknown, pointer: string, limits: WebhookLimits): WebhookEntry {
  const pathItem = resolved(spec, item, pointer);
  if (!isObject(pathItem)) throw new WebhookProblem(pointer, 'must be a Path Item Object with a post operation');
  const operation = resolved(spec, pathItem.post, joinPointer(pointer, 'post'));
  if (!isObject(operation)) {
    const methods = Object.keys(pathItem).filter((k) => ['get', 'put', 'patch', 'delete', 'head', 'options', 'trace'].includes(k));
    throw new WebhookProblem(pointer, `has no post operation: Hookline sends webhooks as POST requests${methods.length ? ` (found ${methods.join(', ')})` : ''}`);
  }
  const opPointer = joinPointer(pointer, 'post');
  const text = typeof operation.summary === 'string' && operation.summary.trim() ? 'summary' : 'description';
  const description = typeof operation[text] === 'string' ? (operation[text] as string).trim() : '';
  const body = bodySchemaOf(spec, operation, opPointer);
  const pointers = { name: pointer, description: joinPointer(opPointer, text), schema: body?.pointer ?? joinPointer(opPointer, 'requestBody') };
  if (!body) return { name, description, schema: null, pointers };
  let inlined: unknown;
  try {
    // Each JSON value is at least 2 bytes of JSON text: past maxSchemaBytes / 2 values, the size check below fails anyway.
    inlined = inlineRefs(spec, body.schema, { refSiblings: version === '3.0' ? 'ignored' : 'applied', maxValues: Math.ceil(limits.maxSchemaBytes / 2) });
  } catch (err) {
    if (err instanceof RefProblem) throw new WebhookProblem(body.pointer, err.message);
    throw err;
  }
  const payload = payloadSchemaOf(toJsonSchema(inlined, version), name);
  if ('problem' in payload) throw new WebhookProblem(body.pointer, payload.problem);
  const size = Buffer.byteLength(JSON.stringify(payload.schema) ?? '');
  if (size > limits.maxSchemaBytes) {
    throw new WebhookProblem(body.pointer, `the schema is ${size} bytes once its $refs are inlined; an event type's schema may be ${limits.maxSchemaBytes} at most`);
  }
  return { name, description, schema: payload.schema, pointers };
}

/** The JSON request body's schema and its pointer; null when the operation describes no body (or no schema for it). */
function bodySchemaOf(spec: unknown, operation: Record<string, unknown>, opPointer: string): { schema: unknown; pointer: string } | null {
  const bodyPointer = joinPointer(opPointer, 'requestBody');
  if (operation.requestBody === undefined) return null;
  const requestBody = resolved(spec, operation.requestBody, bodyPointer);
  const content = isObject(requestBody) ? requestBody.content : undefined;
  if (!isObject(content)) throw new WebhookProblem(bodyPointer, 'must be a Request Body Object with content');
  const types = Object.keys(content);
  const json = types.includes('application/json') ? 'application/json' : types.find((t) => isJsonMediaType(t));
  if (json === undefined) {
    throw new WebhookProblem(joinPointer(bodyPointer, 'content'), `Hookline sends JSON bodies: describe the body as application/json (found ${types.join(', ') || 'no media type'})`);
  }
  const media = content[json];
  if (!isObject(media) || media.schema === undefined) return null;
  return { schema: media.schema, pointer: joinPointer(bodyPointer, 'content', json, 'schema') };
}
