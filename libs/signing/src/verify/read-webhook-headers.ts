import { WebhookVerificationError } from './webhook-verification-error';

/**
 * Request headers as receivers have them: a plain object (Node/Express `req.headers`, any casing, values possibly
 * arrays) or a Fetch API `Headers` (anything with `get`).
 */
export type WebhookRequestHeaders =
  | Readonly<Record<string, string | readonly string[] | undefined>>
  | { get(name: string): string | null };

/** The three values a signature check needs, taken from one header family. */
export interface RawWebhookHeaders {
  readonly id: string;
  readonly timestamp: string;
  readonly signature: string;
}

const FAMILIES = ['webhook', 'svix'] as const;

/**
 * Reads `webhook-id`, `webhook-timestamp` and `webhook-signature`, case-insensitively. Senders built on Svix use
 * `svix-*` instead; that family is used when no `webhook-*` header is present. The two are never mixed, so an id
 * from one sender cannot be paired with a signature from another.
 */
export function readWebhookHeaders(headers: WebhookRequestHeaders): RawWebhookHeaders {
  const lookup = headerLookup(headers);
  const family =
    FAMILIES.find((f) => ['id', 'timestamp', 'signature'].some((n) => lookup(`${f}-${n}`) !== undefined)) ?? 'webhook';
  const read = (name: 'id' | 'timestamp' | 'signature'): string => {
    const header = `${family}-${name}`;
    const value = lookup(header);
    if (value === undefined || value.length === 0 || (Array.isArray(value) && value.every((v) => v.length === 0))) {
      throw new WebhookVerificationError(
        'missing-header',
        `missing ${header} header (a Standard Webhooks request carries webhook-id, webhook-timestamp and ` +
          'webhook-signature, or their svix-* aliases)',
      );
    }
    if (typeof value === 'string') return value;
    // Repeated signature headers are just more candidate signatures; a repeated id or timestamp is ambiguous.
    if (name === 'signature') return value.join(' ');
    if (value.length === 1) return value[0];
    throw new WebhookVerificationError('invalid-header', `${header} header appears ${value.length} times; expected once`);
  };
  return { id: read('id'), timestamp: read('timestamp'), signature: read('signature') };
}

type Lookup = (lowerCaseName: string) => string | readonly string[] | undefined;

function headerLookup(headers: WebhookRequestHeaders): Lookup {
  if (typeof headers.get === 'function') {
    const fetchHeaders = headers as { get(name: string): string | null };
    return (name) => fetchHeaders.get(name) ?? undefined;
  }
  const record = headers as Readonly<Record<string, string | readonly string[] | undefined>>;
  const byLowerCase = new Map<string, string | readonly string[]>();
  for (const key of Object.keys(record)) {
    const value = record[key];
    if (value !== undefined) byLowerCase.set(key.toLowerCase(), value);
  }
  return (name) => byLowerCase.get(name);
}
