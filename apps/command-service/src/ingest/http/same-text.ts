import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Whether two strings are equal, in time that depends on neither: both are hashed to 32 bytes first, so not even
 * their lengths differ in what `timingSafeEqual` compares.
 */
export function sameText(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** The first value of a request header (lower-case name), as Node gives headers. */
export function firstHeader(headers: IncomingHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Request headers as Node parses them: lower-case names. */
export type IncomingHeaders = Readonly<Record<string, string | string[] | undefined>>;
