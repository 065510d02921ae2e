import { stdSerializers } from 'pino';
import { maskSecretValues, REDACTED } from './secret-values';
import { normalizeFieldName } from './sensitive-fields';

/** A function that returns a copy of a log value with sensitive fields redacted and secrets masked inside strings. */
export type LogSanitizer = (value: unknown) => unknown;

// Deeper than any log object we write on purpose; it bounds the cost of an accidentally logged huge structure.
const MAX_DEPTH = 10;

/**
 * Builds the sanitizer the logger runs over every log object and binding: fields named in `sensitiveFields` become
 * `[REDACTED]` at any depth, secrets inside any string are masked, and Errors are serialized (type, message, stack, own fields)
 * before being sanitized, since their message and stack may quote a secret. Input objects are never modified.
 */
export function createLogSanitizer(sensitiveFields: readonly string[]): LogSanitizer {
  const sensitive = new Set(sensitiveFields.map(normalizeFieldName));

  const sanitize = (value: unknown, depth: number, ancestors: Set<object>): unknown => {
    if (typeof value === 'string') return maskSecretValues(value);
    if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value)) return value;
    if (ancestors.has(value)) return '[Circular]';
    if (depth >= MAX_DEPTH) return '[Too deep]';
    if (value instanceof Error) return sanitize(serializeError(value), depth, ancestors);
    if (hasToJSON(value)) return sanitize(value.toJSON(), depth, ancestors);

    ancestors.add(value);
    try {
      if (Array.isArray(value)) return value.map((item) => sanitize(item, depth + 1, ancestors));
      const copy: Record<string, unknown> = {};
      for (const [key, field] of Object.entries(value)) {
        copy[key] = sensitive.has(normalizeFieldName(key)) ? REDACTED : sanitize(field, depth + 1, ancestors);
      }
      return copy;
    } finally {
      ancestors.delete(value);
    }
  };

  return (value) => sanitize(value, 0, new Set());
}

function serializeError(error: Error): Record<string, unknown> {
  return { ...stdSerializers.err(error) };
}

function hasToJSON(value: object): value is { toJSON(): unknown } {
  return typeof (value as { toJSON?: unknown }).toJSON === 'function';
}
