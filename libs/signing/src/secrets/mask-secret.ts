const KNOWN_PREFIXES = ['whsec_', 'whsk_', 'whpk_', 'enc:v1:'];
/** Characters of the secret body shown after the prefix. Four base64 characters reveal 24 bits: enough to tell
 * two secrets apart in a log, far too few to matter against a ≥192-bit secret. */
const VISIBLE_CHARS = 4;
/** Shorter bodies are shown as the prefix alone, so a short (weak or truncated) value never leaks a big share. */
const MIN_BODY_FOR_HINT = 16;
const ELLIPSIS = '…';

/**
 * Masks a secret for logs, API responses and attempt logs: `whsec_MfKQ9r8G…` → `whsec_MfKQ…`.
 * The prefix (`whsec_`, `whsk_`, `whpk_`, `enc:v1:`) is kept so the reader knows what kind of value it was;
 * unknown strings keep only their first characters, and short values are masked entirely.
 */
export function maskSecret(secret: string): string {
  if (typeof secret !== 'string' || secret.length === 0) return ELLIPSIS;
  const prefix = KNOWN_PREFIXES.find((p) => secret.startsWith(p)) ?? '';
  const body = secret.slice(prefix.length);
  const hint = body.length >= MIN_BODY_FOR_HINT ? body.slice(0, VISIBLE_CHARS) : '';
  return `${prefix}${hint}${ELLIPSIS}`;
}
