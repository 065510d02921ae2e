import { ConfigError, type EnvVar } from '@hookline/config';
import { isId } from '@hookline/contracts';

const NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
/** A top-level field of a record's JSON value. */
export const FIELD = /^[A-Za-z_][\w-]{0,127}$/;
/** A header name, as Kafka and AMQP producers write them. */
export const HEADER_NAME = /^[\w.-]{1,128}$/;

/** Where a source's records carry their event type: a header, a top-level field of the JSON value, or one fixed type. */
export type SourceEventTypeSetting = { header: string } | { field: string } | { fixed: string };

/** One way of setting something: its key, what its value must look like, and what it becomes. */
export type SettingWay<T> = readonly [key: string, pattern: RegExp, make: (value: string) => T];

/** The event type settings every kind of source takes (KAFKA_SOURCES, AMQP_SOURCES). */
export const EVENT_TYPE_WAYS: ReadonlyArray<SettingWay<SourceEventTypeSetting>> = [
  // Header names are case-insensitive on both transports: kept lower-case, as records are read.
  ['event_type_header', HEADER_NAME, (v) => ({ header: v.toLowerCase() })],
  ['event_type_field', FIELD, (v) => ({ field: v })],
  ['event_type', /^[\w.:-]{1,128}$/, (v) => ({ fixed: v })],
];

/** One source's JSON object, read setting by setting; every refusal names the source (`source 2`) and the setting. */
export interface SourceSettings {
  at: string;
  name: string;
  tenant_id: string;
  text(key: string, pattern: RegExp): string | undefined;
  required(key: string, pattern: RegExp): string;
  flag(key: string): boolean | undefined;
  int(key: string, min: number, max: number): number | undefined;
  /** The one of `ways` that is set; refused when several are, or (if `required`) none. */
  oneOf<T>(ways: ReadonlyArray<SettingWay<T>>, required: true): T;
  oneOf<T>(ways: ReadonlyArray<SettingWay<T>>, required: false): T | undefined;
  /** Refuses the source with `problem` (`brokers is a non-empty list of host:port`). */
  refuse(problem: string): never;
  value(key: string): unknown;
}

/**
 * Reads a JSON array of sources (KAFKA_SOURCES, AMQP_SOURCES): each an object of `keys` only, with a unique `name` and
 * a `tenant_id`; `read` takes the rest of each. Throws an Error saying what is wrong and where, so the service refuses
 * to start on a source it would misread. Refusals never echo a value (a URL may hold a password).
 */
export function parseSourceList<T>(raw: string, keys: readonly string[], read: (settings: SourceSettings) => T): T[] {
  if (raw.trim() === '') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new Error('not JSON');
  }
  if (!Array.isArray(parsed)) throw new Error('not a JSON array of sources');
  const known = new Set(['name', 'tenant_id', ...keys]);
  const names = new Set<string>();
  return parsed.map((entry, i) => {
    const at = `source ${i}`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw new Error(`${at} is not an object`);
    const s = entry as Record<string, unknown>;
    const unknown = Object.keys(s).filter((k) => !known.has(k));
    if (unknown.length) throw new Error(`${at} has unknown settings: ${unknown.join(', ')}`);
    const refuse = (problem: string): never => {
      throw new Error(`${at}: ${problem}`);
    };
    const required = (key: string, pattern: RegExp): string => {
      const v = s[key];
      if (typeof v !== 'string' || !pattern.test(v)) return refuse(`${key} ${v === undefined ? 'is required' : 'is not valid'}`);
      return v;
    };
    const name = required('name', NAME);
    if (names.has(name)) refuse(`name "${name}" is used twice`);
    names.add(name);
    const tenantId = required('tenant_id', /^tnt_/);
    if (!isId('tenant', tenantId)) refuse('tenant_id is not a tenant id (tnt_…)');
    function oneOf<W>(ways: ReadonlyArray<SettingWay<W>>, mustHave: boolean): W | undefined {
      const given = ways.filter(([key]) => s[key] !== undefined);
      if (given.length > 1 || (mustHave && given.length === 0)) refuse(`set ${mustHave ? 'exactly' : 'at most'} one of ${ways.map(([key]) => key).join(', ')}`);
      if (given.length === 0) return undefined;
      const [key, pattern, make] = given[0];
      return make(required(key, pattern));
    }
    const settings: SourceSettings = {
      at,
      name,
      tenant_id: tenantId,
      text: (key, pattern) => (s[key] === undefined ? undefined : required(key, pattern)),
      required,
      flag(key) {
        if (s[key] !== undefined && typeof s[key] !== 'boolean') refuse(`${key} is true or false`);
        return s[key] as boolean | undefined;
      },
      int(key, min, max) {
        const v = s[key];
        if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)) refuse(`${key} is a whole number from ${min} to ${max}`);
        return v as number | undefined;
      },
      oneOf: oneOf as SourceSettings['oneOf'],
      refuse,
      value: (key) => s[key],
    };
    return read(settings);
  });
}

/**
 * A JSON array of sources as an environment variable of the command service; a refusal names the source and setting
 * (from `parse`). `sensitive`: the value may hold credentials, so a refusal does not show it.
 */
export function sourcesEnv<T>(parse: (raw: string) => T[], opts: { description: string; expected: string; sensitive?: boolean }): EnvVar<T[]> {
  return {
    description: opts.description,
    default: [],
    expected: opts.expected,
    sensitive: opts.sensitive,
    parse(raw) {
      try {
        return parse(raw);
      } catch (err) {
        throw new ConfigError((err as Error).message);
      }
    },
  };
}

/**
 * Refuses two sources of one name across KAFKA_SOURCES and AMQP_SOURCES: the name is the `source` label of their
 * shared metrics and the caller of their messages, so one name would mix two sources.
 */
export function requireDistinctSourceNames(kinds: Record<string, ReadonlyArray<{ name: string }>>): void {
  const seen = new Map<string, string>();
  for (const [variable, sources] of Object.entries(kinds)) {
    for (const { name } of sources) {
      const other = seen.get(name);
      if (other) throw new ConfigError(`${variable}: source name "${name}" is also used in ${other}; a name labels one source in metrics and logs`);
      seen.set(name, variable);
    }
  }
}
