import Ajv, { ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { EventTypeState, currentSchema } from '@hookline/domain';
import { FieldProblem } from '@hookline/service-kit';

/**
 * Compiles each event-type schema version once and keeps the validator; compiling is far more expensive than
 * validating, and the same few schemas validate every message.
 */
export class SchemaRegistry {
  private readonly ajv: Ajv;
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor() {
    this.ajv = new Ajv({ allErrors: true, strict: false, validateSchema: true });
    addFormats(this.ajv);
  }

  /** Problems that make `schema` unusable as a JSON Schema; empty when it compiles. */
  checkSchema(schema: unknown): string[] {
    if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return ['schema must be a JSON object'];
    try {
      this.ajv.compile(schema as object);
      return [];
    } catch (err) {
      return [(err as Error).message];
    }
  }

  /** Validates a payload against the event type's current schema; returns each failure with its JSON pointer. */
  validate(tenantId: string, eventType: EventTypeState, payload: unknown): { version: number | null; problems: FieldProblem[] } {
    const current = currentSchema(eventType);
    if (!current) return { version: null, problems: [] };
    const cacheKey = `${tenantId}\u0000${eventType.name}\u0000${current.version}`;
    let validate = this.compiled.get(cacheKey);
    if (!validate) {
      validate = this.ajv.compile(current.schema);
      if (this.compiled.size > 5000) this.compiled.clear();
      this.compiled.set(cacheKey, validate);
    }
    if (validate(payload)) return { version: current.version, problems: [] };
    const problems = (validate.errors ?? []).map((e) => ({
      pointer: `/payload${e.instancePath}${e.keyword === 'required' ? `/${(e.params as { missingProperty: string }).missingProperty}` : ''}`,
      detail: e.message ?? 'invalid',
    }));
    return { version: current.version, problems };
  }
}
