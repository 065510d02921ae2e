/**
 * What Postgres text and jsonb cannot hold: U+0000 (NUL), and a lone UTF-16 surrogate (`"\ud800"` is valid JSON syntax,
 * but not Unicode). A value with either fails its whole statement, so inputs are refused with `unstorableText` and text
 * from outside that must be kept anyway goes through `storableJson`.
 */

const NUL = '\u0000';
/** Any surrogate code unit: a quick scan first, since most text has none. */
const SURROGATE = /[\ud800-\udfff]/;
/** A surrogate without its partner (with the u flag, a proper pair is one code point, not a surrogate). */
const LONE_SURROGATE = /\p{Cs}/u;

/** What in `text` Postgres would refuse, worded for "must not contain …", or null when it can be stored. */
export function unstorableText(text: string): string | null {
  if (text.includes(NUL)) return 'NUL (\\u0000) characters';
  if (SURROGATE.test(text) && LONE_SURROGATE.test(text)) return 'lone UTF-16 surrogates (\\ud800-\\udfff without their pair)';
  return null;
}

/**
 * An escape of U+0000 or of a lone surrogate in JSON.stringify's output (which writes a proper surrogate pair as the
 * character itself, and escapes only a lone one), after an even number of backslashes: not the text `\\u0000`.
 */
const UNSTORABLE_ESCAPE = /(?<!\\)((?:\\\\)*)\\u(?:0000|d[89a-f][0-9a-f]{2})/g;

/**
 * JSON text (from JSON.stringify) with U+0000 and lone surrogates replaced by U+FFFD. For text from outside that a store
 * must keep rather than refuse (a receiver's response body, an event another producer wrote): the row gets U+FFFD in
 * its place, as a UTF-8 decoder does for what it cannot represent, instead of failing its statement (a projection would
 * retry that batch forever).
 */
export function storableJson(json: string): string {
  return json.includes('\\u') ? json.replace(UNSTORABLE_ESCAPE, '$1\\ufffd') : json;
}
