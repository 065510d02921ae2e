import { hostname } from 'node:os';
import pino, { type DestinationStream, type Logger } from 'pino';
import { activeSpanContext, spanLogFields } from '../tracing/trace-context';
import { createLogSanitizer, type LogSanitizer } from './log-sanitizer';
import { maskSecretValues, REDACTED } from './secret-values';
import { sensitiveFieldsFromEnv } from './sensitive-fields';

/** What {@link createLogger} needs. */
export interface LoggerOptions {
  /** The `service` field on every line, e.g. `dispatcher`. */
  service: string;
  /** Minimum level (`fatal`, `error`, `warn`, `info`, `debug`, `trace` or `silent`); defaults to `LOG_LEVEL`, then `info`. */
  level?: string;
  /** Where JSON lines go; defaults to stdout. */
  destination?: DestinationStream;
  /** Where `LOG_LEVEL` and `LOG_REDACT_FIELDS` are read; defaults to `process.env`. */
  env?: NodeJS.ProcessEnv;
}

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/**
 * A pino logger writing one JSON object per line with `level` (as a name), ISO `time`, `service`, `pid`, `hostname`, and
 * `trace_id`/`span_id` of the span active when the line is written.
 *
 * Credentials never reach the output: fields named `authorization`, `proxy-authorization`, `cookie`, `set-cookie`,
 * `webhook-signature`, `x-api-key`, `secret`, `secrets`, `password`, `api_key`, `key_secret` or any name listed in
 * `LOG_REDACT_FIELDS` (comma-separated) become `[REDACTED]` at any depth, in log objects, child bindings, serialized errors and
 * objects interpolated into the message; and `whsec_…`, `whsk_…`, `hk_live_…`/`hk_test_…` values are masked inside any string,
 * the message included. Name matching ignores case, `-` and `_`.
 */
export function createLogger({ service, level, destination, env = process.env }: LoggerOptions): Logger {
  const sensitiveFields = sensitiveFieldsFromEnv(env);
  const sanitize = createLogSanitizer(sensitiveFields);
  return pino(
    {
      level: validLevel(level ?? env['LOG_LEVEL'] ?? 'info'),
      base: { service, pid: process.pid, hostname: hostname() },
      timestamp: pino.stdTimeFunctions.isoTime,
      // pino's own redaction: exact paths, but the only one applied to objects interpolated into the message (`%o`, `%j`).
      redact: { paths: redactPaths(sensitiveFields), censor: REDACTED },
      formatters: {
        level: (label) => ({ level: label }),
        bindings: (bindings) => sanitizeRecord(sanitize, bindings),
        log: (object) => sanitizeRecord(sanitize, object),
      },
      serializers: {
        // The message is not part of the log object, so `formatters.log` never sees it.
        msg: (message: unknown) => (typeof message === 'string' ? maskSecretValues(message) : sanitize(message)),
        // Errors were already serialized and sanitized by `formatters.log`; pino's default would serialize the copy again.
        err: (error: unknown) => sanitize(error),
      },
      mixin: () => spanLogFields(activeSpanContext()),
    },
    destination,
  );
}

function validLevel(level: string): string {
  const normalized = level.trim().toLowerCase();
  if (!LEVELS.includes(normalized)) {
    throw new Error(`log level "${level}" is not one of ${LEVELS.join(', ')} (check LOG_LEVEL)`);
  }
  return normalized;
}

// Top level and the two levels below it (`req.headers.authorization`); deeper fields are left to the sanitizer.
function redactPaths(fields: readonly string[]): string[] {
  return fields.flatMap((field) => [`["${field}"]`, `*["${field}"]`, `*.*["${field}"]`]);
}

function sanitizeRecord(sanitize: LogSanitizer, record: Record<string, unknown>): Record<string, unknown> {
  return sanitize(record) as Record<string, unknown>;
}
