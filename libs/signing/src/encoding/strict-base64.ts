const BASE64_CHARS = /^[A-Za-z0-9+/]*={0,2}$/;
const BASE64URL_CHARS = /^[A-Za-z0-9_-]*$/;

/**
 * Node's base64 decoder silently skips characters it does not understand, so `whsec_abc!def` would decode to
 * *something*. Secrets and sealed values are decoded strictly instead: only the alphabet, padding optional but
 * correct, and the text must be the canonical encoding of the bytes it yields. Returns undefined when it is not.
 */
export function decodeBase64Strict(text: string): Buffer | undefined {
  if (!BASE64_CHARS.test(text)) return undefined;
  const padded = text.includes('=');
  if (padded && text.length % 4 !== 0) return undefined;
  const bytes = Buffer.from(text, 'base64');
  const canonical = bytes.toString('base64');
  return stripPadding(canonical) === stripPadding(text) ? bytes : undefined;
}

/** Strict base64url (RFC 4648 §5, no padding), with the same canonical-form check as {@link decodeBase64Strict}. */
export function decodeBase64UrlStrict(text: string): Buffer | undefined {
  if (!BASE64URL_CHARS.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : undefined;
}

function stripPadding(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 61 /* '=' */) end--;
  return text.slice(0, end);
}
