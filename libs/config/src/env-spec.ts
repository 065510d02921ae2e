/** One environment variable: how to read it, what it means, and its default. */
export interface EnvVar<T> {
  description: string;
  /** Undefined = required. */
  default?: T;
  parse(raw: string): T;
  /** What a valid value looks like, for the error message. */
  expected: string;
  /** The value may hold credentials (a URL with a password): a refusal never shows it, whatever the variable's name. */
  sensitive?: boolean;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

type Options<T> = { description: string; default?: T };

/** A TCP port (1–65535). */
export function port(opts: Options<number>): EnvVar<number> {
  return {
    ...opts,
    expected: 'a port number 1-65535',
    parse(raw) {
      const n = Number(raw);
      if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error('not a port');
      return n;
    },
  };
}

/** An integer within bounds. */
export function int(opts: Options<number> & { min?: number; max?: number }): EnvVar<number> {
  const min = opts.min ?? Number.MIN_SAFE_INTEGER;
  const max = opts.max ?? Number.MAX_SAFE_INTEGER;
  return {
    description: opts.description,
    default: opts.default,
    expected: `an integer${opts.min !== undefined ? ` >= ${min}` : ''}${opts.max !== undefined ? ` <= ${max}` : ''}`,
    parse(raw) {
      const n = Number(raw);
      if (!/^-?\d+$/.test(raw.trim()) || n < min || n > max) throw new Error('out of range');
      return n;
    },
  };
}

/** A boolean written as true/false/1/0/yes/no. */
export function bool(opts: Options<boolean>): EnvVar<boolean> {
  return {
    ...opts,
    expected: 'true or false',
    parse(raw) {
      const v = raw.trim().toLowerCase();
      if (['true', '1', 'yes', 'on'].includes(v)) return true;
      if (['false', '0', 'no', 'off', ''].includes(v)) return false;
      throw new Error('not a boolean');
    },
  };
}

/** Free text, optionally matching a pattern. */
export function str(opts: Options<string> & { pattern?: RegExp; expected?: string }): EnvVar<string> {
  return {
    description: opts.description,
    default: opts.default,
    expected: opts.expected ?? 'a string',
    parse(raw) {
      if (opts.pattern && !opts.pattern.test(raw)) throw new Error('pattern');
      return raw;
    },
  };
}

/** One of a fixed set of values. */
export function oneOf<const V extends string>(values: readonly V[], opts: Options<V>): EnvVar<V> {
  return {
    ...opts,
    expected: `one of ${values.join(', ')}`,
    parse(raw) {
      if (!(values as readonly string[]).includes(raw)) throw new Error('not allowed');
      return raw as V;
    },
  };
}

/** A URL with one of the given schemes. */
export function url(opts: Options<string> & { protocols: string[] }): EnvVar<string> {
  return {
    description: opts.description,
    default: opts.default,
    expected: `a ${opts.protocols.map((p) => `${p}://`).join(' or ')} URL`,
    parse(raw) {
      const u = new URL(raw);
      if (!opts.protocols.includes(u.protocol.replace(/:$/, ''))) throw new Error('protocol');
      return raw;
    },
  };
}

/** A comma-separated list of non-empty items, each checked by `item`. */
export function list(opts: Options<string[]> & { item?: RegExp; expected?: string }): EnvVar<string[]> {
  return {
    description: opts.description,
    default: opts.default,
    expected: opts.expected ?? 'a comma-separated list',
    parse(raw) {
      const items = raw.split(',').map((s) => s.trim()).filter(Boolean);
      if (opts.item && items.some((i) => !opts.item!.test(i))) throw new Error('item');
      return items;
    },
  };
}

/** Comma-separated Kafka brokers (`host:port`). */
export function brokers(opts: Options<string[]>): EnvVar<string[]> {
  return list({ ...opts, item: /^[A-Za-z0-9.\-_[\]:]+:\d{1,5}$/, expected: 'a comma-separated list of host:port brokers' });
}

/** A duration list in seconds ("5,300,1800"). */
export function secondsList(opts: Options<number[]>): EnvVar<number[]> {
  return {
    ...opts,
    expected: 'a comma-separated list of non-negative numbers of seconds',
    parse(raw) {
      const items = raw.split(',').map((s) => Number(s.trim()));
      if (items.length === 0 || items.some((n) => !Number.isFinite(n) || n < 0)) throw new Error('bad');
      return items;
    },
  };
}

export type EnvSpec = Record<string, EnvVar<unknown>>;
export type ConfigOf<S extends EnvSpec> = { [K in keyof S]: S[K] extends EnvVar<infer T> ? T : never };

/**
 * Reads and validates every variable of the spec. The first problem ends start-up with one line naming the
 * variable and what it expects, so an operator never has to read a stack trace to fix a typo.
 */
export function loadConfig<S extends EnvSpec>(spec: S, env: NodeJS.ProcessEnv = process.env): ConfigOf<S> {
  const out: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(spec)) {
    const raw = env[name];
    if (raw === undefined || raw === '') {
      if (v.default === undefined) throw new ConfigError(`${name} is required: ${v.description} (expected ${v.expected})`);
      out[name] = v.default;
      continue;
    }
    try {
      out[name] = v.parse(raw);
    } catch (err) {
      const shown = v.sensitive || /SECRET|KEY|PASSWORD|TOKEN/i.test(name) ? '<hidden>' : JSON.stringify(raw.length > 80 ? `${raw.slice(0, 80)}…` : raw);
      // A parser that can say where a structured value goes wrong throws a ConfigError saying so.
      const detail = err instanceof ConfigError ? `: ${err.message}` : '';
      throw new ConfigError(`${name} must be ${v.expected} (got ${shown})${detail}`);
    }
  }
  return out as ConfigOf<S>;
}
