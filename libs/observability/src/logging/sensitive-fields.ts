/**
 * Field names whose values never reach a log line, wherever they appear. Matching ignores case, `-` and `_`, so `apiKey`,
 * `API_KEY` and `api-key` are all caught by `api_key`, and `Authorization` by `authorization`.
 */
export const DEFAULT_SENSITIVE_FIELDS: readonly string[] = [
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'webhook-signature',
  'x-api-key',
  'secret',
  'secrets',
  'password',
  'api_key',
  'key_secret',
];

// Field names end up inside pino redact paths such as `*["name"]`, which cannot express quotes, brackets or dots.
const PLAIN_FIELD_NAME = /^[A-Za-z0-9_-]+$/;

/** The default sensitive fields plus the comma-separated names in `LOG_REDACT_FIELDS`; throws on a name that is not plain. */
export function sensitiveFieldsFromEnv(env: NodeJS.ProcessEnv): string[] {
  const extra = (env['LOG_REDACT_FIELDS'] ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name.length > 0);
  for (const name of extra) {
    if (!PLAIN_FIELD_NAME.test(name)) {
      throw new Error(
        `LOG_REDACT_FIELDS entry "${name}" is not a plain field name: use letters, digits, "_" and "-" only ` +
          '(e.g. LOG_REDACT_FIELDS=card_number,x-session-token); nested fields are matched at any depth by name',
      );
    }
  }
  return [...new Set([...DEFAULT_SENSITIVE_FIELDS, ...extra])];
}

/** The form a field name is compared in: lower case without `-` and `_`. */
export function normalizeFieldName(name: string): string {
  return name.toLowerCase().replace(/[-_]/g, '');
}
